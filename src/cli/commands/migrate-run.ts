// `waymark migrate` when it runs: plans or applies the store's migrations. migrate.ts registers the
// command and loads this module (the stores, better-sqlite3, pg) only then.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { WaymarkError } from '../../errors.ts';
import { describeMigrationDone, describePlan } from '../../store/migrations/plan.ts';
import { planPostgres } from '../../store/migrations/postgres-migrator.ts';
import { planSqlite } from '../../store/migrations/sqlite-migrator.ts';
import { checkSchemaName, pgTypes, redact } from '../../store/postgres/connection.ts';
import { openPostgresStore } from '../../store/postgres/postgres-store.ts';
import { migrations as sqliteMigrations } from '../../store/sqlite/schema.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { VERSION } from '../../version.ts';
import { CliError } from '../client.ts';

export type MigrateOptions = { data: string; store: string; storeSchema: string; dryRun?: boolean };
export type Out = (text: string) => void;

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

async function dryRunPostgres(url: string, schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, types: pgTypes });
  try {
    await client.connect();
  } catch (e) {
    throw new CliError(`PostgreSQL at ${redact(url)} is not usable: ${(e as Error).message}`);
  }
  try {
    return describePlan(await planPostgres(client, schema));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function dryRunSqlite(dataDir: string): string[] {
  const file = join(dataDir, 'waymark.db');
  if (!existsSync(file))
    return [
      `SQLite store ${dataDir}: not created yet; this is Waymark ${VERSION} (schema ${sqliteMigrations.length})`,
      `  the first start creates it with migrations 1 to ${sqliteMigrations.length}`,
    ];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return describePlan(planSqlite(db, dataDir));
  } finally {
    db.close();
  }
}

export async function runMigrate(o: MigrateOptions, out: Out): Promise<void> {
  const postgres = isPostgresUrl(o.store);
  if (!postgres && o.store !== 'sqlite')
    throw new CliError(`--store must be sqlite or a postgres:// URL, not "${o.store}"`);
  const schema = postgres ? checkSchemaName(o.storeSchema) : '';
  const dataDir = resolve(o.data);
  try {
    if (o.dryRun) {
      const lines = postgres ? await dryRunPostgres(o.store, schema) : dryRunSqlite(dataDir);
      out(`${lines.join('\n')}\n(dry run: nothing changed)\n`);
      return;
    }
    if (!postgres && !existsSync(join(dataDir, 'waymark.db'))) {
      out(`no store in ${dataDir} (no waymark.db): nothing to migrate; waymark serve creates it\n`);
      return;
    }
    const store = postgres
      ? await openPostgresStore({ connectionString: o.store, schema, maxConnections: 1 })
      : new SqliteStore(join(dataDir, 'waymark.db'), { checkpointIntervalMs: null });
    try {
      const m = store.migration;
      if (m === null) return;
      out(`${describePlan(m.plan).join('\n')}\n`);
      out(
        `${describeMigrationDone(m) ?? (m.plan.exists ? 'nothing to migrate' : `created at schema ${m.plan.target.schema}`)}\n`,
      );
    } finally {
      await store.close();
    }
  } catch (e) {
    if (e instanceof WaymarkError) throw new CliError(e.message);
    throw e;
  }
}
