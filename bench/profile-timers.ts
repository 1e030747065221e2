// Profiles the firing of a timer burst alone (the scheduling left out):
// `node --import tsx bench/profile-timers.ts [timers] [out.cpuprofile]`; without a file it only
// times the firing. Summarize a profile with `node bench/profile-summary.mjs file.cpuprofile`.
import { performance } from 'node:perf_hooks';
import { startCpuProfiler } from './cpu-profiler.ts';
import { ingestAll } from './journey.ts';
import { benchWorld, lumaEvent } from './world.ts';

const n = Number(process.argv[2] ?? 10_000);
const world = await benchWorld({ loyalty: 'in-process' });
const run = `pt${Date.now().toString(36)}`;
let lastDue = 0;
world.store.onCommit = (b) => {
  for (const t of b.timersAdd ?? [])
    if (!t.id.endsWith(':lifetime')) lastDue = Math.max(lastDue, t.dueAt);
};
for (let i = 0; i < n; i += 100)
  await ingestAll(
    world,
    Array.from({ length: Math.min(100, n - i) }, (_, k) => lumaEvent('checkout', i + k, run)),
    100,
  );
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
