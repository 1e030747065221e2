// Decisioning through the API on a real store (SQLite, then PostgreSQL at 127.0.0.1:5432): offers,
// placements and policies as objects, eligibility by audience and by rule, ranking by priority and by
// formula, the fallback, per-profile caps, and a total cap held exactly under 200 concurrent decisions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { apiWorld, ADMIN_KEY } from '../support/server.ts';
import type { ApiWorld } from '../support/server.ts';

const banner = {
  id: 'email-banner',
  name: 'Email banner 600x200',
  channel: 'email',
  contentType: 'html',
};
const rep = (text: string) => [{ placement: 'email-banner', text, html: `<p>${text}</p>` }];

async function setUp(w: ApiWorld): Promise<void> {
  const ok = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
    const r = await w.request(method, url, body);
    assert.ok(
      r.status === 200 || r.status === 201,
      `${url}: ${r.status} ${JSON.stringify(r.body)}`,
    );
  };
  await ok('POST', '/v1/placements', banner);
  await ok('POST', '/v1/audiences', {
    name: 'Gold members',
    origin: 'streaming',
    definition: { text: '#{ExperiencePlatform.ProfileFieldGroup.profile.tier} == "gold"' },
  });
  const offers = [
    {
      id: 'gold-lounge',
      name: 'Gold lounge',
      priority: 90,
      tags: ['spring'],
      eligibility: { audiences: { any: ['Gold members'] } },
    },
    {
      id: 'paris-store',
      name: 'Paris store',
      priority: 80,
      tags: ['spring'],
      eligibility: { rule: '#{ExperiencePlatform.ProfileFieldGroup.profile.city} == "Paris"' },
    },
    { id: 'ten-off', name: '10% off', priority: 10, tags: ['spring'] },
    { id: 'five-off', name: '5% off', priority: 5, tags: ['spring'], attributes: { city: 'Lyon' } },
    {
      id: 'limited',
      name: 'Limited',
      priority: 1,
      tags: ['limited'],
      caps: [{ scope: 'total', count: 50 }],
    },
    {
      id: 'once',
      name: 'Once per profile',
      priority: 1,
      tags: ['once'],
      caps: [{ scope: 'profile', count: 1, period: { unit: 'day', every: 1 } }],
    },
    { id: 'fallback', name: 'Our newsletter', fallback: true },
  ];
  for (const o of offers)
    await ok('POST', '/v1/offers', { status: 'approved', representations: rep(o.name), ...o });
  const policy = (id: string, strategies: unknown[], extra: Record<string, unknown> = {}) =>
    ok('POST', '/v1/decision-policies', {
      id,
      name: id,
      placement: 'email-banner',
      strategies,
      fallback: 'fallback',
      ...extra,
    });
  await policy('spring', [{ collection: { tags: { any: ['spring'] } } }], { count: 2 });
  await policy('by-city', [
    {
      collection: { tags: { any: ['spring'] } },
      ranking: {
        formula:
          'if (@event{offer.attributes.city} == #{ExperiencePlatform.ProfileFieldGroup.profile.city}) then (@event{offer.priority} * 100) else (@event{offer.priority})',
      },
    },
  ]);
  await policy('limited', [{ collection: { tags: { any: ['limited'] } } }]);
  await policy('once', [{ collection: { tags: { any: ['once'] } } }]);
  await ok('PUT', '/v1/profiles/Email/gold@luma.example', {
    attributes: { tier: 'gold', city: 'Lyon' },
  });
  await ok('PUT', '/v1/profiles/Email/paris@luma.example', {
    attributes: { tier: 'blue', city: 'Paris' },
  });
  await ok('PUT', '/v1/profiles/Email/plain@luma.example', {
    attributes: { tier: 'blue', city: 'Rome' },
  });
}

const who = (email: string) => ({ identity: { namespace: 'Email', id: email } });
const ids = (r: { body: { propositions: { offerId: string }[] } }) =>
  r.body.propositions.map((p) => p.offerId);

for (const store of ['sqlite', 'postgres'] as const) {
  describe(`decisions on ${store}`, () => {
    test('eligibility, ranking, fallback, caps and simulation', async () => {
      const w = await apiWorld({ store });
      try {
        await setUp(w);
        const decide = (body: Record<string, unknown>) => w.request('POST', '/v1/decisions', body);
        // Eligibility by audience, by rule; ranking by priority.
        const first = await decide({ policy: 'spring', ...who('gold@luma.example') });
        assert.equal(first.status, 200, JSON.stringify(first.body));
        assert.deepEqual(ids(first), ['gold-lounge', 'ten-off']);
        assert.deepEqual(ids(await decide({ policy: 'spring', ...who('paris@luma.example') })), [
          'paris-store',
          'ten-off',
        ]);
        assert.deepEqual(ids(await decide({ policy: 'spring', ...who('plain@luma.example') })), [
          'ten-off',
          'five-off',
        ]);
        // Ranking by formula: the offer of the profile's city wins (5 * 100 over 90).
        const byCity = await decide({ policy: 'by-city', ...who('gold@luma.example') });
        assert.deepEqual(
          byCity.body.propositions.map((p: { offerId: string; score: number }) => [
            p.offerId,
            p.score,
          ]),
          [['five-off', 500]],
        );
        // Simulation: reasons, nothing recorded.
        const sim = await decide({
          policy: 'spring',
          ...who('plain@luma.example'),
          simulate: true,
        });
        assert.equal(sim.status, 200);
        const reasons = Object.fromEntries(
          sim.body.excluded.map((e: { offerId: string; kind: string }) => [e.offerId, e.kind]),
        );
        assert.equal(reasons['gold-lounge'], 'audience');
        assert.equal(reasons['paris-store'], 'rule');
        assert.equal(reasons['limited'], 'notInStrategy');
        assert.equal(sim.body.recorded, false);
        // Per-profile cap: once a day per profile, then the fallback.
        assert.deepEqual(ids(await decide({ policy: 'once', ...who('plain@luma.example') })), [
          'once',
        ]);
        const second = await decide({ policy: 'once', ...who('plain@luma.example') });
        assert.deepEqual(ids(second), ['fallback']);
        assert.equal(second.body.fallback, true);
        assert.deepEqual(ids(await decide({ policy: 'once', ...who('paris@luma.example') })), [
          'once',
        ]);
        const why = await decide({ policy: 'once', ...who('plain@luma.example'), simulate: true });
        assert.match(
          why.body.excluded.find((e: { offerId: string }) => e.offerId === 'once').reason,
          /per-profile cap reached \(1 of 1\)/,
        );

        // 200 concurrent decisions over real HTTP against a total cap of 50: exactly 50.
        const base = await w.listen();
        const profiles = ['gold@luma.example', 'paris@luma.example', 'plain@luma.example'];
        const answers = await Promise.all(
          Array.from({ length: 200 }, async (_, i) => {
            const res = await fetch(`${base}/v1/decisions`, {
              method: 'POST',
              headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ policy: 'limited', ...who(profiles[i % 3]!) }),
            });
            assert.equal(res.status, 200);
            return (await res.json()) as { propositions: { offerId: string }[] };
          }),
        );
        const won = answers.filter((a) => a.propositions[0]?.offerId === 'limited').length;
        const fell = answers.filter((a) => a.propositions[0]?.offerId === 'fallback').length;
        assert.equal(won, 50);
        assert.equal(fell, 150);
        const recorded = await w.request('GET', '/v1/propositions?offer=limited&limit=1000');
        assert.equal(recorded.body.items.length, 50);
        // Bad input names what was expected.
        const bad = await decide({ policy: 'spring' });
        assert.equal(bad.status, 400);
        assert.match(JSON.stringify(bad.body), /profileId or identity/);
        assert.equal((await decide({ policy: 'nope', ...who('plain@luma.example') })).status, 404);
        // A package of a policy carries what it uses: its placement and its fallback offer.
        const pkg = await w.request('GET', '/v1/packages/export?objects=decisionPolicy:spring');
        assert.equal(pkg.status, 200, JSON.stringify(pkg.body));
        const kinds = pkg.body.objects.map(
          (o: { kind: string; spec: { id?: string } }) => `${o.kind}:${o.spec.id}`,
        );
        for (const k of ['decisionPolicy:spring', 'placement:email-banner', 'offer:fallback'])
          assert.ok(kinds.includes(k), `${k} in ${kinds.join(', ')}`);
        // A policy uses its offers: deleting one is refused while it is used.
        assert.equal((await w.request('DELETE', '/v1/offers/fallback')).status, 409);
      } finally {
        await w.close();
      }
    });
  });
}
