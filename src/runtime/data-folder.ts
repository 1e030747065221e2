// The data folder holds keys, the SQLite files and asset files: only its owner may read it. It is
// created 0700 (its files 0600 under the server's umask 077); a folder that already holds Waymark's
// files and belongs to this user is tightened to the same modes. A folder that cannot be created
// or written stops the start with the path and the reason, not a stack trace.
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files Waymark keeps in the data folder (others, such as a user's notes, are left alone). */
export const DATA_FILES = [
  'admin.key',
  'secret.key',
  'tracking.key',
  'waymark.db',
  'waymark.db-wal',
  'waymark.db-shm',
] as const;
const DATA_FOLDERS = ['blobs'] as const;

export class DataFolderError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`the data folder ${path} ${reason}`);
    this.name = 'DataFolderError';
  }
}

function reasonOf(e: unknown, doing: string): string {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = {
    ENOTDIR: 'a part of its path is a file, not a folder',
    EEXIST: 'a file of that name is in the way',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
  };
  return `${doing}: ${why[code] ?? (e as Error).message} (${code}); choose another --data or fix the folder`;
}

const ownedByMe = (uid: number): boolean =>
  typeof process.getuid !== 'function' || process.getuid() === uid;

/** Creates (0700) or checks the data folder; fails with a DataFolderError naming the path. */
export function prepareDataFolder(dir: string): void {
  let created = false;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new DataFolderError(dir, 'is a file, not a folder; choose another --data');
  } else {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      created = true;
    } catch (e) {
      throw new DataFolderError(dir, reasonOf(e, 'cannot be created'));
    }
  }
  const probe = join(dir, `.waymark-write-check-${process.pid}`);
  try {
    writeFileSync(probe, '', { mode: 0o600 });
    rmSync(probe, { force: true });
  } catch (e) {
    throw new DataFolderError(dir, reasonOf(e, 'is not writable'));
  }
  if (created) {
    chmodSync(dir, 0o700);
    return;
  }
  const st = statSync(dir);
  const ours = DATA_FILES.some((f) => existsSync(join(dir, f)));
  if (!ours || !ownedByMe(st.uid)) return;
  tighten(dir, 0o700);
  for (const f of DATA_FILES) tighten(join(dir, f), 0o600);
  for (const d of DATA_FOLDERS) tighten(join(dir, d), 0o700);
}

function tighten(path: string, mode: number): void {
  try {
    if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
  } catch {
    // Missing (not created yet) or not ours to change: nothing to tighten.
  }
}
