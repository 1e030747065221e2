// SendGrid and Mailgun adapters against local servers speaking their real APIs (auth, request
// format, answers and error codes), and the verification of their signed webhooks with real keys.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  createMailgunTransport,
  createSendgridTransport,
  mailgunSignature,
  parseMailgunEvent,
  parseSendgridEvents,
  verifyMailgunSignature,
  verifySendgridSignature,
} from '../../src/channels/email/index.ts';
import { createChannelTransport } from '../../src/channels/index.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';
import type { EmailMessage } from '../../src/channels/ports.ts';
import {
  channelConfigurationSchema,
  emailConfigurationSchema,
  type EmailConfiguration,
} from '../../src/model/channel-configuration.ts';
import {
  startMailgunServer,
  startSendgridServer,
  type ProviderServer,
} from '../support/provider-servers.ts';

const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };
const SG_KEY = 'SG.test-key.0123456789';
const MG_KEY = 'key-0123456789abcdef';
const DOMAIN = 'mg.luma.example';

const message = (to = 'jean.dupont@luma.example'): EmailMessage => ({
  idempotencyKey: 'msg-0001',
  from: { address: 'news@luma.example', name: 'Luma' },
  to: { address: to },
  subject: 'Your cart misses you',
  html: '<p>Hello <b>Jean</b></p>',
  text: 'Hello Jean',
  listUnsubscribe: { url: 'https://waymark.example/t/u/abc' },
});

const configFor = (provider: 'sendgrid' | 'mailgun', baseUrl: string): EmailConfiguration =>
  emailConfigurationSchema.parse({
    channel: 'email',
    name: 'Provider',
    fromAddress: 'news@luma.example',
    replyTo: { address: 'support@luma.example' },
    provider,
    ...(provider === 'sendgrid'
      ? { sendgrid: { apiKey: SG_KEY, baseUrl } }
      : { mailgun: { apiKey: MG_KEY, domain: DOMAIN, baseUrl } }),
  });

describe('email provider configurations', () => {
  test('the chosen provider needs its settings; the error names where and what', () => {
    const r = channelConfigurationSchema.safeParse({
      channel: 'email',
      name: 'X',
      fromAddress: 'a@b.example',
      provider: 'sendgrid',
    });
    assert.equal(r.success, false);
    const issue = r.error!.issues.find((i) => i.path.join('.') === 'sendgrid');
    assert.match(issue!.message, /provider is "sendgrid": give its settings in "sendgrid"/);
    const old = channelConfigurationSchema.parse({
      channel: 'email',
      name: 'X',
      fromAddress: 'a@b.example',
      smtp: { host: 'smtp.example.com' },
    });
    assert.equal(
      old.channel === 'email' && old.provider,
      'smtp',
      'stored SMTP configurations stay valid',
    );
  });
});

describe('SendGrid v3 Mail Send', () => {
  let sg: ProviderServer;
  before(async () => {
    sg = await startSendgridServer(SG_KEY);
  });
  after(() => sg.close());

  test('sends with the Bearer key and the API body; 202 gives the X-Message-Id', async () => {
    const config = configFor('sendgrid', sg.url);
    const t = createChannelTransport(config, { outbound: LOOPBACK });
    assert.equal(t.channel, 'email');
    const r = await t.transport.send(message());
    assert.equal(r.kind, 'sent');
    assert.match(r.kind === 'sent' ? r.messageId : '', /^SG\d{6}xYzAbC$/);
    const req = sg.received.at(-1)!;
    assert.equal(req.headers.authorization, `Bearer ${SG_KEY}`);
    const body = JSON.parse(req.body);
    assert.deepEqual(body.personalizations, [{ to: [{ email: 'jean.dupont@luma.example' }] }]);
    assert.deepEqual(body.from, { email: 'news@luma.example', name: 'Luma' });
    assert.deepEqual(body.reply_to, { email: 'support@luma.example' });
    assert.deepEqual(
      body.content.map((c: { type: string }) => c.type),
      ['text/plain', 'text/html'],
    );
    assert.equal(body.custom_args.waymark_message_id, 'msg-0001');
    assert.equal(body.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
  });

  test('401 is a permanent failure of the configuration; the key is never in the words', async () => {
    const t = createSendgridTransport(
      configFor('sendgrid', sg.url),
      {
        apiKey: 'SG.wrong',
        baseUrl: sg.url,
      },
      { outbound: LOOPBACK },
    );
    const r = await t.send(message());
    assert.equal(r.kind, 'failed');
    assert.match(
      r.kind === 'failed' ? r.message : '',
      /HTTP 401: SendGrid: The provided authorization grant is invalid/,
    );
    assert.ok(!JSON.stringify(r).includes('SG.wrong'));
  });

  test('400 names the field; 429 is retried after the Retry-After; 5xx is retried', async () => {
    const t = createSendgridTransport(
      configFor('sendgrid', sg.url),
      configFor('sendgrid', sg.url).sendgrid!,
      {
        outbound: LOOPBACK,
      },
    );
    const bad = await t.send(message('not-an-address'));
    assert.equal(bad.kind, 'failed');
    assert.match(
      bad.kind === 'failed' ? bad.message : '',
      /personalizations\.0\.to\.0\.email: Does not contain a valid address/,
    );
    sg.failNext(429);
    const limited = await t.send(message());
    assert.deepEqual(
      limited.kind === 'temporaryFailure' ? [limited.code, limited.retryAfterMs] : limited,
      [429, 7000],
    );
    sg.failNext(503);
    const down = await t.send(message());
    assert.equal(down.kind, 'temporaryFailure');
  });

  test('a server that does not answer is a temporary failure; a host outside the policy a permanent one', async () => {
    const closed = await startSendgridServer(SG_KEY);
    const url = closed.url;
    await closed.close();
    const t = createSendgridTransport(
      configFor('sendgrid', url),
      { apiKey: SG_KEY, baseUrl: url },
      {
        outbound: LOOPBACK,
      },
    );
    const r = await t.send(message());
    assert.equal(r.kind, 'temporaryFailure');
    assert.equal(r.kind === 'temporaryFailure' ? r.message : '', 'SendGrid could not be reached');
    const refused = await createSendgridTransport(
      configFor('sendgrid', sg.url),
      { apiKey: SG_KEY, baseUrl: sg.url },
      { outbound: { allowHosts: [] } },
    ).send(message());
    assert.equal(refused.kind, 'failed');
  });
});

describe('Mailgun Messages API', () => {
  let mg: ProviderServer;
  before(async () => {
    mg = await startMailgunServer(MG_KEY, DOMAIN);
  });
  after(() => mg.close());

  test('sends multipart/form-data with basic auth api:key; the answer gives the message id', async () => {
    const t = createChannelTransport(configFor('mailgun', mg.url), { outbound: LOOPBACK });
    const r = t.channel === 'email' ? await t.transport.send(message()) : null;
    assert.equal(r?.kind, 'sent');
    assert.match(r?.kind === 'sent' ? r.messageId : '', /^<20261204\d{6}\.1@mg\.luma\.example>$/);
    const req = mg.received.at(-1)!;
    assert.equal(
      req.headers.authorization,
      `Basic ${Buffer.from(`api:${MG_KEY}`).toString('base64')}`,
    );
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: req.body,
    }).formData();
    assert.equal(form.get('from'), '"Luma" <news@luma.example>');
    assert.equal(form.get('to'), 'jean.dupont@luma.example');
    assert.equal(form.get('subject'), 'Your cart misses you');
    assert.equal(form.get('html'), '<p>Hello <b>Jean</b></p>');
    assert.equal(form.get('v:waymark_message_id'), 'msg-0001');
    assert.equal(form.get('h:Reply-To'), 'support@luma.example');
    assert.match(String(form.get('h:Message-Id')), /^<[0-9a-f]{40}@mg\.luma\.example>$/);
  });

  test('401 and 400 are permanent; 429 and 5xx are retried', async () => {
    const wrong = createMailgunTransport(
      configFor('mailgun', mg.url),
      { apiKey: 'key-wrong', domain: DOMAIN, baseUrl: mg.url },
      { outbound: LOOPBACK },
    );
    const denied = await wrong.send(message());
    assert.deepEqual(denied, { kind: 'failed', message: 'HTTP 401: Mailgun: Forbidden' });
    const t = createMailgunTransport(
      configFor('mailgun', mg.url),
      configFor('mailgun', mg.url).mailgun!,
      {
        outbound: LOOPBACK,
      },
    );
    const bad = await t.send(message('nobody'));
    assert.match(bad.kind === 'failed' ? bad.message : '', /'to' parameter is not a valid address/);
    mg.failNext(429);
    const limited = await t.send(message());
    assert.deepEqual(
      limited.kind === 'temporaryFailure' ? [limited.code, limited.retryAfterMs] : limited,
      [429, 3000],
    );
    mg.failNext(500);
    assert.equal((await t.send(message())).kind, 'temporaryFailure');
  });
});

describe('signed webhooks', () => {
  test('SendGrid: an ECDSA P-256 signature over timestamp + body verifies with the public key; anything altered does not', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const now = Date.UTC(2026, 11, 4, 12);
    const ts = String(Math.floor(now / 1000));
    const body = Buffer.from(
      JSON.stringify([
        {
          email: 'a@luma.example',
          event: 'bounce',
          type: 'bounce',
          status: '5.1.1',
          reason: '550 5.1.1 no such user',
          waymark_message_id: 'm1',
        },
        { email: 'b@luma.example', event: 'spamreport' },
        { email: 'c@luma.example', event: 'open' },
      ]),
    );
    const signature = sign('sha256', Buffer.concat([Buffer.from(ts), body]), privateKey).toString(
      'base64',
    );
    assert.equal(verifySendgridSignature(publicBase64, body, signature, ts, now), true);
    assert.equal(
      verifySendgridSignature(
        publicBase64,
        Buffer.from(body.toString().replace('bounce', 'delivered')),
        signature,
        ts,
        now,
      ),
      false,
      'a changed body',
    );
    assert.equal(
      verifySendgridSignature(publicBase64, body, signature, String(Number(ts) + 1), now),
      false,
    );
    assert.equal(
      verifySendgridSignature(publicBase64, body, signature, ts, now + 60 * 60_000),
      false,
      'an old capture',
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    assert.equal(
      verifySendgridSignature(
        other.export({ format: 'der', type: 'spki' }).toString('base64'),
        body,
        signature,
        ts,
        now,
      ),
      false,
      'another key',
    );
    assert.deepEqual(parseSendgridEvents(JSON.parse(body.toString())), [
      {
        kind: 'bounced',
        severity: 'hard',
        address: 'a@luma.example',
        messageId: 'm1',
        detail: '5.1.1 550 5.1.1 no such user',
      },
      { kind: 'complained', address: 'b@luma.example', messageId: null, detail: 'spam report' },
    ]);
  });

  test('Mailgun: HMAC-SHA256 of timestamp + token with the signing key', () => {
    const key = 'mailgun-signing-key-0123';
    const now = Date.UTC(2026, 11, 4, 12);
    const timestamp = String(Math.floor(now / 1000));
    const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0';
    const signature = mailgunSignature(key, timestamp, token);
    assert.equal(verifyMailgunSignature(key, { timestamp, token, signature }, now), true);
    assert.equal(verifyMailgunSignature('other-key', { timestamp, token, signature }, now), false);
    assert.equal(
      verifyMailgunSignature(key, { timestamp, token: `${token}x`, signature }, now),
      false,
    );
    assert.equal(
      verifyMailgunSignature(key, { timestamp, token, signature }, now + 3_600_000),
      false,
    );
    assert.deepEqual(
      parseMailgunEvent({
        signature: { timestamp, token, signature },
        'event-data': {
          event: 'failed',
          severity: 'permanent',
          recipient: 'a@luma.example',
          reason: 'bounce',
          'delivery-status': { code: 550, message: '5.1.1 The email account does not exist' },
          'user-variables': { waymark_message_id: 'm2' },
        },
      }),
      {
        kind: 'bounced',
        severity: 'hard',
        address: 'a@luma.example',
        messageId: 'm2',
        detail: '550 5.1.1 The email account does not exist bounce',
      },
    );
    assert.equal(
      parseMailgunEvent({ 'event-data': { event: 'opened', recipient: 'a@x.example' } }),
      'ignored',
    );
  });
});

test('a redacted API key sent back is kept only while its destination is unchanged', async () => {
  const { changedDestinations } = await import('../../src/runtime/secret-destinations.ts');
  const stored = {
    channel: 'email',
    provider: 'sendgrid',
    sendgrid: { apiKey: 'enc', baseUrl: 'https://api.sendgrid.com' },
  };
  const moved = { ...stored, sendgrid: { apiKey: '[redacted]', baseUrl: 'https://evil.example' } };
  assert.deepEqual(changedDestinations('channelConfiguration', 'sendgrid.apiKey', stored, moved), [
    'sendgrid.baseUrl',
  ]);
  assert.deepEqual(
    changedDestinations('channelConfiguration', 'sendgrid.apiKey', stored, {
      ...stored,
      sendgrid: { apiKey: '[redacted]', baseUrl: 'https://api.sendgrid.com' },
    }),
    [],
  );
});

test('a configuration stored before providers existed (no provider field) still sends over SMTP', async () => {
  const stored = {
    ...emailConfigurationSchema.parse({
      channel: 'email',
      name: 'Old',
      fromAddress: 'news@luma.example',
      smtp: { host: '127.0.0.1', port: 2525, secure: 'none' },
    }),
    provider: undefined,
  } as unknown as EmailConfiguration;
  const t = createChannelTransport(stored, { outbound: LOOPBACK });
  assert.equal(t.channel, 'email');
  assert.equal(typeof t.transport.send, 'function');
  await t.transport.close();
});
