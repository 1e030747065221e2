import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerAddress } from 'smtp-server';
import { emailConfigurationSchema } from '../../src/model/channel-configuration.ts';
import {
  createSmtpTransport,
  startDevSmtpServer,
  DevInbox,
  messageIdFor,
} from '../../src/channels/email/index.ts';
import type { DevMail } from '../../src/channels/email/index.ts';
import type { EmailMessage, EmailTransport } from '../../src/channels/ports.ts';

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

function configFor(port: number, extra: Record<string, unknown> = {}) {
  return emailConfigurationSchema.parse({
    channel: 'email',
    name: 'EmailMarketing',
    fromName: 'Luma',
    fromAddress: 'news@luma.example',
    replyTo: { address: 'care@luma.example' },
    headers: { 'X-Campaign': 'purchase' },
    smtp: { host: '127.0.0.1', port, secure: 'none', pool: { maxConnections: 2 } },
    ...extra,
  });
}
function transportFor(port: number, extra: Record<string, unknown> = {}): EmailTransport {
  // The test's SMTP server is on loopback: listed for its port, as an operator would.
  const t = createSmtpTransport(configFor(port, extra), {
    outbound: { allowHosts: [`127.0.0.1:${port}`] },
  });
  closers.push(() => t.close());
  return t;
}
const message = (key: string, to = 'sarah@example.com'): EmailMessage => ({
  idempotencyKey: key,
  from: { name: 'Luma', address: 'news@luma.example' },
  to: { name: 'Sarah Rose', address: to },
  subject: 'Thank you for your purchase',
  html: '<p>Your order <b>#1001</b> is confirmed.</p>',
  text: 'Your order #1001 is confirmed.',
  listUnsubscribe: { url: 'https://waymark.example/u/abc', mailto: 'unsubscribe@luma.example' },
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A real smtp-server whose RCPT answers are scripted. */
async function scriptedServer(
  answer: (rcpt: string, n: number) => number,
  received: string[],
): Promise<number> {
  let n = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 200,
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      n++;
      const code = answer(address.address, n);
      if (code === 250) {
        cb();
        return;
      }
      cb(
        Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), {
          responseCode: code,
        }),
      );
    },
    onData(stream, _session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        received.push(raw);
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.server.address() as AddressInfo).port;
}

describe('SMTP through nodemailer into the development server', () => {
  test('a message arrives parsed, with its derived Message-ID and one-click unsubscribe headers', async () => {
    const inbox = new DevInbox();
    const got: DevMail[] = [];
    const dev = await startDevSmtpServer({
      port: 0,
      closeTimeoutMs: 200,
      onMessage: (m) => {
        got.push(m);
        inbox.add(m);
      },
    });
    closers.push(() => dev.close());
    const r = await transportFor(dev.port).send(message('journey-1/node-4/profile-9'));
    assert.equal(r.kind, 'sent');
    assert.equal(got.length, 1);
    const m = got[0] as DevMail;
    const expectedId = messageIdFor('journey-1/node-4/profile-9', 'luma.example');
    assert.equal(r.kind === 'sent' && r.messageId, expectedId);
    assert.equal(`<${m.messageId.replace(/^<|>$/g, '')}>`, expectedId);
    assert.equal(m.from, 'news@luma.example');
    assert.deepEqual(m.to, ['sarah@example.com']);
    assert.equal(m.subject, 'Thank you for your purchase');
    assert.match(m.html, /<b>#1001<\/b>/);
    assert.equal(m.text.trim(), 'Your order #1001 is confirmed.');
    assert.equal(
      m.headers['list-unsubscribe'],
      '<https://waymark.example/u/abc>, <mailto:unsubscribe@luma.example?subject=unsubscribe>',
    );
    assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    assert.equal(m.headers['x-campaign'], 'purchase');
    assert.match(m.headers['reply-to'] ?? '', /care@luma\.example/);
    assert.equal(inbox.list({ to: 'SARAH@example.com' }).length, 1);
    assert.equal(inbox.list({ to: 'nobody@example.com' }).length, 0);
  });

  test('DKIM signs when configured', async () => {
    const got: DevMail[] = [];
    const dev = await startDevSmtpServer({
      port: 0,
      closeTimeoutMs: 200,
      onMessage: (m) => got.push(m),
    });
    closers.push(() => dev.close());
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const t = transportFor(dev.port, {
      dkim: {
        domainName: 'luma.example',
        keySelector: 'wm1',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    assert.equal((await t.send(message('dkim-1'))).kind, 'sent');
    assert.match(got[0]?.headers['dkim-signature'] ?? '', /d=luma\.example;.*s=wm1/s);
  });

  test('451 is a temporary failure; the retry is delivered once with the same Message-ID', async () => {
    const received: string[] = [];
    const port = await scriptedServer((_rcpt, n) => (n === 1 ? 451 : 250), received);
    const t = transportFor(port);
    const first = await t.send(message('retry-key'));
    assert.equal(first.kind, 'temporaryFailure');
    assert.equal(first.kind === 'temporaryFailure' && first.code, 451);
    assert.equal(received.length, 0);
    const second = await t.send(message('retry-key'));
    assert.equal(second.kind, 'sent');
    assert.equal(received.length, 1);
    assert.ok(received[0]?.includes(`Message-ID: ${messageIdFor('retry-key', 'luma.example')}`));
  });

  test('550 is a bounce: the address is undeliverable', async () => {
    const received: string[] = [];
    const port = await scriptedServer((rcpt) => (rcpt.startsWith('gone@') ? 550 : 250), received);
    const r = await transportFor(port).send(message('bounce-1', 'gone@example.com'));
    assert.equal(r.kind, 'bounced');
    if (r.kind === 'bounced') {
      assert.equal(r.code, 550);
      assert.equal(r.address, 'gone@example.com');
    }
    assert.equal(received.length, 0);
  });

  test('the SMTP server down, then back: temporary failures, then delivered exactly once', async () => {
    const port = await freePort();
    const t = transportFor(port);
    const down = await t.send(message('outage-1'));
    assert.equal(down.kind, 'temporaryFailure');
    const got: DevMail[] = [];
    const dev = await startDevSmtpServer({
      port,
      closeTimeoutMs: 200,
      onMessage: (m) => got.push(m),
    });
    closers.push(() => dev.close());
    assert.equal((await t.send(message('outage-1'))).kind, 'sent');
    assert.equal(got.length, 1);
  });
});

let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

describe(
  "SMTP with TLS over the outbound policy's checked socket",
  { skip: !hasOpenssl && 'openssl is not installed' },
  () => {
    // The transport opens the TCP socket itself (to a checked address); TLS is layered on it, with
    // the certificate verified: implicit TLS and STARTTLS both work.
    for (const secure of ['tls', 'starttls'] as const) {
      test(`secure: ${secure} delivers with the certificate verified, and refuses an unknown certificate`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'wm-smtp-tls-'));
        closers.push(async () => rmSync(dir, { recursive: true, force: true }));
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
        const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
        const got: string[] = [];
        const server = new SMTPServer({
          secure: secure === 'tls',
          key: readFileSync(join(dir, 'key.pem')),
          cert,
          authOptional: true,
          logger: false,
          onData(stream, session, callback) {
            stream.resume();
            stream.on('end', () => {
              got.push(`${session.secure}`);
              callback();
            });
          },
        });
        server.on('error', () => {
          /* the refused handshake is the server's error to see, not the test's */
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        closers.push(() => new Promise((r) => server.close(() => r())));
        const port = (server.server.address() as AddressInfo).port;
        const config = emailConfigurationSchema.parse({
          channel: 'email',
          name: 'Tls',
          fromAddress: 'news@luma.example',
          smtp: { host: '127.0.0.1', port, secure, rejectUnauthorized: true },
        });
        const outbound = { allowHosts: [`127.0.0.1:${port}`] };
        const trusted = createSmtpTransport(config, { outbound, tls: { ca: cert } });
        assert.equal((await trusted.send(message('tls-1'))).kind, 'sent');
        await trusted.close();
        assert.deepEqual(got, ['true']);
        const untrusted = createSmtpTransport(config, { outbound });
        const r = await untrusted.send(message('tls-2'));
        await untrusted.close();
        assert.equal(r.kind, 'temporaryFailure');
        assert.equal(got.length, 1);
      });
    }
  },
);
