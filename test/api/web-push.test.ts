// A browser subscribes to Web Push on the Luma site and gets the lab's abandoned-cart push: the
// site reads the VAPID key, posts the subscription with the visitor's identity (a write key), the
// journey's push activity reaches the browser through its push service, which decrypts the
// personalized notification. When the browser withdraws its permission the push service answers
// 410 and the subscription leaves the profile. Bad subscriptions are refused field by field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import webPush from 'web-push';
import { cart, lumaEvent } from '../support/luma.ts';
import { apiWorld, ROLE_KEYS } from '../support/server.ts';
import { startWebPushService } from '../support/web-push-service.ts';

const VISITOR = 'noor.haddad@luma.example';

test('a browser subscribes, gets the abandoned-cart push decrypted, and an expired subscription leaves the profile', async () => {
  const w = await apiWorld();
  const service = await startWebPushService();
  try {
    const vapid = webPush.generateVAPIDKeys();
    const current = await w.request('GET', '/v1/channel-configurations/DXDemoApp');
    const key = await w.request('GET', '/v1/push/web/DXDemoApp/key');
    assert.equal(key.status, 400, 'no Web Push settings yet');
    assert.match(key.body.error.message, /no Web Push settings/);
    const put = await w.request('PUT', '/v1/channel-configurations/DXDemoApp', {
      ...current.body.spec,
      webPush: { subject: 'mailto:push@luma.example', ...vapid },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const shown = await w.request('GET', '/v1/channel-configurations/DXDemoApp');
    assert.equal(
      shown.body.spec.webPush.privateKey,
      '[redacted]',
      'the private key never comes back',
    );
    assert.deepEqual((await w.request('GET', '/v1/push/web/DXDemoApp/key')).body, {
      publicKey: vapid.publicKey,
      appId: 'com.luma.dxdemoapp',
    });

    // The site subscribes the browser (PushManager.subscribe) and sends the subscription.
    const browser = service.subscribe();
    const subscribe = (body: unknown, headers: Record<string, string> = {}) =>
      w.request('POST', '/v1/push/web/subscriptions', body, headers);
    const valid = {
      namespace: 'Email',
      id: VISITOR,
      configuration: 'DXDemoApp',
      subscription: { endpoint: browser.endpoint, expirationTime: null, keys: browser.keys },
    };
    const viewer = await subscribe(valid, { authorization: `Bearer ${ROLE_KEYS.viewer}` });
    assert.equal(viewer.status, 403, 'a key without events.ingest may not');
    const bad = await subscribe({
      ...valid,
      subscription: { endpoint: 'ftp://push.example/x', keys: { p256dh: 'AAAA', auth: '' } },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.issues.map((i: { path: string }) => i.path).sort(), [
      'body.subscription.endpoint',
      'body.subscription.keys.auth',
      'body.subscription.keys.p256dh',
    ]);
    assert.equal((await subscribe({ ...valid, configuration: 'Nope' })).status, 404);
    assert.equal(
      (await w.request('GET', `/v1/profiles/Email/${VISITOR}`)).status,
      404,
      'nothing written',
    );

    const created = await subscribe(valid);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await subscribe(valid)).status, 201, 'subscribing again renews, not doubles');
    await w.request('PUT', `/v1/profiles/Email/${VISITOR}`, {
      attributes: {
        person: { name: { firstName: 'Noor', lastName: 'Haddad' } },
        mobileApp: { installed: true },
        consents: { marketing: { email: 'y', push: 'y' } },
      },
    });
    const profile = await w.request('GET', `/v1/profiles/Email/${VISITOR}`);
    assert.deepEqual(profile.body.attributes.pushNotificationDetails, [
      { appId: 'com.luma.dxdemoapp', platform: 'web', token: browser.endpoint, keys: browser.keys },
    ]);

    // The lab's journey: a checkout without purchase, a minute later the push.
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', VISITOR, cart));
    await w.advance(61_000);
    assert.deepEqual(service.refused, []);
    assert.equal(service.received.length, 1, 'the push reached the browser');
    assert.equal(service.received[0]!.payload['title'], 'Noor, you left something behind');
    assert.equal(service.received[0]!.vapidKey, vapid.publicKey);
    const [sent] = await w.app.reads.messages('prod', { channel: 'push', limit: 5 });
    assert.equal(sent?.status, 'sent');

    // The visitor revokes the permission: the next push is answered 410 and the entry removed.
    service.expire(browser);
    await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', VISITOR, cart));
    await w.advance(6 * 60_000);
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', VISITOR, cart));
    await w.advance(61_000);
    assert.equal(service.received.length, 1);
    const after = await w.request('GET', `/v1/profiles/Email/${VISITOR}`);
    assert.deepEqual(after.body.attributes.pushNotificationDetails, []);

    // Unsubscribing an unknown visitor is a 404; a known one answers whether anything went.
    const unknown = await w.request('POST', '/v1/push/web/unsubscribe', {
      namespace: 'Email',
      id: 'nobody@luma.example',
      configuration: 'DXDemoApp',
      endpoint: browser.endpoint,
    });
    assert.equal(unknown.status, 404);
    const again = service.subscribe();
    await subscribe({ ...valid, subscription: { endpoint: again.endpoint, keys: again.keys } });
    const gone = await w.request('POST', '/v1/push/web/unsubscribe', {
      namespace: 'Email',
      id: VISITOR,
      configuration: 'DXDemoApp',
      endpoint: again.endpoint,
    });
    assert.deepEqual(gone.body, { removed: true });
  } finally {
    await service.close();
    await w.close();
  }
});
