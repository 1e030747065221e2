// `waymark backup` and `waymark restore` when they run. backup.ts registers the commands and loads
// this module (the store's backup code) only then.
import { resolve } from 'node:path';
import { BackupError } from '../../store/backup/container.ts';
import { backupPostgres, restorePostgres } from '../../store/backup/postgres-backup.ts';
import { backupSqlite, restoreSqlite } from '../../store/backup/sqlite-backup.ts';
import { CliError } from '../client.ts';

export type BackupOptions = {
  data: string;
  store: string;
  storeSchema: string;
  includeKeys?: boolean;
};
export type Out = (text: string) => void;

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

function storeOf(o: BackupOptions): 'sqlite' | 'postgres' {
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

export async function runBackup(file: string, o: BackupOptions, out: Out): Promise<void> {
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

export async function runRestore(file: string, o: BackupOptions, out: Out): Promise<void> {
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
