// `waymark serve`: the server on the embedded store (or PostgreSQL); with --demo, the Luma demo and its LoyaltyService.
// Its options and help; serve-run.ts, loaded when it runs, starts the server.
import type { Command } from 'commander';
import type { ServeOptions } from './serve-run.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the Waymark server on the embedded store (SQLite in --data) or on PostgreSQL (--store)',
    )
    .option('--data <dir>', 'data folder (the SQLite file, keys, asset files)', './.waymark')
    .option(
      '--store <url>',
      'where state lives: sqlite (the file in --data) or a postgres:// URL (env WAYMARK_STORE)',
      process.env.WAYMARK_STORE ?? 'sqlite',
    )
    .option('--store-schema <name>', 'the PostgreSQL schema (created if missing)', 'public')
    .option(
      '--nats <url>',
      'on PostgreSQL: the NATS JetStream server that routes events between the engines of the fleet (env WAYMARK_NATS)',
      process.env.WAYMARK_NATS ?? 'nats://127.0.0.1:4222',
    )
    .option(
      '--single-leader',
      'on PostgreSQL: the older mode, one engine leads the schema and the others wait as standbys (no NATS)',
      false,
    )
    .option(
      '--workers <n>',
      'ingest worker threads that check large requests while the writer commits (env WAYMARK_WORKERS; default 0: none, as on 2 cores they made ingest slower)',
      process.env.WAYMARK_WORKERS,
    )
    .option(
      '--commit-thread',
      'on SQLite: run large commits on a thread of their own while the writer prepares the next groups (the default)',
      true,
    )
    .option(
      '--no-commit-thread',
      "on SQLite: run every commit on the writer's thread (env WAYMARK_COMMIT_THREAD=0)",
    )
    .option('--port <n>', 'HTTP port', '4600')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--demo', 'apply the Luma demo and start its LoyaltyService', false)
    .option('--loyalty-port <n>', 'port of the demo LoyaltyService', '4601')
    .option(
      '--smtp-port <n>',
      'port of the embedded development SMTP server (0: any free port)',
      '2525',
    )
    .option(
      '--public-url <url>',
      'the address people reach this server at, for links in messages (env WAYMARK_PUBLIC_URL; default: http://host:port, or the machine name when --host is 0.0.0.0 or ::)',
    )
    .option(
      '--rendition-sizes <list>',
      'comma-separated widths/heights in pixels the public asset route makes (env WAYMARK_RENDITION_SIZES; default 200,320,480,600,800,1200,1600,2000)',
      process.env.WAYMARK_RENDITION_SIZES,
    )
    .option(
      '--renditions-per-asset <n>',
      'renditions kept per asset, the oldest removed first (env WAYMARK_RENDITIONS_PER_ASSET; default 24)',
      process.env.WAYMARK_RENDITIONS_PER_ASSET,
    )
    .option(
      '--allow-hosts <list>',
      'comma-separated hosts the server may connect to for custom actions and channels, e.g. api.example.com,smtp.example.com:587 (env WAYMARK_ACTION_ALLOW_HOSTS)',
      process.env.WAYMARK_ACTION_ALLOW_HOSTS ?? '',
    )
    .option(
      '--trust-proxy <value>',
      "behind a reverse proxy: true (believe any X-Forwarded-For) or the proxies' addresses/CIDRs, comma-separated; unset: X-Forwarded-For is ignored and the client is the connection's address (env WAYMARK_TRUST_PROXY)",
      process.env.WAYMARK_TRUST_PROXY,
    )
    .option(
      '--log-format <format>',
      'pretty (readable lines), json (one object a line) or auto: pretty in a terminal, json otherwise (env WAYMARK_LOG_FORMAT)',
    )
    .option(
      '--ingest-nats <url>',
      'also take events from this NATS JetStream server (see src/bus/README.md)',
    )
    .option(
      '--ingest-stream <name>',
      'the JetStream stream the events are in (created when missing)',
      'WAYMARK_EVENTS',
    )
    .option(
      '--ingest-subject-prefix <prefix>',
      'events are published to <prefix>.<sandbox>',
      'waymark.events',
    )
    .option(
      '--ingest-nats-user <name>',
      'NATS user name (the password from env WAYMARK_NATS_PASSWORD; a token alone from env WAYMARK_NATS_TOKEN)',
    )
    .option('--ingest-nats-creds <file>', 'NATS credentials file (user JWT and NKey seed)')
    .option('--ingest-nats-nkey <file>', 'file holding a NATS user NKey seed (SU…)')
    .option('--ingest-nats-tls-ca <file>', "CA certificate that signed the NATS server's (TLS)")
    .option(
      '--ingest-nats-tls-cert <file>',
      'client certificate for NATS (TLS; with --ingest-nats-tls-key)',
    )
    .option('--ingest-nats-tls-key <file>', "the client certificate's key")
    .action(async (o: ServeOptions) => {
      // The server's code loads only when it runs: every other command starts without it.
      const { runServe } = await import('./serve-run.ts');
      await runServe(o);
    });
}
