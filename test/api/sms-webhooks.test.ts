// SMS keywords: a STOP from the person's phone withdraws SMS consent, START gives it back; the
// webhook only believes requests signed with the account's auth token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { twilioSignature } from '../../src/channels/sms/index.ts';
import { PUBLIC_URL } from '../support/luma.ts';
import { putPhoneProfile } from '../support/profiles.ts';
import { apiWorld } from '../support/server.ts';

test("STOP and START from a phone change its profile's SMS consent; forged requests are refused", async () => {
  const w = await apiWorld();
  try {
    const sms = w.providers.smsSettings;
    assert.equal(
      (
        await w.request('POST', '/v1/channel-configurations', {
          channel: 'sms',
          name: 'LumaSms',
          twilio: sms,
        })
      ).status,
      201,
    );
    const stored = await w.request('GET', '/v1/channel-configurations/LumaSms');
    assert.equal(
      stored.body.spec.twilio.authToken,
      '[redacted]',
      'the auth token never comes back',
    );
    await putPhoneProfile(w, 'tom.baker@luma.example', '+14155550100');

    const url = '/webhooks/twilio/prod/LumaSms/inbound';
    const send = async (body: string, signature?: string) => {
      const params = new URLSearchParams({
        MessageSid: `SM${Math.random().toString(16).slice(2)}`,
        AccountSid: sms.accountSid,
        From: '+14155550100',
        To: sms.from,
        Body: body,
      });
      return w.server.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature':
            signature ?? twilioSignature(sms.authToken, `${PUBLIC_URL}${url}`, params),
        },
      });
    };
    const consent = async () =>
      (await w.request('GET', '/v1/profiles/Email/tom.baker@luma.example')).body.attributes.consents
        ?.marketing?.sms;

    assert.equal((await send('stop')).statusCode, 200);
    assert.equal(await consent(), 'n');
    assert.equal((await send('START')).statusCode, 200);
    assert.equal(await consent(), 'y');
    assert.equal((await send('STOP', 'forged')).statusCode, 403);
    assert.equal(await consent(), 'y');

    // A delivery receipt moves the log from sent to delivered.
    const now = w.clock.now();
    await w.store.commit({
      messages: [
        {
          id: 'sms-1',
          sandbox: 'prod',
          journeyId: null,
          version: null,
          node: null,
          label: 'Reminder',
          instanceId: null,
          profileId: 'p',
          channel: 'sms',
          recipient: '+14155550100',
          status: 'sent',
          reason: null,
          subject: null,
          body: 'hi',
          text: 'hi',
          payload: { providerMessageId: 'SMabc' },
          createdAt: now,
          updatedAt: now,
        },
      ],
    });
    const statusUrl = '/webhooks/twilio/prod/LumaSms/status';
    const receipt = new URLSearchParams({
      MessageSid: 'SMabc',
      MessageStatus: 'delivered',
      AccountSid: sms.accountSid,
    });
    const r = await w.server.inject({
      method: 'POST',
      url: statusUrl,
      payload: receipt.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(sms.authToken, `${PUBLIC_URL}${statusUrl}`, receipt),
      },
    });
    assert.equal(r.statusCode, 204);
    const [logged] = await w.app.reads.messages('prod', { channel: 'sms', limit: 5 });
    assert.equal(logged?.status, 'delivered');
  } finally {
    await w.close();
  }
});
