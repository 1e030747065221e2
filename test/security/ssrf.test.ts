// Outbound requests (SSRF): every feature that makes the server connect somewhere goes through the
// sandbox's outbound policy. For each one, a real server listens on loopback; in a sandbox whose
// allowed hosts do not list it the feature is refused and the server records no connection at
// all; in a sandbox that lists 127.0.0.1 (as an operator would with --allow-hosts) it works.
// Redirects to loopback and every IPv6 spelling of an IPv4 private address are refused too, and
// the answers a caller sees carry no network detail (no ECONNREFUSED, no address, no port).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import {
  callAction,
  customActionSchema,
  buildActionRequest,
} from '../../src/channels/http-action/index.ts';
import { createChannelTransport } from '../../src/channels/index.ts';
import {
  checkUrl,
  embeddedIPv4,
  isPrivateAddress,
  OutboundRefusedError,
} from '../../src/channels/outbound/index.ts';
import { azureTranslator } from '../../src/channels/translation/azure-translator.ts';
import { deeplTranslator } from '../../src/channels/translation/deepl.ts';
import {
  emailConfigurationSchema,
  pushConfigurationSchema,
  smsConfigurationSchema,
  type ChannelConfiguration,
} from '../../src/model/channel-configuration.ts';
import type { PushMessage } from '../../src/channels/ports.ts';
import { createPushTransport } from '../../src/channels/push/index.ts';
import { createTwilioTransport } from '../../src/channels/sms/twilio.ts';
import { createSmtpTransport } from '../../src/channels/email/index.ts';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { SYSTEM_ACTOR } from '../../src/access/policy.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const KEY = 'ssrf-test-admin-key-0123456789';
/** Lists only a public name (never contacted here) and one IP:port of its own (the "public" helper on 127.0.0.2). */
const LOCKED = 'locked';
/** Lists loopback, as an operator would for local providers. */
const OPEN = 'open';
const SID = `AC${'a'.repeat(32)}`;

interface Trap {
  readonly host: string;
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A real HTTP/1 server that stands in for every HTTP provider (FCM, its token endpoint, Twilio, DeepL, Azure, actions). */
async function httpTrap(
  host = '127.0.0.1',
  handler?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Trap> {
  let count = 0;
  const server: Server = createHttpServer((req, res) => {
    if (handler) {
      handler(req, res);
      return;
    }
    const json = (status: number, v: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
    };
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (path === '/token' || path === '/oauth')
        return json(200, { access_token: 'tok', expires_in: 3600 });
      if (path.endsWith('/messages:send')) return json(200, { name: 'projects/p/messages/1' });
      if (path.endsWith('/Messages.json')) return json(201, { sid: 'SM1', status: 'queued' });
      if (path === '/v2/translate')
        return json(200, {
          translations: (JSON.parse(body) as { text: string[] }).text.map((text) => ({ text })),
        });
      if (path === '/translate')
        return json(
          200,
          (JSON.parse(body) as Array<{ Text: string }>).map((i) => ({
            translations: [{ text: i.Text }],
          })),
        );
      return json(200, { reached: true });
    });
  });
  server.on('connection', () => {
    count++;
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A real HTTP/2 (h2c) server answering as APNs does. */
async function apnsTrap(): Promise<Trap> {
  let count = 0;
  const server = createH2Server();
  server.on('connection', () => {
    count++;
  });
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200, 'apns-id': 'A1' });
    stream.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A real SMTP server; every TCP connection is counted before its greeting. */
async function smtpTrap(): Promise<Trap> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      count++;
      callback();
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: '127.0.0.1',
    port: (server.server.address() as AddressInfo).port,
    connections: () => count,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let app: Waymark;
/** Where a LOCKED sandbox may go: one address on 127.0.0.2 listed with its port (a stand-in for an allowed public host). */
let helper: Trap;
const apnsKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const fcmKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

before(async () => {
  helper = await httpTrap('127.0.0.2', (req, res) => {
    const path = req.url ?? '';
    // A "public" endpoint that redirects to loopback, and a token endpoint that works.
    if (path.startsWith('/redirect/')) {
      res.writeHead(302, { location: decodeURIComponent(path.slice('/redirect/'.length)) }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ access_token: 'tok', expires_in: 3600, reached: true }));
  });
  app = createWaymark({
    store: new SqliteStore(':memory:'),
    allowHosts: {
      [LOCKED]: ['api.example.com', `127.0.0.2:${helper.port}`],
      [OPEN]: ['127.0.0.1'],
    },
  });
  // The API answers only sandboxes that exist.
  for (const name of [LOCKED, OPEN])
    await app.access.sandboxes.create({ name, type: 'development' }, SYSTEM_ACTOR);
});
after(async () => {
  await app.close();
  await helper.close();
});

const email = (host: string, port: number) =>
  emailConfigurationSchema.parse({
    channel: 'email',
    name: 'Mail',
    fromAddress: 'news@luma.example',
    smtp: { host, port, secure: 'none', connectionTimeoutMs: 10_000 },
  });
const mail = {
  idempotencyKey: 'k-ssrf',
  from: { address: 'news@luma.example' },
  to: { address: 'ana@example.com' },
  subject: 'hi',
  html: '<p>hi</p>',
};
const fcm = (baseUrl: string, tokenUri: string) =>
  pushConfigurationSchema.parse({
    channel: 'push',
    name: 'Push',
    appId: 'com.luma.app',
    fcm: {
      projectId: 'p',
      baseUrl,
      serviceAccount: {
        type: 'service_account',
        client_email: 'w@p.iam.example',
        private_key: fcmKey,
        token_uri: tokenUri,
      },
    },
  });
const apns = (host: string) =>
  pushConfigurationSchema.parse({
    channel: 'push',
    name: 'Push',
    appId: 'com.luma.app',
    apns: {
      keyId: 'KEY0000001',
      teamId: 'TEAM000001',
      bundleId: 'com.luma.app',
      p8Key: apnsKey,
      host,
    },
  });
const sms = (baseUrl: string) =>
  smsConfigurationSchema.parse({
    channel: 'sms',
    name: 'Sms',
    twilio: { accountSid: SID, authToken: 'secret', from: '+14155550100', baseUrl },
  });
const pushTo = (platform: 'apns' | 'fcm'): PushMessage => ({
  idempotencyKey: 'k-ssrf',
  platform,
  deviceToken: 'abcd01',
  title: 't',
  body: 'b',
});

/** Sends through a channel configuration with the sandbox's own policy (what delivery does). */
async function sendVia(
  sandbox: string,
  config: ChannelConfiguration,
): Promise<{ sent: boolean; reason: string }> {
  const t = createChannelTransport(config, { outbound: app.outbound(sandbox) });
  try {
    const r =
      t.channel === 'email'
        ? await t.transport.send(mail)
        : t.channel === 'push'
          ? await t.transport.send(
              pushTo(config.channel === 'push' && config.apns ? 'apns' : 'fcm'),
            )
          : await t.transport.send({ idempotencyKey: 'k-ssrf', to: '+14155550123', body: 'hi' });
    return {
      sent: r.kind === 'sent',
      reason: 'message' in r ? r.message : 'reason' in r ? r.reason : '',
    };
  } finally {
    await t.transport.close();
  }
}

async function testAction(
  sandbox: string,
  def: Record<string, unknown>,
): Promise<{ sent: boolean; reason: string }> {
  await app.objects.put(sandbox, 'action', def);
  const r = await app.testAction(sandbox, def['name'] as string, {});
  return { sent: r.ok, reason: r.ok ? '' : `${r.code}: ${r.message}` };
}

async function proof(
  sandbox: string,
  host: string,
  port: number,
): Promise<{ sent: boolean; reason: string }> {
  await app.objects.put(sandbox, 'channelConfiguration', {
    channel: 'email',
    name: 'ProofMail',
    fromAddress: 'news@luma.example',
    smtp: { host, port, secure: 'none', connectionTimeoutMs: 10_000 },
  });
  const server = await buildServer({ app, keys: [apiKey('admin', KEY)] });
  try {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/render/proof',
      headers: {
        authorization: `Bearer ${KEY}`,
        'x-sandbox-name': sandbox,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({
        content: { channel: 'email', subject: 'Proof', html: '<p>hi</p>' },
        address: 'qa@luma.example',
      }),
    });
    const body = JSON.parse(res.body) as { sent?: boolean; error?: { message?: string } };
    return {
      sent: res.statusCode === 200 && body.sent === true,
      reason: body.error?.message ?? '',
    };
  } finally {
    await server.close();
    await app.objects.delete(sandbox, 'channelConfiguration', 'ProofMail');
  }
}

interface Feature {
  readonly name: string;
  readonly trap: () => Promise<Trap>;
  readonly run: (sandbox: string, trap: Trap) => Promise<{ sent: boolean; reason: string }>;
}

const url = (t: Trap, path = ''): string => `http://${t.host}:${t.port}${path}`;

const FEATURES: readonly Feature[] = [
  {
    name: 'custom action',
    trap: () => httpTrap(),
    run: (sb, t) => testAction(sb, { name: 'Hook', url: url(t, '/hook'), method: 'POST' }),
  },
  {
    name: 'custom action token endpoint',
    trap: () => httpTrap(),
    // The action itself goes to the allowed helper; only its token endpoint is on the trap.
    run: (sb, t) =>
      testAction(sb, {
        name: 'Tokened',
        url: sb === LOCKED ? url(helper, '/hook') : url(t, '/hook'),
        method: 'POST',
        auth: { kind: 'customToken', endpoint: url(t, '/oauth'), tokenPath: 'access_token' },
      }),
  },
  {
    name: 'SMTP (email channel configuration)',
    trap: smtpTrap,
    run: (sb, t) => sendVia(sb, email(t.host, t.port)),
  },
  {
    name: 'proof (POST /v1/render/proof)',
    trap: smtpTrap,
    run: (sb, t) => proof(sb, t.host, t.port),
  },
  { name: 'APNs', trap: apnsTrap, run: (sb, t) => sendVia(sb, apns(url(t))) },
  // The token endpoint is the allowed helper in the locked sandbox: only the send URL is on the trap.
  {
    name: 'FCM send',
    trap: () => httpTrap(),
    run: (sb, t) =>
      sendVia(sb, fcm(url(t), sb === LOCKED ? url(helper, '/token') : url(t, '/token'))),
  },
  {
    name: 'FCM OAuth token endpoint',
    trap: () => httpTrap(),
    run: (sb, t) => sendVia(sb, fcm(url(t), url(t, '/token'))),
  },
  { name: 'Twilio', trap: () => httpTrap(), run: (sb, t) => sendVia(sb, sms(url(t))) },
  {
    name: 'DeepL',
    trap: () => httpTrap(),
    run: async (sb, t) => {
      try {
        await deeplTranslator({ endpoint: url(t), key: 'k', outbound: app.outbound(sb) }).translate(
          { texts: ['hello'], from: 'en_US', to: 'fr_FR', format: 'plain' },
        );
        return { sent: true, reason: '' };
      } catch (e) {
        return { sent: false, reason: (e as Error).message };
      }
    },
  },
  {
    name: 'Azure Translator',
    trap: () => httpTrap(),
    run: async (sb, t) => {
      try {
        await azureTranslator({ endpoint: url(t), key: 'k', outbound: app.outbound(sb) }).translate(
          { texts: ['hello'], from: 'en_US', to: 'fr_FR', format: 'plain' },
        );
        return { sent: true, reason: '' };
      } catch (e) {
        return { sent: false, reason: (e as Error).message };
      }
    },
  },
];

/** What a refusal may say: the policy, never the network's own words. */
function assertNoNetworkDetail(reason: string, what: string): void {
  assert.doesNotMatch(
    reason,
    /ECONN|EHOST|ENOTFOUND|ETIMEDOUT|getaddrinfo|socket hang up/i,
    `${what}: ${reason}`,
  );
}

describe("SSRF: every outbound feature obeys the sandbox's allowed hosts", () => {
  for (const f of FEATURES) {
    test(`${f.name}: a loopback target is refused without a connection where loopback is not allowed, and works where it is`, async () => {
      const trap = await f.trap();
      try {
        const refused = await f.run(LOCKED, trap);
        assert.equal(
          refused.sent,
          false,
          `${f.name} was sent from a sandbox that does not allow loopback`,
        );
        assert.match(
          refused.reason,
          /outbound policy|not allowed|not in the sandbox's allowed hosts|private address/,
          refused.reason,
        );
        assertNoNetworkDetail(refused.reason, f.name);
        assert.equal(trap.connections(), 0, `${f.name}: the loopback server saw a connection`);

        const allowed = await f.run(OPEN, trap);
        assert.equal(
          allowed.sent,
          true,
          `${f.name} in a sandbox that allows 127.0.0.1: ${allowed.reason}`,
        );
        assert.ok(trap.connections() > 0);
      } finally {
        await trap.close();
      }
    });
  }

  test('a name that resolves to loopback is refused even when the name is listed', async () => {
    const trap = await smtpTrap();
    try {
      const r = await sendVia(LOCKED, email('localhost', trap.port));
      assert.equal(r.sent, false);
      const listed = createSmtpTransport(email('localhost', trap.port), {
        outbound: { allowHosts: [`localhost:${trap.port}`] },
      });
      const r2 = await listed.send(mail);
      await listed.close();
      assert.equal(r2.kind, 'failed');
      assert.match(r2.kind === 'failed' ? r2.message : '', /resolves to a private address/);
      assert.equal(trap.connections(), 0);
    } finally {
      await trap.close();
    }
  });

  test('a listed name that resolves to loopback when the socket connects (DNS rebinding) is refused, for every transport', async () => {
    const [smtp, h2, http] = [await smtpTrap(), await apnsTrap(), await httpTrap()];
    try {
      // The resolver the sockets use answers loopback: the check happens on what the socket would connect to.
      const rebinding = (ports: number[]) => ({
        allowHosts: ports.map((p) => `provider.example:${p}`),
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      const results = [
        await createSmtpTransport(email('provider.example', smtp.port), {
          outbound: rebinding([smtp.port]),
        }).send(mail),
        await createPushTransport(apns(`http://provider.example:${h2.port}`), {
          outbound: rebinding([h2.port]),
        }).send(pushTo('apns')),
        await createPushTransport(
          fcm(`http://provider.example:${http.port}`, `http://provider.example:${http.port}/token`),
          { outbound: rebinding([http.port]) },
        ).send(pushTo('fcm')),
        await createTwilioTransport(sms(`http://provider.example:${http.port}`).twilio!, {
          outbound: rebinding([http.port]),
        }).send({ idempotencyKey: 'k', to: '+14155550123', body: 'hi' }),
      ];
      for (const r of results) {
        assert.equal(r.kind, 'failed', JSON.stringify(r));
        assert.match(
          'message' in r ? r.message : 'reason' in r ? r.reason : '',
          /resolves to a private address/,
        );
      }
      assert.deepEqual([smtp.connections(), h2.connections(), http.connections()], [0, 0, 0]);
    } finally {
      await Promise.all([smtp.close(), h2.close(), http.close()]);
    }
  });

  test('an IP listed with a port is allowed on that port only', async () => {
    const trap = await smtpTrap();
    try {
      const other = createSmtpTransport(email('127.0.0.1', trap.port), {
        outbound: { allowHosts: [`127.0.0.1:${trap.port + 1}`] },
      });
      assert.equal((await other.send(mail)).kind, 'failed');
      await other.close();
      assert.equal(trap.connections(), 0);
      const same = createSmtpTransport(email('127.0.0.1', trap.port), {
        outbound: { allowHosts: [`127.0.0.1:${trap.port}`] },
      });
      assert.equal((await same.send(mail)).kind, 'sent');
      await same.close();
    } finally {
      await trap.close();
    }
  });
});

describe('SSRF: redirects to loopback are refused', () => {
  test('a custom action whose allowed host redirects to loopback: refused, no connection', async () => {
    const trap = await httpTrap();
    try {
      const r = await testAction(LOCKED, {
        name: 'Redirected',
        url: url(helper, `/redirect/${encodeURIComponent(url(trap, '/hook'))}`),
        method: 'GET',
      });
      assert.equal(r.sent, false);
      assert.match(r.reason, /^host_not_allowed/);
      assert.equal(trap.connections(), 0);
    } finally {
      await trap.close();
    }
  });

  test('a provider (Twilio) whose allowed base URL redirects to loopback: refused, no connection', async () => {
    const trap = await httpTrap();
    try {
      const r = await sendVia(
        LOCKED,
        sms(
          url(
            helper,
            `/redirect/${encodeURIComponent(url(trap, '/2010-04-01/Accounts/x/Messages.json'))}`,
          ),
        ),
      );
      assert.equal(r.sent, false);
      assert.match(r.reason, /outbound policy/);
      assert.equal(trap.connections(), 0);
    } finally {
      await trap.close();
    }
  });
});

describe('SSRF: answers carry no network detail (no port scanning)', () => {
  test('a proof to an allowed but closed port says the SMTP server could not be reached, nothing more', async () => {
    const closed = await smtpTrap();
    const port = closed.port;
    await closed.close();
    const r = await proof(OPEN, '127.0.0.1', port);
    assert.equal(r.sent, false);
    assert.match(r.reason, /the SMTP server could not be reached/);
    assertNoNetworkDetail(r.reason, 'proof');
    assert.doesNotMatch(r.reason, new RegExp(`127\\.0\\.0\\.1|${port}`));
  });

  test('testing a custom action on an allowed but closed port says the host could not be reached', async () => {
    const closed = await httpTrap();
    const port = closed.port;
    await closed.close();
    const r = await testAction(OPEN, {
      name: 'Closed',
      url: `http://127.0.0.1:${port}/x`,
      method: 'GET',
      timeoutMs: 2000,
    });
    assert.equal(r.sent, false);
    assertNoNetworkDetail(r.reason, 'test action');
    assert.doesNotMatch(r.reason, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });
});

describe('SSRF: IPv4 carried in IPv6, in every form the URL parser writes', () => {
  // [URL as written, the IPv4 it carries]
  const embedded: ReadonlyArray<readonly [string, string]> = [
    ['http://[::ffff:127.0.0.1]/', '127.0.0.1'], // IPv4-mapped, written dotted (the parser writes ::ffff:7f00:1)
    ['http://[::ffff:7f00:1]/', '127.0.0.1'], // IPv4-mapped, hex
    ['http://[0:0:0:0:0:ffff:7f00:1]/', '127.0.0.1'],
    ['http://[::7f00:1]/', '127.0.0.1'], // IPv4-compatible
    ['http://[::127.0.0.1]/', '127.0.0.1'],
    ['http://[::ffff:0:7f00:1]/', '127.0.0.1'], // SIIT
    ['http://[64:ff9b::7f00:1]/', '127.0.0.1'], // NAT64
    ['http://[64:ff9b::10.0.0.1]/', '10.0.0.1'],
    ['http://[2002:7f00:1::]/', '127.0.0.1'], // 6to4
    ['http://[2002:c0a8:101::1]/', '192.168.1.1'],
    ['http://[::ffff:a9fe:a9fe]/', '169.254.169.254'], // cloud metadata
  ];
  for (const [raw, v4] of embedded) {
    test(`${raw} carries ${v4} and is refused even by "*:*"`, () => {
      const u = new URL(raw);
      assert.equal(embeddedIPv4(u.hostname.replace(/^\[|\]$/g, '')), v4);
      assert.equal(isPrivateAddress(u.hostname), true);
      assert.throws(() => checkUrl({ allowHosts: ['*:*'] }, u), OutboundRefusedError);
    });
  }

  test('the other private IPv6 ranges are refused; public addresses and public embedded IPv4 pass', () => {
    for (const a of [
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      'fc00::1',
      'ff02::1',
      '2001:db8::1',
      '64:ff9b:1::1',
      '2001::1',
      '100::1',
      'fec0::1',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
      assert.throws(
        () => checkUrl({ allowHosts: ['*:*'] }, new URL(`http://[${a}]/`)),
        OutboundRefusedError,
        a,
      );
    }
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      assert.equal(isPrivateAddress(a), true, a);
    }
    for (const a of [
      '8.8.8.8',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      assert.equal(isPrivateAddress(a), false, a);
      checkUrl({ allowHosts: ['*:*'] }, new URL(`http://${a.includes(':') ? `[${a}]` : a}/`));
    }
  });

  test('decimal, hex and octal IPv4 spellings are normalised by the URL parser and refused', () => {
    for (const raw of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
    ]) {
      assert.throws(
        () => checkUrl({ allowHosts: ['*:*'] }, new URL(raw)),
        OutboundRefusedError,
        raw,
      );
    }
  });

  test('a custom action to an IPv4-mapped loopback URL makes no connection', async () => {
    const trap = await httpTrap();
    try {
      const d = customActionSchema.parse({
        name: 'Mapped',
        url: `http://[::ffff:127.0.0.1]:${trap.port}/hook`,
        method: 'GET',
      });
      const r = await callAction(d, buildActionRequest(d), { allowHosts: ['*:*'] });
      assert.equal(!r.ok && r.code, 'host_not_allowed');
      assert.equal(trap.connections(), 0);
    } finally {
      await trap.close();
    }
  });
});
