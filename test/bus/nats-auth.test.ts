// A NATS server that wants TLS (with client certificates) and a user and password: Waymark's ingest
// connects with the right ones and takes events; a wrong password, an unknown CA or a missing
// client certificate fail at the start with an error that names the cause and never the secret.
// The server is a real nats-server started by the test, with certificates from fixtures/tls.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect, nkeys, type NatsConnection } from 'nats';
import { natsConnectOptions, redactServer } from '../../src/bus/nats-auth.ts';
import { startNatsIngest } from '../../src/bus/nats-ingest.ts';
import { WaymarkError } from '../../src/errors.ts';
import { lumaEvent, cart, lumaWorld } from '../support/luma.ts';
import { eventually, ownNatsServer, type OwnNatsServer } from './nats-support.ts';

const tls = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
const PASSWORD = 'correct horse battery staple';
const clientTls = {
  caFile: tls('ca.pem'),
  certFile: tls('client.pem'),
  keyFile: tls('client-key.pem'),
};

describe('NATS with TLS and a password', { timeout: 60_000 }, () => {
  let dir: string;
  let server: OwnNatsServer;
  let url: string;
  let admin: NatsConnection;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waymark-nats-tls-'));
    server = await ownNatsServer(dir, [
      `tls { cert_file: ${JSON.stringify(tls('server.pem'))}, key_file: ${JSON.stringify(tls('server-key.pem'))}, ca_file: ${JSON.stringify(tls('ca.pem'))}, verify: true }`,
      `authorization { users = [ { user: "waymark", password: ${JSON.stringify(PASSWORD)} } ] }`,
    ]);
    url = `tls://127.0.0.1:${server.port}`;
    admin = await connect({
      servers: url,
      maxReconnectAttempts: 0,
      ...natsConnectOptions({ user: 'waymark', password: PASSWORD, tls: clientTls }),
    });
  });
  after(async () => {
    await admin?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('with the CA, a client certificate and the password, events published to the stream enter the journey', async () => {
    const w = await lumaWorld();
    try {
      const ingest = await startNatsIngest({
        app: w.app,
        servers: url,
        stream: 'TLS_EVENTS',
        subjectPrefix: 'tls.events',
        auth: { user: 'waymark', password: PASSWORD, tls: clientTls },
      });
      try {
        await admin
          .jetstream()
          .publish(
            'tls.events.prod',
            new TextEncoder().encode(
              JSON.stringify(
                lumaEvent('LumaCheckoutEvent_Email', 'tls@luma.example', cart, 'tls-1'),
              ),
            ),
          );
        await eventually('the event committed', () => ingest.stats().accepted === 1);
        const instances = await w.app.reads.instances('prod', {
          journeyId: 'purchase-journey',
          limit: 10,
        });
        assert.equal(instances.length, 1);
      } finally {
        await ingest.stop();
      }
    } finally {
      await w.close();
    }
  });

  test('a wrong password, an unknown CA or no client certificate: the start fails, saying why, and the password is nowhere in the error', async () => {
    const w = await lumaWorld();
    try {
      const failure = async (
        auth: Parameters<typeof natsConnectOptions>[0],
        servers = url,
        connectTimeoutMs?: number,
      ): Promise<WaymarkError> => {
        let caught: unknown;
        try {
          const ingest = await startNatsIngest({
            app: w.app,
            servers,
            stream: 'TLS_EVENTS',
            subjectPrefix: 'tls.events',
            auth,
            ...(connectTimeoutMs !== undefined ? { connectTimeoutMs } : {}),
          });
          await ingest.stop();
        } catch (e) {
          caught = e;
        }
        assert.ok(caught instanceof WaymarkError, `expected a WaymarkError, got ${String(caught)}`);
        assert.equal(caught.code, 'provider_error');
        const everything = JSON.stringify({ message: caught.message, details: caught.details });
        assert.ok(
          !everything.includes(PASSWORD) && !everything.includes('wrong-password'),
          `no secret in ${everything}`,
        );
        return caught;
      };
      const wrong = await failure({ user: 'waymark', password: 'wrong-password', tls: clientTls });
      assert.match(
        wrong.message,
        new RegExp(
          `^cannot connect to NATS at tls://127\\.0\\.0\\.1:\\d+: .*authorization violation`,
          'i',
        ),
      );
      const unknownCa = await failure({
        user: 'waymark',
        password: PASSWORD,
        tls: { certFile: clientTls.certFile, keyFile: clientTls.keyFile },
      });
      assert.match(unknownCa.message, /certificate/i);
      // The server drops a client without a certificate without a word: the start fails when the
      // connection times out (20 s by default; shorter here).
      await failure(
        { user: 'waymark', password: PASSWORD, tls: { caFile: clientTls.caFile } },
        url,
        3000,
      );
      // A password in the URL is hidden as well.
      const inUrl = await failure(
        { tls: clientTls },
        url.replace('tls://', `tls://waymark:wrong-password@`),
      );
      assert.match(inUrl.message, /tls:\/\/waymark:\*\*\*@127\.0\.0\.1/);
    } finally {
      await w.close();
    }
  });
});

describe('NATS with an NKey user', { timeout: 60_000 }, () => {
  test("the seed from a file signs the server's challenge; another seed is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-nats-nkey-'));
    // The nats package types nkeys as any: the two methods used are named here.
    const user: { getSeed(): Uint8Array; getPublicKey(): string } = nkeys.createUser();
    const stranger: { getSeed(): Uint8Array } = nkeys.createUser();
    writeFileSync(join(dir, 'waymark.nk'), `${new TextDecoder().decode(user.getSeed())}\n`);
    writeFileSync(join(dir, 'stranger.nk'), new TextDecoder().decode(stranger.getSeed()));
    const server = await ownNatsServer(dir, [
      `authorization { users = [ { nkey: ${JSON.stringify(user.getPublicKey())} } ] }`,
    ]);
    const url = `nats://127.0.0.1:${server.port}`;
    const w = await lumaWorld();
    try {
      const ingest = await startNatsIngest({
        app: w.app,
        servers: url,
        stream: 'NKEY_EVENTS',
        subjectPrefix: 'nkey.events',
        auth: { nkeySeedFile: join(dir, 'waymark.nk') },
      });
      try {
        const nc = await connect({
          servers: url,
          maxReconnectAttempts: 0,
          ...natsConnectOptions({ nkeySeedFile: join(dir, 'waymark.nk') }),
        });
        await nc
          .jetstream()
          .publish(
            'nkey.events.prod',
            new TextEncoder().encode(
              JSON.stringify(
                lumaEvent('LumaCheckoutEvent_Email', 'nkey@luma.example', cart, 'nkey-1'),
              ),
            ),
          );
        await nc.close();
        await eventually('the event committed', () => ingest.stats().accepted === 1);
      } finally {
        await ingest.stop();
      }
      await assert.rejects(
        startNatsIngest({
          app: w.app,
          servers: url,
          stream: 'NKEY_EVENTS',
          subjectPrefix: 'nkey.events',
          auth: { nkeySeedFile: join(dir, 'stranger.nk') },
        }),
        (e: unknown) => e instanceof WaymarkError && /authorization violation/i.test(e.message),
      );
    } finally {
      await w.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NATS connection options', () => {
  test('one way to authenticate, files that can be read, a certificate with its key: anything else is refused before connecting, naming the option', () => {
    const refused = (
      auth: Parameters<typeof natsConnectOptions>[0],
      path: string,
      message: RegExp,
    ) =>
      assert.throws(
        () => natsConnectOptions(auth),
        (e: unknown) =>
          e instanceof WaymarkError &&
          e.code === 'bad_request' &&
          e.issues[0]?.path === path &&
          message.test(e.message),
      );
    refused({ user: 'a', token: 't' }, 'token', /one way to authenticate, not user and token/);
    refused({ token: 't', credsFile: '/x' }, 'credsFile', /not token and credsFile/);
    refused({ password: 'p' }, 'user', /a password needs a user name/);
    refused({ user: '' }, 'user', /must not be empty/);
    refused(
      { credsFile: '/nowhere/waymark.creds' },
      'credsFile',
      /cannot read \/nowhere\/waymark\.creds \(ENOENT\)/,
    );
    refused({ credsFile: tls('ca.pem') }, 'credsFile', /not a NATS credentials file/);
    refused(
      { credsFile: '/x', nkeySeedFile: '/y' },
      'nkeySeedFile',
      /not credsFile and nkeySeedFile/,
    );
    refused({ nkeySeedFile: tls('ca.pem') }, 'nkeySeedFile', /does not hold a user NKey seed/);
    refused(
      { tls: { certFile: tls('client.pem') } },
      'tls.keyFile',
      /needs both the certificate and its key/,
    );
    refused({ tls: { caFile: '/nowhere/ca.pem' } }, 'tls.caFile', /cannot read \/nowhere\/ca\.pem/);
    assert.deepEqual(natsConnectOptions({}), {});
    assert.deepEqual(natsConnectOptions({ user: 'u', password: 'p' }), { user: 'u', pass: 'p' });
    assert.deepEqual(natsConnectOptions({ token: 't' }), { token: 't' });
  });

  test('server addresses in messages keep the user name and hide a password or a token', () => {
    assert.equal(redactServer('nats://127.0.0.1:4222'), 'nats://127.0.0.1:4222');
    assert.equal(
      redactServer('nats://ingest:s3cret@nats.internal:4222'),
      'nats://ingest:***@nats.internal:4222',
    );
    assert.equal(redactServer('tls://s3cret-token@nats.internal'), 'tls://***@nats.internal');
    assert.equal(redactServer('nats.internal:4222'), 'nats.internal:4222');
  });
});
