import { randomUUID } from 'node:crypto';
import type { ActionResult } from '../journey/index.ts';
import { ErrorCode, notFound, WaymarkError } from '../errors.ts';
import { defaultWorkerCount, sharedIngestWorkers, WORKER_MIN_EVENTS } from './workers/pool.ts';
// Wires the engine and its services from ports: one place that says what runs with what.
import type { Store } from '../store/ports.ts';
import { createActionInvoker } from './action-invoker.ts';
import { createChannelDelivery } from './delivery.ts';
import { CappingGate } from './capping.ts';
import { SecretBox } from './secret-box.ts';
import type { SecretKey } from '../channels/secrets.ts';
import { FeedbackService } from './feedback.ts';
import { InAppService } from './in-app.ts';
import { SuppressionService } from './suppressions.ts';
import { AssetService } from './assets.ts';
import { renditionPolicy, type RenditionPolicy } from '../content/assets/rendition-policy.ts';
import { MemoryBlobStore, type BlobStore } from './blobs.ts';
import { CatalogCache } from './catalog.ts';
import { systemClock, type Clock } from './clock.ts';
import { Engine } from './engine/engine.ts';
import { timeOrderedId } from './engine/ids.ts';
import { AudienceRuntime } from './audiences/runtime.ts';
import { AudienceService } from './audiences/service.ts';
import { ProfileAdmin } from './audiences/profile-admin.ts';
import { Writer, type StoreReads } from './unit-of-work/index.ts';
import type { RuntimeParts } from './runtime-parts.ts';
import { JourneyService } from './journeys.ts';
import { CampaignApprovals } from './campaigns/approvals.ts';
import { CampaignService } from './campaigns/service.ts';
import { createAssign } from './campaigns/experiment.ts';
import { decideWinner } from './campaigns/winner.ts';
import { dryRunEnder } from './dry-run.ts';
import { createMembershipReader } from './memberships.ts';
import { createMessageSender, type Deliver } from './messages.ts';
import { ObjectService } from './objects.ts';
import { PackageService } from './packages.ts';
import { ProfileService } from './profiles.ts';
import { LandingPageService } from './landing-pages/service.ts';
import { DecisionService } from './decisions.ts';
import type { ActionInvoker } from './ports.ts';
import type { OutboundPolicy } from '../channels/outbound/index.ts';
import { SandboxHosts } from './allowed-hosts.ts';
import { WEBHOOK_KIND, WebhookService } from './webhooks/service.ts';
import { ExportService } from './export/service.ts';
import { TranslationProjectService } from './translation-projects.ts';
import { createAccessServices, type AccessServices } from './access/index.ts';
import { stopAuditLog } from './access/audit-log.ts';
import type { TranslatorConfig, TranslatorKind } from '../channels/translation/configured.ts';
import type { FleetStatusSource } from './fleet/fleet-status.ts';
import {
  createObservability,
  newEngineId,
  type Observability,
} from './observability/observability.ts';
import {
  DispatchCauses,
  observedActions,
  observedMessages,
  observedStore,
} from './observability/instrument.ts';
import { observerHook } from './observability/engine-observer.ts';
import { singleEngineStatus } from './observability/single-engine-status.ts';
import type { Tracing } from './observability/tracing.ts';
import type { EventRouter } from './fleet/router.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { LocalRateLimiter } from './rates/local-rate-limiter.ts';
import type { Logger } from '../shared/logger.ts';
import { startRetentionPurger, type RetentionPurger } from './retention/purger.ts';
import { ConversationStore } from './assistant/conversations.ts';

export interface WaymarkOptions {
  readonly store: Store;
  readonly clock?: Clock;
  /** Where exports to a folder go (a folder per sandbox under it); absent: only S3 destinations and downloads. */
  readonly exportFolder?: string;
  /**
   * Hosts the server may connect to for a sandbox (custom actions, SMTP, push, SMS, translation,
   * token endpoints): one list for every sandbox, or a list per sandbox ('*' for all). Private,
   * loopback and link-local addresses are refused unless listed as IP literals (`127.0.0.1:2525`).
   * Forms: src/channels/outbound/policy.ts. Channels also reach the providers' public endpoints.
   */
  readonly allowHosts?: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /** How messages leave: the real channels by default; the simulator uses the development inbox. */
  readonly deliver?: Deliver | 'channels';
  readonly invokeAction?: ActionInvoker;
  /** Where asset images live (the data folder's assets/ in the server); in memory when absent. */
  readonly blobs?: BlobStore;
  /** The address people reach this server at (asset and tracking URLs). */
  readonly publicUrl?: string;
  /** Rendition sizes and qualities the public asset route makes, and how many it keeps per asset (src/content/assets/rendition-policy.ts). */
  readonly renditions?: Partial<RenditionPolicy>;
  /** Key or keyring for secrets at rest (loadSecretKeyring: env or <data>/secret.key); a fresh key when absent. */
  readonly secretKey?: SecretKey;
  /** Tracking of opens and clicks: the secret that signs links and the public base URL. */
  readonly tracking?: { readonly secret: Uint8Array | string; readonly baseUrl: string };
  readonly log?: Logger;
  /** Machine-translation providers (serve: from the environment, src/channels/translation/configured.ts); none when absent. */
  readonly translators?: {
    readonly configs: readonly TranslatorConfig[];
    readonly defaultKind?: TranslatorKind | null;
  };
  /** This engine's id (metrics label, span resource, partition owner); made from host and pid when absent. */
  readonly engineId?: string;
  /** Who owns which partition (fleet mode); this engine owning all of them when absent. */
  readonly fleet?: FleetStatusSource;
  /** Traces (tracingFromEnv: OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set); none when absent. */
  readonly tracing?: Tracing;
  /** Node's process metrics on /metrics (CPU, memory, event loop lag: sampled all the time, so for a server, not each test app). */
  readonly processMetrics?: boolean;
  /**
   * Ingest worker threads: requests of at least `workerMinEvents` events (16) are checked and
   * fingerprinted on them while the writer works (src/runtime/workers). Default: WAYMARK_WORKERS,
   * else 0 (all on the writer's thread; on 2 cores a worker made ingest slower).
   */
  readonly workers?: number;
  readonly workerMinEvents?: number;
  /** How many outbox items (sends, custom-action calls) run at once; 16 when absent. */
  readonly dispatchConcurrency?: number;
  /**
   * Whether the writer prepares the next group while a commit is in flight (unit-of-work/README.md);
   * when absent, it does on a store whose commits wait on I/O (PostgreSQL). False: one group after
   * another, as on the embedded store (the bench's baseline).
   */
  readonly pipelinedWriter?: boolean;
  /** The retention purge (src/runtime/retention/purger.ts): every hour, batches of 500, unless told otherwise; intervalMs 0: only when asked (app.retention.runOnce). */
  readonly retention?: { readonly intervalMs?: number; readonly batchSize?: number };
}

export interface Waymark {
  /** People, roles, API keys, sandboxes, the audit log and approvals (src/runtime/access/). */
  readonly access: AccessServices;
  /** The background purge of data older than each sandbox's retention settings. */
  readonly retention: RetentionPurger;
  readonly engine: Engine;
  /**
   * The store for reading (routes, the CLI, tests). Runtime state is written only by the writer
   * (src/runtime/unit-of-work), which the app keeps to itself and hands to its services.
   */
  readonly reads: StoreReads;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly objects: ObjectService;
  readonly journeys: JourneyService;
  /** Scheduled and API-triggered campaigns (src/runtime/campaigns/). */
  readonly campaigns: CampaignService;
  /** Campaign approval requests and decisions, where a sandbox's policy applies. */
  readonly campaignApprovals: CampaignApprovals;
  readonly profiles: ProfileService;
  readonly packages: PackageService;
  readonly feedback: FeedbackService;
  /** The in-app inbox as the site's SDK reads it: in-app messages, code-based experiences, interactions. */
  readonly inApp: InAppService;
  /** The sandbox-wide suppression list and the providers' bounce, complaint and delivery webhooks. */
  readonly suppressions: SuppressionService;
  /** The Assistant's stored conversations and the feedback on its answers (src/runtime/assistant/conversations.ts). */
  readonly assistantConversations: ConversationStore;
  /** Stored memberships, size and sample, batch runs, uploads, audiences from reports. */
  readonly audiences: AudienceService;
  /** Identity stitching, erasure on request, bulk import, experience-event retention. */
  readonly profileAdmin: ProfileAdmin;
  readonly assets: AssetService;
  /** The sandboxes' own allowed hosts, beside the operator's list. */
  readonly allowedHosts: SandboxHosts;
  /** Webhook subscriptions' deliveries (src/runtime/webhooks): queued with their events, sent signed, retried. */
  readonly webhooks: WebhookService;
  /** Exports of message and journey events (src/runtime/export): JSON lines to a folder or an S3 bucket. */
  readonly exports: ExportService;
  /** The server's export folder (WaymarkOptions.exportFolder), null when it has none. */
  readonly exportFolder: string | null;
  /** Translation projects through the configured providers (resume() after a restart). */
  readonly translations: TranslationProjectService;
  /** Offer decisions: policies, caps counted exactly, propositions recorded (src/offers is the pure core). */
  readonly decisions: DecisionService;
  readonly landingPages: LandingPageService;
  /** The address people reach this server at (tracked links, asset URLs, provider webhooks). */
  readonly publicUrl: string;
  /** Metrics, traces and the engine observer (src/runtime/observability/). */
  readonly observability: Observability;
  /** Where a sandbox's channels and proofs may connect (its allowed hosts and the providers' endpoints). */
  outbound(sandbox: string): OutboundPolicy;
  /** Calls a custom action once, as a journey would (the console's "test the action"). */
  testAction(
    sandbox: string,
    name: string,
    parameters: Readonly<Record<string, unknown>>,
  ): Promise<ActionResult>;
  /**
   * Partitions, their owners and how far behind each is (GET /v1/status/fleet, /metrics): this
   * engine owning all of them until `waymark serve` in fleet mode sets the fleet's (src/runtime/fleet/).
   */
  fleet: FleetStatusSource;
  /** Fleet mode: events go through the router to the owners of their partitions (POST /v1/events, the NATS ingest). */
  router?: EventRouter;
  /**
   * Where provider limits count (custom-action capping and throttling): this process's memory until
   * fleet mode sets the fleet-wide one (src/runtime/fleet/rate-windows.ts).
   */
  readonly rateLimiter: RateLimiter;
  /**
   * Fleet mode (src/runtime/fleet/fleet.ts, before the engine takes partitions): limits count for the
   * fleet, and read-audience jobs run as one share per partition, each fired by its owner.
   */
  enterFleetMode(o: {
    readonly rateLimiter: RateLimiter;
    /** The partitions this engine owns now. */
    readonly ownedPartitions: () => readonly number[];
  }): void;
  /** Fleet mode: the partitions this engine owns changed (its read-audience shares are looked at again). */
  partitionsChanged(): void;
  close(): Promise<void>;
}

function ingestWorkers(opts: WaymarkOptions): ReturnType<typeof sharedIngestWorkers> | null {
  const size = opts.workers ?? defaultWorkerCount();
  if (!Number.isInteger(size) || size < 0)
    throw new WaymarkError(
      ErrorCode.BadRequest,
      `workers must be a whole number of threads, 0 or more (got ${size})`,
    );
  return size === 0
    ? null
    : sharedIngestWorkers({ size, minEvents: opts.workerMinEvents ?? WORKER_MIN_EVENTS });
}

export function createWaymark(opts: WaymarkOptions): Waymark {
  const clock = opts.clock ?? systemClock;
  const engineId = opts.engineId ?? newEngineId();
  // Fleet mode replaces the source after start (app.fleet = …): metrics read whichever is current.
  let fleetSource =
    opts.fleet ?? singleEngineStatus({ engine: engineId, store: opts.store, clock });
  const fleet: FleetStatusSource = { status: () => fleetSource.status() };
  const observability = createObservability({
    engine: engineId,
    fleet,
    processMetrics: opts.processMetrics === true,
    ...(opts.tracing ? { tracing: opts.tracing } : {}),
  });
  // Every write goes through the observed store (commits timed and counted, in a span).
  const causes = new DispatchCauses();
  const store = observedStore(opts.store, observability, clock, causes);
  const secrets = new SecretBox(opts.secretKey);
  let profiles: ProfileService | null = null;
  let decisions: DecisionService | null = null;
  let landingPages: LandingPageService | null = null;
  const allow = opts.allowHosts ?? [];
  const hostsFor = (sandbox: string): readonly string[] =>
    Array.isArray(allow)
      ? allow
      : [
          ...((allow as Record<string, readonly string[]>)['*'] ?? []),
          ...((allow as Record<string, readonly string[]>)[sandbox] ?? []),
        ];
  // The sandbox's own allowed hosts (POST /v1/allowed-hosts) join the operator's list.
  const sandboxHosts = new SandboxHosts(store, hostsFor);
  void sandboxHosts.preload();
  const outbound = (sandbox: string): OutboundPolicy => sandboxHosts.policy(sandbox);
  const publicUrl = opts.publicUrl ?? opts.tracking?.baseUrl ?? 'http://127.0.0.1:4600';
  const channelDelivery =
    opts.deliver === undefined || opts.deliver === 'channels'
      ? createChannelDelivery({
          secrets,
          outbound,
          ...(opts.tracking ? { tracking: opts.tracking } : {}),
          shortLinks: { store, baseUrl: publicUrl, now: () => clock.now() },
          onAddressProblem: async (sandbox, profileId, problem) =>
            profiles?.addressProblem(sandbox, profileId, problem),
        })
      : null;
  const channels = channelDelivery && {
    ...channelDelivery,
    deliver: (async (req, rendered, recipient) => {
      await sandboxHosts.ensure(req.sandbox);
      return channelDelivery.deliver(req, rendered, recipient);
    }) as Deliver,
  };
  const renditions = renditionPolicy(opts.renditions);
  // One experiment assignment for campaign reads and trigger calls alike.
  const assign = createAssign();
  const catalogs = new CatalogCache(store, undefined, renditions, assign);
  const audienceRuntime = new AudienceRuntime({
    store: store,
    catalogs,
    clock,
    newId: timeOrderedId,
  });
  // The single writer: the only way to commit; the audience runtime runs around each commit.
  const writer = new Writer({
    store,
    clock,
    hooks: [audienceRuntime, observerHook(observability.observer)],
    ...(opts.pipelinedWriter !== undefined ? { pipelined: opts.pipelinedWriter } : {}),
  });
  // Fleet mode replaces the limiter after start (enterFleetMode): calls read whichever is current.
  let rateLimiter: RateLimiter = new LocalRateLimiter();
  const actionInvoker =
    opts.invokeAction ??
    createActionInvoker({
      allowHosts: (sandbox) => sandboxHosts.hostsFor(sandbox),
      secrets,
      limiter: () => rateLimiter,
    });
  const invokeAction: ActionInvoker = observedActions(
    async (call) => {
      await sandboxHosts.ensure(call.sandbox);
      return actionInvoker(call);
    },
    observability,
    causes,
  );
  const workers = ingestWorkers(opts);
  const engine = new Engine({
    writer,
    reads: store,
    catalogs,
    clock,
    invokeAction,
    observer: observability.observer,
    sendMessage: observedMessages(
      createMessageSender(
        channels ? channels.deliver : (opts.deliver as Deliver),
        new CappingGate(store),
        () =>
          decisions === null
            ? null
            : (req, policies) =>
                decisions!.forMessage(req.sandbox, req.profile, req.effect.messageId, policies),
        (sandbox, profileId) => landingPages?.linker(sandbox, profileId),
        (sandbox, channel, address) => store.suppression(sandbox, channel, address),
      ),
      observability,
      causes,
    ),
    memberships: createMembershipReader(audienceRuntime),
    audiences: audienceRuntime,
    ...(workers ? { workers: workers.pool } : {}),
    ...(opts.dispatchConcurrency !== undefined
      ? { dispatchConcurrency: opts.dispatchConcurrency }
      : {}),
    // The engine's errors (a failed tick) are counted in waymark_errors_total{site="engine"}.
    log: (level, message, details) => {
      if (level === 'error') observability.metrics.error('engine');
      opts.log?.(level, message, details);
    },
  });
  const parts: RuntimeParts = { engine, writer, store, catalogs, clock };
  decisions = new DecisionService(parts, invokeAction);
  const objects = new ObjectService(parts, secrets);
  const webhooks = new WebhookService({
    writer,
    store,
    clock,
    secrets,
    hosts: sandboxHosts,
    ...(opts.log ? { log: opts.log } : {}),
  });
  writer.addHook(webhooks);
  objects.addCheck(WEBHOOK_KIND, (sandbox, value) =>
    webhooks.checkHost(sandbox, String(value.url)),
  );
  objects.onChange((sandbox, kind) => {
    if (kind === WEBHOOK_KIND) webhooks.invalidate(sandbox);
  });
  webhooks.start();
  const journeys = new JourneyService(parts);
  profiles = new ProfileService(parts, audienceRuntime.stitcher);
  landingPages = new LandingPageService(parts, {
    objects,
    profiles,
    decisions: () => decisions,
    secret: opts.tracking?.secret,
    publicUrl,
  });
  const assets = new AssetService(
    objects,
    opts.blobs ?? new MemoryBlobStore(),
    publicUrl,
    renditions,
  );
  const campaigns = new CampaignService(parts, assign);
  audienceRuntime.setWinnerDecider(async (sandbox, id, run) => {
    await decideWinner(parts, assign, sandbox, id, run);
  });
  // The access services come later: the ender reaches the audit log when a dry run ends.
  audienceRuntime.setDryRunEnder(dryRunEnder(parts, () => access.audit));
  const packages = new PackageService(
    parts,
    objects,
    journeys,
    profiles,
    assets,
    sandboxHosts,
    campaigns,
  );
  const profileService = profiles;
  const translations = new TranslationProjectService({
    store: store,
    objects,
    clock,
    outbound,
    ensureHosts: (sandbox) => sandboxHosts.ensure(sandbox),
    ...(opts.log ? { log: opts.log } : {}),
  });
  if (opts.translators)
    translations.configure(opts.translators.configs, opts.translators.defaultKind);
  const access = createAccessServices({ store: store, clock, journeys });
  const retention = startRetentionPurger({
    store,
    clock,
    sandboxes: async () => (await access.sandboxes.list()).map((s) => s.name),
    ...(opts.retention?.intervalMs !== undefined ? { intervalMs: opts.retention.intervalMs } : {}),
    ...(opts.retention?.batchSize !== undefined ? { batchSize: opts.retention.batchSize } : {}),
  });
  const campaignApprovals = new CampaignApprovals({
    store,
    clock,
    campaigns,
    sandboxes: access.sandboxes,
  });
  return {
    access,
    engine,
    reads: store,
    catalogs,
    clock,
    objects,
    journeys,
    campaigns,
    campaignApprovals,
    profiles: profileService,
    packages,
    feedback: new FeedbackService(parts),
    inApp: new InAppService(parts),
    suppressions: new SuppressionService(parts),
    assistantConversations: new ConversationStore(store, () => clock.now()),
    outbound,
    async testAction(sandbox, name, parameters) {
      const action = (await catalogs.get(sandbox)).actions.get(name);
      if (!action) throw notFound('custom action', name);
      return invokeAction({
        sandbox,
        action,
        parameters,
        timeoutMs: action.timeoutMs,
        idempotencyKey: `test-${randomUUID()}`,
      });
    },
    assets,
    allowedHosts: sandboxHosts,
    webhooks,
    exports: new ExportService({ store, clock, hosts: sandboxHosts }),
    exportFolder: opts.exportFolder ?? null,
    translations,
    decisions,
    landingPages,
    publicUrl,
    observability,
    get fleet() {
      return fleet;
    },
    set fleet(source: FleetStatusSource) {
      fleetSource = source;
    },
    get rateLimiter() {
      return rateLimiter;
    },
    enterFleetMode(o) {
      rateLimiter = o.rateLimiter;
      audienceRuntime.shareByPartition(o.ownedPartitions);
    },
    partitionsChanged() {
      audienceRuntime.ownershipChanged();
    },
    audiences: new AudienceService(parts, audienceRuntime, objects),
    profileAdmin: new ProfileAdmin(parts, audienceRuntime, profileService),
    retention,
    async close() {
      await webhooks.stop();
      await retention.stop();
      await translations.close();
      await stopAuditLog(access.audit);
      await engine.stop();
      await workers?.release();
      await channels?.close();
      await store.close();
      await observability.tracing.shutdown();
    },
  };
}
