// The blob port: image bytes of assets and their renditions. On disk under the data folder by
// default; in memory for tests and the simulator.
import { mkdir, readFile, writeFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the blob; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every blob under `<sandbox>/` (a sandbox reset or deleted). */
  deleteSandbox(sandbox: string): Promise<void>;
}

const safeKey = /^[A-Za-z0-9][A-Za-z0-9._@/-]{0,400}$/;

export class FsBlobStore implements BlobStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const p = resolve(join(this.root, key));
    // Keys come from ids we validated; this keeps a bad one from leaving the folder all the same.
    if (!safeKey.test(key) || key.includes('..') || !p.startsWith(this.root + sep))
      throw new Error(`invalid blob key ${JSON.stringify(key)}`);
    return p;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(key);
    // Owner-only, like the rest of the data folder, whatever the umask.
    await mkdir(dirname(p), { recursive: true, mode: 0o700 });
    await writeFile(`${p}.tmp`, bytes, { mode: 0o600 });
    await rename(`${p}.tmp`, p);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.path(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async deleteSandbox(sandbox: string): Promise<void> {
    await rm(this.path(sandbox), { recursive: true, force: true });
  }
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Uint8Array>();
  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(key, bytes);
  }
  async get(key: string): Promise<Uint8Array | null> {
    return this.blobs.get(key) ?? null;
  }
  async delete(key: string): Promise<void> {
    this.blobs.delete(key);
  }
  async deleteSandbox(sandbox: string): Promise<void> {
    for (const k of [...this.blobs.keys()]) if (k.startsWith(`${sandbox}/`)) this.blobs.delete(k);
  }
  /** Keys held, for tests and the simulator. */
  keys(): string[] {
    return [...this.blobs.keys()];
  }
}
