// Migrating the embedded store: the schema (sqlite/schema.ts, its version in user_version), the
// stored records written in earlier formats, and waymark_meta (the Waymark version that last wrote
// the file), all in one IMMEDIATE transaction: the writer's lock, so a second process opening the
// same file waits, then finds nothing left to do. A file a newer Waymark wrote is refused untouched.
import type Database from 'better-sqlite3';
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
import { INSTANCE_STATE_VERSION } from '../../journey/instance.ts';
import { migrations } from '../sqlite/schema.ts';
import {
  RECORD_FORMATS,
  pendingMigrations,
  refuseNewer,
  type MigrationOutcome,
  type MigrationPlan,
  type RecordUpgrade,
  type StoreVersion,
} from './plan.ts';

const META =
  'CREATE TABLE IF NOT EXISTS waymark_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID';

const hasTable = (db: Database.Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined;

const hasColumn = (db: Database.Database, table: string, column: string): boolean =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);

const count = (db: Database.Database, sql: string): number =>
  (db.prepare(sql).get() as { n: number }).n;

/** The schema version (user_version) and the Waymark version waymark_meta records. */
export function readSqliteVersion(db: Database.Database): StoreVersion {
  const schema = db.pragma('user_version', { simple: true }) as number;
  const row = hasTable(db, 'waymark_meta')
    ? (db.prepare("SELECT value FROM waymark_meta WHERE key = 'waymark_version'").get() as
        { value: string } | undefined)
    : undefined;
  return { schema, waymarkVersion: row?.value ?? null };
}

/** Rows in an earlier record format (after the schema migrations, the columns they read exist). */
function recordUpgrades(db: Database.Database): RecordUpgrade[] {
  const out: RecordUpgrade[] = [];
  if (hasTable(db, 'timers')) {
    const rows = hasColumn(db, 'timers', 'record')
      ? count(db, 'SELECT COUNT(*) AS n FROM timers WHERE record IS NULL')
      : count(db, 'SELECT COUNT(*) AS n FROM timers');
    if (rows) out.push({ table: 'timers', from: 'format 0', to: `format ${TIMER_FORMAT}`, rows });
  }
  if (hasTable(db, 'outbox')) {
    const rows = count(
      db,
      "SELECT COUNT(*) AS n FROM outbox WHERE json_extract(payload, '$.v') IS NULL",
    );
    if (rows) out.push({ table: 'outbox', from: 'format 0', to: `format ${OUTBOX_FORMAT}`, rows });
  }
  if (hasTable(db, 'instances')) {
    const rows = count(
      db,
      "SELECT COUNT(*) AS n FROM instances WHERE json_extract(state, '$.v') IS NULL",
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

/** What migrating would do, reading only (refuses a file a newer Waymark wrote). */
export function planSqlite(db: Database.Database, where: string): MigrationPlan {
  const current = readSqliteVersion(db);
  refuseNewer('sqlite', where, current, migrations.length);
  return {
    store: 'sqlite',
    where,
    exists: current.schema > 0,
    current,
    target: { schema: migrations.length, waymarkVersion: VERSION },
    pending: pendingMigrations(migrations, current.schema),
    recordUpgrades: recordUpgrades(db),
  };
}

function rewriteRecords(db: Database.Database): number {
  let n = 0;
  const timers = db
    .prepare(
      'SELECT id, sandbox, instance_id AS instanceId, due_at AS dueAt FROM timers WHERE record IS NULL',
    )
    .all() as { id: string; sandbox: string; instanceId: string; dueAt: number }[];
  const setTimer = db.prepare('UPDATE timers SET record = ? WHERE id = ?');
  for (const t of timers) {
    setTimer.run(JSON.stringify(encodeTimer(decodeTimer({ ...t, record: null })).record), t.id);
    n++;
  }
  const outbox = db
    .prepare("SELECT id, kind, payload FROM outbox WHERE json_extract(payload, '$.v') IS NULL")
    .all() as { id: string; kind: string; payload: string }[];
  const setOutbox = db.prepare('UPDATE outbox SET payload = ? WHERE id = ?');
  for (const o of outbox) {
    const record = decodeOutboxRecord(o.id, o.kind, JSON.parse(o.payload));
    setOutbox.run(JSON.stringify(encodeOutboxPayload(record)), o.id);
    n++;
  }
  const instances = db
    .prepare("SELECT id, state FROM instances WHERE json_extract(state, '$.v') IS NULL")
    .all() as { id: string; state: string }[];
  const setInstance = db.prepare('UPDATE instances SET state = ? WHERE id = ?');
  for (const i of instances) {
    setInstance.run(JSON.stringify(decodeInstanceState(JSON.parse(i.state))), i.id);
    n++;
  }
  return n;
}

/**
 * Brings the file to this binary's schema and record formats and records this Waymark's version;
 * idempotent (nothing to do: no write but the version, when it changed). Under the writer's lock.
 */
export function migrateSqlite(db: Database.Database, where: string): MigrationOutcome {
  return db
    .transaction((): MigrationOutcome => {
      const before = readSqliteVersion(db);
      refuseNewer('sqlite', where, before, migrations.length);
      const pending = pendingMigrations(migrations, before.schema);
      for (const m of pending) db.exec(migrations[m.number - 1]!);
      if (pending.length) db.pragma(`user_version = ${migrations.length}`);
      const formatsKnown =
        before.schema > 0 && hasTable(db, 'waymark_meta')
          ? (
              db.prepare("SELECT value FROM waymark_meta WHERE key = 'record_formats'").get() as
                { value: string } | undefined
            )?.value
          : undefined;
      // A new store, or one whose rows are all known to be current: nothing to look for.
      const recordsCurrent = before.schema === 0 || formatsKnown === RECORD_FORMATS;
      const upgrades = recordsCurrent ? [] : recordUpgrades(db);
      const recordsRewritten = upgrades.length ? rewriteRecords(db) : 0;
      if (before.waymarkVersion !== VERSION || pending.length || formatsKnown !== RECORD_FORMATS) {
        db.exec(META);
        const put = db.prepare(
          'INSERT INTO waymark_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        );
        put.run('waymark_version', VERSION);
        put.run('schema_version', String(migrations.length));
        put.run('written_at', new Date().toISOString());
        put.run('record_formats', RECORD_FORMATS);
      }
      const plan: MigrationPlan = {
        store: 'sqlite',
        where,
        exists: before.schema > 0,
        current: before,
        target: { schema: migrations.length, waymarkVersion: VERSION },
        pending,
        recordUpgrades: upgrades,
      };
      return { plan, applied: pending, recordsRewritten };
    })
    .immediate();
}
