// `waymark backup FILE` and `waymark restore FILE`: a consistent copy of a data folder (SQLite,
// taken while the server runs) or of a PostgreSQL schema (pg_dump), and its restore into an empty
// data folder or schema. See docs/backup.md.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BackupError } from '../../store/backup/container.ts';
import { backupPostgres, restorePostgres } from '../../store/backup/postgres-backup.ts';
import { backupSqlite, restoreSqlite } from '../../store/backup/sqlite-backup.ts';
import { CliError } from '../client.ts';

type Opts = { data: string; store: string; storeSchema: string; includeKeys?: boolean };
type Out = (text: string) => void;

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

function storeOf(o: Opts): 'sqlite' | 'postgres' {
  if (o.store === 'sqlite') return 'sqlite';
  if (isPostgresUrl(o.store)) return 'postgres';
  throw new CliError(`--store must be sqlite or a postgres:// URL, not "${o.store}"`);
}

async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message);
    throw e;
  }
}

export async function runBackup(file: string, o: Opts, out: Out): Promise<void> {
  const dest = resolve(file);
  if (storeOf(o) === 'postgres') {
    const m = await wrap(() => backupPostgres(o.store, o.storeSchema, dest));
    out(`backed up schema ${o.storeSchema} (pg_dump, Waymark ${m.waymarkVersion}) to ${dest}\n`);
    out(
      'secrets stay encrypted in the backup: a restore needs the same keys (WAYMARK_SECRET_KEYS or the keyring file)\n',
    );
    return;
  }
  const dataDir = resolve(o.data);
  const r = await wrap(() => backupSqlite(dataDir, dest, o.includeKeys === true));
  const blobs = r.manifest.files.filter((f) => f.name.startsWith('blobs/')).length;
  out(
    `backed up ${dataDir} (waymark.db, ${blobs} asset file${blobs === 1 ? '' : 's'}${r.manifest.keysIncluded ? ', key files' : ''}; Waymark ${r.manifest.waymarkVersion}) to ${dest}\n`,
  );
  if (r.manifest.keysIncluded)
    out('the key files are IN this backup: keep it as secret as the data folder itself\n');
  else if (r.keysLeftOut.length > 0)
    out(
      `the key files are NOT in the backup: ${r.keysLeftOut.join(', ')}\nkeep a copy of them apart; a restore needs secret.key (or WAYMARK_SECRET_KEYS) to read the encrypted secrets, tracking.key for earlier tracking links, admin.key for the same admin API key\n`,
    );
}

export async function runRestore(file: string, o: Opts, out: Out): Promise<void> {
  const src = resolve(file);
  if (storeOf(o) === 'postgres') {
    const m = await wrap(() => restorePostgres(src, o.store, o.storeSchema));
    out(
      `restored schema ${o.storeSchema} from ${src} (made ${m.createdAt} by Waymark ${m.waymarkVersion})\n`,
    );
    return;
  }
  const dataDir = resolve(o.data);
  const m = await wrap(() => restoreSqlite(src, dataDir));
  out(
    `restored ${dataDir} from ${src} (made ${m.createdAt} by Waymark ${m.waymarkVersion}; integrity_check ok, checksums ok)\n`,
  );
  if (!m.keysIncluded)
    out(
      `the backup holds no key files: copy secret.key, tracking.key and admin.key into ${dataDir} (or set WAYMARK_SECRET_KEYS) before serving, or the encrypted secrets cannot be read\n`,
    );
}

function storeOptions(c: Command): Command {
  return c
    .option('--data <dir>', 'data folder (the SQLite file, keys, asset files)', './.waymark')
    .option(
      '--store <url>',
      'sqlite (the file in --data) or a postgres:// URL (env WAYMARK_STORE)',
      process.env.WAYMARK_STORE ?? 'sqlite',
    )
    .option('--store-schema <name>', 'the PostgreSQL schema', 'public');
}

export function registerBackupCommands(
  program: Command,
  out: Out = (t) => process.stdout.write(t),
): void {
  storeOptions(
    program
      .command('backup')
      .argument('<file>', 'the backup file to write')
      .description(
        'write a consistent backup while the server runs: SQLite via its online backup API, with the asset files (key files only with --include-keys); PostgreSQL via pg_dump of --store-schema',
      ),
  )
    .option(
      '--include-keys',
      'put the key files (secret.key, tracking.key, admin.key) in the backup',
    )
    .action((file: string, o: Opts) => runBackup(file, o, out));
  storeOptions(
    program
      .command('restore')
      .argument('<file>', 'the backup file to read')
      .description(
        'restore a backup into an empty data folder (SQLite) or an absent/empty schema (PostgreSQL, via pg_restore); checks checksums, integrity and that the backup is not from a newer Waymark',
      ),
  ).action((file: string, o: Opts) => runRestore(file, o, out));
}
