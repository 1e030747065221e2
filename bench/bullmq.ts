// The timer baseline: BullMQ delayed jobs on the local Redis (127.0.0.1:6379), the same count and
// the same due times as Waymark's timers, an empty processor. Skipped, not faked, when Redis is not
// reachable or bullmq is not installed.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { runChild } from './child.ts';
import { sleep } from './figures.ts';

type BullMq = typeof import('bullmq'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- bullmq is optional: loaded only when the baseline runs

export interface TimerRun {
  readonly fired: number;
  readonly seconds: number;
  /** Seconds between the first and the last due time. */
  readonly dueSpan: number;
  readonly lateness: number[];
}

export type BaselineRuns =
  { readonly burst: TimerRun; readonly spread: TimerRun } | { readonly skipped: string };

const REDIS = { host: '127.0.0.1', port: 6379 };
const CONCURRENCY = 100;

/** Whether something answers PONG at 127.0.0.1:6379 within a second. */
export function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(REDIS.port, REDIS.host);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/**
 * The baseline in a child process: run in the engine's process, BullMQ and its Redis connections
 * left the figures measured after it slower (latency p99 at 5,000/s 87 ms after it, 31 ms without,
 * BENCHMARKS.md 2026-12-06), so it gets a process of its own.
 */
export async function bullmqTimersApart(
  n: number,
  interval: number,
  warmup: number,
): Promise<BaselineRuns> {
  try {
    const out = await runChild([
      '--import',
      'tsx',
      'bench/bullmq-child.ts',
      String(n),
      String(interval),
      String(warmup),
    ]);
    return JSON.parse(out) as BaselineRuns;
  } catch (e) {
    return { skipped: `the BullMQ process failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function bullmqTimers(
  n: number,
  interval: number,
  warmup: number,
): Promise<BaselineRuns> {
  if (!(await redisReachable()))
    return { skipped: `no Redis answered at ${REDIS.host}:${REDIS.port}` };
  let mod: BullMq;
  try {
    mod = await import('bullmq');
  } catch {
    return { skipped: 'bullmq is not installed (npm install)' };
  }
  // Untimed first, as Waymark's side (timers.ts): `warmup` jobs, all due at once.
  if (warmup > 0) await runOnce(mod, warmup, 0);
  return { burst: await runOnce(mod, n, 0), spread: await runOnce(mod, n, interval) };
}

async function runOnce(mod: BullMq, n: number, interval: number): Promise<TimerRun> {
  const { Queue, Worker } = mod;
  const connection = { ...REDIS, maxRetriesPerRequest: null };
  const name = `waymark-bench-${process.pid}-${Date.now().toString(36)}`;
  const queue = new Queue(name, { connection });
  try {
    // Scheduling: estimate the time to add them all, so that the first is due once they are in.
    const chunk = 1000;
    const addChunk = async (from: number, base: number): Promise<void> => {
      const now = Date.now();
      const jobs = [];
      for (let i = from; i < Math.min(n, from + chunk); i++) {
        const due = base + i * interval;
        jobs.push({
          name: 'timeout',
          data: { due },
          opts: { delay: Math.max(0, due - now), removeOnComplete: true, removeOnFail: true },
        });
      }
      await queue.addBulk(jobs);
    };
    const probeStart = performance.now();
    const probeBase = Date.now() + 3_600_000;
    await addChunk(0, probeBase);
    const perChunk = performance.now() - probeStart;
    await queue.obliterate({ force: true });
    const base = Date.now() + Math.ceil((n / chunk) * perChunk * 1.5) + 1000;
    for (let i = 0; i < n; i += chunk) await addChunk(i, base);
    const lateness: number[] = [];
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => {
      resolveAll = resolve;
    });
    const worker = new Worker(
      name,
      async (job) => {
        lateness.push(Date.now() - (job.data as { due: number }).due);
        if (lateness.length >= n) resolveAll();
      },
      { connection, concurrency: CONCURRENCY },
    );
    await worker.waitUntilReady();
    await sleep(Math.max(0, base - Date.now()));
    const t0 = performance.now();
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((resolve) => {
        giveUp = setTimeout(resolve, 120_000);
      }),
    ]);
    clearTimeout(giveUp);
    const seconds = (performance.now() - t0) / 1000;
    await worker.close(true);
    return { fired: lateness.length, seconds, dueSpan: ((n - 1) * interval) / 1000, lateness };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
