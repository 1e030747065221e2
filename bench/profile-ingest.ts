// Profiles the ingest section of the throughput bench alone (the world's setup left out):
// `node --import tsx bench/profile-ingest.ts [profiles] [out.cpuprofile]`; without a file it only
// times the section. Summarize a profile with `node bench/profile-summary.mjs file.cpuprofile`.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { ingestAll } from './journey.ts';
import { benchWorld, lumaEvent } from './world.ts';

const n = Number(process.argv[2] ?? 10_000);
const world = await benchWorld({ loyalty: 'in-process' });
const run = `pf${Date.now().toString(36)}`;
const checkouts = Array.from({ length: n }, (_, i) => lumaEvent('checkout', i, run));
const purchases = Array.from({ length: Math.floor(n / 2) }, (_, k) =>
  lumaEvent('purchase', 2 * k, run),
);
const out = process.argv[3];
const session = out ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const t0 = performance.now();
const c0 = process.cpuUsage();
await ingestAll(world, checkouts, 100);
await ingestAll(world, purchases, 100);
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
if (session && out) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(out, JSON.stringify(profile));
  session.disconnect();
}
const events = checkouts.length + purchases.length;
console.log(
  `${events} events in ${s.toFixed(2)} s: ${(events / s).toFixed(0)}/s, ${((cpu.user + cpu.system) / events).toFixed(1)} µs CPU/event`,
);
await world.close();
