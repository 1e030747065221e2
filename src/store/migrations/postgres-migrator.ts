// Migrating a PostgreSQL schema: its migrations (postgres/schema.ts, recorded in schema_migrations),
// the stored records written in earlier formats, and waymark_meta (the Waymark version that last
// wrote it), in one transaction under an advisory lock on the schema's name: engines starting
// together migrate once, the others wait and find nothing left to do. A schema a newer Waymark wrote
// is refused untouched.
import type pg from 'pg';
import { INSTANCE_STATE_VERSION } from '../../journey/instance.ts';
import { VERSION } from '../../version.ts';
import {
  decodeInstanceState,
  decodeOutboxRecord,
  decodeTimer,
  encodeOutboxPayload,
  encodeTimer,
  OUTBOX_FORMAT,
  TIMER_FORMAT,
} from '../records/index.ts';
import { migrations } from '../postgres/schema.ts';
import {
  RECORD_FORMATS,
  pendingMigrations,
  refuseNewer,
  type MigrationOutcome,
  type MigrationPlan,
  type RecordUpgrade,
  type StoreVersion,
} from './plan.ts';

type Db = pg.ClientBase;

async function hasTable(db: Db, schema: string, table: string): Promise<boolean> {
  const { rows } = await db.query<{ r: string | null }>('SELECT to_regclass($1) AS r', [
    `${schema}.${table}`,
  ]);
  return rows[0]?.r != null;
}

async function hasColumn(db: Db, schema: string, table: string, column: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3',
    [schema, table, column],
  );
  return (rowCount ?? 0) > 0;
}

async function count(db: Db, sql: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql);
  return Number(rows[0]?.n ?? 0);
}

/** The schema version (schema_migrations) and the Waymark version waymark_meta records; schema 0 when the schema holds neither. */
export async function readPostgresVersion(db: Db, schema: string): Promise<StoreVersion> {
  const schemaVersion = (await hasTable(db, schema, 'schema_migrations'))
    ? await count(db, `SELECT COALESCE(MAX(version), 0) AS n FROM ${schema}.schema_migrations`)
    : 0;
  let waymarkVersion: string | null = null;
  if (await hasTable(db, schema, 'waymark_meta')) {
    const { rows } = await db.query<{ value: string }>(
      `SELECT value FROM ${schema}.waymark_meta WHERE key = 'waymark_version'`,
    );
    waymarkVersion = rows[0]?.value ?? null;
  }
  return { schema: schemaVersion, waymarkVersion };
}

async function recordUpgrades(db: Db, schema: string): Promise<RecordUpgrade[]> {
  const out: RecordUpgrade[] = [];
  if (await hasTable(db, schema, 'timers')) {
    const rows = (await hasColumn(db, schema, 'timers', 'record'))
      ? await count(db, `SELECT COUNT(*) AS n FROM ${schema}.timers WHERE record IS NULL`)
      : await count(db, `SELECT COUNT(*) AS n FROM ${schema}.timers`);
    if (rows) out.push({ table: 'timers', from: 'format 0', to: `format ${TIMER_FORMAT}`, rows });
  }
  if (await hasTable(db, schema, 'outbox')) {
    const rows = await count(
      db,
      `SELECT COUNT(*) AS n FROM ${schema}.outbox WHERE payload->>'v' IS NULL`,
    );
    if (rows) out.push({ table: 'outbox', from: 'format 0', to: `format ${OUTBOX_FORMAT}`, rows });
  }
  if (await hasTable(db, schema, 'instances')) {
    const rows = await count(
      db,
      `SELECT COUNT(*) AS n FROM ${schema}.instances WHERE state->>'v' IS NULL`,
    );
    if (rows)
      out.push({
        table: 'instances',
        from: 'state format 1',
        to: `state format ${INSTANCE_STATE_VERSION}`,
        rows,
      });
  }
  return out;
}

/** What migrating would do, reading only (refuses a schema a newer Waymark wrote). */
export async function planPostgres(db: Db, schema: string): Promise<MigrationPlan> {
  const current = await readPostgresVersion(db, schema);
  refuseNewer('postgres', schema, current, migrations.length);
  return {
    store: 'postgres',
    where: schema,
    exists: current.schema > 0,
    current,
    target: { schema: migrations.length, waymarkVersion: VERSION },
    pending: pendingMigrations(migrations, current.schema),
    recordUpgrades: await recordUpgrades(db, schema),
  };
}

async function rewriteRecords(db: Db): Promise<number> {
  let n = 0;
  const timers = await db.query<{ id: string; sandbox: string; instanceId: string; dueAt: number }>(
    'SELECT id, sandbox, instance_id AS "instanceId", due_at AS "dueAt" FROM timers WHERE record IS NULL',
  );
  for (const t of timers.rows) {
    const record = encodeTimer(decodeTimer({ ...t, record: null })).record;
    await db.query('UPDATE timers SET record = $1 WHERE id = $2', [JSON.stringify(record), t.id]);
    n++;
  }
  const outbox = await db.query<{ id: string; kind: string; payload: unknown }>(
    "SELECT id, kind, payload FROM outbox WHERE payload->>'v' IS NULL",
  );
  for (const o of outbox.rows) {
    const payload = encodeOutboxPayload(decodeOutboxRecord(o.id, o.kind, o.payload));
    await db.query('UPDATE outbox SET payload = $1 WHERE id = $2', [JSON.stringify(payload), o.id]);
    n++;
  }
  const instances = await db.query<{ id: string; state: unknown }>(
    "SELECT id, state FROM instances WHERE state->>'v' IS NULL",
  );
  for (const i of instances.rows) {
    const state = decodeInstanceState(i.state);
    await db.query('UPDATE instances SET state = $1 WHERE id = $2', [JSON.stringify(state), i.id]);
    n++;
  }
  return n;
}

/**
 * Creates the schema if missing and brings it to this binary's migrations and record formats, then
 * records this Waymark's version; idempotent. `client` works with search_path = schema.
 */
export async function migratePostgres(client: Db, schema: string): Promise<MigrationOutcome> {
  await client.query('BEGIN');
  try {
    // One migrator per schema at a time (several processes may start together).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`waymark:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    const before = await readPostgresVersion(client, schema);
    refuseNewer('postgres', schema, before, migrations.length);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const pending = pendingMigrations(migrations, before.schema);
    for (const m of pending) {
      await client.query(migrations[m.number - 1]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.number]);
    }
    const formatsKnown =
      before.schema > 0 && (await hasTable(client, schema, 'waymark_meta'))
        ? (
            await client.query<{ value: string }>(
              "SELECT value FROM waymark_meta WHERE key = 'record_formats'",
            )
          ).rows[0]?.value
        : undefined;
    // A new schema, or one whose rows are all known to be current: nothing to look for.
    const recordsCurrent = before.schema === 0 || formatsKnown === RECORD_FORMATS;
    const upgrades = recordsCurrent ? [] : await recordUpgrades(client, schema);
    const recordsRewritten = upgrades.length ? await rewriteRecords(client) : 0;
    if (before.waymarkVersion !== VERSION || pending.length || formatsKnown !== RECORD_FORMATS) {
      await client.query(
        'CREATE TABLE IF NOT EXISTS waymark_meta (key text PRIMARY KEY, value text NOT NULL)',
      );
      for (const [k, v] of [
        ['waymark_version', VERSION],
        ['schema_version', String(migrations.length)],
        ['written_at', new Date().toISOString()],
        ['record_formats', RECORD_FORMATS],
      ] as const)
        await client.query(
          'INSERT INTO waymark_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
          [k, v],
        );
    }
    await client.query('COMMIT');
    const plan: MigrationPlan = {
      store: 'postgres',
      where: schema,
      exists: before.schema > 0,
      current: before,
      target: { schema: migrations.length, waymarkVersion: VERSION },
      pending,
      recordUpgrades: upgrades,
    };
    return { plan, applied: pending, recordsRewritten };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
