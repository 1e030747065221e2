// Segment-spec ingestion: the real analytics-node client, unchanged, pointed at /v1/segment/batch
// with a write key, drives the lab's Purchase Journey; identify writes the profile, alias stitches
// an anonymous visitor to the customer, retries are duplicates, a bad message refuses its batch whole.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analytics } from '@segment/analytics-node';
import { apiWorld, ROLE_KEYS, type ApiWorld } from '../support/server.ts';
import { T0 } from '../support/luma.ts';

const WRITE_KEY = ROLE_KEYS['data-ingest'];
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

const lumaEmail = {
  '_aeppartner1.identification.core.email': 'context.traits.email',
  productListItems: 'properties.products',
};
const source = {
  id: 'luma-web',
  name: 'Luma website (Segment)',
  identities: [
    { namespace: 'Email', from: 'traits.email' },
    { namespace: 'Email', from: 'context.traits.email' },
    { namespace: 'CRMID', from: 'userId' },
    { namespace: 'ECID', from: 'anonymousId' },
  ],
  track: {
    'Checkout Started': { eventType: 'LumaCheckoutEvent_Email', payload: lumaEmail },
    'Order Completed': { eventType: 'LumaPurchaseEvent_Email', payload: lumaEmail },
    'Coupon Applied': { eventType: 'NoSuchEvent' },
  },
  traits: { 'person.name.firstName': 'traits.firstName', 'loyalty.tier': 'traits.tier' },
};
const products = [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }];

async function until<T>(fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

async function world(): Promise<ApiWorld> {
  const w = await apiWorld();
  const made = await w.request('POST', '/v1/segment-sources', source);
  assert.ok(made.status === 200 || made.status === 201, JSON.stringify(made.body));
  return w;
}

const segment = (w: ApiWorld, call: string, body: unknown, key: string = WRITE_KEY) =>
  w.request('POST', `/v1/segment/${call}`, body, { authorization: basic(key) });

describe('Segment ingestion', () => {
  test('analytics-node, unchanged: identify then checkout and purchase run the Purchase Journey', async () => {
    const w = await world();
    const url = await w.listen();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: url,
      path: '/v1/segment/batch',
      flushAt: 10,
      flushInterval: 50,
    });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));
    try {
      const email = 'tom.baker@luma.example';
      const timestamp = new Date(T0);
      const context = { traits: { email } };
      analytics.identify({
        userId: 'u-42',
        traits: { email, firstName: 'Tom', tier: 'gold' },
        timestamp,
      });
      analytics.track({
        userId: 'u-42',
        event: 'Checkout Started',
        properties: { products },
        context,
        timestamp,
      });
      analytics.track({
        userId: 'u-42',
        event: 'Order Completed',
        properties: { products },
        context,
        timestamp,
      });
      await analytics.closeAndFlush({ timeout: 10_000 });
      assert.deepEqual(errors, [], 'the client saw no error');
      await w.app.engine.settle();

      const profile = await w.request('GET', `/v1/profiles/Email/${email}`);
      assert.equal(profile.status, 200);
      assert.equal(
        profile.body.attributes.person.name.firstName,
        'Tom',
        'identify wrote the traits',
      );
      assert.equal(profile.body.attributes.loyalty.tier, 'gold');

      assert.equal(w.loyalty.calls.length, 1, 'the purchase called the LoyaltyService once');
      const mail = await until(() => w.inbox.list({ to: email })[0]);
      assert.equal(mail.subject, 'Tom, your order confirmation');
    } finally {
      await w.close();
    }
  });

  test('each call answers per message: accepted, ignored with the reason, a dead letter for an unknown type, a retry is a duplicate', async () => {
    const w = await world();
    try {
      const msg = {
        messageId: 'm-1',
        userId: 'u-1',
        event: 'Checkout Started',
        properties: { products },
        context: { traits: { email: 'sarah.miller@luma.example' } },
        timestamp: new Date(T0).toISOString(),
      };
      const first = await segment(w, 'track', msg);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.success, true);
      assert.deepEqual(first.body.results, [
        { messageId: 'm-1', type: 'track', status: 'accepted' },
      ]);
      const again = await segment(w, 'track', msg);
      assert.equal(
        again.body.results[0].status,
        'duplicate',
        "the pipeline's retry is no second event",
      );

      const ignored = await segment(w, 'track', {
        ...msg,
        messageId: 'm-2',
        event: 'Product Viewed',
      });
      assert.equal(ignored.body.results[0].status, 'ignored');
      assert.match(ignored.body.results[0].reason, /maps no track event "Product Viewed"/);

      const page = await segment(w, 'page', { anonymousId: 'a-1', name: 'Home', properties: {} });
      assert.equal(page.body.results[0].status, 'ignored', 'page calls are mapped by choice');

      const unknown = await segment(w, 'track', {
        ...msg,
        messageId: 'm-3',
        event: 'Coupon Applied',
      });
      assert.equal(unknown.body.results[0].status, 'rejected');
      const dead = await w.request('GET', '/v1/dead-letters');
      assert.ok(
        JSON.stringify(dead.body).includes('NoSuchEvent'),
        'the refused event is a dead letter to fix and replay',
      );
    } finally {
      await w.close();
    }
  });

  test('alias links the anonymous visitor to the customer: one profile with both identities', async () => {
    const w = await world();
    try {
      await segment(w, 'identify', { anonymousId: 'anon-7', traits: { firstName: 'Jean' } });
      await segment(w, 'identify', {
        userId: 'u-7',
        traits: { email: 'jean@luma.example', tier: 'blue' },
      });
      const r = await segment(w, 'alias', { previousId: 'anon-7', userId: 'u-7' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const byAnon = await w.request('GET', '/v1/profiles/ECID/anon-7');
      const byEmail = await w.request('GET', '/v1/profiles/Email/jean@luma.example');
      assert.equal(byAnon.status, 200);
      assert.equal(byAnon.body.id, byEmail.body.id, 'one profile');
      assert.deepEqual(
        {
          name: byAnon.body.attributes.person.name.firstName,
          tier: byAnon.body.attributes.loyalty.tier,
        },
        { name: 'Jean', tier: 'blue' },
        'what was known of each',
      );
    } finally {
      await w.close();
    }
  });

  test('a batch with one bad message is refused whole, naming the message; nothing is written', async () => {
    const w = await world();
    try {
      const r = await segment(w, 'batch', {
        batch: [
          {
            type: 'identify',
            userId: 'u-9',
            traits: { email: 'nobody@luma.example', firstName: 'No' },
          },
          { type: 'track', userId: 'u-9', properties: {} },
          { type: 'shout', userId: 'u-9' },
          { type: 'track', event: 'Order Completed' },
        ],
      });
      assert.equal(r.status, 400);
      const paths = r.body.error.issues.map((i: { path: string }) => i.path);
      assert.deepEqual(paths, [
        'body.batch[1].event',
        'body.batch[2].type',
        'body.batch[3].userId',
      ]);
      assert.match(r.body.error.message, /nothing was written/);
      const profile = await w.request('GET', '/v1/profiles/Email/nobody@luma.example');
      assert.equal(profile.status, 404, 'the good message before the bad ones was not applied');

      const notObject = await segment(w, 'track', [1, 2]);
      assert.equal(notObject.status, 400);
      assert.equal(notObject.body.error.issues[0].path, 'body');
    } finally {
      await w.close();
    }
  });

  test('the write key: Basic or Bearer; a wrong key is 401, a key without events.ingest 403, a sandbox with no source says so', async () => {
    const w = await world();
    try {
      const ok = { userId: 'u-1', traits: { email: 'a@luma.example' } };
      assert.equal((await segment(w, 'identify', ok)).status, 200);
      const bearer = await w.request('POST', '/v1/segment/identify', ok, {
        authorization: `Bearer ${WRITE_KEY}`,
      });
      assert.equal(bearer.status, 200);
      assert.equal((await segment(w, 'identify', ok, 'not-a-key-0123456789')).status, 401);
      const viewer = await segment(w, 'identify', ok, ROLE_KEYS.viewer);
      assert.equal(viewer.status, 403);
      // Basic credentials are a write key on the Segment routes only.
      const elsewhere = await w.request('GET', '/v1/profiles/Email/a@luma.example', undefined, {
        authorization: basic(WRITE_KEY),
      });
      assert.equal(elsewhere.status, 401);

      await w.request('DELETE', '/v1/segment-sources/luma-web');
      const none = await segment(w, 'identify', ok);
      assert.equal(none.status, 400);
      assert.match(none.body.error.message, /has no Segment source/);
    } finally {
      await w.close();
    }
  });
});
