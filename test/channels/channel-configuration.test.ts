import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  channelConfigurationSchema,
  channelSecretPaths,
} from '../../src/model/channel-configuration.ts';
import { createChannelTransport, outcomeOf } from '../../src/channels/index.ts';
import { startDevSmtpServer } from '../../src/channels/email/index.ts';
import type { DevMail } from '../../src/channels/email/index.ts';

const p8 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

describe('channel configurations', () => {
  test("the lab's EmailMarketing gets its defaults", () => {
    const c = channelConfigurationSchema.parse({
      channel: 'email',
      name: 'EmailMarketing',
      fromName: 'Luma',
      fromAddress: 'news@luma.example',
      smtp: { host: '127.0.0.1', port: 2525, secure: 'none' },
    });
    assert.equal(c.channel, 'email');
    if (c.channel !== 'email') return;
    assert.deepEqual(c.tracking, { opens: true, clicks: true });
    assert.deepEqual(c.listUnsubscribe, { enabled: true });
    assert.deepEqual(c.smtp!.pool, { maxConnections: 5, maxMessages: 100 });
    assert.equal(c.smtp!.rejectUnauthorized, true);
  });

  test("the lab's DXDemoApp (APNs) validates its keys; push needs APNs or FCM", () => {
    const ok = channelConfigurationSchema.safeParse({
      channel: 'push',
      name: 'DXDemoApp',
      appId: 'com.luma.app',
      apns: { keyId: 'ABC123DEFG', teamId: 'TEAM123456', bundleId: 'com.luma.app', p8Key: p8 },
    });
    assert.equal(ok.success, true);
    if (ok.success && ok.data.channel === 'push')
      assert.equal(ok.data.apns?.host, 'https://api.push.apple.com');
    assert.equal(
      channelConfigurationSchema.safeParse({ channel: 'push', name: 'X', appId: 'a' }).success,
      false,
    );
    assert.equal(
      channelConfigurationSchema.safeParse({
        channel: 'push',
        name: 'X',
        appId: 'a',
        apns: { keyId: 'short', teamId: 'TEAM123456', bundleId: 'b', p8Key: p8 },
      }).success,
      false,
    );
  });

  test('SMS needs a Twilio account SID, token and a sender', () => {
    assert.equal(
      channelConfigurationSchema.safeParse({
        channel: 'sms',
        name: 'S',
        twilio: { accountSid: 'AC1', authToken: 't', from: '+14155550100' },
      }).success,
      false,
    );
    assert.equal(
      channelConfigurationSchema.safeParse({
        channel: 'sms',
        name: 'S',
        twilio: { accountSid: `AC${'f'.repeat(32)}`, authToken: 't', from: '555' },
      }).success,
      true,
      'alphanumeric sender',
    );
    assert.deepEqual(channelSecretPaths.sms, [
      'twilio.authToken',
      'vonage.apiSecret',
      'vonage.signatureSecret',
    ]);
  });

  test('createChannelTransport builds a working transport from a configuration', async () => {
    const got: DevMail[] = [];
    const dev = await startDevSmtpServer({
      port: 0,
      closeTimeoutMs: 200,
      onMessage: (m) => got.push(m),
    });
    const config = channelConfigurationSchema.parse({
      channel: 'email',
      name: 'EmailMarketing',
      fromAddress: 'news@luma.example',
      smtp: { host: '127.0.0.1', port: dev.port, secure: 'none' },
    });
    const t = createChannelTransport(config, {
      outbound: { allowHosts: [`127.0.0.1:${dev.port}`] },
    });
    assert.equal(t.channel, 'email');
    if (t.channel === 'email') {
      const r = await t.transport.send({
        idempotencyKey: 'k1',
        from: { address: 'news@luma.example' },
        to: { address: 'a@example.com' },
        subject: 's',
        html: '<p>h</p>',
      });
      assert.equal(outcomeOf(r), 'sent');
    }
    await t.transport.close();
    await dev.close();
    assert.equal(got.length, 1);
  });
});
