import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  twilioSettingsSchema,
  smsConfigurationSchema,
} from '../../src/model/channel-configuration.ts';
import {
  createTwilioTransport,
  parseInboundKeyword,
  verifyTwilioSignature,
  twilioSignature,
  parseTwilioInbound,
  parseTwilioStatusCallback,
  startDevSmsServer,
} from '../../src/channels/sms/index.ts';
import type { SmsMessage } from '../../src/channels/ports.ts';
import type { DevSms } from '../../src/channels/sms/index.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';

// The test's servers listen on loopback: the policy lists it, as an operator would (--allow-hosts 127.0.0.1).
const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'twilio-auth-token';
const received: URLSearchParams[] = [];

// A local server speaking the Twilio Messages API (basic auth, form body, Twilio-shaped answers).
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString('utf8');
  });
  req.on('end', () => {
    const send = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    };
    if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
      send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      return;
    }
    if (
      req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`
    ) {
      send(401, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      send(400, { code: 21603, message: 'bad body', status: 400 });
      return;
    }
    const form = new URLSearchParams(body);
    received.push(form);
    const to = form.get('To') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      send(400, {
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
        status: 400,
      });
    else if (to === '+14155550199')
      send(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 });
    else if (to === '+14155550142') {
      res.setHeader('retry-after', '2');
      send(429, { code: 20429, message: 'Too Many Requests', status: 429 });
    } else
      send(201, {
        sid: `SM${String(received.length).padStart(32, '0')}`,
        status: 'queued',
        to,
        from: form.get('From'),
        body: form.get('Body'),
      });
  });
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
});

const msg = (to: string): SmsMessage => ({
  idempotencyKey: `k-${to}`,
  to,
  body: 'Luma: your order #1001 shipped. Reply STOP to opt out.',
});

describe('Twilio Messages API', () => {
  test('a message is posted form-encoded with basic auth and answered with its SID', async () => {
    const config = smsConfigurationSchema.parse({
      channel: 'sms',
      name: 'LumaSms',
      twilio: { accountSid: SID, authToken: TOKEN, from: '+14155550100', baseUrl: base },
    });
    const t = createTwilioTransport(config.twilio!, { outbound: LOOPBACK });
    const r = await t.send({
      ...msg('+14155550123'),
      statusCallbackUrl: 'https://wm.example/v1/sms/status',
    });
    assert.deepEqual(r, {
      kind: 'sent',
      providerMessageId: `SM${'1'.padStart(32, '0')}`,
      status: 'queued',
    });
    const form = received.at(-1) as URLSearchParams;
    assert.deepEqual(Object.fromEntries(form), {
      To: '+14155550123',
      Body: 'Luma: your order #1001 shipped. Reply STOP to opt out.',
      From: '+14155550100',
      StatusCallback: 'https://wm.example/v1/sms/status',
    });
  });

  test('invalid numbers, opted-out recipients, rate limits and bad credentials are classified', async () => {
    const t = createTwilioTransport(
      twilioSettingsSchema.parse({
        accountSid: SID,
        authToken: TOKEN,
        from: '+14155550100',
        baseUrl: base,
      }),
      { outbound: LOOPBACK },
    );
    const invalid = await t.send(msg('12345'));
    assert.deepEqual(
      [invalid.kind, invalid.kind === 'invalidAddress' && invalid.providerCode],
      ['invalidAddress', 21211],
    );
    const out = await t.send(msg('+14155550199'));
    assert.deepEqual([out.kind, out.kind === 'optedOut' && out.providerCode], ['optedOut', 21610]);
    assert.deepEqual(await t.send(msg('+14155550142')), {
      kind: 'temporaryFailure',
      reason: 'Twilio 20429: Too Many Requests',
      status: 429,
      retryAfterMs: 2000,
    });
    const wrong = createTwilioTransport(
      twilioSettingsSchema.parse({
        accountSid: SID,
        authToken: 'nope',
        from: '+14155550100',
        baseUrl: base,
      }),
      { outbound: LOOPBACK },
    );
    assert.deepEqual(await wrong.send(msg('+14155550123')), {
      kind: 'failed',
      reason: 'Twilio 20003: Authenticate',
      status: 401,
      providerCode: 20003,
    });
  });
});

describe('the development SMS provider', () => {
  test('the Twilio adapter delivers into it; wrong credentials are refused', async () => {
    const got: DevSms[] = [];
    const dev = await startDevSmsServer({
      port: 0,
      accountSid: SID,
      authToken: TOKEN,
      onMessage: (m) => got.push(m),
    });
    try {
      const t = createTwilioTransport(
        twilioSettingsSchema.parse({
          accountSid: SID,
          authToken: TOKEN,
          from: '+14155550100',
          baseUrl: dev.baseUrl,
        }),
        { outbound: LOOPBACK },
      );
      const r = await t.send(msg('+14155550123'));
      assert.equal(r.kind, 'sent');
      assert.equal(got.length, 1);
      assert.deepEqual(
        [got[0]?.to, got[0]?.from, got[0]?.sid],
        ['+14155550123', '+14155550100', r.kind === 'sent' ? r.providerMessageId : ''],
      );
      const wrong = createTwilioTransport(
        twilioSettingsSchema.parse({
          accountSid: SID,
          authToken: 'x',
          from: '+14155550100',
          baseUrl: dev.baseUrl,
        }),
        { outbound: LOOPBACK },
      );
      assert.equal((await wrong.send(msg('+14155550123'))).kind, 'failed');
      assert.equal(got.length, 1);
    } finally {
      await dev.close();
    }
  });
});

describe('inbound keywords and webhooks', () => {
  test('STOP and START change consent; other text does not', () => {
    assert.deepEqual(parseInboundKeyword('  stop '), {
      kind: 'consent',
      channel: 'sms',
      consent: 'out',
      keyword: 'STOP',
    });
    assert.deepEqual(parseInboundKeyword('Unsubscribe.'), {
      kind: 'consent',
      channel: 'sms',
      consent: 'out',
      keyword: 'UNSUBSCRIBE',
    });
    assert.deepEqual(parseInboundKeyword('START'), {
      kind: 'consent',
      channel: 'sms',
      consent: 'in',
      keyword: 'START',
    });
    assert.deepEqual(parseInboundKeyword('unstop'), {
      kind: 'consent',
      channel: 'sms',
      consent: 'in',
      keyword: 'UNSTOP',
    });
    assert.deepEqual(parseInboundKeyword('help'), { kind: 'help', keyword: 'HELP' });
    assert.equal(parseInboundKeyword('please stop sending'), null);
    assert.equal(parseInboundKeyword('stopped'), null);
    assert.equal(parseInboundKeyword(''), null);
  });

  test('webhook signatures (Twilio documentation example) and payloads', () => {
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    assert.equal(twilioSignature('12345', url, params), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    assert.equal(verifyTwilioSignature('12345', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ='), true);
    assert.equal(
      verifyTwilioSignature(
        '12345',
        url,
        { ...params, Digits: '9999' },
        '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
      ),
      false,
    );
    const inbound = new URLSearchParams({
      MessageSid: 'SM1',
      AccountSid: SID,
      From: '+14155550123',
      To: '+14155550100',
      Body: 'STOP',
    });
    assert.deepEqual(parseTwilioInbound(inbound), {
      messageSid: 'SM1',
      accountSid: SID,
      from: '+14155550123',
      to: '+14155550100',
      body: 'STOP',
    });
    assert.deepEqual(
      parseTwilioStatusCallback(
        new URLSearchParams({
          MessageSid: 'SM1',
          MessageStatus: 'undelivered',
          ErrorCode: '30003',
        }),
      ),
      { messageSid: 'SM1', status: 'undelivered', errorCode: 30003 },
    );
  });
});
