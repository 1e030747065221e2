// A custom action's timeout measures the HTTP call, not the event loop: when other work blocks the
// loop while the answer is on its way, the answer that came in time is not recorded as timed out.
// The endpoint runs in a worker thread (a loop of its own), so the main thread's stall does not
// slow it down: it answers 450 ms after the request arrives, whatever the main thread does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { callAction } from '../../src/channels/http-action/index.ts';
import { buildActionRequest, customActionSchema } from '../../src/model/custom-action.ts';

const endpointSource = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    parentPort.postMessage({ received: true });
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"points":10}'), workerData.answerAfterMs);
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

async function endpoint(
  answerAfterMs: number,
): Promise<{ url: string; worker: Worker; close(): Promise<void> }> {
  const worker = new Worker(endpointSource, { eval: true, workerData: { answerAfterMs } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('error', reject);
    const first = (m: { port?: number }): void => {
      if (m.port !== undefined) {
        worker.off('message', first);
        resolve(m.port);
      }
    };
    worker.on('message', first);
  });
  return {
    url: `http://127.0.0.1:${port}/points`,
    worker,
    close: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

const busyFor = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* CPU work on the main thread */
  }
};

test(
  'an action answered in 0.45 s is not timed out at 1 s while CPU work blocks the loop for 1.5 s',
  { timeout: 60_000 },
  async () => {
    const ep = await endpoint(450);
    try {
      const def = customActionSchema.parse({
        name: 'ActionLoyalty',
        url: ep.url,
        method: 'POST',
        timeoutMs: 1000,
      });
      // The stall starts once the request has reached the endpoint, and lasts past the timeout.
      ep.worker.once('message', () => busyFor(1500));
      const r = await callAction(def, buildActionRequest(def), { allowHosts: ['127.0.0.1'] });
      assert.equal(r.ok, true, `expected success, got ${JSON.stringify(r)}`);
      assert.deepEqual(r.ok ? r.body : null, { points: 10 });
    } finally {
      await ep.close();
    }
  },
);

test('an action that really answers too late still times out', { timeout: 60_000 }, async () => {
  const ep = await endpoint(3000);
  try {
    const def = customActionSchema.parse({
      name: 'ActionLoyalty',
      url: ep.url,
      method: 'POST',
      timeoutMs: 1000,
    });
    const started = performance.now();
    const r = await callAction(def, buildActionRequest(def), { allowHosts: ['127.0.0.1'] });
    assert.equal(r.ok ? 'ok' : r.code, 'timedout');
    assert.ok(performance.now() - started < 2900, 'without waiting for the late answer');
  } finally {
    await ep.close();
  }
});
