// Profiles the firing of a timer burst alone (the scheduling left out), after an untimed one:
// `node --import tsx bench/profile-timers.ts [timers] [out.cpuprofile]`; without a file it only
// times the firing. Summarize a profile with `node bench/profile-summary.mjs file.cpuprofile`.
import { performance } from 'node:perf_hooks';
import { startCpuProfiler } from './cpu-profiler.ts';
import { ingestAll, warmupShoppers } from './journey.ts';
import { benchWorld, lumaEvent } from './world.ts';

const n = Number(process.argv[2] ?? 10_000);
const world = await benchWorld({ loyalty: 'in-process' });
const run = `pt${Date.now().toString(36)}`;
let lastDue = 0;
world.store.onCommit = (b) => {
  for (const t of b.timersAdd ?? [])
    if (!t.id.endsWith(':lifetime')) lastDue = Math.max(lastDue, t.dueAt);
};
/** Shoppers `first` on check out (their timeouts are scheduled), `count` of them. */
async function checkouts(first: number, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i += 100)
    await ingestAll(
      world,
      Array.from({ length: Math.min(100, count - i) }, (_, k) =>
        lumaEvent('checkout', first + i + k, prefix),
      ),
      100,
    );
}
// Untimed first, as bench/timers.ts: half as many other shoppers' timeouts fired (WARMUP=0: none).
if (process.env['WARMUP'] !== '0') {
  await checkouts(n, warmupShoppers(n), `${run}w`);
  world.clock.set(lastDue + 1);
  while ((await world.app.engine.fireDueTimers(1000)) > 0);
  world.clock.set(lastDue + 3_600_000);
}
await checkouts(0, n, run);
let fired = 0;
world.store.onCommit = (b) => {
  fired += (b.timersRemove ?? []).length;
};
world.clock.set(lastDue + 1);
const profiler = await startCpuProfiler(process.argv[3]);
const t0 = performance.now();
const c0 = process.cpuUsage();
while ((await world.app.engine.fireDueTimers(1000)) > 0);
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
await profiler.stop();
console.log(
  `${fired} timers fired in ${s.toFixed(2)} s: ${(fired / s).toFixed(0)}/s, ${((cpu.user + cpu.system) / fired).toFixed(1)} µs CPU/timer`,
);
await world.close();
