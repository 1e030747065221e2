// Custom-action capping and throttling hold for the whole fleet: three engines on one PostgreSQL
// schema and NATS, every profile's journey calling one action on a real HTTP endpoint that counts
// the calls. With a cap of N calls a period, the fleet makes exactly N (not N per engine), and the
// calls over it take the action's error path as `capped` (refused, not lost); with throttling at R
// calls a second, the fleet's calls arrive at R a second, every one of them made.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { dropRouteStream } from './fleet-harness.ts';
import {
  limitsPackage,
  startCountingEndpoint,
  startTestFleet,
  until,
  type TestEngine,
} from './in-process-fleet.ts';

const pings = (n: number, tag: string): unknown[] =>
  Array.from({ length: n }, (_v, i) => ({
    id: `${tag}-${i}`,
    type: 'Ping',
    payload: { email: `${tag}.${i}@fleet.example` },
  }));

/** Sends the events to the engines in turn (each routes what it does not own). */
async function sendAll(engines: readonly TestEngine[], events: readonly unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 20) {
    const r = await engines[(i / 20) % engines.length]!.app.router!.ingest(
      'prod',
      events.slice(i, i + 20),
    );
    for (const x of r) assert.ok(['accepted', 'routed'].includes(x.status), JSON.stringify(x));
  }
}

async function outcomes(e: TestEngine): Promise<Map<string, number>> {
  const all = await e.store.instances('prod', { journeyId: 'ping-journey', limit: 10_000 });
  const out = new Map<string, number>();
  for (const i of all) {
    const k =
      i.status === 'active' ? 'active' : `${i.path.at(-1)?.node}:${i.lastError?.code ?? 'ok'}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** The errors other than capping, for the assertion's message. */
async function errorMessages(e: TestEngine): Promise<string> {
  const all = await e.store.instances('prod', { journeyId: 'ping-journey', limit: 10_000 });
  return JSON.stringify(
    all.flatMap((i) =>
      i.lastError && i.lastError.code !== 'capped' ? [i.lastError as unknown] : [],
    ),
  );
}

test(
  'fleet limits: a cap of 40 calls an hour is the fleet’s: three engines make 40 calls, the rest are capped',
  { timeout: 90_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleetcap');
    const endpoint = await startCountingEndpoint();
    let engines: TestEngine[] = [];
    try {
      engines = await startTestFleet(POSTGRES_TEST_URL, schema, 3);
      await engines[0]!.app.packages.apply(
        'prod',
        limitsPackage({ endpoint: endpoint.url, capping: { maxCalls: 40, periodMs: 3_600_000 } }),
      );
      // A cap's window is aligned to its period: not started within a minute of the hour's end.
      const left = 3_600_000 - (Date.now() % 3_600_000);
      if (left < 60_000) await sleep(left + 100);
      await sendAll(engines, pings(150, 'cap'));
      const done = await until(
        'every profile through the action',
        async () => {
          const o = await outcomes(engines[0]!);
          const total = [...o.values()].reduce((s, x) => s + x, 0);
          return total === 150 && !o.has('active') ? o : null;
        },
        45_000,
      );
      assert.equal(endpoint.calls.length, 40, 'the fleet made exactly the cap');
      assert.equal(new Set(endpoint.calls.map((c) => c.key)).size, 40, 'each call once');
      assert.deepEqual(
        Object.fromEntries(done),
        { 'done:ok': 40, 'refused:capped': 110 },
        await errorMessages(engines[0]!),
      );
      // Every engine called: the cap was shared, not one engine's.
      const calledBy = engines.filter(
        (e) => (e.app.rateLimiter as { stats?: { takes: number } }).stats!.takes > 0,
      );
      assert.equal(calledBy.length, 3, 'the three engines took slots of the one count');
      assert.ok(engines.every((e) => e.app.rateLimiter.scope === 'fleet'));
    } finally {
      for (const e of engines) await e.stop();
      await endpoint.close();
      await dropRouteStream(schema);
      await dropSchema(schema);
    }
  },
);

test(
  'fleet limits: throttling at 20 calls a second holds for the fleet; every call is made',
  { timeout: 90_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleetthr');
    const endpoint = await startCountingEndpoint();
    let engines: TestEngine[] = [];
    try {
      engines = await startTestFleet(POSTGRES_TEST_URL, schema, 3);
      await engines[0]!.app.packages.apply(
        'prod',
        limitsPackage({
          endpoint: endpoint.url,
          throttling: { ratePerSecond: 20, maxQueueAgeMs: 60_000 },
        }),
      );
      await sendAll(engines, pings(120, 'thr'));
      const done = await until(
        'every profile through the action',
        async () => {
          const o = await outcomes(engines[0]!);
          return o.get('done:ok') === 120 ? o : null;
        },
        45_000,
      );
      assert.deepEqual(Object.fromEntries(done), { 'done:ok': 120 });
      assert.equal(new Set(endpoint.calls.map((c) => c.key)).size, 120, 'every call made, once');
      assert.equal(endpoint.calls.length, 120);
      // 120 calls at 20 a second take about 6 s whichever engines make them (three engines each
      // throttling alone would make 60 a second). Turns are exact; arrivals add each engine's
      // wake-up and round-trip delays on a busy machine, which may make a call late, never early:
      // the k-th call comes no sooner than k turns (50 ms each) after the first, 8 turns of slack
      // for the first call's own lateness.
      const at = endpoint.calls.map((c) => c.at).sort((x, y) => x - y);
      for (let k = 0; k < at.length; k++)
        assert.ok(
          at[k]! - at[0]! >= (k - 8) * 50,
          `call ${k} came ${at[k]! - at[0]!} ms after the first: ahead of 20 a second`,
        );
      assert.ok(
        at.at(-1)! - at[0]! >= 5000,
        `120 calls at 20/s span about 6 s, saw ${at.at(-1)! - at[0]!} ms`,
      );
    } finally {
      for (const e of engines) await e.stop();
      await endpoint.close();
      await dropRouteStream(schema);
      await dropSchema(schema);
    }
  },
);
