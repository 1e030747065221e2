// Bounces and complaints from email providers' signed webhooks: a SendGrid bounce of a journey's
// email puts the address on the suppression list (reason, source), marks it on the profile and the
// message; the next send to it is excluded with that reason. A forged signature changes nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { test } from 'node:test';
import { mailgunSignature } from '../../src/channels/email/index.ts';
import { vonageSignature } from '../../src/channels/sms/index.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { startSendgridServer } from '../support/provider-servers.ts';
import { apiWorld, ROLE_KEYS } from '../support/server.ts';

const SG_KEY = 'SG.scenario-key.0123456789';

test('a SendGrid bounce suppresses the address; the next journey send to it is excluded with the reason; a forged one changes nothing', async () => {
  const w = await apiWorld();
  const sg = await startSendgridServer(SG_KEY);
  try {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const current = await w.request('GET', '/v1/channel-configurations/EmailMarketing');
    const { smtp: _smtp, ...spec } = current.body.spec;
    const put = await w.request('PUT', '/v1/channel-configurations/EmailMarketing', {
      ...spec,
      provider: 'sendgrid',
      sendgrid: {
        apiKey: SG_KEY,
        baseUrl: sg.url,
        webhookPublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const shown = await w.request('GET', '/v1/channel-configurations/EmailMarketing');
    assert.equal(shown.body.spec.sendgrid.apiKey, '[redacted]', 'the API key never comes back');

    const email = 'jean.dupont@luma.example';
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    assert.equal(sg.received.length, 1, 'the abandoned-cart email went through SendGrid');
    const [sent] = await w.app.reads.messages('prod', { channel: 'email', limit: 5 });
    assert.equal(sent?.status, 'sent');
    assert.match(
      String((sent?.payload as { providerMessageId?: string }).providerMessageId),
      /^SG/,
    );

    const url = '/webhooks/sendgrid/prod/EmailMarketing/events';
    const events = JSON.stringify([
      {
        email,
        timestamp: Math.floor(w.clock.now() / 1000),
        event: 'bounce',
        type: 'bounce',
        status: '5.1.1',
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
        sg_event_id: 'ZGVsaXZlcmVkLTAtMjQ',
        sg_message_id: `${(sent!.payload as { providerMessageId: string }).providerMessageId}.filter0001`,
        waymark_message_id: sent!.id,
      },
    ]);
    const post = (signature: string, timestamp = String(Math.floor(w.clock.now() / 1000))) =>
      w.server.inject({
        method: 'POST',
        url,
        payload: events,
        headers: {
          'content-type': 'application/json',
          'x-twilio-email-event-webhook-signature': signature,
          'x-twilio-email-event-webhook-timestamp': timestamp,
        },
      });
    const ts = String(Math.floor(w.clock.now() / 1000));
    const good = sign('sha256', Buffer.from(ts + events), privateKey).toString('base64');
    const forger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

    // Forged: signed with another key, or a good signature over another timestamp.
    assert.equal(
      (await post(sign('sha256', Buffer.from(ts + events), forger).toString('base64'))).statusCode,
      403,
    );
    assert.equal((await post(good, String(Number(ts) - 1))).statusCode, 403);
    assert.deepEqual((await w.request('GET', '/v1/suppressions')).body.items, []);
    assert.equal((await w.app.reads.messageById('prod', sent!.id))?.status, 'sent');

    assert.equal((await post(good, ts)).statusCode, 204);
    const list = await w.request('GET', '/v1/suppressions?search=DUPONT');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((i: Record<string, unknown>) => [
        i.channel,
        i.address,
        i.reason,
        i.source,
      ]),
      [['email', email, 'hard_bounce', 'sendgrid']],
    );
    const bounced = await w.app.reads.messageById('prod', sent!.id);
    assert.equal(bounced?.status, 'bounced');
    assert.match(bounced?.reason ?? '', /^sendgrid hard bounce: 5\.1\.1 550/);
    const profile = await w.request('GET', `/v1/profiles/Email/${email}`);
    assert.equal(profile.body.attributes.undeliverable.email['jean_dupont@luma_example'], true);
    const feedback = await w.request('GET', `/v1/profiles/Email/${email}/events`);
    assert.ok(
      JSON.stringify(feedback.body).includes('message.bounced'),
      'the bounce is on the profile as a feedback event',
    );

    // The next abandoned cart (after the first journey run ended with a purchase): excluded with
    // the suppression's reason, nothing sent; the report counts the exclusion by that reason.
    await w.request('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', email, cart));
    await w.advance(6 * 60_000);
    const before = sg.received.length;
    await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
    await w.advance(61_000);
    assert.equal(sg.received.length, before, 'nothing more went to SendGrid');
    const logged = await w.app.reads.messages('prod', { channel: 'email', limit: 10 });
    const latest = logged.filter((m) => m.node === 'abandoned-email').at(-1);
    const confirmation = logged.find((m) => m.node === 'confirmation');
    assert.equal(confirmation?.reason, 'suppressed: hard_bounce', 'transactional mail too');
    assert.notEqual(latest?.id, sent!.id);
    assert.equal(latest?.status, 'excluded');
    assert.equal(latest?.reason, 'suppressed: hard_bounce');
    assert.equal(
      (latest?.payload as { suppression?: { source?: string } }).suppression?.source,
      'sendgrid',
    );

    const report = (await w.request('GET', '/v1/journeys/purchase-journey/report')).body;
    const abandoned = report.versions[0].activities.find(
      (a: { id: string }) => a.id === 'abandoned-email',
    ).messages;
    assert.equal(abandoned.bounced, 1);
    assert.deepEqual(abandoned.excludedBy, { 'suppressed: hard_bounce': 1 });

    // Taken off the list by hand (a viewer may not): the address is sendable again.
    const viewer = await w.request('DELETE', `/v1/suppressions/email/${email}`, undefined, {
      authorization: `Bearer ${ROLE_KEYS.viewer}`,
    });
    assert.equal(viewer.status, 403);
    assert.equal((await w.request('DELETE', `/v1/suppressions/email/${email}`)).status, 204);
    assert.equal((await w.request('DELETE', `/v1/suppressions/email/${email}`)).status, 404);
    assert.deepEqual((await w.request('GET', '/v1/suppressions')).body.items, []);
  } finally {
    await sg.close();
    await w.close();
  }
});

test('a Mailgun complaint suppresses the address and withdraws marketing consent; an entry added by hand shows its reason', async () => {
  const w = await apiWorld();
  try {
    const signingKey = `mg-${randomBytes(8).toString('hex')}`;
    const created = await w.request('POST', '/v1/channel-configurations', {
      channel: 'email',
      name: 'LumaMailgun',
      fromAddress: 'news@luma.example',
      provider: 'mailgun',
      mailgun: {
        apiKey: 'key-0123',
        domain: 'mg.luma.example',
        baseUrl: 'http://127.0.0.1:9',
        webhookSigningKey: signingKey,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const email = 'tom.baker@luma.example';
    await w.request('PUT', `/v1/profiles/Email/${email}`, {
      attributes: { consents: { marketing: { email: 'y' } } },
    });
    const timestamp = String(Math.floor(w.clock.now() / 1000));
    const token = randomBytes(25).toString('hex');
    const body = (signature: string) => ({
      signature: { timestamp, token, signature },
      'event-data': { event: 'complained', recipient: email, timestamp: Number(timestamp) },
    });
    const post = (payload: unknown) =>
      w.server.inject({
        method: 'POST',
        url: '/webhooks/mailgun/prod/LumaMailgun/events',
        payload: JSON.stringify(payload),
        headers: { 'content-type': 'application/json' },
      });
    assert.equal((await post(body('0'.repeat(64)))).statusCode, 403);
    assert.equal(
      (await post(body(mailgunSignature(signingKey, timestamp, token)))).statusCode,
      200,
    );
    const [entry] = (await w.request('GET', '/v1/suppressions')).body.items;
    assert.deepEqual([entry.address, entry.reason, entry.source], [email, 'complaint', 'mailgun']);
    const profile = await w.request('GET', `/v1/profiles/Email/${email}`);
    assert.equal(profile.body.attributes.consents.marketing.email, 'n');

    const bad = await w.request('POST', '/v1/suppressions', { address: 'not an address' });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /address/);
    const added = await w.request('POST', '/v1/suppressions', {
      address: 'Kate.Moss@Luma.example',
      detail: 'asked by phone',
    });
    assert.equal(added.status, 201);
    assert.deepEqual(
      [added.body.address, added.body.reason, added.body.source],
      ['kate.moss@luma.example', 'manual', 'operator:admin'],
    );
  } finally {
    await w.close();
  }
});

test('a signed Vonage delivery receipt moves the SMS to delivered; an unsigned or altered one is refused', async () => {
  const w = await apiWorld();
  try {
    const created = await w.request('POST', '/v1/channel-configurations', {
      channel: 'sms',
      name: 'LumaVonage',
      provider: 'vonage',
      vonage: {
        apiKey: 'abcd1234',
        apiSecret: 'vonage-secret',
        from: 'Luma',
        signatureSecret: 'vonage-signature-secret',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const shown = await w.request('GET', '/v1/channel-configurations/LumaVonage');
    assert.equal(shown.body.spec.vonage.apiSecret, '[redacted]');
    assert.equal(shown.body.spec.vonage.signatureSecret, '[redacted]');
    const now = w.clock.now();
    // Seeding the delivery log as a send would have left it.
    await w.store.commit({
      messages: [
        {
          id: 'sms-vonage-1',
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
          payload: { providerMessageId: '1A0000000000001' },
          createdAt: now,
          updatedAt: now,
        },
      ],
    });
    const receipt: Record<string, string> = {
      msisdn: '14155550100',
      to: 'Luma',
      messageId: '1A0000000000001',
      status: 'delivered',
      'err-code': '0',
      'api-key': 'abcd1234',
      'client-ref': 'sms-vonage-1',
      timestamp: String(Math.floor(now / 1000)),
      nonce: 'n-1',
    };
    const signed = { ...receipt, sig: vonageSignature('vonage-signature-secret', receipt) };
    const get = (q: Record<string, string>) =>
      w.server.inject({
        method: 'GET',
        url: `/webhooks/vonage/prod/LumaVonage/receipts?${new URLSearchParams(q).toString()}`,
      });
    assert.equal((await get(receipt)).statusCode, 403, 'unsigned');
    assert.equal((await get({ ...signed, status: 'failed' })).statusCode, 403, 'altered');
    assert.equal((await w.app.reads.messageById('prod', 'sms-vonage-1'))?.status, 'sent');
    const json = await w.server.inject({
      method: 'POST',
      url: '/webhooks/vonage/prod/LumaVonage/receipts',
      payload: JSON.stringify(signed),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(json.statusCode, 204);
    assert.equal((await w.app.reads.messageById('prod', 'sms-vonage-1'))?.status, 'delivered');
  } finally {
    await w.close();
  }
});
