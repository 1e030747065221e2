// Backup and restore of a PostgreSQL store: `pg_dump --schema S --format custom` of the store's
// schema, wrapped in Waymark's backup file (a manifest with the version and a checksum), and
// `pg_restore` of it into the same schema, which must be absent or empty. Both tools must be on
// PATH (the postgresql-client package); the secrets in the dump stay encrypted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { VERSION } from '../../version.ts';
import {
  BackupError,
  extractFiles,
  readManifest,
  writeBackup,
  type BackupManifest,
} from './container.ts';
import { checkVersion } from './sqlite-backup.ts';

const DUMP = 'postgres.dump';

function run(tool: 'pg_dump' | 'pg_restore', args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new BackupError(
      `${tool} is needed for a PostgreSQL backup or restore and is not on PATH: install the PostgreSQL client tools (e.g. apt-get install postgresql-client)`,
    );
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new BackupError(`${tool} failed (exit ${String(r.status)}): ${r.stderr.trim()}`);
}

export async function backupPostgres(
  url: string,
  schema: string,
  out: string,
): Promise<BackupManifest> {
  const work = mkdtempSync(join(dirname(out), '.waymark-backup-'));
  try {
    const dump = join(work, DUMP);
    run('pg_dump', ['--dbname', url, '--schema', schema, '--format', 'custom', '--file', dump]);
    return await writeBackup(
      out,
      {
        format: 1,
        waymarkVersion: VERSION,
        createdAt: new Date().toISOString(),
        store: 'postgres',
        schema,
        keysIncluded: false,
      },
      [{ name: DUMP, path: dump }],
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function restorePostgres(
  file: string,
  url: string,
  schema: string,
): Promise<BackupManifest> {
  const { manifest, dataOffset } = readManifest(file);
  checkVersion(manifest, file);
  if (manifest.store !== 'postgres')
    throw new BackupError(`${file} is a SQLite backup: restore it with --data DIR`);
  if (manifest.schema !== schema)
    throw new BackupError(
      `${file} holds schema "${manifest.schema ?? '?'}"; restore it with --store-schema ${manifest.schema ?? '?'} (pg_restore restores into the schema it was dumped from)`,
    );
  if (manifest.files.length !== 1 || manifest.files[0]?.name !== DUMP)
    throw new BackupError(`${file} does not hold a single ${DUMP}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1`,
      [schema],
    );
    if (Number(t.rows[0]?.n ?? '0') > 0)
      throw new BackupError(
        `schema "${schema}" is not empty: restore into an absent or empty schema (drop it first if you mean to replace it)`,
      );
    // The dump creates the schema itself.
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)}`);
  } finally {
    await client.end();
  }
  const work = mkdtempSync(join(dirname(file), '.waymark-restore-'));
  try {
    await extractFiles(file, manifest, dataOffset, (name) => join(work, name));
    run('pg_restore', ['--dbname', url, '--exit-on-error', '--no-owner', join(work, DUMP)]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return manifest;
}
