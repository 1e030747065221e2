import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ruleSetSchema,
  channelRuleSetSchema,
  journeyRuleSetSchema,
} from '../../src/model/rule-set.ts';
import type { ChannelRuleSet } from '../../src/model/rule-set.ts';
import {
  checkFrequencyCap,
  cappingCounters,
  decideFromCounters,
  checkJourneyCap,
  windowAt,
} from '../../src/rules/index.ts';
import type { DeliveryLogEntry } from '../../src/rules/index.ts';

const t = (iso: string): number => Date.parse(iso);

// The lab's rule: 3 retargeting messages a week across email and push.
const retargeting = channelRuleSetSchema.parse({
  name: 'Retargeting',
  domain: 'channel',
  status: 'active',
  rules: [{ id: 'weekly3', channels: ['email', 'push'], cap: 3, period: 'weekly' }],
});

describe('calendar windows (UTC)', () => {
  test('a week runs Sunday 00:00 to Saturday 23:59:59.999', () => {
    // 2026-11-25 is a Wednesday.
    const w = windowAt('weekly', 1, t('2026-11-25T12:00:00Z'));
    assert.equal(new Date(w.start).toISOString(), '2026-11-22T00:00:00.000Z');
    assert.equal(new Date(w.end).toISOString(), '2026-11-29T00:00:00.000Z');
    assert.equal(new Date(w.start).getUTCDay(), 0);
    const sat = windowAt('weekly', 1, t('2026-11-28T23:59:59.999Z'));
    assert.equal(sat.start, w.start);
    assert.equal(windowAt('weekly', 1, t('2026-11-29T00:00:00Z')).start, w.end);
  });
  test('months end on their last day; every 3 months are quarters', () => {
    const feb = windowAt('monthly', 1, t('2028-02-29T23:00:00Z'));
    assert.equal(new Date(feb.start).toISOString(), '2028-02-01T00:00:00.000Z');
    assert.equal(new Date(feb.end).toISOString(), '2028-03-01T00:00:00.000Z');
    const q = windowAt('monthly', 3, t('2026-11-28T10:00:00Z'));
    assert.equal(new Date(q.start).toISOString(), '2026-10-01T00:00:00.000Z');
    assert.equal(new Date(q.end).toISOString(), '2027-01-01T00:00:00.000Z');
  });
  test('every 6 hours: blocks from midnight; days: whole UTC days', () => {
    const h = windowAt('hourly', 6, t('2026-11-28T13:30:00Z'));
    assert.equal(new Date(h.start).toISOString(), '2026-11-28T12:00:00.000Z');
    assert.equal(new Date(h.end).toISOString(), '2026-11-28T18:00:00.000Z');
    const h5 = windowAt('hourly', 5, t('2026-11-28T22:30:00Z'));
    assert.equal(
      new Date(h5.end).toISOString(),
      '2026-11-29T00:00:00.000Z',
      'the last block stops at midnight',
    );
    const d = windowAt('daily', 1, t('2026-11-28T13:30:00Z'));
    assert.equal(new Date(d.start).toISOString(), '2026-11-28T00:00:00.000Z');
  });
});

describe('channel capping', () => {
  const wed = t('2026-11-25T12:00:00Z');
  const log: DeliveryLogEntry[] = [
    { channel: 'email', sentAt: t('2026-11-22T09:00:00Z') },
    { channel: 'push', sentAt: t('2026-11-23T09:00:00Z') },
    { channel: 'sms', sentAt: t('2026-11-23T10:00:00Z') }, // not in the rule
    { channel: 'email', sentAt: t('2026-11-21T23:59:59Z') }, // the previous week
  ];

  test('the lab: the fourth retargeting message of a week is excluded with 050002', () => {
    assert.deepEqual(
      checkFrequencyCap({ channel: 'push', ruleSets: [retargeting], log, now: wed }),
      { excluded: false },
    );
    const third = [...log, { channel: 'push' as const, sentAt: t('2026-11-24T09:00:00Z') }];
    const fourth = checkFrequencyCap({
      channel: 'email',
      ruleSets: [retargeting],
      log: third,
      now: wed,
    });
    assert.deepEqual(fourth, {
      excluded: true,
      reason: 'capped',
      code: '050002',
      ruleSet: 'Retargeting',
      rule: 'weekly3',
      cap: 3,
      count: 3,
      resetsAt: t('2026-11-29T00:00:00Z'),
    });
    // SMS is not in the rule: it goes.
    assert.deepEqual(
      checkFrequencyCap({ channel: 'sms', ruleSets: [retargeting], log: third, now: wed }),
      { excluded: false },
    );
    // A new calendar week resets the count.
    assert.deepEqual(
      checkFrequencyCap({
        channel: 'email',
        ruleSets: [retargeting],
        log: third,
        now: t('2026-11-29T00:00:00Z'),
      }),
      { excluded: false },
    );
  });

  test('counting one send at a time never lets more than the cap through', () => {
    const sent: DeliveryLogEntry[] = [];
    for (let i = 0; i < 50; i++) {
      const channel = i % 2 === 0 ? ('email' as const) : ('push' as const);
      if (!checkFrequencyCap({ channel, ruleSets: [retargeting], log: sent, now: wed }).excluded)
        sent.push({ channel, sentAt: wed });
    }
    assert.equal(sent.length, 3);
  });

  test('the lowest cap wins across the global default and the message rule set', () => {
    const global = channelRuleSetSchema.parse({
      name: 'Global Default Rule Set',
      domain: 'channel',
      status: 'active',
      rules: [
        { id: 'daily2', channels: ['email'], cap: 2, period: 'daily' },
        { id: 'daily5', channels: ['email', 'push'], cap: 5, period: 'daily' },
      ],
    });
    const today = [
      { channel: 'email' as const, sentAt: wed - 1000 },
      { channel: 'email' as const, sentAt: wed - 2000 },
      { channel: 'push' as const, sentAt: wed - 3000 },
    ];
    const d = checkFrequencyCap({
      channel: 'email',
      ruleSets: [global, retargeting],
      log: today,
      now: wed,
    });
    assert.equal(d.excluded, true);
    if (d.excluded)
      assert.deepEqual([d.ruleSet, d.rule, d.cap], ['Global Default Rule Set', 'daily2', 2]);
    assert.equal(
      checkFrequencyCap({ channel: 'push', ruleSets: [global, retargeting], log: today, now: wed })
        .excluded,
      true,
      'push: weekly3 reached',
    );
  });

  test('draft and inactive rule sets do not apply; counters give store keys', () => {
    const draft: ChannelRuleSet = { ...retargeting, status: 'draft' };
    const full = [
      ...log,
      { channel: 'push' as const, sentAt: wed - 1 },
      { channel: 'push' as const, sentAt: wed - 2 },
    ];
    assert.deepEqual(
      checkFrequencyCap({ channel: 'email', ruleSets: [draft, undefined], log: full, now: wed }),
      { excluded: false },
    );
    const counters = cappingCounters('email', [retargeting], wed);
    assert.equal(counters.length, 1);
    assert.equal(counters[0]?.key, `Retargeting/weekly3/${t('2026-11-22T00:00:00Z')}`);
    const key = counters[0]?.key ?? '';
    assert.deepEqual(decideFromCounters(counters, new Map([[key, 2]])), { excluded: false });
    assert.equal(decideFromCounters(counters, new Map([[key, 3]])).excluded, true);
  });
});

describe('rule set schema', () => {
  test('every N must fit its period', () => {
    const bad = ruleSetSchema.safeParse({
      name: 'x',
      domain: 'channel',
      rules: [{ id: 'r', channels: ['email'], cap: 1, period: 'weekly', every: 5 }],
    });
    assert.equal(bad.success, false);
    if (!bad.success)
      assert.match(bad.error.issues[0]?.message ?? '', /every must be 1-4 for a weekly period/);
    assert.equal(
      ruleSetSchema.safeParse({
        name: 'x',
        domain: 'channel',
        rules: [{ id: 'r', channels: ['email'], cap: 1, period: 'hourly', every: 23 }],
      }).success,
      true,
    );
    assert.equal(
      ruleSetSchema.safeParse({
        name: 'x',
        domain: 'channel',
        rules: [{ id: 'r', channels: [], cap: 1, period: 'daily' }],
      }).success,
      false,
    );
    const parsed = ruleSetSchema.parse({
      name: 'x',
      domain: 'channel',
      rules: [{ id: 'r', channels: ['sms'], cap: 1, period: 'daily' }],
    });
    assert.equal(parsed.status, 'draft');
  });
});

describe('journey capping', () => {
  test('entry and concurrency caps', () => {
    const rs = journeyRuleSetSchema.parse({
      name: 'Journeys',
      domain: 'journey',
      status: 'active',
      rules: [
        { kind: 'entry', id: 'entries', cap: 2, period: 'daily' },
        { kind: 'concurrency', id: 'conc', cap: 1 },
      ],
    });
    const now = t('2026-11-25T12:00:00Z');
    assert.deepEqual(
      checkJourneyCap({ ruleSet: rs, entries: [now - 86_400_000], active: 0, now }),
      { excluded: false },
    );
    assert.deepEqual(
      checkJourneyCap({ ruleSet: rs, entries: [now - 1, now - 2], active: 0, now }),
      {
        excluded: true,
        reason: 'CAP_REACHED',
        ruleSet: 'Journeys',
        rule: 'entries',
        kind: 'entry',
        cap: 2,
      },
    );
    assert.equal(checkJourneyCap({ ruleSet: rs, entries: [], active: 1, now }).excluded, true);
  });
});
