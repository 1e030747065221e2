#!/usr/bin/env node
// Makes a golden dataset of an earlier Waymark: the data an earlier commit's own server wrote, with
// Luma demo profiles in flight, for test/store/upgrade-golden.test.ts to upgrade (docs/upgrades.md).
//
//   node scripts/make-golden.mjs <commit> <name> [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]
//
// It checks the commit out in a temporary git worktree (/tmp/golden-<commit>, node_modules linked
// from this clone's), and, on each store, starts that version's `waymark serve --demo`, sends the
// lab's checkout for every profile in PROFILES, waits until each one waits in the Purchase Journey
// for its purchase (the 1-minute timeout not yet fired), stops the server and saves:
//   test/fixtures/golden/<name>/sqlite/waymark.db.gz   the data folder's database (VACUUM INTO, gzip)
//   test/fixtures/golden/<name>/keys/                  the data folder's key files (test keys only)
//   test/fixtures/golden/<name>/postgres/schema.sql.gz pg_dump (plain SQL) of the schema, asset bytes left out
//   test/fixtures/golden/<name>/golden.json            what was made, by which commit, when, for whom
// The asset files (blobs) are left out of both to keep the fixtures small: the upgrade test re-applies
// the demo, which puts them back.
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The schema every golden PostgreSQL dump is made in (the test loads it under a fresh name). */
export const GOLDEN_PG_SCHEMA = 'waymark_golden';
/** The demo's four people and four shoppers the checkout creates; `app`: the Luma app installed (the abandoned-cart push). */
export const PROFILES = [
  'ana.garcia@luma.example',
  'jean.dupont@luma.example',
  'sarah.miller@luma.example',
  'tom.baker@luma.example',
  'shopper1@example.com',
  'shopper2@example.com',
  'shopper3@example.com',
  'shopper4@example.com',
];
const KEYS = ['secret.key', 'tracking.key', 'admin.key'];

function freePort() {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`make-golden: timed out waiting for ${what}`);
    await sleep(100);
  }
}

function checkout(email, i) {
  return {
    id: `golden-checkout-${i}`,
    type: 'LumaCheckoutEvent_Email',
    payload: {
      _aeppartner1: { identification: { core: { email } } },
      productListItems: [
        { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 + i },
      ],
    },
  };
}

/** Starts the worktree's server, sends the checkouts, waits until every profile waits for its purchase, stops it. */
async function runServer(tree, dataDir, storeArgs) {
  const port = await freePort();
  const args = [
    'bin/waymark.js',
    'serve',
    '--demo',
    '--data',
    dataDir,
    '--port',
    String(port),
    '--smtp-port',
    String(await freePort()),
    '--loyalty-port',
    String(await freePort()),
    ...storeArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd: tree,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WAYMARK_LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await until('the server to start', () => {
      if (child.exitCode !== null) throw new Error(`make-golden: the server exited:\n${out}`);
      return out.includes('Waymark is running at');
    });
    const url = `http://127.0.0.1:${port}`;
    const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    const call = async (method, path, body) => {
      const r = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`make-golden: ${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const madeAt = Date.now();
    for (const [i, email] of PROFILES.entries())
      await call('POST', '/v1/events', checkout(email, i));
    const report = await until('every checkout in the Purchase Journey', async () => {
      const r = await call('GET', '/v1/journeys/purchase-journey/report');
      return r.total.entered === PROFILES.length ? r : null;
    });
    if (report.total.exited) throw new Error('make-golden: a profile left the journey already');
    if (Date.now() - madeAt > 40_000)
      throw new Error('make-golden: too slow, the 1-minute timeouts are close');
    child.kill('SIGTERM');
    await exited;
    return madeAt;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

function psql(url, sql) {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sql], { stdio: 'pipe' });
}

async function main() {
  const [commit, name, ...rest] = process.argv.slice(2);
  if (!commit || !name || !/^[a-z0-9.-]+$/.test(name)) {
    process.stderr.write(
      'usage: node scripts/make-golden.mjs <commit> <name> [--postgres-url URL]   (name: e.g. schema-8)\n',
    );
    process.exit(2);
  }
  const pgUrl =
    rest[rest.indexOf('--postgres-url') + 1] && rest.includes('--postgres-url')
      ? rest[rest.indexOf('--postgres-url') + 1]
      : (process.env.WAYMARK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  const git = (...a) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  const full = git('rev-parse', commit);
  const tree = `/tmp/golden-${full.slice(0, 7)}`;
  if (!existsSync(tree)) git('worktree', 'add', '--detach', tree, full);
  if (!existsSync(join(tree, 'node_modules')))
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(tree, 'node_modules'));
  const version = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')).version;
  const out = join(ROOT, 'test/fixtures/golden', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'sqlite'), { recursive: true });
  mkdirSync(join(out, 'postgres'), { recursive: true });
  mkdirSync(join(out, 'keys'), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'waymark-golden-'));
  try {
    // SQLite: the data folder's database as one file.
    const sqliteDir = join(work, 'sqlite');
    const sqliteMadeAt = await runServer(tree, sqliteDir, []);
    const { default: Database } = await import(
      join(tree, 'node_modules/better-sqlite3/lib/index.js')
    );
    const db = new Database(join(sqliteDir, 'waymark.db'));
    const sqliteSchema = db.pragma('user_version', { simple: true });
    const copy = join(work, 'copy.db');
    db.exec(`VACUUM INTO '${copy}'`);
    db.close();
    writeFileSync(join(out, 'sqlite/waymark.db.gz'), gzipSync(readFileSync(copy), { level: 9 }));
    for (const k of KEYS) copyFileSync(join(sqliteDir, k), join(out, 'keys', k));

    // PostgreSQL: the same keys, a schema of its own, pg_dump of it (plain SQL).
    const pgDir = join(work, 'postgres');
    mkdirSync(pgDir, { mode: 0o700 });
    for (const k of KEYS) copyFileSync(join(sqliteDir, k), join(pgDir, k));
    psql(pgUrl, `DROP SCHEMA IF EXISTS ${GOLDEN_PG_SCHEMA} CASCADE`);
    const pgMadeAt = await runServer(tree, pgDir, [
      '--store',
      pgUrl,
      '--store-schema',
      GOLDEN_PG_SCHEMA,
      // A version with fleets runs one engine, leader of its schema (no NATS needed).
      ...(readFileSync(join(tree, 'src/cli/commands/serve.ts'), 'utf8').includes(
        "'--single-leader'",
      )
        ? ['--single-leader']
        : []),
    ]);
    const dump = execFileSync(
      'pg_dump',
      [
        '--schema',
        GOLDEN_PG_SCHEMA,
        '--no-owner',
        '--no-privileges',
        '--exclude-table-data',
        `${GOLDEN_PG_SCHEMA}.blobs`,
        pgUrl,
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    const pgSchema = Number(
      execFileSync(
        'psql',
        [
          '-X',
          '-At',
          pgUrl,
          '-c',
          `SELECT MAX(version) FROM ${GOLDEN_PG_SCHEMA}.schema_migrations`,
        ],
        { encoding: 'utf8' },
      ).trim(),
    );
    psql(pgUrl, `DROP SCHEMA IF EXISTS ${GOLDEN_PG_SCHEMA} CASCADE`);
    writeFileSync(join(out, 'postgres/schema.sql.gz'), gzipSync(dump, { level: 9 }));

    const golden = {
      name,
      commit: full,
      subject: git('log', '-1', '--format=%s', full),
      committedAt: git('log', '-1', '--format=%cI', full),
      waymarkVersion: version,
      sqlite: { schema: sqliteSchema, madeAt: sqliteMadeAt },
      postgres: { schema: pgSchema, schemaName: GOLDEN_PG_SCHEMA, madeAt: pgMadeAt },
      journey: 'purchase-journey',
      profiles: PROFILES,
      state:
        'every profile checked out and waits for its purchase (1-minute timeout) in the Purchase Journey',
    };
    writeFileSync(join(out, 'golden.json'), `${JSON.stringify(golden, null, 2)}\n`);
    process.stdout.write(
      `golden ${name}: commit ${full.slice(0, 7)}, Waymark ${version}, SQLite schema ${sqliteSchema}, PostgreSQL schema ${pgSchema}, ${PROFILES.length} profiles in flight -> ${out}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
    git('worktree', 'remove', '--force', tree);
  }
}

await main();
