// Profiles the ingest section of the throughput bench alone (the world's setup left out):
// `node --import tsx bench/profile-ingest.ts [profiles] [out.cpuprofile]`; without a file it only
// times the section. As the bench, it times a warm engine: half as many other shoppers run first,
// untimed (`WARMUP=0` leaves them out). Summarize a profile with
// `node bench/profile-summary.mjs file.cpuprofile`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startCpuProfiler } from './cpu-profiler.ts';
import { ingestAll, shopperEvents, warmupShoppers } from './journey.ts';
import { benchWorld } from './world.ts';

/** CPU time of the main thread alone, in µs (Linux: /proc; 10 ms ticks), or NaN elsewhere. */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

const n = Number(process.argv[2] ?? 10_000);
const workers = process.env['WAYMARK_WORKERS'];
const world = await benchWorld({
  loyalty: 'in-process',
  ...(workers !== undefined ? { workers: Number(workers) } : {}),
});
await world.app.engine.workers?.ready();
const run = `pf${Date.now().toString(36)}`;
const { checkouts, purchases } = shopperEvents(n, run);
const warmup = shopperEvents(process.env['WARMUP'] === '0' ? 0 : warmupShoppers(n), `w${run}`, n);
await ingestAll(world, warmup.checkouts, 100);
await ingestAll(world, warmup.purchases, 100);
const profiler = await startCpuProfiler(process.argv[3]);
const t0 = performance.now();
const c0 = process.cpuUsage();
const main0 = mainThreadCpu();
await ingestAll(world, checkouts, 100);
await ingestAll(world, purchases, 100);
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const main = mainThreadCpu() - main0;
await profiler.stop();
const events = checkouts.length + purchases.length;
console.log(
  `workers ${world.app.engine.workers?.settings.size ?? 0} (${world.app.engine.workers?.checkedByWorkers ?? 0} events checked on them): ${events} events in ${s.toFixed(2)} s: ${(events / s).toFixed(0)}/s, ${((cpu.user + cpu.system) / events).toFixed(1)} µs CPU/event (process), ${(main / events).toFixed(1)} µs/event on the main thread`,
);
await world.close();
