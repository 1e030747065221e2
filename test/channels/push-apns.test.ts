import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, createSecureServer } from 'node:http2';
import type {
  Http2Server,
  Http2SecureServer,
  ServerHttp2Stream,
  IncomingHttpHeaders,
} from 'node:http2';
import { generateKeyPairSync, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { apnsSettingsSchema } from '../../src/model/channel-configuration.ts';
import { createApnsTransport, apnsIdFor } from '../../src/channels/push/index.ts';
import type { PushMessage, PushTransport } from '../../src/channels/ports.ts';
import { runPushTransportContract } from './push-contract.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';

// The test's servers listen on loopback: the policy lists it, as an operator would (--allow-hosts 127.0.0.1).
const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };

// A local APNs: the provider API's requests and answers, with the provider JWT verified (ES256).
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const KEY_ID = 'ABC123DEFG';
const TEAM_ID = 'TEAM123456';
const BUNDLE = 'com.luma.app';

interface Seen {
  token: string;
  jwt: string;
  headers: IncomingHttpHeaders;
  payload: unknown;
}

function verifyProviderJwt(jwt: string, key: KeyObject): { ok: boolean; iat?: number } {
  const [h, c, s] = jwt.split('.');
  if (h === undefined || c === undefined || s === undefined) return { ok: false };
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as {
    alg?: string;
    kid?: string;
  };
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString()) as {
    iss?: string;
    iat?: number;
  };
  const sigOk = verify(
    'sha256',
    Buffer.from(`${h}.${c}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  return {
    ok:
      sigOk &&
      header.alg === 'ES256' &&
      header.kid === KEY_ID &&
      claims.iss === TEAM_ID &&
      typeof claims.iat === 'number',
    ...(claims.iat === undefined ? {} : { iat: claims.iat }),
  };
}

function apnsHandler(seen: Seen[], expired: Set<string>) {
  return (stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void => {
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => {
      body += c;
    });
    stream.on('end', () => {
      const answer = (
        status: number,
        reason?: string,
        extra: Record<string, string> = {},
      ): void => {
        stream.respond({
          ':status': status,
          'apns-id': String(headers['apns-id'] ?? ''),
          ...extra,
        });
        stream.end(
          reason === undefined
            ? undefined
            : JSON.stringify({
                reason,
                ...(status === 410 ? { timestamp: 1_700_000_000_000 } : {}),
              }),
        );
      };
      const path = String(headers[':path'] ?? '');
      const m = /^\/3\/device\/([0-9a-f]+)$/.exec(path);
      if (headers[':method'] !== 'POST' || m === null) {
        answer(405, 'MethodNotAllowed');
        return;
      }
      const jwt = String(headers['authorization'] ?? '').replace(/^bearer /, '');
      if (!verifyProviderJwt(jwt, publicKey).ok) {
        answer(403, 'InvalidProviderToken');
        return;
      }
      if (expired.has(jwt)) {
        answer(403, 'ExpiredProviderToken');
        return;
      }
      if (headers['apns-topic'] !== BUNDLE) {
        answer(400, 'BadTopic');
        return;
      }
      const token = m[1] as string;
      seen.push({ token, jwt, headers, payload: JSON.parse(body) as unknown });
      if (token.startsWith('bad')) answer(400, 'BadDeviceToken');
      else if (token.startsWith('dead')) answer(410, 'Unregistered');
      else if (token.startsWith('cafe')) answer(429, 'TooManyRequests');
      else answer(200);
    });
  };
}

const settings = (host: string) =>
  apnsSettingsSchema.parse({ keyId: KEY_ID, teamId: TEAM_ID, bundleId: BUNDLE, p8Key: p8, host });
const push = (deviceToken: string, key = `k-${deviceToken}`): PushMessage => ({
  idempotencyKey: key,
  platform: 'apns',
  deviceToken,
  title: 'Your order shipped',
  body: 'It arrives Tuesday',
  data: { orderId: '1001' },
  badge: 1,
});

describe('APNs over HTTP/2 (h2c test server)', () => {
  const seen: Seen[] = [];
  const expired = new Set<string>();
  let server: Http2Server;
  let transport: PushTransport;
  let now = 1_800_000_000_000;
  before(async () => {
    server = createServer();
    server.on('stream', apnsHandler(seen, expired));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    transport = createApnsTransport(
      settings(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      { outbound: LOOPBACK, now: () => now },
    );
  });
  after(async () => {
    await transport.close();
    server.close();
  });

  test('a push is accepted with a verified ES256 provider token and the APNs headers', async () => {
    const r = await transport.send(push('00aa11bb'));
    assert.deepEqual(r, { kind: 'sent', providerMessageId: apnsIdFor('k-00aa11bb') });
    const s = seen.at(-1) as Seen;
    assert.equal(s.headers['apns-push-type'], 'alert');
    assert.equal(s.headers['apns-id'], apnsIdFor('k-00aa11bb'));
    assert.deepEqual(s.payload, {
      orderId: '1001',
      aps: { alert: { title: 'Your order shipped', body: 'It arrives Tuesday' }, badge: 1 },
    });
    assert.equal(verifyProviderJwt(s.jwt, publicKey).iat, Math.floor(now / 1000));
  });

  test('the provider token is cached about 50 minutes, then re-signed', async () => {
    await transport.send(push('00aa11cc'));
    const first = seen.at(-1)?.jwt;
    now += 49 * 60_000;
    await transport.send(push('00aa11dd'));
    assert.equal(seen.at(-1)?.jwt, first);
    now += 2 * 60_000;
    await transport.send(push('00aa11ee'));
    assert.notEqual(seen.at(-1)?.jwt, first);
  });

  test('an expired provider token is replaced and the push retried once', async () => {
    await transport.send(push('00aa1100'));
    expired.add(seen.at(-1)?.jwt ?? '');
    const r = await transport.send(push('00aa1101'));
    assert.equal(r.kind, 'sent');
    assert.equal(expired.has(seen.at(-1)?.jwt ?? ''), false);
  });

  test('BadDeviceToken (400) and Unregistered (410) say: remove the token', async () => {
    assert.deepEqual(await transport.send(push('bad0')), {
      kind: 'invalidToken',
      reason: 'BadDeviceToken',
      status: 400,
    });
    assert.deepEqual(await transport.send(push('dead0')), {
      kind: 'invalidToken',
      reason: 'Unregistered',
      status: 410,
    });
    assert.deepEqual(await transport.send(push('cafe0')), {
      kind: 'temporaryFailure',
      reason: 'TooManyRequests',
      status: 429,
    });
  });

  runPushTransportContract('APNs', () => ({
    transport,
    platform: 'apns',
    validToken: '0a0b0c',
    deadToken: 'dead01',
    busyToken: 'cafe01',
  }));

  test('a wrong key is refused by the server', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const t = createApnsTransport(
      { ...settings(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), p8Key: other },
      { outbound: LOOPBACK },
    );
    const r = await t.send(push('00aa'));
    await t.close();
    assert.equal(r.kind, 'failed');
  });
});

let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

describe(
  'APNs over TLS (self-signed certificate made in the test)',
  { skip: !hasOpenssl && 'openssl is not installed' },
  () => {
    let server: Http2SecureServer;
    let dir = '';
    let cert = '';
    const seen: Seen[] = [];
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wm-apns-'));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      server = createSecureServer({ key: readFileSync(join(dir, 'key.pem')), cert });
      server.on('stream', apnsHandler(seen, new Set()));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    });
    after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('the push goes over HTTP/2 with TLS', async () => {
      const t = createApnsTransport(
        settings(`https://127.0.0.1:${(server.address() as AddressInfo).port}`),
        { outbound: LOOPBACK, connectOptions: { ca: cert } },
      );
      assert.equal((await t.send(push('0123abcd'))).kind, 'sent');
      assert.deepEqual(await t.send(push('bad1')), {
        kind: 'invalidToken',
        reason: 'BadDeviceToken',
        status: 400,
      });
      await t.close();
      assert.equal(seen.length, 2);
    });
  },
);
