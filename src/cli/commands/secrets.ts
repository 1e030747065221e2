// `waymark secrets rotate`: re-encrypts every stored secret with the newest key of the keyring
// (WAYMARK_SECRET_KEYS, WAYMARK_SECRET_KEY, or the data folder's secret.key, as `serve` reads it).
import type { Command } from 'commander';
import type { RotateOptions } from './secrets-run.ts';

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
      const { runRotate } = await import('./secrets-run.ts');
      await runRotate(o, out);
    });
}
