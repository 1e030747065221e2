#!/usr/bin/env node
// The `waymark` command. An installed package runs the build (dist/, made by scripts/build-dist.mjs
// when it is packed); a clone runs the TypeScript sources through tsx, so that `npm start` needs no
// build step and never runs a stale one.
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (fromSources) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
} else {
  await import('../dist/waymark.js');
}
