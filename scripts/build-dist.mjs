#!/usr/bin/env node
// Builds what the npm package runs: the server and CLI bundled by esbuild into dist/ (plain
// JavaScript, no TypeScript at run time, with the pure-JavaScript dependencies inside: resolving
// and loading hundreds of separate package files was most of a start), the console (ui/dist)
// and the browser SDK (sdk/web/dist). `npm pack` runs it (prepack). A clone keeps running the
// sources through tsx (bin/waymark.js picks dist/ only where src/ is absent, as in an installed
// package).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUiFresh, uiConfig } from './build-ui.mjs';
import { buildSdk } from './build-sdk.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repo, 'dist');

/**
 * Dependencies that stay imports of node_modules: native addons, packages that load files of their
 * own by path at run time (pino's transport workers), and the heavy ones loaded only when used
 * (mjml with the first email compiled, mailparser with the first development mail).
 */
export const external = [
  'better-sqlite3',
  'sharp',
  '@node-rs/argon2',
  'pino',
  'thread-stream',
  'msgpackr',
  'msgpackr-extract',
  'pg-native',
  'mjml',
  'mailparser',
];

// A bundled CommonJS dependency may require() Node's modules: an ES module has no require of its own.
const requireShim =
  "import { createRequire as __waymarkCreateRequire } from 'node:module'; const require = __waymarkCreateRequire(import.meta.url);";

/** The benchmarks run from a clone (bench/ is not in the package): their suite stays an unresolved import. */
const benchOutside = {
  name: 'bench-outside',
  setup(b) {
    b.onResolve({ filter: /\/bench\/(suite|table)\.ts$/ }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

export async function buildDist() {
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: {
      waymark: 'src/cli/main.ts',
      'check-worker': 'src/runtime/workers/check-worker.ts',
    },
    outdir: dist,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20.12',
    external,
    banner: { js: requireShim },
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [benchOutside],
  });
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  await buildDist();
  if (!isUiFresh()) await (await import('vite')).build(uiConfig());
  await buildSdk({ force: true });
  process.stdout.write(
    `built dist/, ui/dist and sdk/web/dist in ${Math.round(performance.now() - t0)} ms\n`,
  );
}
