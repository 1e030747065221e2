// Webhooks: a journey sends the abandoned-cart email, the recipient opens it, and the subscriber's
// server (a real one on loopback) receives signed deliveries it verifies; a receiver answering 500
// twice gets the delivery on the third attempt; one that always fails is given up and shown
// failed; a host the sandbox does not allow is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyWebhookSignature } from '../../src/runtime/webhooks/signature.ts';
import { cart, lumaEvent, PUBLIC_URL } from '../support/luma.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { receiver, until, type Received } from './receiver.ts';

const SECRET = 'whsec-test-0123456789abcdef';

const eventOf = (r: Received): { id: string; type: string; data: Record<string, unknown> } =>
  JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> };

async function subscribe(w: ApiWorld, body: Record<string, unknown>): Promise<void> {
  const r = await w.request('POST', '/v1/webhooks', { name: 'Test', secret: SECRET, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

test('a journey email opened: the subscriber receives signed deliveries and verifies them', async () => {
  const w = await apiWorld();
  const hooks = await receiver();
  try {
    await subscribe(w, {
      id: 'crm',
      url: hooks.url,
      events: ['message.*', 'journey.entered'],
      journeys: ['purchase-journey'],
    });
    const shown = await w.request('GET', '/v1/webhooks/crm');
    assert.equal(shown.status, 200);
    assert.equal(shown.body.spec.secret, '[redacted]', 'the secret is never answered');

    const email = 'jean.dupont@luma.example';
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    const mail = await until(() => w.inbox.list({ to: email })[0], 'the email');
    const pixel = /src="([^"]+\.gif)"/.exec(mail.html)![1]!.slice(PUBLIC_URL.length);
    await w.server.inject({ method: 'GET', url: pixel });

    const opened = await until(
      () => hooks.received.find((r) => eventOf(r).type === 'message.opened'),
      'message.opened',
    );
    const types = hooks.received.map((r) => eventOf(r).type);
    assert.ok(types.includes('journey.entered'), types.join());
    assert.ok(types.includes('message.sent'), types.join());
    for (const r of hooks.received) {
      const check = verifyWebhookSignature(
        SECRET,
        r.headers['waymark-signature'] as string,
        r.body,
        {
          nowSec: Math.floor(w.clock.now() / 1000),
        },
      );
      assert.deepEqual(check.ok, true, `${eventOf(r).type}: ${JSON.stringify(check)}`);
      assert.equal(r.headers['waymark-event'], eventOf(r).type);
    }
    const event = eventOf(opened);
    assert.equal(event.data.journeyId, 'purchase-journey');
    assert.equal(typeof event.data.messageId, 'string');
    // A tampered body or another secret does not verify.
    const sig = opened.headers['waymark-signature'] as string;
    const nowSec = Math.floor(w.clock.now() / 1000);
    assert.equal(verifyWebhookSignature(SECRET, sig, opened.body + ' ', { nowSec }).ok, false);
    assert.equal(
      verifyWebhookSignature('another-secret-0123456', sig, opened.body, { nowSec }).ok,
      false,
    );
    assert.equal(
      verifyWebhookSignature(SECRET, sig, opened.body, { nowSec: nowSec + 3600 }).ok,
      false,
    );

    const delivered = await until(async () => {
      const list = await w.request('GET', '/v1/webhooks/crm/deliveries');
      assert.equal(list.status, 200);
      const done = list.body.items.filter((d: { status: string }) => d.status === 'delivered');
      return done.length === hooks.received.length ? done : null;
    }, 'every delivery recorded');
    const one = await w.request(
      'GET',
      `/v1/webhooks/crm/deliveries/${encodeURIComponent(delivered[0].id)}`,
    );
    assert.equal(one.status, 200);
    assert.equal(typeof one.body.event.type, 'string');
  } finally {
    await hooks.close();
    await w.close();
  }
});

test('a receiver answering 500 twice gets the delivery on the third attempt; one that keeps failing is given up', async () => {
  const w = await apiWorld();
  const flaky = await receiver([500, 500]);
  const broken = await receiver([500, 500, 500, 500]);
  try {
    await subscribe(w, { id: 'flaky', url: flaky.url, events: ['journey.entered'] });
    await subscribe(w, {
      id: 'broken',
      url: broken.url,
      events: ['journey.entered'],
      maxAttempts: 2,
    });
    await w.request(
      'POST',
      '/v1/events',
      lumaEvent('LumaCheckoutEvent_Email', 'sarah.miller@luma.example', cart),
    );
    await until(
      () => flaky.received.length === 1 && broken.received.length === 1,
      'first attempts',
    );
    const pending = await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/flaky/deliveries');
      return r.body.items[0]?.attempts === 1 ? r.body.items[0] : null;
    }, 'the first attempt recorded');
    assert.equal(pending.status, 'pending');
    assert.equal(pending.lastStatus, 500);
    await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/broken/deliveries');
      return r.body.items[0]?.attempts === 1;
    }, 'the first attempt recorded');

    await w.advance(15_000); // past the first backoff (10 s ± 20 %)
    await until(
      () => flaky.received.length === 2 && broken.received.length === 2,
      'second attempts',
    );
    // The second attempt's outcome (and so its next due time) must be recorded
    // before the clock moves, or the backoff is counted from the later time.
    await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/flaky/deliveries');
      return r.body.items[0]?.attempts === 2;
    }, 'the second attempt recorded');
    await w.advance(40_000); // past the second (30 s ± 20 %)
    await until(() => flaky.received.length === 3, 'the third attempt');

    const ids = new Set(flaky.received.map((r) => r.headers['waymark-delivery']));
    assert.equal(ids.size, 1, 'one delivery, tried three times');
    assert.deepEqual(
      flaky.received.map((r) => r.headers['waymark-attempt']),
      ['1', '2', '3'],
    );
    const done = await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/flaky/deliveries');
      return r.body.items[0].status === 'delivered' ? r.body.items[0] : null;
    }, 'delivered');
    assert.equal(done.attempts, 3);
    assert.equal(done.lastStatus, 200);

    const failed = await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/broken/deliveries?status=failed');
      return r.body.items.length === 1 ? r : null;
    }, 'the broken delivery given up');
    assert.equal(failed.body.items.length, 1);
    assert.equal(failed.body.items[0].attempts, 2);
    assert.match(failed.body.items[0].lastError, /gave up after 2 attempts: HTTP 500/);
    assert.equal(broken.received.length, 2, 'no attempt after the last');

    // Sent again by hand once the receiver is fixed.
    const again = await w.request(
      'POST',
      `/v1/webhooks/broken/deliveries/${encodeURIComponent(failed.body.items[0].id)}/redeliver`,
    );
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await until(() => broken.received.length === 3, 'the redelivery');
  } finally {
    await flaky.close();
    await broken.close();
    await w.close();
  }
});

test('a receiver that does not answer in time is tried again', async () => {
  const w = await apiWorld();
  const slow = await receiver([200, 200], '/hooks', [1500, 0]);
  try {
    await subscribe(w, {
      id: 'slow',
      url: slow.url,
      events: ['journey.entered'],
      timeoutMs: 300,
    });
    await w.request(
      'POST',
      '/v1/events',
      lumaEvent('LumaCheckoutEvent_Email', 'sarah.miller@luma.example', cart),
    );
    const first = await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/slow/deliveries');
      return r.body.items[0]?.attempts === 1 ? r.body.items[0] : null;
    }, 'the first attempt timed out');
    assert.equal(first.status, 'pending');
    assert.equal(first.lastStatus, null);
    assert.match(first.lastError, /no answer within 300 ms/);
    await w.advance(15_000);
    const done = await until(async () => {
      const r = await w.request('GET', '/v1/webhooks/slow/deliveries');
      return r.body.items[0]?.status === 'delivered' ? r.body.items[0] : null;
    }, 'delivered on the second attempt');
    assert.equal(done.attempts, 2);
  } finally {
    await slow.close();
    await w.close();
  }
});

test('a subscription to a host the sandbox does not allow is refused', async () => {
  const w = await apiWorld();
  try {
    const r = await w.request('POST', '/v1/webhooks', {
      id: 'elsewhere',
      name: 'Elsewhere',
      url: 'https://hooks.example.com/waymark',
      secret: SECRET,
      events: ['*'],
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.issues[0].path, 'url');
    assert.match(r.body.error.issues[0].message, /hooks\.example\.com/);
    assert.equal((await w.request('GET', '/v1/webhooks/elsewhere')).status, 404);
  } finally {
    await w.close();
  }
});
