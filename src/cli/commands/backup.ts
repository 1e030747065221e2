// `waymark backup FILE` and `waymark restore FILE`: a consistent copy of a data folder (SQLite,
// taken while the server runs) or of a PostgreSQL schema (pg_dump), and its restore into an empty
// data folder or schema. See docs/backup.md.
import type { Command } from 'commander';
import type { BackupOptions, Out } from './backup-run.ts';

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
    .action(async (file: string, o: BackupOptions) => {
      const { runBackup } = await import('./backup-run.ts');
      await runBackup(file, o, out);
    });
  storeOptions(
    program
      .command('restore')
      .argument('<file>', 'the backup file to read')
      .description(
        'restore a backup into an empty data folder (SQLite) or an absent/empty schema (PostgreSQL, via pg_restore); checks checksums, integrity and that the backup is not from a newer Waymark',
      ),
  ).action(async (file: string, o: BackupOptions) => {
    const { runRestore } = await import('./backup-run.ts');
    await runRestore(file, o, out);
  });
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
