// Ingestion through the API: field-level rejections kept as dead letters, replay after a schema
// fix, idempotency on the event id, authentication and sandboxes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld, PROD_ONLY_KEY } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

describe('POST /v1/events', () => {
  test('a malformed event gets a 4xx naming the bad field and lands in dead letters; it can be replayed after the schema is fixed', async () => {
    const w = await apiWorld();
    try {
      const bad = lumaEvent(
        'LumaCheckoutEvent_Email',
        'tom.baker@luma.example',
        [{ name: 'Watch', SKU: 'W', quantity: 0, priceTotal: 10 }],
        'bad-1',
      );
      const r = await w.request('POST', '/v1/events', bad);
      assert.equal(r.status, 422);
      assert.deepEqual(
        r.body.error.issues.map((i: { path: string }) => i.path),
        ['events[0].payload.productListItems.0.quantity'],
      );
      assert.match(r.body.error.issues[0].message, />= 1/);
      assert.equal(r.body.error.issues[0].received, '0');

      const dl = await w.request('GET', '/v1/dead-letters');
      assert.equal(dl.body.items.length, 1);
      assert.equal(dl.body.items[0].eventId, 'bad-1');
      assert.equal(
        dl.body.items[0].errors.issues[0].path,
        'events[0].payload.productListItems.0.quantity',
      );

      const early = await w.request('POST', `/v1/dead-letters/${dl.body.items[0].id}/replay`);
      assert.equal(early.status, 422, 'still invalid before the fix');

      const et = await w.request('GET', '/v1/event-types/LumaCheckoutEvent_Email');
      const spec = structuredClone(et.body.spec);
      spec.schema.properties.productListItems.items.properties.quantity.minimum = 0;
      assert.equal(
        (await w.request('PUT', '/v1/event-types/LumaCheckoutEvent_Email', spec)).status,
        200,
      );
      const replay = await w.request('POST', `/v1/dead-letters/${dl.body.items[0].id}/replay`);
      assert.equal(replay.status, 202);
      assert.equal(replay.body.result.status, 'accepted');
      assert.deepEqual(replay.body.result.journeys, ['purchase-journey']);
      assert.equal(
        (await w.request('POST', `/v1/dead-letters/${dl.body.items[0].id}/replay`)).status,
        409,
      );
    } finally {
      await w.close();
    }
  });

  test('the same event id sent twice is processed once', async () => {
    const w = await apiWorld();
    try {
      const e = lumaEvent('LumaCheckoutEvent_Email', 'ana.garcia@luma.example', cart, 'same-id');
      const first = await w.request('POST', '/v1/events', e);
      const again = await w.request('POST', '/v1/events', [e, e]);
      assert.equal(first.status, 202);
      assert.equal(first.body.accepted, 1);
      assert.deepEqual(
        again.body.results.map((r: { status: string }) => r.status),
        ['duplicate', 'duplicate'],
      );
      const report = await w.request('GET', '/v1/journeys/purchase-journey/report');
      assert.equal(report.body.total.entered, 1);
    } finally {
      await w.close();
    }
  });

  test('a batch answers for each event; unknown types and broken envelopes are named', async () => {
    const w = await apiWorld();
    try {
      const r = await w.request('POST', '/v1/events', [
        lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
        { id: 'x1', type: 'NoSuchEvent', payload: {} },
        { id: 'x2', type: 'LumaCheckoutEvent_Email', payload: 'nope' },
        {
          id: 'x3',
          type: 'LumaCheckoutEvent_Email',
          payload: { _aeppartner1: { identification: { core: {} } }, productListItems: cart },
        },
      ]);
      assert.equal(r.status, 207);
      assert.deepEqual(
        r.body.results.map((x: { status: string }) => x.status),
        ['accepted', 'rejected', 'rejected', 'rejected'],
      );
      assert.equal(r.body.results[1].code, 404);
      assert.equal(r.body.results[2].issues[0].path, 'events[2].payload');
      assert.equal(
        r.body.results[3].issues[0].path,
        'events[3].payload._aeppartner1.identification.core.email',
      );
      const notJson = await w.server.inject({
        method: 'POST',
        url: '/v1/events',
        headers: {
          authorization: `Bearer test-admin-key-0123456789`,
          'content-type': 'application/json',
        },
        payload: '{"type": ',
      });
      assert.equal(notJson.statusCode, 400);
      assert.match(JSON.parse(notJson.body).error.message, /not valid JSON/);
    } finally {
      await w.close();
    }
  });

  test('every route but health needs a key, and a key is limited to its sandboxes', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'dev');
    try {
      assert.equal((await w.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await w.server.inject({ method: 'GET', url: '/v1/journeys' })).statusCode, 401);
      assert.equal(
        (
          await w.server.inject({
            method: 'GET',
            url: '/v1/journeys',
            headers: { authorization: 'Bearer wrong-key-wrong-key' },
          })
        ).statusCode,
        401,
      );
      assert.equal(
        (
          await w.request('GET', '/v1/journeys', undefined, {
            authorization: `Bearer ${PROD_ONLY_KEY}`,
            'x-sandbox-name': 'dev',
          })
        ).status,
        403,
      );
      const dev = await w.request('GET', '/v1/journeys', undefined, { 'x-sandbox-name': 'dev' });
      assert.deepEqual(dev.body.items, [], 'sandboxes do not see each other');
      assert.equal(
        (await w.request('GET', '/v1/journeys', undefined, { 'x-sandbox-name': 'Bad Name' }))
          .status,
        400,
      );
      const openapi = await w.server.inject({ method: 'GET', url: '/openapi.json' });
      assert.ok(JSON.parse(openapi.body).paths['/v1/events']);
    } finally {
      await w.close();
    }
  });
});

describe('session and action test', () => {
  test('GET /v1/me names the key; POST /v1/actions/{name}/test calls the action once', async () => {
    const w = await apiWorld();
    try {
      const me = await w.request('GET', '/v1/me', undefined, {
        authorization: `Bearer ${PROD_ONLY_KEY}`,
      });
      assert.deepEqual(
        {
          name: me.body.actor.name,
          sandboxes: me.body.sandboxes.map((s: { name: string }) => s.name),
        },
        { name: 'prod-only', sandboxes: ['prod'] },
      );
      const r = await w.request('POST', '/v1/actions/LoyaltyService/test', {
        parameters: { loyaltyId: 'ana.garcia@luma.example', orderValue: 180 },
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.ok, true);
      assert.match(r.body.body.PromoCode, /^LUMA20-/);
      assert.equal(w.loyalty.calls.length, 1);
      const missing = await w.request('POST', '/v1/actions/LoyaltyService/test', {
        parameters: {},
      });
      assert.equal(missing.body.ok, false);
      assert.match(missing.body.message, /loyaltyId/);
      assert.equal((await w.request('POST', '/v1/actions/Nope/test', {})).status, 404);
    } finally {
      await w.close();
    }
  });
});

describe('custom action hosts', () => {
  test('a custom action may not reach a loopback address from a sandbox that does not allow it', async () => {
    const w = await apiWorld();
    await createSandbox(w, 'staging');
    try {
      const action = (await w.request('GET', '/v1/actions/LoyaltyService')).body.spec;
      assert.equal(
        (await w.request('POST', '/v1/actions', action, { 'x-sandbox-name': 'staging' })).status,
        201,
      );
      const refused = await w.request(
        'POST',
        '/v1/actions/LoyaltyService/test',
        { parameters: { loyaltyId: 'a@b.c', orderValue: 10 } },
        { 'x-sandbox-name': 'staging' },
      );
      assert.equal(refused.body.ok, false);
      assert.equal(refused.body.code, 'host_not_allowed');
      assert.equal(w.loyalty.calls.length, 0, 'nothing left the machine');
      const allowed = await w.request('POST', '/v1/actions/LoyaltyService/test', {
        parameters: { loyaltyId: 'a@b.c', orderValue: 10 },
      });
      assert.equal(allowed.body.ok, true, 'prod allows the demo loopback service');
    } finally {
      await w.close();
    }
  });
});

describe('custom action throttling', () => {
  test('calls over the throttling rate wait their turn instead of failing', async () => {
    const w = await apiWorld();
    try {
      const action = (await w.request('GET', '/v1/actions/LoyaltyService')).body.spec;
      assert.equal(
        (
          await w.request('PUT', '/v1/actions/LoyaltyService', {
            ...action,
            throttling: { ratePerSecond: 2 },
          })
        ).status,
        200,
      );
      const answers = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          w.request('POST', '/v1/actions/LoyaltyService/test', {
            parameters: { loyaltyId: `p${i}@luma.example`, orderValue: 10 },
          }),
        ),
      );
      assert.ok(
        answers.every((a) => a.body.ok === true),
        'all answered',
      );
      // 5 calls at 2/s are released 500 ms apart: 2 s from the first to the last. They are timed
      // where the service receives them, so a loaded machine's delays shift each one; a quarter of
      // the span is left for that, and no unthrottled run comes near it.
      const times = w.loyalty.calls.map((c) => c.at).sort((a, b) => a - b);
      assert.equal(times.length, 5);
      assert.ok(
        times[4]! - times[0]! >= 1500,
        `5 calls at 2/s span about 2 s (spanned ${times[4]! - times[0]!} ms)`,
      );
    } finally {
      await w.close();
    }
  });
});
