// `waymark secrets rotate` when it runs: opens the store and re-encrypts its secrets. secrets.ts
// registers the command and loads this module (the stores, the keyring) only then.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { SecretBox } from '../../runtime/secret-box.ts';
import {
  describeKeyring,
  loadSecretKeyring,
  newestOnly,
  withNewKey,
  writeKeyringFile,
} from '../../runtime/secret-keyring.ts';
import { rotateSecrets } from '../../runtime/secret-rotation.ts';
import type { Store } from '../../store/ports.ts';
import { openPostgresStore } from '../../store/postgres/postgres-store.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { CliError } from '../client.ts';

export interface RotateOptions {
  data: string;
  store: string;
  storeSchema: string;
  newKey: boolean;
  dropOldKeys: boolean;
}

export async function runRotate(o: RotateOptions, out: (text: string) => void): Promise<void> {
  const dataDir = resolve(o.data);
  const store = await openStore(o.store, o.storeSchema, dataDir);
  try {
    let loaded = loadSecretKeyring(dataDir);
    if ((o.newKey || o.dropOldKeys) && loaded.file === null) {
      throw new InvalidArgumentError(
        `the keys come from ${loaded.source}: put the new key first there (and remove old ones there) instead of --new-key/--drop-old-keys`,
      );
    }
    if (o.newKey && loaded.file !== null) {
      const ring = withNewKey(loaded.ring);
      writeKeyringFile(loaded.file, ring);
      loaded = { ...loaded, ring };
      out(
        `added key ${ring.keys[0]!.id} first in ${loaded.file}; restart running servers so that they read it\n`,
      );
    }
    const report = await rotateSecrets(store, new SecretBox(loaded.ring));
    out(`keyring (${loaded.source}): ${describeKeyring(loaded.ring)}\n`);
    out(
      `re-encrypted ${report.reencrypted} of ${report.examined} objects with key ${report.keyId}; ${report.current} already used it; ${report.failed.length} failed\n`,
    );
    for (const f of report.failed)
      out(`  failed: ${f.kind} "${f.name}" in sandbox "${f.sandbox}": ${f.message}\n`);
    if (report.failed.length > 0)
      throw new CliError(
        `${report.failed.length} object(s) keep secrets no key of the ring opens: send them again with their secrets (PUT), then rotate again`,
      );
    if (o.dropOldKeys && loaded.file !== null && loaded.ring.keys.length > 1) {
      writeKeyringFile(loaded.file, newestOnly(loaded.ring));
      out(`kept only key ${loaded.ring.keys[0]!.id} in ${loaded.file}\n`);
    }
  } finally {
    await store.close();
  }
}

async function openStore(url: string, schema: string, dataDir: string): Promise<Store> {
  if (url === 'sqlite') {
    const file = join(dataDir, 'waymark.db');
    if (!existsSync(file))
      throw new CliError(
        `no store in ${dataDir}: ${file} does not exist (is --data the folder \`waymark serve\` uses?)`,
      );
    return new SqliteStore(file, { checkpointIntervalMs: null });
  }
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresStore({ connectionString: url, schema });
  throw new InvalidArgumentError(`--store must be sqlite or a postgres:// URL, not "${url}"`);
}
