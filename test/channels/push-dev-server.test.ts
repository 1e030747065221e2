import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { pushConfigurationSchema } from '../../src/model/channel-configuration.ts';
import { createPushTransport, startDevPushServer } from '../../src/channels/push/index.ts';
import type { DevPush } from '../../src/channels/push/index.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';

// The test's servers listen on loopback: the policy lists it, as an operator would (--allow-hosts 127.0.0.1).
const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };

test('the development push providers receive APNs and FCM pushes and verify their keys', async () => {
  const p8 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const sa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const got: DevPush[] = [];
  const dev = await startDevPushServer({ apnsKey: p8, fcmKey: sa, onMessage: (m) => got.push(m) });
  const config = pushConfigurationSchema.parse({
    channel: 'push',
    name: 'DXDemoApp',
    appId: 'com.luma.app',
    apns: {
      keyId: 'ABC123DEFG',
      teamId: 'TEAM123456',
      bundleId: 'com.luma.app',
      p8Key: p8,
      host: dev.apnsUrl,
    },
    fcm: {
      projectId: 'luma-demo',
      baseUrl: dev.fcmUrl,
      serviceAccount: {
        client_email: 'wm@luma-demo.iam.gserviceaccount.com',
        private_key: sa,
        token_uri: dev.tokenUri,
      },
    },
  });
  const t = createPushTransport(config, { outbound: LOOPBACK });
  try {
    const base = { title: 'Hi', body: 'Shipped' };
    assert.equal(
      (await t.send({ ...base, idempotencyKey: 'a', platform: 'apns', deviceToken: 'abc123' }))
        .kind,
      'sent',
    );
    assert.equal(
      (await t.send({ ...base, idempotencyKey: 'b', platform: 'fcm', deviceToken: 'fcm-token-1' }))
        .kind,
      'sent',
    );
    assert.equal(
      (await t.send({ ...base, idempotencyKey: 'c', platform: 'apns', deviceToken: 'invalid-1' }))
        .kind,
      'invalidToken',
    );
    assert.equal(
      (await t.send({ ...base, idempotencyKey: 'd', platform: 'fcm', deviceToken: 'invalid-2' }))
        .kind,
      'invalidToken',
    );
    assert.deepEqual(
      got.map((g) => [g.platform, g.deviceToken]),
      [
        ['apns', 'abc123'],
        ['fcm', 'fcm-token-1'],
      ],
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const forged = createPushTransport(
      { ...config, apns: { ...config.apns!, p8Key: other } },
      { outbound: LOOPBACK },
    );
    assert.equal(
      (await forged.send({ ...base, idempotencyKey: 'e', platform: 'apns', deviceToken: 'abc123' }))
        .kind,
      'failed',
    );
    await forged.close();
  } finally {
    await t.close();
    await dev.close();
  }
});
