#!/usr/bin/env -S node --max-semi-space-size=64
// The `waymark` command. An installed package runs the build (dist/, made by scripts/build-dist.mjs
// when it is packed); a clone runs the TypeScript sources through tsx, so that `npm start` needs no
// build step and never runs a stale one. The young generation is 64 MiB a semi-space rather than
// V8's 16: the engine allocates a short-lived object graph per event, and with the larger nursery
// fewer of them are copied or promoted before they die (BENCHMARKS.md, 2026-12-05 19:45: latency
// p50 at 5,000 events/s about halved at 32 MiB; 2026-12-06 16:00: 64 MiB, measured on a warm
// engine, ingests 10% more on 10% less CPU). `npm start` and `npm run bench` pass the same flag.
import { existsSync } from 'node:fs';

// WAYMARK_RUN_DIST=1 runs dist/ in a clone too: the test command builds it first and sets it, so
// that the hundreds of processes the tests start skip compiling the sources (about 2 s each).
const fromSources =
  existsSync(new URL('../src/cli/main.ts', import.meta.url)) &&
  !(
    process.env.WAYMARK_RUN_DIST === '1' &&
    existsSync(new URL('../dist/waymark.js', import.meta.url))
  );
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/waymark.js');
}
