import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { generateKeyPairSync, verify, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  fcmSettingsSchema,
  pushConfigurationSchema,
} from '../../src/model/channel-configuration.ts';
import {
  createFcmTransport,
  createPushTransport,
  FCM_SCOPE,
} from '../../src/channels/push/index.ts';
import type { PushMessage, PushTransport } from '../../src/channels/ports.ts';
import { runPushTransportContract } from './push-contract.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';

// The test's servers listen on loopback: the policy lists it, as an operator would (--allow-hosts 127.0.0.1).
const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };

// A local Google OAuth token endpoint (JWT bearer grant, RS256 assertion verified with the
// service account's public key) and a local FCM HTTP v1 messages:send endpoint.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PROJECT = 'luma-demo';
const EMAIL = 'waymark@luma-demo.iam.gserviceaccount.com';
const issued = new Set<string>();
const revoked = new Set<string>();
const sent: { token: string; auth: string; body: unknown }[] = [];
let tokenCalls = 0;
let tokenUri = '';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c: Buffer) => {
      s += c.toString('utf8');
    });
    req.on('end', () => resolve(s));
  });
}
const json = (res: ServerResponse, status: number, v: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
};
const fcmError = (
  res: ServerResponse,
  status: number,
  statusText: string,
  errorCode: string,
): void =>
  json(res, status, {
    error: {
      code: status,
      message: `${errorCode} from test`,
      status: statusText,
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }],
    },
  });

const server = createServer((req, res) => {
  void readBody(req).then((body) => {
    if (req.url === '/token') {
      tokenCalls++;
      const form = new URLSearchParams(body);
      const [h, c, s] = (form.get('assertion') ?? '').split('.');
      if (
        form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
        h === undefined ||
        c === undefined ||
        s === undefined
      ) {
        json(res, 400, { error: 'invalid_request' });
        return;
      }
      const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
      const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown>;
      const ok =
        header.alg === 'RS256' &&
        verify('sha256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url')) &&
        claims['iss'] === EMAIL &&
        claims['aud'] === tokenUri &&
        claims['scope'] === FCM_SCOPE &&
        typeof claims['iat'] === 'number' &&
        claims['exp'] === claims['iat'] + 3600;
      if (!ok) {
        json(res, 400, { error: 'invalid_grant' });
        return;
      }
      const token = `ya29.${randomBytes(8).toString('hex')}`;
      issued.add(token);
      json(res, 200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
      return;
    }
    if (req.method === 'POST' && req.url === `/v1/projects/${PROJECT}/messages:send`) {
      const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!issued.has(auth) || revoked.has(auth)) {
        json(res, 401, {
          error: { code: 401, status: 'UNAUTHENTICATED', message: 'bad credentials' },
        });
        return;
      }
      const msg = (JSON.parse(body) as { message: { token: string } }).message;
      sent.push({ token: msg.token, auth, body: JSON.parse(body) as unknown });
      if (msg.token.startsWith('gone')) fcmError(res, 404, 'NOT_FOUND', 'UNREGISTERED');
      else if (msg.token.startsWith('junk'))
        fcmError(res, 400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT');
      else if (msg.token.startsWith('slow')) {
        res.setHeader('retry-after', '7');
        fcmError(res, 503, 'UNAVAILABLE', 'UNAVAILABLE');
      } else json(res, 200, { name: `projects/${PROJECT}/messages/${sent.length}` });
      return;
    }
    json(res, 404, { error: { code: 404, status: 'NOT_FOUND', message: 'no such path' } });
  });
});

let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tokenUri = `${base}/token`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const settings = () =>
  fcmSettingsSchema.parse({
    projectId: PROJECT,
    baseUrl: base,
    serviceAccount: {
      type: 'service_account',
      client_email: EMAIL,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      token_uri: tokenUri,
    },
  });
const push = (deviceToken: string): PushMessage => ({
  idempotencyKey: `k-${deviceToken}`,
  platform: 'fcm',
  deviceToken,
  title: 'Hi',
  body: 'Your order shipped',
  data: { orderId: '1001' },
  ttlSeconds: 3600,
});

describe('FCM HTTP v1 with service-account OAuth', () => {
  test('the access token is obtained with a verified JWT grant, cached, and the message sent', async () => {
    let now = 1_800_000_000_000;
    const t = createFcmTransport(settings(), { outbound: LOOPBACK, now: () => now });
    const r1 = await t.send(push('tok-1'));
    assert.deepEqual(r1, { kind: 'sent', providerMessageId: `projects/${PROJECT}/messages/1` });
    assert.deepEqual(sent[0]?.body, {
      message: {
        token: 'tok-1',
        notification: { title: 'Hi', body: 'Your order shipped' },
        data: { orderId: '1001' },
        android: { ttl: '3600s' },
      },
    });
    await t.send(push('tok-2'));
    assert.equal(tokenCalls, 1, 'cached');
    now += 3600_000;
    await t.send(push('tok-3'));
    assert.equal(tokenCalls, 2, 'refreshed after expiry');
  });

  test('a revoked access token is refreshed once and the send retried', async () => {
    const t = createFcmTransport(settings(), { outbound: LOOPBACK });
    await t.send(push('tok-4'));
    revoked.add(sent.at(-1)?.auth ?? '');
    const before = tokenCalls;
    assert.equal((await t.send(push('tok-5'))).kind, 'sent');
    assert.equal(tokenCalls, before + 1);
  });

  test('UNREGISTERED and INVALID_ARGUMENT say: remove the token; UNAVAILABLE is temporary', async () => {
    const t = createFcmTransport(settings(), { outbound: LOOPBACK });
    assert.deepEqual(await t.send(push('gone-1')), {
      kind: 'invalidToken',
      reason: 'UNREGISTERED: UNREGISTERED from test',
      status: 404,
    });
    assert.deepEqual(await t.send(push('junk-1')), {
      kind: 'invalidToken',
      reason: 'INVALID_ARGUMENT: INVALID_ARGUMENT from test',
      status: 400,
    });
    assert.deepEqual(await t.send(push('slow-1')), {
      kind: 'temporaryFailure',
      reason: 'UNAVAILABLE: UNAVAILABLE from test',
      status: 503,
      retryAfterMs: 7000,
    });
  });

  test('a foreign key is refused at the token endpoint', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const s = settings();
    const t = createFcmTransport(
      { ...s, serviceAccount: { ...s.serviceAccount, private_key: other } },
      { outbound: LOOPBACK },
    );
    const r = await t.send(push('tok-x'));
    assert.equal(r.kind, 'temporaryFailure');
    assert.match(r.kind === 'temporaryFailure' ? r.reason : '', /400 \(invalid_grant\)/);
  });

  let shared: PushTransport | undefined;
  runPushTransportContract('FCM', () => {
    shared ??= createFcmTransport(settings(), { outbound: LOOPBACK });
    return {
      transport: shared,
      platform: 'fcm',
      validToken: 'tok-c',
      deadToken: 'gone-c',
      busyToken: 'slow-c',
    };
  });

  test('a push configuration routes by platform', async () => {
    const config = pushConfigurationSchema.parse({
      channel: 'push',
      name: 'DXDemoApp',
      appId: 'com.luma.app',
      fcm: settings(),
    });
    const t = createPushTransport(config, { outbound: LOOPBACK });
    assert.equal((await t.send(push('tok-6'))).kind, 'sent');
    assert.deepEqual(await t.send({ ...push('ios'), platform: 'apns' }), {
      kind: 'failed',
      reason: 'DXDemoApp has no apns settings',
    });
    await t.close();
  });
});
