// `waymark migrate [--dry-run]`: what migrating the store would do (each pending migration by number
// and what it does, the stored records in earlier formats), and doing it. `waymark serve` migrates at
// start the same way; this command lets an operator see it first, or run it before the engines start.
// The store is chosen as `waymark serve` chooses it (--data, --store, --store-schema). See docs/upgrades.md.
import type { Command } from 'commander';
import type { MigrateOptions, Out } from './migrate-run.ts';

export function registerMigrateCommand(
  program: Command,
  out: Out = (t) => process.stdout.write(t),
): void {
  program
    .command('migrate')
    .description(
      "bring the store to this Waymark's schema and stored-record formats (serve does it at start); --dry-run says what it would do. A store written by a newer Waymark is refused",
    )
    .option('--dry-run', 'say what would be migrated, change nothing')
    .option('--data <dir>', 'data folder (the SQLite file, keys, asset files)', './.waymark')
    .option(
      '--store <url>',
      'sqlite (the file in --data) or a postgres:// URL (env WAYMARK_STORE)',
      process.env.WAYMARK_STORE ?? 'sqlite',
    )
    .option('--store-schema <name>', 'the PostgreSQL schema', 'public')
    .action(async (o: MigrateOptions) => {
      const { runMigrate } = await import('./migrate-run.ts');
      await runMigrate(o, out);
    });
}
