// `waymark serve` when it runs: opens the store, starts the engine, the API and the development
// providers (with --demo, the Luma demo and its LoyaltyService). serve.ts registers the command and
// loads this module only then, so that other commands start without the server's code.
import { pinoLogger } from '../../shared/logger.ts';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import {
  lumaFingerprint,
  lumaImages,
  lumaPackage,
  type LumaOptions,
} from '../../../examples/luma/index.ts';
import { VERSION } from '../../version.ts';
import { startLoyaltyService } from '../../../examples/luma/loyalty-service.ts';
import { apiKey, loadAdminKey } from '../../api/auth.ts';
import { buildServer, parseTrustProxy } from '../../api/server.ts';
import { closeServer } from '../../api/graceful-close.ts';
import { createWaymark } from '../../runtime/app.ts';
import { newEngineId } from '../../runtime/observability/observability.ts';
import { tracingFromEnv } from '../../runtime/observability/tracing.ts';
import { prepareFirstStart } from '../../runtime/access/directory/first-start.ts';
import { describeMigrationDone } from '../../store/migrations/plan.ts';
import type { PostgresStore } from '../../store/postgres/postgres-store.ts';
import { startFleet } from '../../runtime/fleet/fleet.ts';
import {
  listenOrFallback,
  startDevProviders,
  type PortFallback,
} from '../../runtime/dev-providers.ts';
import { logFormatOf, logStream } from '../log-format.ts';
import { choosePublicUrl } from '../public-url.ts';
import { renditionSettings } from '../../content/assets/rendition-policy.ts';
import { loadOrCreateSecretKey } from '../../channels/secrets.ts';
import { prepareDataFolder } from '../../runtime/data-folder.ts';
import { describeKeyring, loadSecretKeyring } from '../../runtime/secret-keyring.ts';
import { findUnreadableSecrets } from '../../runtime/secret-rotation.ts';
import { natsConnectOptions, redactServer, type NatsAuth } from '../../bus/nats-auth.ts';
import { startNatsIngest, type NatsIngest } from '../../bus/nats-ingest.ts';
import { translatorsFromEnv } from '../../channels/translation/configured.ts';
import type { NodeStatus } from '../../api/routes/status.ts';
import { PACKAGE_ROOT, STOREFRONT_ROOT } from '../../package-files.ts';
import { demoVapidKeys, demoWriteKey } from '../demo-keys.ts';
import {
  describeStore,
  isPostgresUrl,
  leadStore,
  migrationStatus,
  openStore,
  storeStatus,
} from './serve-store.ts';

/** The options of `waymark serve`, as commander parses them (serve.ts). */
export interface ServeOptions extends IngestCliOptions {
  data: string;
  store: string;
  storeSchema: string;
  nats: string;
  singleLeader: boolean;
  port: string;
  host: string;
  demo: boolean;
  loyaltyPort: string;
  smtpPort: string;
  allowHosts: string;
  publicUrl?: string;
  trustProxy?: string;
  renditionSizes?: string;
  renditionsPerAsset?: string;
  logFormat?: string;
  workers?: string;
  commitThread: boolean;
}

export async function runServe(o: ServeOptions): Promise<void> {
  const renditions = renditionSettings(o.renditionSizes, o.renditionsPerAsset);
  const workers = o.workers === undefined ? undefined : Number(o.workers);
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0))
    throw new InvalidArgumentError(
      `--workers must be a whole number of threads, 0 or more, not "${o.workers}" (or WAYMARK_WORKERS)`,
    );
  const logs = logStream(logFormatOf(o.logFormat, process.stdout.isTTY === true));
  // Checked before anything starts: a wrong NATS option stops the server at once, naming it.
  const natsAuth = o.ingestNats === undefined ? null : natsAuthOf(o);
  // Translation providers from the environment (keys stay there); --demo adds the development translator.
  const translators = (() => {
    try {
      return translatorsFromEnv(process.env, { demo: o.demo });
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  })();
  const dataDir = resolve(o.data);
  // Everything the server writes (keys, SQLite files, asset files) is for its owner only.
  process.umask(0o077);
  prepareDataFolder(dataDir);
  const keys = loadSecretKeyring(dataDir);
  // On PostgreSQL, a fleet: every engine runs, each owning a share of the partitions (docs/fleet.md); or, with --single-leader, one leads.
  const fleetMode = isPostgresUrl(o.store) && !o.singleLeader;
  const leadership = fleetMode ? null : await leadStore(o.store, o.storeSchema);
  const { store, blobs, migration } = await openStore(o.store, o.storeSchema, dataDir, {
    commitThread: o.commitThread && process.env.WAYMARK_COMMIT_THREAD !== '0',
  });
  const migrated = describeMigrationDone(migration);
  if (migrated) process.stdout.write(`${migrated}\n`);
  const log = pino(
    { level: process.env.WAYMARK_LOG_LEVEL ?? 'info', redact: ['key', 'authorization'] },
    logs,
  );
  const allowHosts = o.allowHosts
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // Development servers whose port is taken (a second Waymark, a mail catcher) take a free one and
  // say so; the demo's configurations and allowed hosts below follow the ports actually bound.
  const dev = await startDevProviders({
    smtpPort: Number(o.smtpPort),
    credentialsFile: join(dataDir, 'dev-providers.json'),
  });
  const fallbacks: PortFallback[] = [...dev.fallbacks];
  const loyalty = o.demo
    ? await listenOrFallback(
        'demo LoyaltyService',
        Number(o.loyaltyPort),
        (port) => startLoyaltyService(port),
        (l) => Number(new URL(l.url).port),
        fallbacks,
      )
    : null;
  const flagOf: Record<string, string> = {
    'development SMTP server': '--smtp-port',
    'demo LoyaltyService': '--loyalty-port',
  };
  for (const f of fallbacks)
    process.stdout.write(
      `port ${f.wanted} is taken: the ${f.server} listens on ${f.port} instead (${flagOf[f.server] ?? 'its flag'} chooses another)\n`,
    );
  // The development providers and the demo's LoyaltyService run on this machine: exactly their
  // loopback host:port pairs are allowed (the providers in every sandbox, the LoyaltyService in
  // the demo sandbox); any other private address stays refused unless --allow-hosts lists it.
  const trackingSecret =
    secretFromEnv('WAYMARK_TRACKING_KEY') ?? loadOrCreateSecretKey(join(dataDir, 'tracking.key'));
  const chosenUrl = choosePublicUrl({
    publicUrl: o.publicUrl,
    env: process.env['WAYMARK_PUBLIC_URL'],
    host: o.host,
    port: o.port,
  });
  if (chosenUrl.warning) process.stderr.write(`${chosenUrl.warning}\n`);
  const publicUrl = chosenUrl.url;
  const engineId = newEngineId();
  const app = createWaymark({
    store,
    allowHosts: {
      '*': [...allowHosts, ...dev.allowHosts],
      ...(loyalty ? { prod: [new URL(loyalty.url).host] } : {}),
    },
    secretKey: keys.ring,
    blobs,
    exportFolder: join(dataDir, 'exports'),
    publicUrl,
    renditions,
    translators,
    // Traces go to an OpenTelemetry collector only when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/observability.md).
    tracing: tracingFromEnv(process.env, {
      engine: engineId,
      onError: (message) => log.warn({}, message),
    }),
    engineId,
    processMetrics: true,
    ...(workers !== undefined ? { workers } : {}),
    tracking: { secret: trackingSecret, baseUrl: publicUrl },
    log: pinoLogger(log),
  });
  const fleet = fleetMode
    ? await startFleet({
        app,
        id: engineId,
        store: store as PostgresStore,
        connectionString: o.store,
        schema: o.storeSchema,
        nats: o.nats,
        log: pinoLogger(log),
      })
    : null;
  if (fleet)
    process.stdout.write(
      `fleet mode: engine ${fleet.id} on schema ${o.storeSchema}, events routed through NATS ${redactServer(o.nats)}; holds ${fleet.leases.held.size} of 256 partitions\n`,
    );
  if (loyalty) {
    const demo: LumaOptions = {
      loyaltyUrl: loyalty.url,
      devSmtpPort: dev.smtp.port,
      push: dev.pushSettings,
      webPush: demoVapidKeys(dataDir),
      storefront: true,
      publicUrl,
    };
    // A restart with the same demo (files, ports, keys, version) on a store that has it skips
    // building and applying it again: most of a restart's time otherwise.
    const fingerprint = lumaFingerprint(demo, VERSION);
    const marker = join(dataDir, 'demo-applied');
    const unchanged =
      existsSync(marker) &&
      readFileSync(marker, 'utf8').trim() === fingerprint &&
      (await app.reads.getJourneyVersions('prod', 'purchase-journey')).length > 0;
    if (unchanged)
      log.info({ loyaltyService: loyalty.url }, 'Luma demo unchanged since the last start');
    else {
      rmSync(marker, { force: true });
      const r = await app.packages.apply('prod', lumaPackage(demo));
      const failed = r.objects.filter((x) => x.status === 'publish_failed');
      for (const x of failed) log.error({ object: x }, 'demo object failed to publish');
      for (const image of lumaImages())
        await app.assets.storeImage('prod', image.id, 1, image.bytes);
      if (failed.length === 0) writeFileSync(marker, `${fingerprint}\n`);
      log.info({ objects: r.objects.length, loyaltyService: loyalty.url }, 'Luma demo applied');
    }
  }
  const admin = loadAdminKey(dataDir, process.env.WAYMARK_ADMIN_KEY);
  // People: the administrator from the environment or a one-time setup link; with --demo, one user per built-in role.
  const people = await prepareFirstStart(app.access.directory, {
    dataDir,
    demo: o.demo,
    publicUrl,
    adminEmail: process.env.WAYMARK_ADMIN_EMAIL,
    adminPassword: process.env.WAYMARK_ADMIN_PASSWORD,
  });
  // A secret no key of the ring opens breaks only its object (it fails when used, a PUT repairs it).
  for (const u of await findUnreadableSecrets(store, app.objects.secrets)) {
    log.warn(
      {
        kind: u.kind,
        sandbox: u.sandbox,
        name: u.name,
        fields: u.fields.map((f) => f.path),
        keyIds: [...new Set(u.fields.map((f) => f.keyId))],
      },
      `the ${u.kind} "${u.name}" in sandbox "${u.sandbox}" holds a secret that no key of the keyring (${describeKeyring(keys.ring)}) decrypts (${u.fields.map((f) => f.path).join(', ')}); it fails when used until it is sent again with its secret`,
    );
  }
  let ingest: NatsIngest | null = null;
  const nodeStatus = (): NodeStatus => ({
    store: { ...storeStatus(o.store, o.storeSchema, dataDir), ...migrationStatus(migration) },
    ingest: {
      nats:
        ingest && o.ingestNats !== undefined
          ? {
              servers: [redactServer(o.ingestNats)],
              stream: o.ingestStream,
              subjectPrefix: o.ingestSubjectPrefix,
              stats: ingest.stats(),
            }
          : null,
    },
  });
  // The Luma storefront (/demo/luma/) sends its events with a write key of its own (never logged).
  const storefront = o.demo
    ? {
        root: STOREFRONT_ROOT,
        images: join(PACKAGE_ROOT, 'examples', 'luma', 'assets'),
        writeKey: await demoWriteKey(app.access.directory, dataDir),
      }
    : undefined;
  const server = await buildServer({
    app,
    keys: [apiKey('admin', admin.key)],
    ...(storefront ? { storefront } : {}),
    logger: { level: process.env.WAYMARK_LOG_LEVEL ?? 'warn', stream: logs },
    devProviders: dev,
    trackingSecret,
    nodeStatus,
    ...trustProxyOption(o.trustProxy),
  });
  let url: string;
  try {
    url = await server.listen({ port: Number(o.port), host: o.host });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    // The API's address is what people and scripts were given: it does not move by itself.
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `waymark serve: port ${o.port} on ${o.host} is already in use (another Waymark?); stop it or choose another port with --port, e.g. --port ${Number(o.port) + 10}\n`
        : `waymark serve: port ${o.port} on ${o.host} cannot be used by this user; choose another port with --port, e.g. --port ${Number(o.port) < 1024 ? 4600 : Number(o.port) + 10}\n`,
    );
    await server.close();
    await app.close();
    await fleet?.stop();
    await loyalty?.close();
    await dev.close();
    await leadership?.release();
    process.exit(1);
  }
  app.engine.start();
  void app.translations.resume();
  const translation =
    app.translations
      .providers()
      .map((t) => t.name)
      .join(', ') ||
    'none (set AZURE_TRANSLATOR_KEY, DEEPL_AUTH_KEY or WAYMARK_TRANSLATOR=development)';
  process.stdout.write(
    `Waymark is running at ${url}\n  data: ${dataDir}\n  store: ${describeStore(o.store, o.storeSchema)}\n  admin API key: ${admin.fromEnv ? 'from WAYMARK_ADMIN_KEY (not shown)' : `${admin.key}${admin.created ? ' (new, saved in admin.key)' : ''}`}\n  OpenAPI: ${url}/openapi.json\n  development SMTP server: ${dev.smtp.host}:${dev.smtp.port} (inbox: ${url}/v1/dev/inbox)\n${loyalty ? `  demo LoyaltyService: ${loyalty.url}\n  Luma storefront: ${url}/demo/luma/\n` : ''}  translation: ${translation}\n`,
  );
  for (const line of people) process.stdout.write(`  ${line}\n`);
  ingest =
    o.ingestNats === undefined || natsAuth === null
      ? null
      : await startNatsIngest({
          app,
          servers: o.ingestNats,
          auth: natsAuth,
          stream: o.ingestStream,
          subjectPrefix: o.ingestSubjectPrefix,
          log: pinoLogger(log),
        });
  if (ingest)
    process.stdout.write(
      `ingesting events from NATS ${redactServer(o.ingestNats!)} (stream ${o.ingestStream}, subjects ${o.ingestSubjectPrefix}.<sandbox>)\n`,
    );
  const shutdown = async (): Promise<void> => {
    await ingest?.stop();
    // Requests in flight are answered (5 s at most), then no connection holds the rest of the stop.
    await closeServer(server);
    await fleet?.stop();
    await app.close();
    await loyalty?.close();
    await dev.close();
    await leadership?.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

interface IngestCliOptions {
  ingestNats?: string;
  ingestStream: string;
  ingestSubjectPrefix: string;
  ingestNatsUser?: string;
  ingestNatsCreds?: string;
  ingestNatsNkey?: string;
  ingestNatsTlsCa?: string;
  ingestNatsTlsCert?: string;
  ingestNatsTlsKey?: string;
}

/** NATS credentials and TLS from the options; secrets only from the environment (never on a command line). */
function natsAuthOf(o: IngestCliOptions): NatsAuth {
  const env = (name: string): string | undefined =>
    process.env[name] === undefined || process.env[name] === '' ? undefined : process.env[name];
  const password = env('WAYMARK_NATS_PASSWORD');
  const token = env('WAYMARK_NATS_TOKEN');
  if (password !== undefined && o.ingestNatsUser === undefined)
    throw new InvalidArgumentError(
      'WAYMARK_NATS_PASSWORD is set but --ingest-nats-user is not: the password needs its user name',
    );
  const tls = {
    ...(o.ingestNatsTlsCa ? { caFile: o.ingestNatsTlsCa } : {}),
    ...(o.ingestNatsTlsCert ? { certFile: o.ingestNatsTlsCert } : {}),
    ...(o.ingestNatsTlsKey ? { keyFile: o.ingestNatsTlsKey } : {}),
  };
  const auth: NatsAuth = {
    ...(o.ingestNatsUser !== undefined ? { user: o.ingestNatsUser } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(o.ingestNatsCreds !== undefined ? { credsFile: o.ingestNatsCreds } : {}),
    ...(o.ingestNatsNkey !== undefined ? { nkeySeedFile: o.ingestNatsNkey } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
  try {
    natsConnectOptions(auth);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return auth;
}

/** A 32-byte key given as 64 hex digits in the environment (nodes of one deployment share it), or none. */
function secretFromEnv(name: string): Buffer | null {
  const hex = process.env[name];
  if (hex === undefined || hex === '') return null;
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    throw new InvalidArgumentError(
      `${name} must be 64 hex digits (a 32-byte key), e.g. from: openssl rand -hex 32`,
    );
  return Buffer.from(hex, 'hex');
}

/** The server's trustProxy from --trust-proxy / WAYMARK_TRUST_PROXY (absent: not trusted). */
function trustProxyOption(text: string | undefined): { trustProxy?: boolean | string } {
  const v = parseTrustProxy(text);
  return v === undefined ? {} : { trustProxy: v };
}
