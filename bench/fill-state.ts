// Child process of the memory figure: fills a data folder with N profiles waiting in the Luma
// journey (checked out, waiting on the purchase event), then reports its resident memory as one
// JSON line. Run: node --expose-gc --import tsx bench/fill-state.ts <dir> <profiles>
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ingestAll } from './journey.ts';
import { benchWorld, lumaEvent } from './world.ts';

const [dir, count] = [process.argv[2], Number(process.argv[3] ?? 1000)];
if (!dir) throw new Error('usage: fill-state.ts <dir> <profiles>');
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
(globalThis as { gc?: () => void }).gc?.();
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
  `${JSON.stringify({ profiles: count, entered: active, seconds, rss: mem.rss, peakRss: peak, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external, dbBytes: size })}\n`,
);
