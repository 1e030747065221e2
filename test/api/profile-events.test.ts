// A profile's experience events over the API: newest first, by type, since an instant, limited;
// bad parameters answer 400 with the field; an unknown profile 404.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiWorld } from '../support/server.ts';

test('GET /v1/profiles/{ns}/{id}/events: the history audiences read, newest first', async () => {
  const w = await apiWorld();
  try {
    const event = (type: string, sku: string) => ({
      type,
      payload: {
        _aeppartner1: { identification: { core: { email: 'ana.garcia@luma.example' } } },
        productListItems: [{ name: sku, SKU: sku, quantity: 1, priceTotal: 10 }],
      },
    });
    assert.equal(
      (await w.request('POST', '/v1/events', [event('LumaCheckoutEvent_Email', 'A')])).status,
      202,
    );
    const between = new Date(w.clock.now() + 500).toISOString();
    await w.advance(1000);
    assert.equal(
      (
        await w.request('POST', '/v1/events', [
          event('LumaPurchaseEvent_Email', 'B'),
          event('LumaCheckoutEvent_Email', 'C'),
        ])
      ).status,
      202,
    );

    const all = (await w.request('GET', '/v1/profiles/Email/ana.garcia@luma.example/events')).body;
    const skus = all.items
      .filter((e: { type: string }) => e.type.startsWith('Luma'))
      .map(
        (e: { payload: { productListItems: Array<{ SKU: string }> } }) =>
          e.payload.productListItems[0]!.SKU,
      );
    assert.deepEqual(skus, ['C', 'B', 'A']);
    const checkouts = (
      await w.request(
        'GET',
        '/v1/profiles/Email/ana.garcia@luma.example/events?type=LumaCheckoutEvent_Email',
      )
    ).body;
    assert.deepEqual(
      checkouts.items.map((e: { type: string }) => e.type),
      ['LumaCheckoutEvent_Email', 'LumaCheckoutEvent_Email'],
    );
    const recent = (
      await w.request(
        'GET',
        `/v1/profiles/Email/ana.garcia@luma.example/events?type=LumaCheckoutEvent_Email,LumaPurchaseEvent_Email&since=${encodeURIComponent(between)}`,
      )
    ).body;
    assert.equal(recent.items.length, 2);
    const one = (
      await w.request('GET', '/v1/profiles/Email/ana.garcia@luma.example/events?limit=1')
    ).body;
    assert.equal(one.items.length, 1);
    assert.ok(one.total >= 3);

    const bad = await w.request(
      'GET',
      '/v1/profiles/Email/ana.garcia@luma.example/events?since=yesterday',
    );
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body.error), /ISO 8601/);
    assert.equal(
      (await w.request('GET', '/v1/profiles/Email/ana.garcia@luma.example/events?limit=0')).status,
      400,
    );
    assert.equal(
      (await w.request('GET', '/v1/profiles/Email/nobody@luma.example/events')).status,
      404,
    );
  } finally {
    await w.close();
  }
});
