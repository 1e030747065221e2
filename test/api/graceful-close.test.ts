// closeServer (src/api/graceful-close.ts) on a bare Fastify: a request in flight when it begins is
// answered with `Connection: close` and its connection does not hold the close; a request that
// never finishes is cut after the grace period, so the close is bounded.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { closeServer, registerClosingConnections } from '../../src/api/graceful-close.ts';

async function serverWith(route: (release: Promise<void>) => Promise<string>): Promise<{
  f: FastifyInstance;
  url: string;
  arrived: Promise<void>;
  release: () => void;
}> {
  const f = Fastify();
  registerClosingConnections(f);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const arrival = new Promise<void>((r) => (arrived = r));
  f.get('/slow', async () => {
    arrived();
    return route(released);
  });
  f.get('/fast', async () => 'fast');
  const url = await f.listen({ port: 0, host: '127.0.0.1' });
  return { f, url, arrived: arrival, release };
}

function get(
  agent: Agent,
  url: string,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('a request in flight when the server closes is answered with Connection: close, and the close ends at once after it', async () => {
  const { f, url, arrived, release } = await serverWith(async (released) => {
    await released;
    return 'done';
  });
  const agent = new Agent({ keepAlive: true });
  try {
    assert.equal((await get(agent, `${url}/fast`)).connection, 'keep-alive');
    const answer = get(agent, `${url}/slow`);
    await arrived;
    const closing = closeServer(f, 30_000);
    const begun = Date.now();
    setTimeout(release, 200);
    const res = await answer;
    assert.deepEqual(res, { status: 200, connection: 'close', body: 'done' });
    await closing;
    assert.ok(Date.now() - begun < 5_000, `closed ${Date.now() - begun} ms after it began`);
  } finally {
    agent.destroy();
  }
});

test('a request that does not finish within the grace period has its connection cut', async () => {
  const { f, url, arrived, release } = await serverWith(async (released) => {
    await released;
    return 'too late';
  });
  const agent = new Agent({ keepAlive: true });
  try {
    const answer = get(agent, `${url}/slow`).then(
      () => 'answered',
      (e: NodeJS.ErrnoException) => e.code,
    );
    await arrived;
    const begun = Date.now();
    await closeServer(f, 300);
    const took = Date.now() - begun;
    assert.ok(took >= 250 && took < 5_000, `closed ${took} ms after it began`);
    assert.equal(await answer, 'ECONNRESET');
  } finally {
    release();
    agent.destroy();
  }
});
