#!/usr/bin/env -S node --max-semi-space-size=32
// The `waymark` command. An installed package runs the build (dist/, made by scripts/build-dist.mjs
// when it is packed); a clone runs the TypeScript sources through the repository's loader
// (scripts/ts-loader: esbuild, each file transformed once and cached), so that `npm start` needs no
// build step and never runs a stale one; it starts a server on about 0.6 s less CPU than tsx. The young generation is 32 MiB a semi-space rather than
// V8's 16: the engine allocates a short-lived object graph per event, and with the larger nursery
// fewer of them are copied or promoted before they die (BENCHMARKS.md, 2026-12-05 19:45: latency
// p50 at 5,000 events/s about halved). `npm start` and `npm run bench` pass the same flag.
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (fromSources) {
  await import('../scripts/ts-loader/register.mjs');
  await import('../src/cli/main.ts');
} else {
  await import('../dist/waymark.js');
}
