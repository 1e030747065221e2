// Migrations as an observable thing on both stores: applied once at start under a lock, recorded
// with the Waymark version that wrote the store, described by `waymark migrate --dry-run`, and a
// store written by a newer Waymark refused with both versions named.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { runMigrate } from '../../src/cli/commands/migrate-run.ts';
import { RECORD_FORMATS, StoreTooNewError } from '../../src/store/migrations/plan.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { migrations as pgMigrations } from '../../src/store/postgres/schema.ts';
import { registerSqliteFunctions } from '../../src/store/sqlite/functions.ts';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/schema.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { VERSION } from '../../src/version.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const url = POSTGRES_TEST_URL;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'waymark-migrate-'));
}

async function cli(args: {
  data?: string;
  store?: string;
  storeSchema?: string;
  dryRun?: boolean;
}): Promise<string> {
  let text = '';
  await runMigrate(
    {
      data: args.data ?? '.',
      store: args.store ?? 'sqlite',
      storeSchema: args.storeSchema ?? 'public',
      dryRun: args.dryRun,
    },
    (t) => (text += t),
  );
  return text;
}

/** A waymark.db as an earlier Waymark left it: the first `n` migrations, a timer and an outbox item and an instance in their first formats. */
function oldSqlite(dir: string, n: number): void {
  const db = new Database(join(dir, 'waymark.db'));
  registerSqliteFunctions(db);
  for (let v = 0; v < n; v++) db.exec(sqliteMigrations[v]!);
  db.pragma(`user_version = ${n}`);
  db.prepare('INSERT INTO timers (id, sandbox, instance_id, due_at) VALUES (?, ?, ?, ?)').run(
    't1',
    'prod',
    'i1',
    Date.now() + 60_000,
  );
  db.prepare(
    'INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    'i1',
    'prod',
    'j',
    1,
    'p1',
    'active',
    JSON.stringify({
      id: 'i1',
      journeyId: 'j',
      version: 1,
      profileId: 'p1',
      status: 'active',
      seq: 1,
      enteredAt: 1,
      path: ['start'],
      context: { events: {}, actions: {} },
      waiting: null,
      counters: {},
    }),
    1,
  );
  db.close();
}

test('sqlite: an earlier schema is migrated once at open, its old-format records rewritten, the Waymark version recorded; dry-run says so first', async () => {
  const dir = tempDir();
  try {
    const old = sqliteMigrations.length - 2;
    oldSqlite(dir, old);
    const dry = await cli({ data: dir, dryRun: true });
    assert.match(dry, new RegExp(`schema ${old}, no Waymark version recorded`));
    assert.match(dry, new RegExp(`migration ${old + 1}: `));
    assert.match(dry, new RegExp(`migration ${old + 2}: `));
    assert.match(dry, /records: 1 timers row from format 0 to format 1/);
    assert.match(dry, /dry run: nothing changed/);
    const peek = new Database(join(dir, 'waymark.db'), { readonly: true });
    assert.equal(peek.pragma('user_version', { simple: true }), old, 'dry run changed nothing');
    peek.close();

    const out = await cli({ data: dir });
    assert.match(out, new RegExp(`from schema ${old} to ${sqliteMigrations.length}`));
    const store = new SqliteStore(join(dir, 'waymark.db'), { checkpointIntervalMs: null });
    assert.equal(store.migration.applied.length, 0, 'the second open applies nothing');
    assert.equal(store.migration.recordsRewritten, 0);
    await store.close();
    const db = new Database(join(dir, 'waymark.db'), { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), sqliteMigrations.length);
    const meta = Object.fromEntries(
      (
        db.prepare('SELECT key, value FROM waymark_meta').all() as { key: string; value: string }[]
      ).map((r) => [r.key, r.value]),
    );
    assert.equal(meta['waymark_version'], VERSION);
    assert.equal(meta['schema_version'], String(sqliteMigrations.length));
    // Every row in the current formats: later starts skip looking for older ones.
    assert.equal(meta['record_formats'], RECORD_FORMATS);
    const timer = db.prepare('SELECT record FROM timers WHERE id = ?').get('t1') as {
      record: string;
    };
    assert.deepEqual(JSON.parse(timer.record), { kind: 'instance', v: 1, instanceId: 'i1' });
    const inst = db.prepare('SELECT state FROM instances WHERE id = ?').get('i1') as {
      state: string;
    };
    assert.equal((JSON.parse(inst.state) as { v: number }).v, 2);
    db.close();
    assert.match(await cli({ data: dir, dryRun: true }), /up to date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite: a data folder written by a newer Waymark is refused at open and by migrate, naming both versions, and left untouched', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'waymark.db');
    await new SqliteStore(file, { checkpointIntervalMs: null }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${sqliteMigrations.length + 7}`);
    db.prepare("UPDATE waymark_meta SET value = '0.3.0' WHERE key = 'waymark_version'").run();
    db.close();
    const expected = `this data folder (${dir}) was written by Waymark 0.3.0 (schema ${sqliteMigrations.length + 7}); this is Waymark ${VERSION} (schema ${sqliteMigrations.length}): upgrade Waymark, or restore a backup taken with ${VERSION}`;
    assert.throws(
      () => new SqliteStore(file, { checkpointIntervalMs: null }),
      (e: unknown) => e instanceof StoreTooNewError && e.message === expected,
    );
    await assert.rejects(cli({ data: dir, dryRun: true }), { message: expected });
    await assert.rejects(cli({ data: dir }), { message: expected });
    // A newer Waymark version on the same schema is refused too.
    const same = new Database(file);
    same.pragma(`user_version = ${sqliteMigrations.length}`);
    same.close();
    assert.throws(
      () => new SqliteStore(file, { checkpointIntervalMs: null }),
      /written by Waymark 0\.3\.0 \(schema \d+\); this is Waymark/,
    );
    const after = new Database(file, { readonly: true });
    assert.equal(
      (
        after.prepare("SELECT value FROM waymark_meta WHERE key = 'waymark_version'").get() as {
          value: string;
        }
      ).value,
      '0.3.0',
    );
    after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

test('postgresql: engines starting together migrate a fresh schema once (advisory lock), the version recorded; migrate --dry-run then finds nothing', async () => {
  const schema = freshSchemaName('waymark_migrate');
  try {
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore({ connectionString: url, schema, maxConnections: 2 })),
    );
    const applied = stores.map((s) => s.migration?.applied.length ?? -1).sort((a, b) => a - b);
    assert.deepEqual(
      applied,
      [0, 0, pgMigrations.length],
      'one migrator, the others found it done',
    );
    await Promise.all(stores.map((s) => s.close()));
    const versions = await sql<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations ORDER BY version`,
    );
    assert.deepEqual(
      versions.map((r) => r.version),
      pgMigrations.map((_, i) => i + 1),
    );
    const meta = await sql<{ key: string; value: string }>(
      `SELECT key, value FROM ${schema}.waymark_meta ORDER BY key`,
    );
    assert.equal(meta.find((r) => r.key === 'waymark_version')?.value, VERSION);
    const dry = await cli({ store: url, storeSchema: schema, dryRun: true });
    assert.match(
      dry,
      new RegExp(
        `schema ${pgMigrations.length}, last written by Waymark ${VERSION.replace(/\./g, '\\.')}`,
      ),
    );
    assert.match(dry, /up to date/);
  } finally {
    await dropSchema(schema);
  }
});

test('postgresql: an earlier schema is listed by migrate --dry-run, migrated by migrate; a newer one is refused naming both versions', async () => {
  const schema = freshSchemaName('waymark_migrate');
  try {
    const old = pgMigrations.length - 2;
    await sql(`CREATE SCHEMA ${schema}`);
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(
        'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      for (let v = 0; v < old; v++) {
        await client.query(pgMigrations[v]!);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
      }
    } finally {
      await client.end();
    }
    const dry = await cli({ store: url, storeSchema: schema, dryRun: true });
    assert.match(dry, new RegExp(`schema ${old}, no Waymark version recorded`));
    assert.match(dry, new RegExp(`migration ${old + 1}: \\w`));
    assert.match(dry, new RegExp(`migration ${old + 2}: \\w`));
    const out = await cli({ store: url, storeSchema: schema });
    assert.match(out, new RegExp(`from schema ${old} to ${pgMigrations.length}`));

    await sql(
      `INSERT INTO ${schema}.schema_migrations (version) VALUES (${pgMigrations.length + 5})`,
    );
    await sql(`UPDATE ${schema}.waymark_meta SET value = '0.3.0' WHERE key = 'waymark_version'`);
    const expected = `the PostgreSQL schema "${schema}" was written by Waymark 0.3.0 (schema ${pgMigrations.length + 5}); this is Waymark ${VERSION} (schema ${pgMigrations.length}): upgrade Waymark, or restore a backup taken with ${VERSION}`;
    await assert.rejects(openPostgresStore({ connectionString: url, schema }), (e: unknown) => {
      assert.ok(e instanceof StoreTooNewError);
      assert.equal(e.message, expected);
      return true;
    });
    await assert.rejects(cli({ store: url, storeSchema: schema, dryRun: true }), {
      message: expected,
    });
    await assert.rejects(cli({ store: url, storeSchema: schema }), { message: expected });
  } finally {
    await dropSchema(schema);
  }
});

test('waymark serve refuses a data folder or a schema a newer Waymark wrote, exits 1, names both versions', async () => {
  const { execFile } = await import('node:child_process');
  const serve = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['bin/waymark.js', 'serve', '--port', '0', ...args],
        { env: { ...process.env, WAYMARK_LOG_LEVEL: 'warn' }, timeout: 60_000 },
        (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
  const dir = tempDir();
  const schema = freshSchemaName('waymark_migrate');
  try {
    const file = join(dir, 'waymark.db');
    await new SqliteStore(file, { checkpointIntervalMs: null }).close();
    const db = new Database(file);
    db.prepare("UPDATE waymark_meta SET value = '9.0.0' WHERE key = 'waymark_version'").run();
    db.close();
    const sqlite = await serve(['--data', dir]);
    assert.equal(sqlite.code, 1);
    assert.match(
      sqlite.stderr,
      new RegExp(
        `error: this data folder \\(${dir}\\) was written by Waymark 9\\.0\\.0 \\(schema ${sqliteMigrations.length}\\); this is Waymark ${VERSION.replace(/\./g, '\\.')}`,
      ),
    );

    await (await openPostgresStore({ connectionString: url, schema })).close();
    await sql(`UPDATE ${schema}.waymark_meta SET value = '9.0.0' WHERE key = 'waymark_version'`);
    const postgres = await serve([
      '--data',
      dir,
      '--store',
      url,
      '--store-schema',
      schema,
      '--single-leader',
    ]);
    assert.equal(postgres.code, 1);
    assert.match(
      postgres.stderr,
      new RegExp(`error: the PostgreSQL schema "${schema}" was written by Waymark 9\\.0\\.0`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropSchema(schema);
  }
});
