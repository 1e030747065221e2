// A strategy ranked by a pluggable scoring endpoint: a custom action on a real HTTP server on
// loopback is sent the eligible offers (ids, attributes) and the profile, answers scores, and the
// offers are ranked by them. A timeout or an error falls back to priority, and the simulation says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiWorld } from '../support/server.ts';

interface Seen {
  offers: { id: string; attributes: Record<string, unknown> }[];
  profileId: string;
  profile: { city?: string };
}

test('a scoring endpoint ranks the offers; a timeout or an error ranks by priority', async () => {
  let mode: 'score' | 'slow' | 'fail' = 'score';
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Seen;
      seen.push(body);
      if (mode === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model down"}');
        return;
      }
      // The offer whose city is the profile's scores highest; the others by their discount.
      const scores = Object.fromEntries(
        body.offers.map((o) => [
          o.id,
          (o.attributes['city'] === body.profile.city ? 1000 : 0) + Number(o.attributes['pct']),
        ]),
      );
      const answer = () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ scores }));
      if (mode === 'slow') setTimeout(answer, 2_500);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`;
  const w = await apiWorld();
  try {
    const ok = async (method: 'POST' | 'PUT', path: string, body: unknown) => {
      const r = await w.request(method, path, body);
      assert.ok(
        r.status === 200 || r.status === 201,
        `${path}: ${r.status} ${JSON.stringify(r.body)}`,
      );
    };
    await ok('POST', '/v1/actions', {
      name: 'OfferScorer',
      url,
      method: 'POST',
      payload: [
        { path: 'offers', type: 'listObject', kind: 'variable' },
        { path: 'profileId', type: 'string', kind: 'variable' },
        { path: 'profile.city', type: 'string', kind: 'variable', optional: true },
      ],
      timeoutMs: 1000,
    });
    await ok('POST', '/v1/placements', {
      id: 'web-hero',
      name: 'Hero',
      channel: 'web',
      contentType: 'text',
    });
    const offers = [
      { id: 'lyon-store', priority: 10, attributes: { city: 'Lyon', pct: 5 } },
      { id: 'paris-store', priority: 20, attributes: { city: 'Paris', pct: 10 } },
      { id: 'big-sale', priority: 90, attributes: { city: 'none', pct: 30 } },
      { id: 'draft-offer', priority: 99, attributes: { city: 'Lyon', pct: 50 }, status: 'draft' },
    ];
    for (const o of offers)
      await ok('POST', '/v1/offers', {
        name: o.id,
        status: 'approved',
        tags: ['hero'],
        representations: [{ placement: 'web-hero', text: o.id }],
        ...o,
      });
    await ok('POST', '/v1/decision-policies', {
      id: 'hero',
      name: 'Hero',
      placement: 'web-hero',
      count: 2,
      strategies: [
        { collection: { tags: { any: ['hero'] } }, ranking: { scoringAction: 'OfferScorer' } },
      ],
    });
    await ok('PUT', '/v1/profiles/Email/lyon@luma.example', { attributes: { city: 'Lyon' } });
    const decide = (extra: Record<string, unknown> = {}) =>
      w.request('POST', '/v1/decisions', {
        policy: 'hero',
        identity: { namespace: 'Email', id: 'lyon@luma.example' },
        ...extra,
      });
    const ranked = (r: { body: { propositions: { offerId: string; score: number }[] } }) =>
      r.body.propositions.map((p) => [p.offerId, p.score]);

    // By the endpoint's scores: the profile's city first, then the biggest discount.
    const first = await decide();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(ranked(first), [
      ['lyon-store', 1005],
      ['big-sale', 30],
    ]);
    assert.deepEqual(first.body.scoring, [
      { strategy: 0, action: 'OfferScorer', rankedBy: 'endpoint' },
    ]);
    // It was sent the eligible offers only (not the draft), with their attributes, and the profile.
    const sent = seen.at(-1)!;
    assert.deepEqual(sent.offers.map((o) => o.id).sort(), [
      'big-sale',
      'lyon-store',
      'paris-store',
    ]);
    assert.deepEqual(sent.offers.find((o) => o.id === 'paris-store')!.attributes, {
      city: 'Paris',
      pct: 10,
    });
    assert.equal(sent.profile.city, 'Lyon');
    assert.ok(sent.profileId.length > 0);

    // The simulation shows the scores, and the outranked offer's.
    const sim = await decide({ simulate: true });
    assert.deepEqual(ranked(sim), [
      ['lyon-store', 1005],
      ['big-sale', 30],
    ]);
    const paris = sim.body.excluded.find((e: { offerId: string }) => e.offerId === 'paris-store');
    assert.equal(paris.kind, 'outranked');
    assert.match(paris.reason, /score 10/);

    // A timeout: ranked by priority, and the simulation says why.
    mode = 'slow';
    const slow = await decide({ simulate: true });
    assert.equal(slow.status, 200, JSON.stringify(slow.body));
    assert.deepEqual(ranked(slow), [
      ['big-sale', 90],
      ['paris-store', 20],
    ]);
    assert.equal(slow.body.scoring[0].rankedBy, 'priority');
    assert.match(slow.body.scoring[0].message, /timedout\): no answer within 1000 ms/);

    // An error answer: the same, recorded decisions too.
    mode = 'fail';
    const failed = await decide();
    assert.deepEqual(ranked(failed), [
      ['big-sale', 90],
      ['paris-store', 20],
    ]);
    assert.equal(failed.body.recorded, true);
    assert.match(failed.body.scoring[0].message, /scoring endpoint failed/);

    // The policy uses the action: deleting it is refused while it does.
    assert.equal((await w.request('DELETE', '/v1/actions/OfferScorer')).status, 409);
    // A policy naming an action that does not exist ranks by priority too.
    await ok('PUT', '/v1/decision-policies/hero', {
      id: 'hero',
      name: 'Hero',
      placement: 'web-hero',
      count: 1,
      strategies: [{ collection: { tags: { any: ['hero'] } }, ranking: { scoringAction: 'Nope' } }],
    });
    const missing = await decide({ dryRun: true });
    assert.deepEqual(ranked(missing), [['big-sale', 90]]);
    assert.match(missing.body.scoring[0].message, /does not exist/);
  } finally {
    await w.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
