// Backup and restore of an embedded (SQLite) data folder. The database is copied with SQLite's
// online backup API from a read-only connection, so a running server keeps writing (WAL mode:
// readers never block the writer); the copy is one consistent snapshot. Asset files (blobs/) are
// copied beside it. The key files stay out unless asked for: the secrets in the database stay
// encrypted, and a restore needs the same keys (the keyring file or WAYMARK_SECRET_KEYS).
import Database from 'better-sqlite3';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  chmodSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { VERSION } from '../../version.ts';
import {
  BackupError,
  compareVersions,
  extractFiles,
  readManifest,
  writeBackup,
  type BackupManifest,
} from './container.ts';

/** The data folder's key files: kept out of a backup unless `includeKeys`. */
export const KEY_FILES = ['secret.key', 'tracking.key', 'admin.key'] as const;
const DB = 'waymark.db';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && !e.name.endsWith('.tmp')) out.push(p);
  }
  return out.sort();
}

export interface SqliteBackupResult {
  readonly manifest: BackupManifest;
  readonly keysLeftOut: string[];
}

export async function backupSqlite(
  dataDir: string,
  out: string,
  includeKeys: boolean,
): Promise<SqliteBackupResult> {
  const dbPath = join(dataDir, DB);
  if (!existsSync(dbPath))
    throw new BackupError(`${dataDir} holds no ${DB}: is it a Waymark data folder (--data)?`);
  const work = mkdtempSync(join(dirname(out), '.waymark-backup-'));
  try {
    const snapshot = join(work, DB);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      await db.backup(snapshot);
    } finally {
      db.close();
    }
    const files = [{ name: DB, path: snapshot }];
    // Asset files are copied aside first, so the set packaged is fixed even while the server
    // writes or deletes some (one deleted meanwhile is left out).
    for (const p of walk(join(dataDir, 'blobs'))) {
      const name = relative(dataDir, p).split(sep).join('/');
      const copy = join(work, ...name.split('/'));
      mkdirSync(dirname(copy), { recursive: true, mode: 0o700 });
      try {
        copyFileSync(p, copy);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      files.push({ name, path: copy });
    }
    const present = KEY_FILES.filter((k) => existsSync(join(dataDir, k)));
    if (includeKeys) for (const k of present) files.push({ name: k, path: join(dataDir, k) });
    const manifest = await writeBackup(
      out,
      {
        format: 1,
        waymarkVersion: VERSION,
        createdAt: new Date().toISOString(),
        store: 'sqlite',
        keysIncluded: includeKeys,
      },
      files,
    );
    return { manifest, keysLeftOut: includeKeys ? [] : present.map((k) => join(dataDir, k)) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Fails unless the backup was written by this Waymark version or an older one. */
export function checkVersion(manifest: BackupManifest, file: string): void {
  if (compareVersions(manifest.waymarkVersion, VERSION) > 0)
    throw new BackupError(
      `${file} was made by Waymark ${manifest.waymarkVersion}, newer than this Waymark ${VERSION}: restore it with Waymark ${manifest.waymarkVersion} or later`,
    );
}

const safeName = (n: string): boolean =>
  n !== '' && !n.startsWith('/') && !n.split('/').some((p) => p === '' || p === '.' || p === '..');

export async function restoreSqlite(file: string, dataDir: string): Promise<BackupManifest> {
  const { manifest, dataOffset } = readManifest(file);
  checkVersion(manifest, file);
  if (manifest.store !== 'sqlite')
    throw new BackupError(
      `${file} is a ${manifest.store} backup (schema ${manifest.schema ?? '?'}): restore it with --store postgres://…`,
    );
  if (existsSync(dataDir)) {
    if (!statSync(dataDir).isDirectory())
      throw new BackupError(`${dataDir} is a file, not a folder`);
    const inside = readdirSync(dataDir);
    if (inside.length > 0)
      throw new BackupError(
        `${dataDir} is not empty (${inside.slice(0, 3).join(', ')}${inside.length > 3 ? ', …' : ''}): restore into an empty or new data folder`,
      );
  }
  for (const f of manifest.files)
    if (!safeName(f.name)) throw new BackupError(`${file} names an unsafe path: ${f.name}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  try {
    await extractFiles(file, manifest, dataOffset, (name) => {
      const dest = join(dataDir, ...name.split('/'));
      mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
      return dest;
    });
    const db = new Database(join(dataDir, DB), { fileMustExist: true });
    try {
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok')
        throw new BackupError(`${file}: the database fails integrity_check: ${String(check)}`);
    } finally {
      db.close();
    }
  } catch (e) {
    for (const n of readdirSync(dataDir))
      rmSync(join(dataDir, n), { recursive: true, force: true });
    throw e;
  }
  return manifest;
}
