// `waymark serve` stopped with SIGTERM (a service manager, a container runtime; Ctrl-C's SIGINT
// runs the same code), on SQLite and as a fleet engine on PostgreSQL, while clients hold keep-alive
// connections: one idle in a client's pool, one with a request still arriving. The request in
// flight is answered and what it wrote is kept; the process exits with 0 within seconds, not after
// the server's 72 s keep-alive timeout (73.6 s before src/api/graceful-close.ts).
import assert from 'node:assert/strict';
import { Agent, request, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, startServer, type ServerProcess } from '../support/process.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { NATS_URL } from '../bus/nats-support.ts';

/** The answer to a request, its body read to the end (the socket then goes back to the agent's pool). */
function answer(res: IncomingMessage): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (body += d));
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    res.on('error', reject);
  });
}

function get(agent: Agent, url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${path}`,
      { agent },
      (res) => void answer(res).then(resolve, reject),
    );
    req.on('error', reject);
    req.end();
  });
}

function exited(s: ServerProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null)
      return resolve({ code: s.child.exitCode, signal: s.child.signalCode });
    s.child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Starts `waymark serve` with `args`, holds the two connections, sends SIGTERM and checks the stop; restarts to read what was written. */
async function stopsPromptly(args: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-shutdown-'));
  const port = await freePort();
  const idle = new Agent({ keepAlive: true, maxSockets: 1 });
  const busy = new Agent({ keepAlive: true, maxSockets: 1 });
  let server = await startServer(args, dir, port, 120_000);
  try {
    // A connection that answered a request and now waits in the client's pool.
    assert.equal((await get(idle, server.url, '/healthz')).status, 200);
    assert.equal(Object.values(idle.freeSockets).flat().length, 1, 'the idle socket is pooled');
    let idleClosed = false;
    Object.values(idle.freeSockets)
      .flat()[0]!
      .once('close', () => (idleClosed = true));

    // Another keep-alive connection, then a request on it whose body has not all arrived.
    assert.equal((await get(busy, server.url, '/healthz')).status, 200);
    const body = JSON.stringify({ attributes: { note: 'written while the server stopped' } });
    const half = Math.floor(body.length / 2);
    let sendRest: () => void = () => {};
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/v1/profiles/Email/${encodeURIComponent('stop@example.com')}`,
        {
          agent: busy,
          method: 'PUT',
          headers: {
            authorization: `Bearer ${server.key}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => void answer(res).then(resolve, reject),
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      sendRest = () => req.end(body.slice(half));
    });
    // The server has the request's headers (and so its route) well before the signal.
    await new Promise((r) => setTimeout(r, 1000));

    const stopping = exited(server);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    sendRest();
    const put = await inFlight;
    assert.equal(put.status, 200, `the request in flight is answered, not cut: ${put.body}`);
    assert.equal(JSON.parse(put.body).attributes.note, 'written while the server stopped');

    let timer: NodeJS.Timeout | undefined;
    const { code, signal } = await Promise.race([
      stopping,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`still running 20 s after SIGTERM: ${server.output()}`)),
          20_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const took = Date.now() - signalled;
    assert.equal(signal, null, server.output());
    assert.equal(code, 0, server.output());
    assert.ok(took < 10_000, `exited ${took} ms after SIGTERM, expected within 10 s`);
    assert.ok(idleClosed, 'the idle keep-alive connection was closed by the server');

    // What the answered request wrote is in the store after a restart.
    server = await startServer(args, dir, port, 120_000);
    const profile = await api(server, 'GET', '/v1/profiles/Email/stop%40example.com');
    assert.equal(profile.status, 200, JSON.stringify(profile.body));
    assert.equal(profile.body.attributes.note, 'written while the server stopped');
  } finally {
    idle.destroy();
    busy.destroy();
    if (server.child.exitCode === null && server.child.signalCode === null) {
      const gone = exited(server);
      server.child.kill('SIGKILL');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

test('serve on SIGTERM with an idle keep-alive connection and a request in flight: the request is answered and kept, the process exits 0 within seconds', async () => {
  await stopsPromptly(['--smtp-port', '0']);
});

// The fleet (PostgreSQL, events routed through NATS) stops its leases and router after the HTTP
// server: the same stop. Needs PostgreSQL at 127.0.0.1:5432 and NATS at 127.0.0.1:4222; CI starts them.
test('serve as a fleet engine on PostgreSQL stops the same way', async () => {
  const schema = freshSchemaName('waymark_shutdown');
  try {
    await stopsPromptly([
      '--smtp-port',
      '0',
      '--store',
      POSTGRES_TEST_URL,
      '--store-schema',
      schema,
      '--nats',
      NATS_URL,
    ]);
  } finally {
    await dropSchema(schema);
  }
});
