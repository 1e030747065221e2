import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { offerSchema } from '../../src/model/offer.ts';
import type { OfferInput } from '../../src/model/offer.ts';
import { decisionPolicySchema } from '../../src/model/decision-policy.ts';
import type { DecisionPolicyInput } from '../../src/model/decision-policy.ts';
import {
  capKeyString,
  decide,
  describeExclusion,
  validateOfferExpressions,
} from '../../src/offers/index.ts';
import type { CapKey, DecideInput } from '../../src/offers/index.ts';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const offer = (o: Partial<OfferInput> & { id: string }) =>
  offerSchema.parse({
    name: o.id,
    status: 'approved',
    representations: [{ placement: 'banner', text: `${o.id} text` }],
    ...o,
  });
const policy = (p: Partial<DecisionPolicyInput> = {}) =>
  decisionPolicySchema.parse({
    id: 'p',
    name: 'P',
    placement: 'banner',
    strategies: [{ collection: { tags: { any: ['spring'] } } }],
    ...p,
  });
const input = (over: Partial<DecideInput> = {}): DecideInput => ({
  profileId: 'alice',
  profile: { city: 'Paris', loyalty: { tier: 'gold' } },
  context: {},
  audiences: {},
  now: NOW,
  counts: () => 0,
  ...over,
});

describe('offer schema', () => {
  test('a fallback offer has no eligibility and no caps', () => {
    const r = offerSchema.safeParse({
      id: 'f',
      name: 'F',
      fallback: true,
      caps: [{ scope: 'total', count: 1 }],
    });
    assert.equal(r.success, false);
  });
  test('a decision rule that does not compile is named with its position', () => {
    const o = offer({
      id: 'x',
      eligibility: { rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.a} ==' },
    });
    const issues = validateOfferExpressions(o);
    assert.equal(issues[0]?.path, 'eligibility.rule');
    assert.match(issues[0]?.message ?? '', /line 1, column/);
  });
});

describe('decide', () => {
  const offers = [
    offer({ id: 'low', priority: 1, tags: ['spring'] }),
    offer({ id: 'high', priority: 9, tags: ['spring'] }),
    offer({ id: 'mid', priority: 5, tags: ['spring'] }),
    offer({ id: 'draft', priority: 99, tags: ['spring'], status: 'draft' }),
    offer({ id: 'old', priority: 99, tags: ['spring'], endDate: '2026-12-01T00:00:00Z' }),
    offer({ id: 'later', priority: 99, tags: ['spring'], startDate: '2027-01-01T00:00:00Z' }),
    offer({
      id: 'vip',
      priority: 50,
      tags: ['spring'],
      eligibility: { audiences: { any: ['VIP'] } },
    }),
    offer({
      id: 'lyon',
      priority: 40,
      tags: ['spring'],
      eligibility: { rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.city} == "Lyon"' },
    }),
    offer({ id: 'other-tag', priority: 80, tags: ['winter'] }),
    offer({ id: 'fb', fallback: true }),
  ];

  test('ranks by priority among eligible, approved, current offers', () => {
    const r = decide(policy({ count: 2 }), offers, input());
    assert.deepEqual(
      r.propositions.map((p) => [p.offerId, p.score, p.rank]),
      [
        ['high', 9, 1],
        ['mid', 5, 2],
      ],
    );
    assert.equal(r.propositions[0]?.representation.text, 'high text');
    assert.equal(r.fallbackUsed, false);
  });

  test('eligibility by audience and by rule', () => {
    const vip = decide(policy(), offers, input({ audiences: { VIP: 'realized' } }));
    assert.equal(vip.propositions[0]?.offerId, 'vip');
    const exited = decide(policy(), offers, input({ audiences: { VIP: 'exited' } }));
    assert.equal(exited.propositions[0]?.offerId, 'high');
    const lyon = decide(policy(), offers, input({ profile: { city: 'Lyon' } }));
    assert.equal(lyon.propositions[0]?.offerId, 'lyon');
  });

  test('simulation explains every other offer', () => {
    const r = decide(policy(), offers, input({ explain: true }));
    const why = Object.fromEntries(r.excluded.map((e) => [e.offerId, e.reason.kind]));
    assert.deepEqual(why, {
      low: 'outranked',
      mid: 'outranked',
      draft: 'status',
      old: 'expired',
      later: 'notStarted',
      vip: 'audience',
      lyon: 'rule',
      'other-tag': 'notInStrategy',
      fb: 'fallbackOnly',
    });
    const vip = r.excluded.find((e) => e.offerId === 'vip');
    assert.ok(vip);
    assert.equal(describeExclusion(vip.reason), 'not in any of the audiences VIP');
    // The same choice as without explanations.
    assert.deepEqual(
      r.propositions.map((p) => p.offerId),
      ['high'],
    );
  });

  test('strategies run in sequence until the count is filled, then the fallback', () => {
    const p = policy({
      count: 3,
      strategies: [{ offers: ['vip', 'lyon'] }, { collection: { tags: { all: ['spring'] } } }],
      fallback: 'fb',
    });
    const r = decide(p, offers, input({ profile: { city: 'Lyon' } }));
    assert.deepEqual(
      r.propositions.map((x) => [x.offerId, x.strategy]),
      [
        ['lyon', 0],
        ['high', 1],
        ['mid', 1],
      ],
    );
    const none = decide(
      policy({ strategies: [{ offers: ['vip'] }], fallback: 'fb' }),
      offers,
      input(),
    );
    assert.equal(none.fallbackUsed, true);
    assert.deepEqual(
      none.propositions.map((x) => [x.offerId, x.strategy]),
      [['fb', 'fallback']],
    );
    const nothing = decide(policy({ strategies: [{ offers: ['vip'] }] }), offers, input());
    assert.deepEqual(nothing.propositions, []);
  });

  test('ranking by a formula over profile, offer attributes and context', () => {
    const city = [
      offer({ id: 'paris', priority: 3, tags: ['spring'], attributes: { city: 'Paris' } }),
      offer({ id: 'rome', priority: 5, tags: ['spring'], attributes: { city: 'Rome' } }),
    ];
    const formula =
      'if (@event{offer.attributes.city} == #{ExperiencePlatform.ProfileFieldGroup.profile.city}) then (@event{offer.priority} * 2) else (@event{offer.priority})';
    const p = policy({
      count: 2,
      strategies: [{ collection: { tags: { any: ['spring'] } }, ranking: { formula } }],
    });
    const r = decide(p, city, input());
    assert.deepEqual(
      r.propositions.map((x) => [x.offerId, x.score]),
      [
        ['paris', 6],
        ['rome', 5],
      ],
    );
    const ctx = policy({
      strategies: [
        {
          collection: { tags: { any: ['spring'] } },
          ranking: {
            formula: 'if (@event{context.boost} == @event{offer.id}) then (100) else (0)',
          },
        },
      ],
    });
    assert.equal(
      decide(ctx, city, input({ context: { boost: 'rome' } })).propositions[0]?.offerId,
      'rome',
    );
  });

  test('caps: a reached total or per-profile counter excludes the offer', () => {
    const capped = [
      offer({
        id: 'a',
        priority: 9,
        tags: ['spring'],
        caps: [{ scope: 'profile', count: 2, period: { unit: 'week', every: 1 } }],
      }),
      offer({ id: 'b', priority: 5, tags: ['spring'], caps: [{ scope: 'total', count: 10 }] }),
    ];
    const seen: CapKey[] = [];
    const counts = (k: CapKey): number => {
      seen.push(k);
      return k.offerId === 'a' && k.profileId === 'alice' ? 2 : 0;
    };
    const r = decide(policy({ count: 1 }), capped, input({ counts, explain: true }));
    assert.equal(r.propositions[0]?.offerId, 'b');
    assert.deepEqual(r.propositions[0]?.capKeys.map(capKeyString), [
      capKeyString({ offerId: 'b', scope: 'total', profileId: '', period: 'all' }),
    ]);
    // The week starts on Sunday 2026-11-29 00:00 UTC.
    assert.equal(seen[0]?.period, 'week/1/2026-11-29T00:00:00.000Z');
    assert.deepEqual(r.excluded[0]?.reason, {
      kind: 'capReached',
      scope: 'profile',
      count: 2,
      limit: 2,
    });
    const bob = decide(policy({ count: 1 }), capped, input({ profileId: 'bob', counts }));
    assert.equal(bob.propositions[0]?.offerId, 'a');
  });

  test('an offer already proposed in the request is a duplicate', () => {
    const r = decide(
      policy(),
      offers,
      input({ alreadyProposed: new Set(['high']), explain: true }),
    );
    assert.equal(r.propositions[0]?.offerId, 'mid');
    assert.equal(r.excluded.find((e) => e.offerId === 'high')?.reason.kind, 'duplicate');
  });

  test('a failing rule excludes the offer with its error, not the decision', () => {
    const bad = [
      offer({
        id: 'bad',
        priority: 9,
        tags: ['spring'],
        eligibility: {
          rule: 'toInteger(#{ExperiencePlatform.ProfileFieldGroup.profile.city}) > 1',
        },
      }),
      offer({ id: 'ok', priority: 1, tags: ['spring'] }),
    ];
    const r = decide(policy(), bad, input({ explain: true }));
    assert.equal(r.propositions[0]?.offerId, 'ok');
    assert.equal(r.excluded[0]?.reason.kind, 'ruleError');
  });
});
