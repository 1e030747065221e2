#!/usr/bin/env node
// Builds @waymark/web (sdk/web/src -> sdk/web/dist): the SDK as one ES module
// (waymark-web.js), its service worker (waymark-sw.js) with esbuild, and the type declarations
// (dist/types) with tsc. Only when the dist is missing or older than the sources; `--force`
// rebuilds. `waymark serve` serves the dist at /sdk/ (npm start and the browser tests build it first).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = join(repo, 'sdk', 'web');
export const SDK_DIST = join(sdk, 'dist');
const outputs = ['waymark-web.js', 'waymark-sw.js', join('types', 'index.d.ts')].map((f) =>
  join(SDK_DIST, f),
);

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules' || name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

export function isSdkFresh() {
  if (!outputs.every((f) => existsSync(f))) return false;
  const sources = Math.max(newest(sdk), statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return outputs.every((f) => statSync(f).mtimeMs >= sources);
}

export async function buildSdk({ force = false } = {}) {
  if (!force && isSdkFresh()) return false;
  const { build } = await import('esbuild');
  const common = {
    absWorkingDir: sdk,
    bundle: true,
    target: 'es2020',
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'warning',
    sourcemap: false,
  };
  await build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: join(SDK_DIST, 'waymark-web.js'),
    format: 'esm',
  });
  await build({
    ...common,
    entryPoints: ['src/sw/service-worker.ts'],
    outfile: join(SDK_DIST, 'waymark-sw.js'),
    format: 'iife',
  });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(sdk, 'tsconfig.json')], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`the SDK's declarations did not build:\n${r.stdout}${r.stderr}`);
  // The sources import './x.ts'; the published declarations name the .js a consumer resolves.
  const types = join(SDK_DIST, 'types');
  for (const f of readdirSync(types).filter((n) => n.endsWith('.d.ts'))) {
    const text = readFileSync(join(types, f), 'utf8');
    writeFileSync(join(types, f), text.replace(/(from '\.\/[\w-]+)\.ts'/g, "$1.js'"));
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now();
  try {
    if (await buildSdk({ force: process.argv.includes('--force') }))
      console.log(`@waymark/web built in ${Math.round(performance.now() - t0)} ms (sdk/web/dist)`);
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && outputs.every((f) => existsSync(f))) {
      console.warn('esbuild is not installed: serving the existing sdk/web/dist');
    } else {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
  }
}
