// Child process of the memory figure: fills a data folder with N profiles waiting in the Luma
// journey (checked out, waiting on the purchase event), then reports its resident memory as one
// JSON line: right after the fill, and once it settles. Run:
// node --expose-gc --import tsx bench/fill-state.ts <dir> <profiles> [settle-max-ms]
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ingestAll } from './journey.ts';
import { benchWorld, lumaEvent } from './world.ts';

const [dir, count] = [process.argv[2], Number(process.argv[3] ?? 1000)];
/** The longest the resident size is given to settle (30 s; the smoke run gives it less). */
const settleMaxMs = Number(process.argv[4] ?? 30_000);
if (!dir || !(settleMaxMs >= 0))
  throw new Error('usage: fill-state.ts <dir> <profiles> [settle-max-ms]');
const world = await benchWorld({ loyalty: 'in-process', dir, start: Date.now() });
const chunk = 10_000;
const t0 = performance.now();
let peak = process.memoryUsage().rss;
for (let i = 0; i < count; i += chunk) {
  const events = Array.from({ length: Math.min(chunk, count - i) }, (_, k) =>
    lumaEvent('checkout', i + k, 'fill'),
  );
  await ingestAll(world, events, 500);
  peak = Math.max(peak, process.memoryUsage().rss);
}
const seconds = (performance.now() - t0) / 1000;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
gc();
const afterFill = process.memoryUsage().rss;
// V8 gives the pages an ingest burst grew its heap by back to the system only once the process is
// idle (its memory reducer, seconds later): what holding the profiles in flight costs is the
// resident size once that is done. It has settled when it fell by under 2% in 3 s (30 s at most,
// settle-max-ms when given).
const SETTLE_STEP_MS = 1000;
const settled: number[] = [afterFill];
for (let waited = 0; waited < settleMaxMs; waited += SETTLE_STEP_MS) {
  await new Promise((r) => setTimeout(r, SETTLE_STEP_MS));
  gc();
  settled.push(process.memoryUsage().rss);
  const before = settled[settled.length - 4];
  if (before !== undefined && settled[settled.length - 1]! > before * 0.98) break;
}
const settleSeconds = (settled.length - 1) * (SETTLE_STEP_MS / 1000);
const mem = process.memoryUsage();
const active =
  (await world.store.counters('prod', 'purchase-journey')).find(
    (c) => c.node === null && c.metric === 'entered',
  )?.value ?? 0;
await world.app.close();
const size = ['waymark.db', 'waymark.db-wal'].reduce((s, f) => {
  try {
    return s + statSync(join(dir, f)).size;
  } catch {
    return s;
  }
}, 0);
process.stdout.write(
  `${JSON.stringify({ profiles: count, entered: active, seconds, rss: mem.rss, afterFillRss: afterFill, settleSeconds, peakRss: peak, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, dbBytes: size })}\n`,
);
