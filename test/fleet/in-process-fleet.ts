// Engines of a test fleet in one process (each its own Waymark, PostgresStore and fleet: leases,
// routing through NATS), for the fleet-wide limits tests; a package with one event, one counted
// custom action and one journey calling it; and an HTTP endpoint that counts the calls it receives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createWaymark, type Waymark } from '../../src/runtime/app.ts';
import { startFleet, type Fleet } from '../../src/runtime/fleet/fleet.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.ts';

export interface TestEngine {
  readonly app: Waymark;
  readonly fleet: Fleet;
  readonly store: PostgresStore;
  stop(): Promise<void>;
}

export async function startTestEngine(
  url: string,
  schema: string,
  id: string,
): Promise<TestEngine> {
  const store = await openPostgresStore({ connectionString: url, schema, maxConnections: 6 });
  const app = createWaymark({ store, allowHosts: { '*': ['127.0.0.1'] } });
  const fleet = await startFleet({
    app,
    store,
    connectionString: url,
    schema,
    nats: 'nats://127.0.0.1:4222',
    id,
    heartbeatMs: 300,
    leaseMs: 1500,
  });
  app.engine.start(50);
  return {
    app,
    fleet,
    store,
    async stop() {
      await fleet.stop();
      await app.close();
    },
  };
}

/** Starts engines one after the other, then waits until they hold every partition between them, each its share. */
export async function startTestFleet(
  url: string,
  schema: string,
  n: number,
): Promise<TestEngine[]> {
  const engines: TestEngine[] = [];
  for (let i = 0; i < n; i++)
    engines.push(await startTestEngine(url, schema, `engine-${String.fromCharCode(97 + i)}`));
  const share = Math.ceil(256 / n);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const held = engines.map((e) => e.fleet.leases.held.size);
    if (held.reduce((s, x) => s + x, 0) === 256 && held.every((h) => h <= share && h > 0)) break;
    if (Date.now() > deadline) throw new Error(`the partitions never settled: ${held.join(', ')}`);
    await sleep(100);
  }
  return engines;
}

export interface CountingEndpoint {
  readonly url: string;
  /** Arrival times (ms, this process's clock) of every call, and their idempotency keys. */
  readonly calls: Array<{ at: number; key: string }>;
  close(): Promise<void>;
}

export async function startCountingEndpoint(): Promise<CountingEndpoint> {
  const calls: Array<{ at: number; key: string }> = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls.push({ at: Date.now(), key: String(req.headers['idempotency-key'] ?? '') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/count`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** A package: event `Ping` (identity Email), action `Counter` (limits given), journey `ping-journey` calling it, an error path on failure. */
export function limitsPackage(o: {
  endpoint: string;
  capping?: { maxCalls: number; periodMs: number };
  throttling?: { ratePerSecond: number; maxQueueAgeMs: number };
}): unknown {
  return {
    format: 'waymark.package/v1',
    name: 'fleet limits',
    objects: [
      {
        kind: 'eventType',
        spec: {
          name: 'Ping',
          identity: { path: 'email', namespace: 'Email' },
          schema: {
            type: 'object',
            required: ['email'],
            properties: { email: { type: 'string' } },
          },
        },
      },
      {
        kind: 'action',
        spec: {
          name: 'Counter',
          url: o.endpoint,
          method: 'POST',
          payload: [{ path: 'who', type: 'string', kind: 'variable' }],
          timeoutMs: 10_000,
          ...(o.capping ? { capping: o.capping } : {}),
          ...(o.throttling ? { throttling: o.throttling } : {}),
        },
      },
      {
        kind: 'journey',
        id: 'ping-journey',
        publish: true,
        spec: {
          name: 'Ping Journey',
          reentrance: { allowed: false },
          start: 'ping',
          nodes: [
            { id: 'ping', kind: 'event', event: 'Ping', next: ['call'] },
            {
              id: 'call',
              kind: 'action',
              action: 'Counter',
              parameters: { who: '@event{Ping.email}' },
              next: ['done'],
              errorPath: { next: ['refused'] },
            },
            { id: 'done', kind: 'end' },
            { id: 'refused', kind: 'end' },
          ],
        },
      },
    ],
  };
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | null | false>,
  ms: number,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await sleep(100);
  }
}
