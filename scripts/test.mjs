#!/usr/bin/env node
// The README's test command: type-check beside the format check and lint (type-aware, with the
// architecture rules), then run every test file with Node's test runner, and the scenario suites
// once more on PostgreSQL. Extra arguments narrow
// the run: `npm test -- test/journey` (add `--postgres` to run those on PostgreSQL too).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roots = args.filter((a) => !a.startsWith('--'));

function run(cmd, cmdArgs) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function collect(path, out) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) collect(join(path, name), out);
  } else if (/\.test\.ts$/.test(path)) out.push(path);
  return out;
}

// The browser tests drive Debian's headless shell of Chromium (lighter than the full browser: the
// console's tests took a fifth less time on it); the designer's benchmark runs the full browser. On a
// Debian-like machine where we are root, fetch what is missing.
const missing = ['chromium', 'chromium-headless-shell'].filter(
  (name) => !existsSync(`/usr/bin/${name}`),
);
if (
  missing.length > 0 &&
  !process.env.WAYMARK_CHROMIUM &&
  process.getuid?.() === 0 &&
  spawnSync('which', ['apt-get']).status === 0
) {
  console.log(`\nInstalling Debian's ${missing.join(' and ')} for the browser tests...`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Runs a command with its output kept, resolving to that output and its exit status. */
function runQuietly(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('close', (status) => resolve({ status, output }));
  });
}

/**
 * Lanes of commands: the commands of a lane one after the other, the lanes side by side (each
 * command is single-threaded, the machine has two cores or more). A command's output is printed
 * whole when it ends; the first failure stops the run once its lane's output is out.
 */
async function runLanes(lanes) {
  await Promise.all(
    lanes.map(async (lane) => {
      for (const [cmd, cmdArgs] of lane) {
        const started = Date.now();
        const r = await runQuietly(cmd, cmdArgs);
        const seconds = ((Date.now() - started) / 1000).toFixed(0);
        console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}  (${seconds} s)\n${r.output}`.trimEnd());
        if (r.status !== 0) process.exit(r.status ?? 1);
      }
    }),
  );
}

if (!quick) {
  await runLanes([
    [
      ['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
      ['npx', ['tsc', '--noEmit', '-p', 'ui/tsconfig.json']],
      // The browser tests see the DOM (page.evaluate) and the console's .tsx modules they test directly.
      ['npx', ['tsc', '--noEmit', '-p', 'test/ui/tsconfig.json']],
      // The browser SDK (DOM types) and its service worker (WebWorker types).
      ['npx', ['tsc', '--noEmit', '-p', 'sdk/web/tsconfig.json']],
      ['npx', ['tsc', '--noEmit', '-p', 'sdk/web/src/sw/tsconfig.json']],
    ],
    [
      // Formatting is Prettier's (.prettierrc.json): `npm run format` writes it, this only checks.
      ['npx', ['prettier', '--check', '--log-level', 'warn', '.']],
      ['npx', ['eslint', 'src', 'test', 'bench', 'ui', 'sdk']],
    ],
  ]);
}
// The processes the tests start (`waymark serve`, the CLI: several hundred) run the bundle built
// from the sources here rather than compile the sources each (bin/waymark.js, WAYMARK_RUN_DIST):
// about 2 s and 3 s of CPU less a start. Built now, so it is never older than the sources.
run(process.execPath, [fileURLToPath(new URL('./build-dist.mjs', import.meta.url))]);
process.env.WAYMARK_RUN_DIST = '1';

const loader = fileURLToPath(new URL('./ts-loader/register.mjs', import.meta.url));
// The longest files start first (the bench's smoke run, the browser and whole-server tests, one to
// two minutes each) and the many short ones fill in behind them, so that the two lanes end
// together instead of one finishing a browser file alone while the other core idles.
const LONG_FIRST = ['test/bench/', 'test/ui/', 'test/e2e/', 'test/docs/'];
const rank = (f) => {
  const i = LONG_FIRST.findIndex((prefix) => f.startsWith(prefix));
  return i === -1 ? LONG_FIRST.length : i;
};
const files = (roots.length ? roots : ['test'])
  .flatMap((r) => collect(r, []))
  .sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// The fleet scenarios start several engine processes each, and the package test builds, packs and
// installs Waymark (compiling better-sqlite3): in the whole suite they run after the rest, one at a
// time, rather than sharing the two cores with another test file.
const fleet =
  roots.length === 0 ? [...collect('test/fleet', []), ...collect('test/package', [])] : [];
run(process.execPath, [
  '--import',
  loader,
  '--test',
  '--test-concurrency=2',
  '--test-timeout=300000',
  ...files.filter((f) => !fleet.includes(f)),
]);
if (fleet.length > 0) {
  console.log(
    '\nThe fleet scenarios (several engines on PostgreSQL and NATS) and the package install, one at a time:',
  );
  run(process.execPath, [
    '--import',
    loader,
    '--test',
    '--test-concurrency=1',
    '--test-timeout=600000',
    ...fleet,
  ]);
}

// The scenario suites again on PostgreSQL (each test in a fresh schema): the engine must behave the
// same on both stores. A narrowed run (`npm test -- test/journey`) skips this; `--postgres` asks for it.
const scenarios = ['test/journey', 'test/audiences-runtime', 'test/api'];
if (roots.length === 0 || args.includes('--postgres')) {
  const onPostgres = (roots.length ? roots : scenarios).flatMap((r) => collect(r, []));
  console.log('\nThe scenario suites on PostgreSQL (WAYMARK_TEST_STORE=postgres):');
  process.env.WAYMARK_TEST_STORE = 'postgres';
  run(process.execPath, [
    '--import',
    loader,
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    ...onPostgres,
  ]);
}
