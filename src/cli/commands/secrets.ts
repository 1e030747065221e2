// `waymark secrets rotate`: re-encrypts every stored secret with the newest key of the keyring
// (WAYMARK_SECRET_KEYS, WAYMARK_SECRET_KEY, or the data folder's secret.key, as `serve` reads it).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
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

interface RotateOptions {
  data: string;
  store: string;
  storeSchema: string;
  newKey: boolean;
  dropOldKeys: boolean;
}

export function registerSecretsCommands(
  program: Command,
  out: (text: string) => void = (t) => process.stdout.write(t),
): void {
  const secrets = program
    .command('secrets')
    .description('keys of the secrets stored in channel configurations and custom actions');
  secrets
    .command('rotate')
    .description(
      're-encrypt every stored secret with the newest key of the keyring (one object at a time); report counts',
    )
    .option(
      '--data <dir>',
      'data folder (the SQLite file and the keyring file secret.key)',
      './.waymark',
    )
    .option(
      '--store <url>',
      'sqlite (the file in --data) or a postgres:// URL (env WAYMARK_STORE)',
      process.env.WAYMARK_STORE ?? 'sqlite',
    )
    .option('--store-schema <name>', 'the PostgreSQL schema', 'public')
    .option(
      '--new-key',
      "first put a fresh key at the head of the data folder's keyring file (not with keys from the environment)",
      false,
    )
    .option(
      '--drop-old-keys',
      'after a rotation where every secret was re-encrypted, keep only the newest key in the keyring file',
      false,
    )
    .action(async (o: RotateOptions) => {
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
    });
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
