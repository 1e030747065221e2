#!/usr/bin/env node
// Builds the web console (ui/ -> ui/dist) with Vite, only when the dist is missing or older than
// the sources. `--force` rebuilds; `--dev` starts Vite's dev server proxying the API
// (WAYMARK_URL, default http://127.0.0.1:4600).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ui = join(repo, 'ui');
const dist = join(ui, 'dist');
const args = new Set(process.argv.slice(2));

// Files only: a folder's own time changes when anything is made in it (the tests' build lock,
// ui/.build-lock, did), which made a fresh build look stale, and a parallel test file then rebuilt
// ui/dist under a console another test was serving.
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

function sources() {
  // The UI bundles pure modules of src (the audience compiler, the expression language, the import
  // chunking, model schemas): a change there changes the bundle too.
  return Math.max(
    newest(ui),
    newest(join(repo, 'src')),
    statSync(join(repo, 'package-lock.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
  );
}

export function uiConfig() {
  return {
    root: ui,
    base: '/',
    logLevel: 'warn',
    clearScreen: false,
    build: {
      outDir: dist,
      emptyOutDir: true,
      sourcemap: false,
      chunkSizeWarningLimit: 1500,
      assetsDir: 'static',
      rollupOptions: {
        onwarn(w, warn) {
          if (w.code !== 'MODULE_LEVEL_DIRECTIVE') warn(w);
        },
      },
    },
    // The console reaches the server's pure modules through one door: src/isomorphic.
    resolve: {
      alias: [{ find: /^@waymark\/shared\//, replacement: `${join(repo, 'src', 'isomorphic')}/` }],
    },
    server: {
      proxy: {
        '/v1': process.env.WAYMARK_URL ?? 'http://127.0.0.1:4600',
        '/openapi.json': process.env.WAYMARK_URL ?? 'http://127.0.0.1:4600',
      },
    },
  };
}

export function isUiFresh() {
  const index = join(dist, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= sources();
}

async function main() {
  if (args.has('--dev')) {
    const { createServer } = await import('vite');
    const server = await createServer(uiConfig());
    await server.listen();
    server.printUrls();
    return;
  }
  if (!args.has('--force') && isUiFresh()) return;
  let vite;
  try {
    vite = await import('vite');
  } catch {
    if (existsSync(join(dist, 'index.html'))) {
      console.warn('vite is not installed: serving the existing ui/dist');
      return;
    }
    console.error('vite is not installed: run npm install (the web console cannot be built)');
    process.exit(1);
  }
  const t0 = performance.now();
  await vite.build(uiConfig());
  console.log(`web console built in ${Math.round(performance.now() - t0)} ms (ui/dist)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
