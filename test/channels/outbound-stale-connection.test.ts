// A kept-alive connection that the server has closed when the next request is written on it (its
// idle timeout fired; on a loaded machine the pool's own idle timer fires late): a translation, or
// any idempotent request, goes out again on a new connection instead of failing; a POST that is not
// declared idempotent is not sent twice. The stand-in server answers the first request of each
// connection and resets the connection on the second, as a server that closed it would.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createOutboundFetch, type OutboundPolicy } from '../../src/channels/outbound/index.ts';
import { azureTranslator } from '../../src/channels/translation/azure-translator.ts';

const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };
let server: Server;
let base = '';
/** Requests the server read, by connection: what a resend would show. */
let served: Array<{ connection: number; line: string }> = [];

before(async () => {
  let connections = 0;
  server = createServer((socket: Socket) => {
    const connection = ++connections;
    let requests = 0;
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      buffered = '';
      requests++;
      // The second request on a connection meets a connection the server already closed.
      if (requests > 1) {
        socket.resetAndDestroy();
        return;
      }
      served.push({ connection, line: head.split('\r\n')[0] ?? '' });
      const body = JSON.stringify([{ translations: [{ text: 'hola', to: 'es' }] }]);
      socket.write(
        `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n${body}`,
      );
    });
    socket.on('error', () => {
      /* the client went away */
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('a translation sent on a kept-alive connection the server closed goes out again on a new one', async () => {
  served = [];
  const translator = azureTranslator({ endpoint: base, outbound: LOOPBACK, key: 'k' });
  assert.deepEqual(
    await translator.translate({ texts: ['hello'], from: 'en', to: 'es', format: 'plain' }),
    ['hola'],
  );
  assert.deepEqual(
    await translator.translate({ texts: ['hello'], from: 'en', to: 'es', format: 'plain' }),
    ['hola'],
    'the second call reuses the connection, which was closed',
  );
  assert.deepEqual(
    served.map((s) => s.connection),
    [1, 2],
    'sent again on a new connection',
  );
});

test('a GET is sent again the same way; a POST not declared idempotent fails instead of being sent twice', async () => {
  served = [];
  const get = createOutboundFetch(LOOPBACK);
  assert.equal((await get(`${base}/a`)).status, 200);
  assert.equal((await get(`${base}/b`)).status, 200);
  assert.deepEqual(
    served.map((s) => s.line),
    ['GET /a HTTP/1.1', 'GET /b HTTP/1.1'],
  );

  const post = createOutboundFetch(LOOPBACK);
  assert.equal((await post(`${base}/c`, { method: 'POST', body: '{}' })).status, 200);
  await assert.rejects(
    post(`${base}/d`, { method: 'POST', body: '{}' }),
    (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET',
  );
  assert.deepEqual(
    served.slice(2).map((s) => s.line),
    ['POST /c HTTP/1.1'],
    'the POST was not sent again',
  );
});
