// Journey throughput through the Luma Purchase Journey on the embedded store, against the raw
// SQLite rate for the same rows. N shoppers check out; half of them buy (LoyaltyService, then the
// Order Confirmation Email); the other half time out after the journey's minute (virtual clock) and
// get the Abandoned Cart push or email. Every figure counts work only once it is committed.
import { performance } from 'node:perf_hooks';
import type { CommitBatch } from '../src/store/ports.ts';
import { figure, type Figure } from './figures.ts';
import { rowsInTransactionsOf, rowsOf, unknownKinds, writeRaw } from './raw-sqlite.ts';
import { benchWorld, lumaEvent, type BenchWorld, type LoyaltyMode } from './world.ts';

export interface ThroughputOptions {
  readonly profiles: number;
  /** Events per ingest call (one HTTP request's worth). */
  readonly batch: number;
  readonly loyalty: LoyaltyMode;
}

/** Ingests `events` in calls of `batch`, a few calls in flight as concurrent requests would be. */
export async function ingestAll(
  world: BenchWorld,
  events: readonly unknown[],
  batch: number,
): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < events.length; i += batch) {
    inFlight.push(
      world.app.engine.ingest('prod', events.slice(i, i + batch)).then((rs) => {
        const bad = rs.find((r) => r.status !== 'accepted');
        if (bad) throw new Error(`bench event not accepted: ${JSON.stringify(bad)}`);
      }),
    );
    if (inFlight.length >= CALLS_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/** Ingest calls the bench keeps in flight (a client with a few connections). */
export const CALLS_IN_FLIGHT = 4;

/** Fires every due timer and runs the outbox until nothing is left to do now. */
export async function drain(world: BenchWorld): Promise<void> {
  for (;;) {
    const fired = await world.app.engine.fireDueTimers(1000);
    const sent = await world.app.engine.dispatchOutbox(1000);
    if (fired === 0 && sent === 0) return;
  }
}

/**
 * Shoppers whose checkouts, purchases, timeouts and messages run first in the same world, untimed:
 * right after the engine starts, V8 is still compiling its hot paths, and a run of about a second
 * measured that more than the engine (BENCHMARKS.md, 2026-12-06 16:00). Their own rate is reported
 * apart, as `journey.ingest.cold.throughput`.
 */
export const warmupShoppers = (n: number): number => Math.max(2, Math.round(n / 2));

/** The checkouts of `n` shoppers from number `first` on, then the purchases of every other one. */
export function shopperEvents(
  n: number,
  run: string,
  first = 0,
): { checkouts: unknown[]; purchases: unknown[] } {
  return {
    checkouts: Array.from({ length: n }, (_, i) => lumaEvent('checkout', first + i, run)),
    purchases: Array.from({ length: Math.floor(n / 2) }, (_, k) =>
      lumaEvent('purchase', first + 2 * k, run),
    ),
  };
}

/** One run of the workload in a fresh world: timed, and with its committed batches kept if asked. */
interface JourneyRun {
  readonly events: number;
  readonly purchases: number;
  readonly ingestSeconds: number;
  readonly ingestCpu: NodeJS.CpuUsage;
  readonly drainSeconds: number;
  readonly timeouts: number;
  readonly messages: number;
  readonly check: string;
  /** The warm-up's events and the seconds they took to ingest, right after the engine started. */
  readonly cold: { readonly events: number; readonly seconds: number };
  /** The batches committed by the warm-up (ingest and drain), then by the timed ingest, then by its drain (empty unless captured). */
  readonly warmupBatches: readonly CommitBatch[];
  readonly ingestBatches: readonly CommitBatch[];
  readonly laterBatches: readonly CommitBatch[];
}

async function runJourney(
  opts: ThroughputOptions,
  n: number,
  capture: boolean,
  world: BenchWorld,
): Promise<JourneyRun> {
  const run = `tp${Date.now().toString(36)}${capture ? 'c' : ''}`;
  const warmupBatches: CommitBatch[] = [];
  const ingestBatches: CommitBatch[] = [];
  const laterBatches: CommitBatch[] = [];
  let sink = warmupBatches;
  if (capture)
    world.store.onCommit = (b) => {
      sink.push(b);
    };

  const warm = shopperEvents(warmupShoppers(n), `${run}w`, n);
  const tw = performance.now();
  await ingestAll(world, warm.checkouts, opts.batch);
  await ingestAll(world, warm.purchases, opts.batch);
  const cold = {
    events: warm.checkouts.length + warm.purchases.length,
    seconds: (performance.now() - tw) / 1000,
  };
  world.clock.advance(61_000);
  await drain(world);
  const counters = async (): Promise<(node: string | null, metric: string) => number> => {
    const all = await world.store.counters('prod', 'purchase-journey');
    return (node, metric) => all.find((c) => c.node === node && c.metric === metric)?.value ?? 0;
  };
  const messageCount = async (): Promise<number> =>
    (await world.store.messages('prod', { limit: 10 * (n + warm.checkouts.length) })).length;
  const before = await counters();
  const messagesBefore = await messageCount();

  const { checkouts, purchases } = shopperEvents(n, run);
  sink = ingestBatches;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await ingestAll(world, checkouts, opts.batch);
  await ingestAll(world, purchases, opts.batch);
  const ingestSeconds = (performance.now() - t0) / 1000;
  const ingestCpu = process.cpuUsage(c0);

  sink = laterBatches;
  world.clock.advance(61_000);
  const t1 = performance.now();
  await drain(world);
  const drainSeconds = (performance.now() - t1) / 1000;
  world.store.onCommit = null;

  const after = await counters();
  const count = (node: string | null, metric: string): number =>
    after(node, metric) - before(node, metric);
  const timeouts = count('purchase', 'timeout');
  const confirmations = count('confirmation', 'exited');
  const messages = (await messageCount()) - messagesBefore;
  const check = `${n} entered, ${confirmations} order confirmations, ${timeouts} timeouts, ${messages} messages logged`;
  if (
    count(null, 'entered') !== n ||
    timeouts !== n - purchases.length ||
    confirmations !== purchases.length ||
    messages !== n
  ) {
    throw new Error(`the journey did not run as expected: ${check}`);
  }
  return {
    events: checkouts.length + purchases.length,
    purchases: purchases.length,
    ingestSeconds,
    ingestCpu,
    drainSeconds,
    timeouts,
    messages,
    check,
    cold,
    warmupBatches,
    ingestBatches,
    laterBatches,
  };
}

/**
 * The engine's run is timed with nothing kept: the rows for the raw baseline come from a second,
 * untimed run of the same workload in a fresh world (the same kinds, counts and sizes of rows,
 * in the same transactions). Kept during the timed run, every committed batch stayed in the heap
 * and cost the engine 4 to 8% of its throughput in garbage collection (BENCHMARKS.md, 2026-12-06).
 */
export async function benchThroughput(opts: ThroughputOptions): Promise<Figure[]> {
  const n = Math.max(2, Math.floor(opts.profiles));
  const timed = await benchWorld({ loyalty: opts.loyalty });
  let engine: JourneyRun;
  try {
    engine = await runJourney(opts, n, false, timed);
  } finally {
    await timed.close();
  }
  const world = await benchWorld({ loyalty: opts.loyalty });
  try {
    const rows = await runJourney(opts, n, true, world);
    const { warmupBatches, ingestBatches, laterBatches } = rows;
    const { events, ingestSeconds, ingestCpu, drainSeconds, timeouts, messages, check, cold } =
      engine;
    // The raw baseline writes the warm-up's rows first, untimed, as the engine did.
    const warmupRows = warmupBatches.map(rowsOf);
    // Ingest's baseline commits as many events a transaction as the calls in flight can share,
    // whatever the engine's groups were.
    const rawIngest = writeRaw(
      rowsInTransactionsOf(ingestBatches, CALLS_IN_FLIGHT * opts.batch),
      world.dir,
      warmupRows,
    );
    const rawAll = writeRaw([...ingestBatches, ...laterBatches].map(rowsOf), world.dir, warmupRows);
    const missing = unknownKinds([...warmupBatches, ...ingestBatches, ...laterBatches]);
    const caveat =
      missing.length > 0
        ? `; the baseline does not write these rows the engine wrote: ${missing.join(', ')}`
        : '';
    const how = `${n} profiles, ${opts.batch} events per ingest call, LoyaltyService ${opts.loyalty === 'http' ? 'over HTTP (examples/luma/loyalty-service.ts)' : 'in process (ActionInvoker)'}`;
    return [
      figure({
        name: 'journey.ingest.throughput',
        value: events / ingestSeconds,
        unit: 'events/s',
        baseline: {
          name: `raw SQLite, same rows, prepared statements, transactions of ${CALLS_IN_FLIGHT * opts.batch} events`,
          value: events / rawIngest.seconds,
          unit: 'events/s',
        },
        targets: [
          { op: '>=', value: 25_000, of: 'value' },
          { op: '>=', value: 0.5, of: 'ratio' },
        ],
        note: `${how}; checkout + purchase events ingested, routed, stepped and committed (state, timers, outbox, counters), after ${cold.events} events of other shoppers since the engine started; the engine (its untimed run) committed ${ingestBatches.length} transactions, the baseline wrote ${rawIngest.rows} rows in ${rawIngest.transactions} (the rows of the ${CALLS_IN_FLIGHT} calls in flight in each, whatever the engine grouped), from a second, untimed run of the same workload${caveat}`,
      }),
      figure({
        name: 'journey.ingest.cold.throughput',
        value: cold.events / cold.seconds,
        unit: 'events/s',
        note: `the warm-up: the first ${cold.events} events after the engine started (${warmupShoppers(n)} shoppers, the same workload), while V8 compiles the hot paths`,
      }),
      figure({
        name: 'journey.e2e.throughput',
        value: events / (ingestSeconds + drainSeconds),
        unit: 'events/s',
        baseline: {
          name: 'raw SQLite, same rows, prepared statements, same transactions',
          value: events / rawAll.seconds,
          unit: 'events/s',
        },
        note: `${how}; ingest, then ${timeouts} timeouts fired, ${engine.purchases} LoyaltyService calls and ${messages} messages rendered and logged, all committed (${check}); ${rawAll.rows} rows in ${rawAll.transactions} transactions${caveat}`,
      }),
      figure({
        name: 'journey.ingest.cpuPerEvent',
        value: (ingestCpu.user + ingestCpu.system) / events,
        unit: 'µs/event',
        baseline: {
          name: 'raw SQLite, same rows',
          value: (rawIngest.cpuSeconds * 1e6) / events,
          unit: 'µs/event',
        },
        note: 'CPU time (user + system) of this process per event: less sensitive than wall time to other load on the machine',
      }),
      figure({
        name: 'journey.drain.seconds',
        value: drainSeconds,
        unit: 's',
        note: 'timeouts, actions and messages after ingest (outbox dispatch included)',
      }),
    ];
  } finally {
    await world.close();
  }
}
