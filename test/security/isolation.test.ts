// What one sandbox sends, another cannot read; and nothing a caller without a key can do grows the
// server's memory: webhooks load nothing before their signature is proven, caches are bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CatalogCache } from '../../src/runtime/catalog.ts';
import { twilioSignature } from '../../src/channels/sms/index.ts';
import { cart, lumaEvent, PUBLIC_URL } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';

async function until<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("the development inbox answers only the caller's sandbox", async () => {
  const w = await apiWorld();
  await createSandbox(w, 'agency');
  try {
    const email = 'jean.dupont@luma.example';
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    const prod = await until(async () => {
      const r = await w.request('GET', `/v1/dev/inbox?to=${encodeURIComponent(email)}`);
      return r.body.email.length > 0 ? r.body : undefined;
    }, "the abandoned-cart email in prod's inbox");
    assert.equal(prod.email[0].to[0], email);

    const other = await w.request('GET', '/v1/dev/inbox', undefined, {
      'x-sandbox-name': 'agency',
    });
    assert.equal(other.status, 200);
    assert.deepEqual(
      {
        email: other.body.email,
        push: other.body.push,
        sms: other.body.sms,
        items: other.body.items,
      },
      { email: [], push: [], sms: [], items: [] },
    );
    const all = await w.request('GET', '/v1/messages', undefined, { 'x-sandbox-name': 'agency' });
    assert.deepEqual(all.body.items, [], 'the delivery log is per sandbox too');
  } finally {
    await w.close();
  }
});

test('Twilio webhooks for made-up sandboxes are refused without loading or keeping anything', async () => {
  const w = await apiWorld();
  try {
    const before = w.app.catalogs.size;
    for (let i = 0; i < 300; i++) {
      const url = `/webhooks/twilio/made-up-${i}/LumaSms/inbound`;
      const params = new URLSearchParams({
        MessageSid: `SM${i}`,
        From: '+14155550100',
        Body: 'STOP',
      });
      const r = await w.server.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature('guess', `${PUBLIC_URL}${url}`, params),
        },
      });
      assert.equal(r.statusCode, 403);
    }
    const bad = await w.server.inject({
      method: 'POST',
      url: '/webhooks/twilio/NOT%20A%20SANDBOX/x/status',
      payload: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
    });
    assert.equal(bad.statusCode, 403);
    assert.ok(
      w.app.catalogs.size <= before,
      `no catalog was built for a made-up sandbox (${before} -> ${w.app.catalogs.size})`,
    );
  } finally {
    await w.close();
  }
});

test('sandbox catalogs are bounded, and sandboxes that hold nothing are never kept', async () => {
  const w = await apiWorld();
  try {
    const store = w.store;
    const cache = new CatalogCache(store, 4);
    for (let i = 0; i < 500; i++) await cache.get(`empty-${i}`);
    assert.equal(cache.size, 0, 'empty sandboxes are answered, not kept');
    for (let i = 0; i < 10; i++) {
      await store.putObject(
        `team-${i}`,
        'fragment',
        'f',
        { id: 'f', name: 'f', type: 'expression', content: 'hi' },
        new Date().toISOString(),
      );
      await cache.get(`team-${i}`);
    }
    assert.equal(cache.size, 4, 'at most the bound is kept');
    const kept = await cache.get('team-9');
    assert.equal(await cache.get('team-9'), kept, 'a recent sandbox is served from the cache');
    // The engine's own cache holds the same line for sandboxes asked through the API.
    await w.app.catalogs.get('prod');
    const before = w.app.catalogs.size;
    for (let i = 0; i < 200; i++) {
      const r = await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'a@luma.example', cart),
        { 'x-sandbox-name': `nobody-${i}` },
      );
      assert.equal(r.status, 404, 'a sandbox nobody created is refused');
    }
    assert.ok(w.app.catalogs.size <= before, `catalogs kept: ${before} -> ${w.app.catalogs.size}`);
  } finally {
    await w.close();
  }
});
