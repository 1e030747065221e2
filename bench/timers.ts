// Timers: journey timeouts (the Luma purchase event's one minute) scheduled for many profiles,
// then fired. Two runs: a burst (all due at the same instant: the firing rate, i.e. capacity) and a
// spread (due evenly at a given rate: the lateness a profile sees). A timer counts as fired once
// its step (the Preferred Channel condition and the abandoned-cart message in the outbox) is
// committed; delivering that message is the outbox's work, measured by journey.e2e.
import { performance } from 'node:perf_hooks';
import { bullmqTimersApart, type TimerRun } from './bullmq.ts';
import { figure, percentile, sleep, type Figure } from './figures.ts';
import { ingestAll, warmupShoppers } from './journey.ts';
import { benchWorld, lumaEvent, T0, type BenchWorld } from './world.ts';

export interface TimerOptions {
  readonly timers: number;
  /** Due rate of the spread run, timers a second. */
  readonly rate: number;
  /** Skip the BullMQ baseline. */
  readonly noBaseline?: boolean;
}

const POLL_MS = 100;

/**
 * Schedules `n` timeouts (`interval` ms apart, 0 = all at once) and fires them on the real clock,
 * after an untimed round of the same kind (half as many, all at once, other shoppers) in the same
 * world: as in journey.ts, a round of about a second right after the engine starts measured V8
 * compiling the hot paths more than the engine, and the world's one-off work (the demo's batch
 * audiences evaluated over every profile at the audience runtime's first poll, which a server's
 * loop does at start) belongs to no timeout. BullMQ's side gets the same untimed round (bullmq.ts).
 */
export async function waymarkTimers(n: number, interval: number): Promise<TimerRun> {
  const world = await benchWorld({ loyalty: 'in-process' });
  try {
    const run = `tm${Date.now().toString(36)}`;
    await timeoutRound(world, warmupShoppers(n), 0, { run: `${run}w`, first: n, start: T0 });
    return await timeoutRound(world, n, interval, {
      run,
      first: 0,
      start: world.clock.now() + 3_600_000,
    });
  } finally {
    await world.close();
  }
}

/** Shoppers `first` to `first + n - 1` check out from `start` on, `interval` ms apart; their timeouts fire on the real clock. */
async function timeoutRound(
  world: BenchWorld,
  n: number,
  interval: number,
  at: { readonly run: string; readonly first: number; readonly start: number },
): Promise<TimerRun> {
  const due = new Map<string, number>();
  world.store.onCommit = (b) => {
    for (const t of b.timersAdd ?? []) if (!t.id.endsWith(':lifetime')) due.set(t.id, t.dueAt);
  };
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    world.clock.set(at.start + i * interval);
    await ingestAll(
      world,
      Array.from({ length: Math.min(batch, n - i) }, (_, k) =>
        lumaEvent('checkout', at.first + i + k, at.run),
      ),
      batch,
    );
  }
  if (due.size !== n) throw new Error(`expected ${n} timeouts scheduled, found ${due.size}`);
  const firstDue = Math.min(...due.values());
  const lastDue = Math.max(...due.values());
  const lateness: number[] = [];
  world.store.onCommit = (b) => {
    const now = world.clock.now();
    for (const id of b.timersRemove ?? []) {
      const d = due.get(id);
      if (d !== undefined) lateness.push(now - d);
    }
  };
  world.clock.follow(firstDue);
  const t0 = performance.now();
  const deadline = t0 + 120_000;
  // The server loop's policy (src/runtime/engine/loop.ts) without its outbox work: fire while
  // timers come due, and when none is, sleep until the next one is (at most POLL_MS).
  while (lateness.length < n && performance.now() < deadline) {
    const fired = await world.app.engine.fireDueTimers(1000);
    if (fired > 0) continue;
    const next = await world.app.reads.nextTimerDue();
    const wait = next === null ? POLL_MS : Math.min(POLL_MS, next - world.clock.now() + 1);
    if (wait > 0) await sleep(wait);
  }
  const seconds = (performance.now() - t0) / 1000;
  world.store.onCommit = null;
  return { fired: lateness.length, seconds, dueSpan: (lastDue - firstDue) / 1000, lateness };
}

export async function benchTimers(opts: TimerOptions): Promise<Figure[]> {
  const n = Math.max(10, Math.floor(opts.timers));
  const spreadInterval = 1000 / opts.rate;
  const burst = await waymarkTimers(n, 0);
  const spread = await waymarkTimers(n, spreadInterval);
  const base = opts.noBaseline
    ? ({ skipped: 'not run (--no-bullmq)' } as const)
    : await bullmqTimersApart(n, spreadInterval, warmupShoppers(n));
  const skipped = 'skipped' in base ? base.skipped : undefined;
  const bBurst = 'skipped' in base ? null : base.burst;
  const bSpread = 'skipped' in base ? null : base.spread;
  const baseName = 'BullMQ delayed jobs, local Redis, empty processor';
  const bl = (value: number | null, unit: string) => ({
    name: baseName,
    value,
    unit,
    ...(skipped ? { skipped } : {}),
  });
  const rate = (r: TimerRun): number => r.fired / r.seconds;
  return [
    figure({
      name: 'timers.burst.fired',
      value: rate(burst),
      unit: 'timers/s',
      baseline: bl(bBurst ? rate(bBurst) : null, 'jobs/s'),
      targets: [
        { op: '>=', value: 50_000, of: 'value' },
        { op: '>=', value: 2, of: 'ratio' },
      ],
      note: `${burst.fired} of ${n} Luma purchase timeouts, all due at once, fired and their steps committed in ${burst.seconds.toFixed(2)}s${bBurst ? `; BullMQ: ${bBurst.fired} jobs in ${bBurst.seconds.toFixed(2)}s` : ''}; each side after an untimed round of ${warmupShoppers(n)}`,
    }),
    figure({
      name: 'timers.burst.lateness.p99',
      value: percentile(burst.lateness, 99),
      unit: 'ms',
      baseline: bl(bBurst ? percentile(bBurst.lateness, 99) : null, 'ms'),
      note: 'all due at once: the p99 is close to the time to drain the burst',
    }),
    figure({
      name: 'timers.spread.lateness.p99',
      value: percentile(spread.lateness, 99),
      unit: 'ms',
      baseline: bl(bSpread ? percentile(bSpread.lateness, 99) : null, 'ms'),
      targets: [{ op: '<=', value: 100, of: 'value' }],
      note: `${spread.fired} of ${n} timeouts due evenly at ${opts.rate}/s over ${spread.dueSpan.toFixed(1)}s; fired as the server's loop does: at once while due, else woken when the next is due (${POLL_MS} ms at most)`,
    }),
    figure({
      name: 'timers.spread.lateness.p50',
      value: percentile(spread.lateness, 50),
      unit: 'ms',
      baseline: bl(bSpread ? percentile(bSpread.lateness, 50) : null, 'ms'),
    }),
  ];
}
