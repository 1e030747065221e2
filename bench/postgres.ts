// The engine on PostgreSQL (the scale-out store): the Luma journey's checkouts and purchases
// ingested, then the purchase timeouts fired, against the storage floor measured in the same run:
// the very batches the engine committed, committed again by the same store into a fresh schema (no
// reads, no routing, no step). Skipped, not faked, when no PostgreSQL answers.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { lumaPackage } from '../examples/luma/index.ts';
import { createWaymark, type Waymark } from '../src/runtime/app.ts';
import { deliverToDevInbox } from '../src/runtime/messages.ts';
import type { CommitBatch, CommitOptions, SentMark } from '../src/store/ports.ts';
import { sentMessageRecords } from '../src/store/records/index.ts';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { figure, type Figure } from './figures.ts';
import { warmupShoppers } from './journey.ts';
import { BenchClock, inProcessLoyalty, lumaEvent, T0 } from './world.ts';

export interface PostgresBenchOptions {
  /** Shoppers: each checks out, half of them purchase, the other half time out. */
  readonly profiles: number;
  readonly batch: number;
  readonly url?: string;
}

/** Where the PostgreSQL benches run (bench/crash.ts too). */
export const DEFAULT_URL =
  process.env['WAYMARK_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const IN_FLIGHT = 4;
/** Calls in flight for the saturated run: enough that requests wait for the writer, as under a busy server's load. */
const SATURATED_IN_FLIGHT = 64;

/** Null when a PostgreSQL answers at `url`, else why not (the section is then skipped, saying so). */
export async function reachable(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return null;
  } catch (e) {
    return `no PostgreSQL answered at ${new URL(url).host} (${(e as Error).message})`;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await c.end();
  }
}

/** Runs `round` until it finds nothing to do: how many it did, in how long, and the batches it added to `committed`. */
async function drained(
  committed: readonly CommitBatch[],
  round: () => Promise<number>,
): Promise<{ count: number; seconds: number; batches: CommitBatch[] }> {
  const first = committed.length;
  const t0 = performance.now();
  let count = 0;
  for (let k = await round(); k > 0; k = await round()) count += k;
  return { count, seconds: (performance.now() - t0) / 1000, batches: committed.slice(first) };
}

/** Commits `batches` one after the other into `store`; seconds taken. */
async function replay(store: PostgresStore, batches: readonly CommitBatch[]): Promise<number> {
  const t0 = performance.now();
  for (const b of batches) await store.commit(b);
  return (performance.now() - t0) / 1000;
}

/** `n` shoppers' checkouts (shoppers `first` on), then the purchases of the first half. */
function shopperEvents(n: number, run: string, first = 0): Array<Record<string, unknown>> {
  return [
    ...Array.from({ length: n }, (_, i) => lumaEvent('checkout', first + i, run)),
    ...Array.from({ length: Math.floor(n / 2) }, (_, i) => lumaEvent('purchase', first + i, run)),
  ];
}

/** Ingests `events`, `batch` a call, at most `inFlight` calls at once; the seconds taken. */
async function ingestAll(
  app: Waymark,
  events: readonly unknown[],
  batch: number,
  inFlight: number,
): Promise<number> {
  const t0 = performance.now();
  const calls: Array<Promise<unknown>> = [];
  for (let i = 0; i < events.length; i += batch) {
    calls.push(app.engine.ingest('prod', events.slice(i, i + batch)));
    if (calls.length >= inFlight) await calls.shift();
  }
  await Promise.all(calls);
  return (performance.now() - t0) / 1000;
}

/**
 * The checkouts and purchases of `n` shoppers ingested into a fresh schema with many calls in
 * flight, by a writer that prepares the next group while a commit is in flight or by one that
 * runs the groups one after another: events per second.
 */
async function saturatedIngest(
  url: string,
  n: number,
  batch: number,
  pipelinedWriter: boolean,
): Promise<number> {
  const schema = `bench_${Date.now().toString(36)}_${process.pid}_${pipelinedWriter ? 'p' : 's'}`;
  const store = await openPostgresStore({ connectionString: url, schema });
  const app = createWaymark({
    store,
    clock: new BenchClock(T0),
    allowHosts: ['127.0.0.1'],
    deliver: deliverToDevInbox,
    invokeAction: inProcessLoyalty,
    pipelinedWriter,
  });
  try {
    await app.packages.apply(
      'prod',
      lumaPackage({ loyaltyUrl: 'http://127.0.0.1:9/loyalty/offers' }),
    );
    const run = schema.slice(6);
    const events = shopperEvents(n, run);
    return events.length / (await ingestAll(app, events, batch, SATURATED_IN_FLIGHT));
  } finally {
    await app.close();
    await dropSchemas(url, [schema]);
  }
}

export async function benchPostgres(opts: PostgresBenchOptions): Promise<Figure[] | string> {
  const url = opts.url ?? DEFAULT_URL;
  const down = await reachable(url);
  if (down) return down;
  const run = `bench_${Date.now().toString(36)}_${process.pid}`;
  const schemas = [`${run}_engine`, `${run}_floor`];
  const store = await openPostgresStore({ connectionString: url, schema: schemas[0]! });
  const floor = await openPostgresStore({ connectionString: url, schema: schemas[1]! });
  const committed: CommitBatch[] = [];
  const commit = store.commit.bind(store);
  store.commit = async (b: CommitBatch, opts?: CommitOptions) => {
    await commit(b, opts);
    committed.push(b);
  };
  // The delivery log records the outbox's sent marks write: the floor writes them too.
  const markSent = store.markOutboxSentMany.bind(store);
  store.markOutboxSentMany = async (marks: readonly SentMark[]) => {
    await markSent(marks);
    const messages = sentMessageRecords(marks);
    if (messages.length > 0) committed.push({ messages });
  };
  const clock = new BenchClock(T0);
  const app = createWaymark({
    store,
    clock,
    allowHosts: ['127.0.0.1'],
    deliver: deliverToDevInbox,
    invokeAction: inProcessLoyalty,
  });
  try {
    await app.packages.apply(
      'prod',
      lumaPackage({ loyaltyUrl: 'http://127.0.0.1:9/loyalty/offers' }),
    );
    const n = Math.max(2, opts.profiles);
    // Other shoppers first, untimed (as in the embedded store's throughput section): right after
    // the engine starts, V8 is still compiling the store's hot paths. The floor commits their
    // batches first too, untimed.
    const warmup = shopperEvents(warmupShoppers(n), `${run}w`, n);
    const coldSeconds = await ingestAll(app, warmup, opts.batch, IN_FLIGHT);
    const warmed = committed.length;
    const events = shopperEvents(n, run);
    const ingestSeconds = await ingestAll(app, events, opts.batch, IN_FLIGHT);
    const ingestBatches = committed.slice(warmed);

    // The purchase event's one-minute timeout, for the half that did not purchase.
    clock.follow(T0 + 61_000);
    const timers = await drained(committed, () => app.engine.fireDueTimers(1000));
    // The outbox: the LoyaltyService calls (in process) and the messages (rendered, logged), each
    // result stepping its instance.
    const outbox = await drained(committed, () => app.engine.dispatchOutbox(200));

    await replay(floor, committed.slice(0, warmed));
    const floorIngest = await replay(floor, ingestBatches);
    const floorTimers = await replay(floor, timers.batches);
    const floorDispatch = await replay(floor, outbox.batches);
    const rows = (bs: readonly CommitBatch[]): number =>
      bs.reduce(
        (k, b) =>
          k + Object.values(b).reduce((r: number, v) => r + (Array.isArray(v) ? v.length : 0), 0),
        0,
      );
    const floorName =
      'the same batches committed again by the PostgreSQL store into a fresh schema';
    // Serial first: a warm-up of the server would otherwise favour the second run.
    const serial = await saturatedIngest(url, n, opts.batch, false);
    const pipelined = await saturatedIngest(url, n, opts.batch, true);
    return [
      figure({
        name: 'postgres.ingest.throughput',
        value: events.length / ingestSeconds,
        unit: 'events/s',
        baseline: { name: floorName, value: events.length / floorIngest, unit: 'events/s' },
        targets: [{ op: '>=', value: 0.8, of: 'ratio' }],
        note: `${n} shoppers on PostgreSQL ${new URL(url).host}, ${opts.batch} events per ingest call, ${IN_FLIGHT} calls in flight; checkout + purchase events ingested, routed, stepped and committed, after ${warmup.length} events of other shoppers since the engine started; ${rows(ingestBatches)} rows in ${ingestBatches.length} commits`,
      }),
      figure({
        name: 'postgres.ingest.cold.throughput',
        value: warmup.length / coldSeconds,
        unit: 'events/s',
        note: `the warm-up: the first ${warmup.length} events after the engine started (${warmupShoppers(n)} shoppers, the same workload), while V8 compiles the hot paths`,
      }),
      figure({
        name: 'postgres.ingest.saturated',
        value: pipelined,
        unit: 'events/s',
        baseline: {
          name: 'the same with a serial writer (each group read and stepped after the previous commit)',
          value: serial,
          unit: 'events/s',
        },
        note: `${n} shoppers' checkouts and purchases, ${opts.batch} events per call, ${SATURATED_IN_FLIGHT} calls in flight (requests wait for the writer); the writer reads and steps the next group while a commit is in flight`,
      }),
      figure({
        name: 'postgres.timers.burst.fired',
        value: timers.count / timers.seconds,
        unit: 'timers/s',
        baseline: { name: floorName, value: timers.count / floorTimers, unit: 'timers/s' },
        note: `${timers.count} timers (the purchase timeouts of the shoppers who did not buy), all due at once, fired and their steps committed; ${rows(timers.batches)} rows in ${timers.batches.length} commits`,
      }),
      figure({
        name: 'postgres.outbox.dispatched',
        value: outbox.count / outbox.seconds,
        unit: 'items/s',
        baseline: { name: floorName, value: outbox.count / floorDispatch, unit: 'items/s' },
        note: `${outbox.count} outbox items (LoyaltyService calls in process, messages rendered and logged), each result committed with its instance's next step; ${rows(outbox.batches)} rows in ${outbox.batches.length} commits`,
      }),
    ];
  } finally {
    await app.close();
    await floor.close();
    await dropSchemas(url, schemas);
  }
}
