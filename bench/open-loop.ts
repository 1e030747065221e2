// An open-loop load: each event is offered at its scheduled time whether or not earlier ones are
// done, and its latency runs from that time to its commit, so a stall counts against every event
// it delays (no coordinated omission). Each event is its own ingest call, as one HTTP request per
// event would be.
import { performance } from 'node:perf_hooks';
import type { Waymark } from '../src/runtime/app.ts';
import { sleep } from './figures.ts';

export interface OpenLoopResult {
  /** Milliseconds from each event's scheduled time to its commit, in offer order. */
  readonly latencies: number[];
  /** Events not accepted (duplicates or rejections). */
  readonly failed: number;
  /** From the first scheduled offer to the last commit. */
  readonly seconds: number;
}

export async function offerOpenLoop(
  app: Waymark,
  events: readonly unknown[],
  rate: number,
): Promise<OpenLoopResult> {
  const total = events.length;
  const latencies = new Array<number>(total).fill(0);
  let failed = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / rate;
  const start = performance.now() + 5;
  for (let next = 0; next < total;) {
    const now = performance.now();
    while (next < total && start + next * interval <= now) {
      const j = next++;
      const scheduled = start + j * interval;
      pending.push(
        app.engine.ingest('prod', [events[j]]).then((rs) => {
          latencies[j] = performance.now() - scheduled;
          if (rs[0]?.status !== 'accepted') failed++;
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  return { latencies, failed, seconds: (performance.now() - start) / 1000 };
}
