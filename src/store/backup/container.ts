// The backup file: one file holding a manifest and the files it lists, in order.
//   bytes 0-9   "WAYMARKBK1" (magic and format version 1)
//   bytes 10-13 the manifest's length in bytes (unsigned, big-endian)
//   then        the manifest (UTF-8 JSON, see BackupManifest)
//   then        each file's bytes, in the manifest's order, back to back
// Each file's SHA-256 is in the manifest; a restore checks them all before using anything.
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  openSync,
  readSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { pipeline } from 'node:stream/promises';

export const MAGIC = 'WAYMARKBK1';

export interface BackupEntry {
  /** The path inside the data folder, with `/` separators (e.g. `waymark.db`, `blobs/a/b`). */
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

export interface BackupManifest {
  readonly format: 1;
  /** The Waymark version that wrote the backup; a restore refuses a newer one. */
  readonly waymarkVersion: string;
  readonly createdAt: string;
  readonly store: 'sqlite' | 'postgres';
  /** The PostgreSQL schema dumped (postgres backups only). */
  readonly schema?: string;
  /** Whether the key files (secret.key, tracking.key, admin.key) are in the backup. */
  readonly keysIncluded: boolean;
  readonly files: readonly BackupEntry[];
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

async function sha256Of(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/** Writes `files` (name in the backup → path on disk) under `manifest` to `out`, atomically. */
export async function writeBackup(
  out: string,
  manifest: Omit<BackupManifest, 'files'>,
  files: ReadonlyArray<{ name: string; path: string }>,
): Promise<BackupManifest> {
  const entries: BackupEntry[] = [];
  for (const f of files) entries.push({ name: f.name, ...(await sha256Of(f.path)) });
  const full: BackupManifest = { ...manifest, files: entries };
  const json = Buffer.from(JSON.stringify(full), 'utf8');
  const head = Buffer.alloc(MAGIC.length + 4);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32BE(json.length, MAGIC.length);
  const tmp = `${out}.partial`;
  const ws = createWriteStream(tmp, { mode: 0o600 });
  try {
    const write = (b: Buffer): Promise<void> =>
      new Promise((res, rej) => ws.write(b, (e) => (e ? rej(e) : res())));
    await write(head);
    await write(json);
    for (const f of files) await pipeline(createReadStream(f.path), ws, { end: false });
    await new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));
    renameSync(tmp, out);
  } catch (e) {
    ws.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
  return full;
}

/** Reads a backup's manifest and the offset its files start at; fails on anything that is not one. */
export function readManifest(path: string): { manifest: BackupManifest; dataOffset: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new BackupError(
      `cannot read the backup ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (
      readSync(fd, head, 0, head.length, 0) !== head.length ||
      head.toString('latin1', 0, MAGIC.length) !== MAGIC
    )
      throw new BackupError(`${path} is not a Waymark backup (no ${MAGIC} header)`);
    const len = head.readUInt32BE(MAGIC.length);
    const json = Buffer.alloc(len);
    if (readSync(fd, json, 0, len, head.length) !== len)
      throw new BackupError(`${path} is truncated: its manifest is incomplete`);
    const manifest = JSON.parse(json.toString('utf8')) as BackupManifest;
    if (manifest.format !== 1 || !Array.isArray(manifest.files))
      throw new BackupError(`${path}: unknown backup format ${String(manifest.format)}`);
    return { manifest, dataOffset: head.length + len };
  } finally {
    closeSync(fd);
  }
}

/** Copies each file out of the backup to `target(name)`, checking its size and SHA-256. */
export async function extractFiles(
  path: string,
  manifest: BackupManifest,
  dataOffset: number,
  target: (name: string) => string,
): Promise<void> {
  let offset = dataOffset;
  for (const f of manifest.files) {
    const dest = target(f.name);
    const h = createHash('sha256');
    let size = 0;
    if (f.size === 0) closeSync(openSync(dest, 'w', 0o600));
    else {
      const src = createReadStream(path, { start: offset, end: offset + f.size - 1 });
      src.on('data', (c) => {
        h.update(c as Buffer);
        size += (c as Buffer).length;
      });
      await pipeline(src, createWriteStream(dest, { mode: 0o600 }));
    }
    if (size !== f.size || h.digest('hex') !== f.sha256)
      throw new BackupError(
        `${path} is damaged: ${f.name} does not match the checksum in its manifest`,
      );
    offset += f.size;
  }
}

/** Negative when a < b, by the numeric parts of two x.y.z versions. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
