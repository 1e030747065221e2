// Web Push to browsers against a local push service that checks what a real one checks (VAPID
// signature and claims, TTL, aes128gcm) and decrypts with the browser's keys: what the service
// worker would receive, a gone subscription reported for removal, a busy service retried, a host
// the sandbox does not allow refused before any connection.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import webPush from 'web-push';
import { createPushTransport, createWebPushTransport } from '../../src/channels/push/index.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';
import type { PushMessage, PushTransport } from '../../src/channels/ports.ts';
import {
  channelConfigurationSchema,
  pushConfigurationSchema,
} from '../../src/model/channel-configuration.ts';
import {
  startWebPushService,
  type Subscriber,
  type WebPushService,
} from '../support/web-push-service.ts';
import { runPushTransportContract } from './push-contract.ts';

const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };
const vapid = webPush.generateVAPIDKeys();
const settings = { subject: 'mailto:push@luma.example', ...vapid };

let service: WebPushService;
let transport: PushTransport;
const subscribers = new Map<string, Subscriber>();
const subscriber = (): Subscriber => {
  const s = service.subscribe();
  subscribers.set(s.endpoint, s);
  return s;
};
const keysOf = (token: string): Partial<PushMessage> => {
  const s = subscribers.get(token);
  return s ? { webPushKeys: s.keys } : {};
};
const message = (s: Subscriber, extra: Partial<PushMessage> = {}): PushMessage => ({
  idempotencyKey: 'web-1',
  platform: 'webpush',
  deviceToken: s.endpoint,
  webPushKeys: s.keys,
  title: 'Your cart misses you',
  body: 'The Didi Sport Watch is still in your cart, Ana.',
  data: { url: 'https://luma.example/cart' },
  ...extra,
});

before(async () => {
  service = await startWebPushService();
  transport = createWebPushTransport(settings, { outbound: LOOPBACK });
});
after(async () => {
  await transport.close();
  await service.close();
});

describe('web push', () => {
  let valid: Subscriber;
  let dead: Subscriber;
  let busy: Subscriber;
  before(() => {
    valid = subscriber();
    dead = subscriber();
    service.expire(dead);
    busy = subscriber();
    service.busy(busy, 1_000);
  });
  runPushTransportContract('Web Push', () => ({
    transport,
    platform: 'webpush',
    validToken: valid.endpoint,
    deadToken: dead.endpoint,
    busyToken: busy.endpoint,
    extra: keysOf,
  }));

  test('the browser decrypts the notification; the request is VAPID-signed with our key and carries the TTL and topic', async () => {
    const s = subscriber();
    const r = await transport.send(message(s, { ttlSeconds: 3600, collapseKey: 'cart-reminder' }));
    assert.equal(r.kind, 'sent');
    assert.match(r.kind === 'sent' ? r.providerMessageId : '', /\/message\/m\d+$/);
    const got = service.received.at(-1)!;
    assert.deepEqual(got.payload, {
      title: 'Your cart misses you',
      body: 'The Didi Sport Watch is still in your cart, Ana.',
      data: { url: 'https://luma.example/cart' },
      tag: 'cart-reminder',
    });
    assert.equal(got.vapidKey, vapid.publicKey);
    assert.equal(got.subject, 'mailto:push@luma.example');
    assert.equal(got.ttl, 3600);
    assert.equal(got.topic, 'cart-reminder');
    assert.deepEqual(service.refused, []);
  });

  test('a subscription without keys, or with keys that are not a P-256 point, is dead (remove it), not retried', async () => {
    const s = subscriber();
    const noKeys = await transport.send({ ...message(s), webPushKeys: undefined });
    assert.equal(noKeys.kind, 'invalidToken');
    const badKeys = await transport.send(
      message(s, { webPushKeys: { p256dh: 'AAAA', auth: s.keys.auth } }),
    );
    assert.equal(badKeys.kind, 'invalidToken');
    assert.match(badKeys.kind === 'invalidToken' ? badKeys.reason : '', /subscription/);
  });

  test('a push service the sandbox does not allow is refused before any connection', async () => {
    const closed = createWebPushTransport(settings, { outbound: { allowHosts: [] } });
    const before = service.received.length;
    const r = await closed.send(message(subscriber()));
    assert.equal(r.kind, 'failed');
    assert.match(r.kind === 'failed' ? r.reason : '', /outbound policy/);
    assert.equal(service.received.length, before);
  });

  test('a push configuration sends web subscriptions through Web Push and says when it has no such settings', async () => {
    const config = pushConfigurationSchema.parse({
      channel: 'push',
      name: 'LumaWeb',
      appId: 'luma.example',
      webPush: settings,
    });
    const t = createPushTransport(config, { outbound: LOOPBACK });
    assert.equal((await t.send(message(subscriber()))).kind, 'sent');
    const android = await t.send({ ...message(subscriber()), platform: 'fcm' });
    assert.deepEqual(android, { kind: 'failed', reason: 'LumaWeb has no fcm settings' });
    await t.close();
  });

  test('settings are checked: a contact that is not mailto:/https:, keys not in base64url', () => {
    const r = channelConfigurationSchema.safeParse({
      channel: 'push',
      name: 'LumaWeb',
      appId: 'luma.example',
      webPush: { subject: 'push@luma.example', publicKey: 'not base64!', privateKey: 'x' },
    });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['webPush.publicKey', 'webPush.subject']);
  });
});
