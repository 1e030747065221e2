// Journey throughput through the Luma Purchase Journey on the embedded store, against the raw
// SQLite rate for the same rows. N shoppers check out; half of them buy (LoyaltyService, then the
// Order Confirmation Email); the other half time out after the journey's minute (virtual clock) and
// get the Abandoned Cart push or email. Every figure counts work only once it is committed.
import { performance } from 'node:perf_hooks';
import type { CommitBatch } from '../src/store/ports.ts';
import { figure, type Figure } from './figures.ts';
import { rowsOf, unknownKinds, writeRaw } from './raw-sqlite.ts';
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
    if (inFlight.length >= 4) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/** Fires every due timer and runs the outbox until nothing is left to do now. */
export async function drain(world: BenchWorld): Promise<void> {
  for (;;) {
    const fired = await world.app.engine.fireDueTimers(1000);
    const sent = await world.app.engine.dispatchOutbox(1000);
    if (fired === 0 && sent === 0) return;
  }
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
  /** The batches committed by ingest, then by the drain (empty unless captured). */
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
  const checkouts = Array.from({ length: n }, (_, i) => lumaEvent('checkout', i, run));
  const purchases = Array.from({ length: Math.floor(n / 2) }, (_, k) =>
    lumaEvent('purchase', 2 * k, run),
  );
  const ingestBatches: CommitBatch[] = [];
  const laterBatches: CommitBatch[] = [];
  let sink = ingestBatches;
  if (capture)
    world.store.onCommit = (b) => {
      sink.push(b);
    };

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

  const counters = await world.store.counters('prod', 'purchase-journey');
  const count = (node: string | null, metric: string): number =>
    counters.find((c) => c.node === node && c.metric === metric)?.value ?? 0;
  const timeouts = count('purchase', 'timeout');
  const confirmations = count('confirmation', 'exited');
  const messages = (await world.store.messages('prod', { limit: 10 * n })).length;
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
    const { ingestBatches, laterBatches } = rows;
    const { events, ingestSeconds, ingestCpu, drainSeconds, timeouts, messages, check } = engine;
    const rawIngest = writeRaw(ingestBatches.map(rowsOf), world.dir);
    const rawAll = writeRaw([...ingestBatches, ...laterBatches].map(rowsOf), world.dir);
    const missing = unknownKinds([...ingestBatches, ...laterBatches]);
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
          name: 'raw SQLite, same rows, prepared statements, same transactions',
          value: events / rawIngest.seconds,
          unit: 'events/s',
        },
        targets: [
          { op: '>=', value: 25_000, of: 'value' },
          { op: '>=', value: 0.5, of: 'ratio' },
        ],
        note: `${how}; checkout + purchase events ingested, routed, stepped and committed (state, timers, outbox, counters); ${rawIngest.rows} rows in ${rawIngest.transactions} transactions, from a second, untimed run of the same workload${caveat}`,
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
