// The Vonage SMS adapter against a local server speaking the SMS API (credentials in the form,
// HTTP 200 with a status per message), and the signature of its delivery receipts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createChannelTransport } from '../../src/channels/index.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';
import {
  createVonageTransport,
  parseVonageReceipt,
  verifyVonageSignature,
  vonageSignature,
} from '../../src/channels/sms/index.ts';
import { smsConfigurationSchema } from '../../src/model/channel-configuration.ts';
import { startVonageServer, type ProviderServer } from '../support/provider-servers.ts';

const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };
const KEY = 'abcd1234';
const SECRET = 'vonage-api-secret';
let server: ProviderServer;
before(async () => {
  server = await startVonageServer(KEY, SECRET);
});
after(() => server.close());

const settings = () => ({ apiKey: KEY, apiSecret: SECRET, from: 'Luma', baseUrl: server.url });
const sms = { idempotencyKey: 'msg-sms-1', to: '+14155550100', body: 'Your cart misses you' };

test('a configuration with provider vonage sends through the SMS API; status 0 is sent', async () => {
  const config = smsConfigurationSchema.parse({
    channel: 'sms',
    name: 'LumaVonage',
    provider: 'vonage',
    vonage: settings(),
  });
  const t = createChannelTransport(config, { outbound: LOOPBACK });
  const r = t.channel === 'sms' ? await t.transport.send(sms) : null;
  assert.deepEqual(r, { kind: 'sent', providerMessageId: '1A0000000000001', status: 'submitted' });
  const form = new URLSearchParams(server.received.at(-1)!.body);
  assert.equal(form.get('api_key'), KEY);
  assert.equal(form.get('to'), '14155550100', 'Vonage numbers go without +');
  assert.equal(form.get('from'), 'Luma');
  assert.equal(form.get('text'), 'Your cart misses you');
  assert.equal(form.get('client-ref'), 'msg-sms-1');
  assert.equal(
    smsConfigurationSchema.safeParse({ channel: 'sms', name: 'X', provider: 'vonage' }).error
      ?.issues[0]?.message,
    'provider is "vonage": give its settings in "vonage"',
  );
});

test('bad credentials fail for good, a throttle and 5xx are retried, an unroutable number is invalid', async () => {
  const wrong = await createVonageTransport(
    { ...settings(), apiSecret: 'wrong' },
    { outbound: LOOPBACK },
  ).send(sms);
  assert.deepEqual(
    [wrong.kind, wrong.kind === 'failed' ? wrong.reason : ''],
    ['failed', 'Vonage 4: Bad Credentials'],
  );
  assert.ok(!JSON.stringify(wrong).includes('wrong'), 'the secret is not in the answer');
  const t = createVonageTransport(settings(), { outbound: LOOPBACK });
  server.failNext(1);
  assert.equal((await t.send(sms)).kind, 'temporaryFailure');
  server.failNext(503);
  const down = await t.send(sms);
  assert.deepEqual(
    [down.kind, down.kind === 'temporaryFailure' && down.status],
    ['temporaryFailure', 503],
  );
  server.failNext(429);
  assert.equal((await t.send(sms)).kind, 'temporaryFailure');
  const invalid = await t.send({ ...sms, to: '+12' });
  assert.equal(invalid.kind, 'invalidAddress');
});

test('a delivery receipt signed with the signature secret verifies; a changed one does not', () => {
  const now = Date.UTC(2026, 11, 4, 12);
  const receipt: Record<string, string> = {
    msisdn: '14155550100',
    to: 'Luma',
    'network-code': '12345',
    messageId: '1A0000000000001',
    price: '0.03330000',
    status: 'delivered',
    scts: '2012040200',
    'err-code': '0',
    'api-key': KEY,
    'client-ref': 'msg-sms-1',
    'message-timestamp': '2026-12-04 12:00:00',
    timestamp: String(Math.floor(now / 1000)),
    nonce: 'a9f3c2e1',
  };
  const signed = { ...receipt, sig: vonageSignature('sig-secret', receipt) };
  assert.equal(verifyVonageSignature('sig-secret', signed, now), true);
  assert.equal(verifyVonageSignature('sig-secret', { ...signed, status: 'failed' }, now), false);
  assert.equal(verifyVonageSignature('other', signed, now), false);
  assert.equal(verifyVonageSignature('sig-secret', signed, now + 3_600_000), false, 'old');
  assert.deepEqual(parseVonageReceipt(signed), {
    messageId: '1A0000000000001',
    clientRef: 'msg-sms-1',
    to: '+14155550100',
    status: 'delivered',
    errorCode: '0',
  });
});
