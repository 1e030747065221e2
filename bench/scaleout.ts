// Scale-out on PostgreSQL + NATS JetStream: the Luma journey's checkouts sent over HTTP to a fleet of
// one engine, then of two (separate processes, fresh schemas), each until every event is stored;
// the ratio of the two; each engine's events per CPU-second; the store's parallel commit floor (two
// writers committing the same kind of batch at once, no engine) and how close two engines come to
// it; and a failover: one of two engines SIGKILLed under load, the seconds until every partition
// has a live owner again, events lost (sent, acknowledged, never stored) and processed twice
// (journey entries beyond the instances). Skipped, not faked, without PostgreSQL or NATS.
import { performance } from 'node:perf_hooks';
import { connect } from 'nats';
import { cart, lumaEvent } from '../test/support/luma.ts';
import {
  dropRouteStream,
  postEvents,
  prepareLumaSchema,
  spawnEngine,
  type EngineProcess,
} from '../test/fleet/fleet-harness.ts';
import { startDevProviders } from '../src/runtime/dev-providers.ts';
import { startLoyaltyService } from '../examples/luma/loyalty-service.ts';
import { openPostgresStore } from '../src/store/postgres/postgres-store.ts';
import type { CommitBatch } from '../src/store/ports.ts';
import { instanceTimer } from '../src/store/records/index.ts';
import { INSTANCE_STATE_VERSION } from '../src/journey/instance.ts';
import { figure, round, type Figure } from './figures.ts';
import { DEFAULT_URL, dropSchemas, reachable } from './postgres.ts';

export interface ScaleoutOptions {
  /** Checkout events per run. */
  readonly events: number;
  readonly url?: string;
  readonly nats?: string;
  /** Each engine's partition lease and heartbeat (3,000 and 500 ms when absent): the failover waits for a lease to expire. */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  /** The pause after a fleet started, for its partitions to settle between the engines (4 s when absent). */
  readonly settleSeconds?: number;
  readonly log?: (line: string) => void;
}

const SENDERS = 8;
const BATCH = 100;

const freshSchema = (): string => `waymark_bench_scale_${Math.random().toString(16).slice(2, 10)}`;

async function natsReachable(url: string): Promise<string | null> {
  try {
    const nc = await connect({ servers: url, timeout: 2000 });
    await nc.close();
    return null;
  } catch (e) {
    return `no NATS answered at ${url} (${(e as Error).message})`;
  }
}

/** Sends the events over HTTP, round-robin over the engines still alive, until each batch is answered; the seconds until all are stored. */
async function drive(
  url: string,
  schema: string,
  engines: () => EngineProcess[],
  events: readonly unknown[],
  tag: string,
): Promise<number> {
  const reader = await openPostgresStore({ connectionString: url, schema, maxConnections: 1 });
  try {
    const batches: unknown[][] = [];
    for (let i = 0; i < events.length; i += BATCH) batches.push(events.slice(i, i + BATCH));
    const t0 = performance.now();
    let n = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        for (let b = batches.shift(); b; b = batches.shift()) {
          for (let attempt = 0; ; attempt++) {
            const live = engines();
            try {
              await postEvents(live[n++ % live.length]!.url, b);
              break;
            } catch (e) {
              if (attempt > 50) throw e;
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        }
      }),
    );
    for (;;) {
      // Only this run's events: an earlier run in the same schema must not end the wait early.
      const r = await reader.pool.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM events WHERE event_id LIKE $1',
        [`${tag}-%`],
      );
      if (Number(r.rows[0]!.n) >= events.length) break;
      if (performance.now() - t0 > 120_000)
        throw new Error('the fleet did not store every event within 2 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    return (performance.now() - t0) / 1000;
  } finally {
    await reader.close();
  }
}

const checkouts = (n: number, tag: string): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_v, i) =>
    lumaEvent('LumaCheckoutEvent_Email', `${tag}${i}@luma.example`, cart, `${tag}-${i}`),
  );

/** The store alone: two writers committing checkout-like batches (event, profile, instance, timer) at once. */
async function commitFloor(url: string, events: number): Promise<number> {
  const schema = freshSchema();
  const stores = [
    await openPostgresStore({ connectionString: url, schema, maxConnections: 2 }),
    await openPostgresStore({ connectionString: url, schema, maxConnections: 2 }),
  ];
  try {
    const batchOf = (w: number, b: number): CommitBatch => {
      const rows = Array.from({ length: BATCH }, (_v, i) => `w${w}-${b}-${i}`);
      return {
        events: rows.map((id) => ({
          sandbox: 'prod',
          eventId: id,
          type: 'LumaCheckoutEvent_Email',
          profileId: `p-${id}`,
          payload: lumaEvent('LumaCheckoutEvent_Email', `${id}@x`, cart)['payload'],
          receivedAt: Date.now(),
        })),
        profiles: rows.map((id) => ({
          sandbox: 'prod',
          id: `p-${id}`,
          attributes: {},
          testProfile: false,
          identities: [{ namespace: 'Email', id: `${id}@x` }],
          createdAt: 't',
          updatedAt: 't',
        })),
        instances: rows.map((id) => ({
          sandbox: 'prod',
          state: {
            v: INSTANCE_STATE_VERSION,
            id: `i-${id}`,
            journeyId: 'purchase-journey',
            version: 1,
            profileId: `p-${id}`,
            status: 'active',
            waiting: null,
            context: { events: {}, actions: {} },
            path: [],
            enteredAt: 1,
            seq: 0,
          },
        })),
        timersAdd: rows.map((id) =>
          instanceTimer(`t-${id}`, 'prod', `i-${id}`, Date.now() + 3_600_000),
        ),
        counters: [
          {
            sandbox: 'prod',
            journeyId: 'purchase-journey',
            version: 1,
            node: null,
            metric: 'entered',
            delta: BATCH,
          },
        ],
      };
    };
    const per = Math.ceil(events / BATCH / 2);
    const t0 = performance.now();
    await Promise.all(
      stores.map(async (s, w) => {
        for (let b = 0; b < per; b++) await s.commit(batchOf(w, b));
      }),
    );
    return (per * 2 * BATCH) / ((performance.now() - t0) / 1000);
  } finally {
    for (const s of stores) await s.close();
    await dropSchemas(url, [schema]);
  }
}

export async function benchScaleout(o: ScaleoutOptions): Promise<Figure[] | string> {
  const url = o.url ?? DEFAULT_URL;
  const nats = o.nats ?? process.env['WAYMARK_BENCH_NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const down = (await reachable(url)) ?? (await natsReachable(nats));
  if (down) return down;
  const log = o.log ?? (() => undefined);
  const leaseMs = o.leaseMs ?? 3000;
  const heartbeatMs = o.heartbeatMs ?? 500;
  const settleMs = Math.round((o.settleSeconds ?? 4) * 1000);
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const schemas: string[] = [];
  const all: EngineProcess[] = [];
  const fleet = async (n: number): Promise<{ schema: string; engines: EngineProcess[] }> => {
    const schema = freshSchema();
    schemas.push(schema);
    // The purchase wait's timeout far off: the runs measure ingest, not reminders.
    await prepareLumaSchema({
      url,
      schema,
      loyaltyUrl: loyalty.url,
      smtpPort: providers.smtp.port,
      push: providers.pushSettings,
      timeout: 'PT1H',
    });
    const engines: EngineProcess[] = [];
    for (let i = 0; i < n; i++)
      engines.push(await spawnEngine({ url, schema, id: `bench-${n}-${i}`, heartbeatMs, leaseMs }));
    all.push(...engines);
    // Let the partitions settle between the engines.
    await new Promise((r) => setTimeout(r, settleMs));
    return { schema, engines };
  };
  try {
    const one = await fleet(1);
    const cpu1 = (await one.engines[0]!.stats()).cpuMs;
    const s1 = await drive(url, one.schema, () => one.engines, checkouts(o.events, 'one'), 'one');
    const cpu1After = (await one.engines[0]!.stats()).cpuMs;
    await one.engines[0]!.kill();
    const t1 = o.events / s1;
    log(
      `one engine: ${Math.round(t1)} events/s, ${Math.round(o.events / ((cpu1After - cpu1) / 1000))} per CPU-second`,
    );

    const two = await fleet(2);
    const cpu2 = await Promise.all(two.engines.map(async (e) => (await e.stats()).cpuMs));
    const s2 = await drive(url, two.schema, () => two.engines, checkouts(o.events, 'two'), 'two');
    const cpu2After = await Promise.all(two.engines.map(async (e) => (await e.stats()).cpuMs));
    const t2 = o.events / s2;
    const cpuSeconds2 = cpu2After.reduce((n, c, i) => n + c - cpu2[i]!, 0) / 1000;
    log(
      `two engines: ${Math.round(t2)} events/s, ${Math.round(o.events / cpuSeconds2)} per CPU-second`,
    );
    const floor = await commitFloor(url, o.events);
    log(`store floor, two writers: ${Math.round(floor)} events/s`);

    // Failover: of two engines, one SIGKILLed half-way through a run; every partition owned again by the live one.
    const live = (): EngineProcess[] =>
      two.engines.filter((e) => e.proc.exitCode === null && e.proc.signalCode === null);
    const reader = await openPostgresStore({
      connectionString: url,
      schema: two.schema,
      maxConnections: 1,
    });
    let failover = 0;
    const sent = checkouts(o.events, 'fail');
    const run = drive(url, two.schema, live, sent, 'fail').catch(() => 0);
    await new Promise((r) => setTimeout(r, 300));
    const killed = performance.now();
    await two.engines[1]!.kill('SIGKILL');
    for (;;) {
      const r = await reader.pool.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM partition_leases WHERE owner = $1 AND expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint`,
        [two.engines[0]!.id],
      );
      if (Number(r.rows[0]!.n) === 256) {
        failover = (performance.now() - killed) / 1000;
        break;
      }
      await new Promise((r2) => setTimeout(r2, 50));
    }
    await run;
    const stored = await reader.pool.query<{ n: string }>(
      "SELECT COUNT(*) AS n FROM events WHERE event_id LIKE 'fail-%'",
    );
    const entered =
      (await reader.counters('prod', 'purchase-journey')).find(
        (c) => c.node === null && c.metric === 'entered',
      )?.value ?? 0;
    const instances = await reader.pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM instances');
    await reader.close();
    const lost = o.events - Number(stored.rows[0]!.n);
    const duplicates = entered - Number(instances.rows[0]!.n);
    log(`failover: ${failover.toFixed(1)} s, lost ${lost}, processed twice ${duplicates}`);

    return [
      figure({
        name: 'scaleout.engines1.throughput',
        value: Math.round(t1),
        unit: 'events/s',
        note: `${o.events} Luma checkouts over HTTP to one engine in fleet mode (PostgreSQL + NATS), until all stored`,
      }),
      figure({
        name: 'scaleout.engines2.throughput',
        value: Math.round(t2),
        unit: 'events/s',
        note: "the same to two engines (each event sent to either; routed to its partition's owner)",
      }),
      figure({
        name: 'scaleout.engines2.ratio',
        value: round(t2 / t1, 2),
        unit: 'x',
        targets: [{ op: '>=', value: 1.6, of: 'value' }],
        note: 'two engines against one; on a 2-core machine PostgreSQL, NATS and the sender share the cores (see the per-CPU-second and floor figures)',
      }),
      figure({
        name: 'scaleout.engines1.eventsPerCpuSecond',
        value: Math.round(o.events / ((cpu1After - cpu1) / 1000)),
        unit: 'events/CPU-s',
      }),
      figure({
        name: 'scaleout.engines2.eventsPerCpuSecond',
        value: Math.round(o.events / cpuSeconds2),
        unit: 'events/CPU-s',
        note: 'events over the CPU time of both engines',
      }),
      figure({
        name: 'scaleout.store.parallelCommitFloor',
        value: Math.round(floor),
        unit: 'events/s',
        note: 'two writers committing batches of 100 checkout-like rows (event, profile, instance, timer, counter) at once, no engine',
      }),
      figure({
        name: 'scaleout.engines2.ofFloor',
        value: round(t2 / floor, 2),
        unit: 'x',
        targets: [{ op: '>=', value: 0.8, of: 'value' }],
      }),
      figure({
        name: 'scaleout.failover.seconds',
        value: round(failover, 1),
        unit: 's',
        targets: [{ op: '<=', value: 10, of: 'value' }],
        note: `one of two engines SIGKILLed under load (lease ${leaseMs / 1000} s, heartbeat ${heartbeatMs / 1000} s) until every partition has a live owner`,
      }),
      figure({
        name: 'scaleout.failover.lost',
        value: lost,
        unit: 'events',
        targets: [{ op: '<=', value: 0, of: 'value' }],
      }),
      figure({
        name: 'scaleout.failover.duplicates',
        value: duplicates,
        unit: 'events',
        targets: [{ op: '<=', value: 0, of: 'value' }],
      }),
    ];
  } finally {
    for (const e of all) await e.kill().catch(() => undefined);
    await loyalty.close();
    await providers.close();
    await dropSchemas(url, schemas);
    for (const s of schemas) await dropRouteStream(s, nats).catch(() => undefined);
  }
}
