import { randomUUID } from 'node:crypto';
import type { ActionResult } from '../journey/index.ts';
import { notFound } from '../errors.ts';
// Wires the engine and its services from ports: one place that says what runs with what.
import type { Store } from '../store/ports.ts';
import { createActionInvoker } from './action-invoker.ts';
import { createChannelDelivery } from './delivery.ts';
import { CappingGate } from './capping.ts';
import { SecretBox } from './secret-box.ts';
import type { SecretKey } from '../channels/secrets.ts';
import { FeedbackService } from './feedback.ts';
import { AssetService } from './assets.ts';
import { renditionPolicy, type RenditionPolicy } from '../content/assets/rendition-policy.ts';
import { MemoryBlobStore, type BlobStore } from './blobs.ts';
import { CatalogCache } from './catalog.ts';
import { systemClock, type Clock } from './clock.ts';
import { Engine, timeOrderedId } from './engine.ts';
import { AudienceRuntime } from './audiences/runtime.ts';
import { AudienceService } from './audiences/service.ts';
import { ProfileAdmin } from './audiences/profile-admin.ts';
import { setCommitHooks } from './unit-of-work.ts';
import { JourneyService } from './journeys.ts';
import { createMembershipReader } from './memberships.ts';
import { createMessageSender, type Deliver } from './messages.ts';
import { ObjectService } from './objects.ts';
import { PackageService } from './packages.ts';
import { ProfileService } from './profiles.ts';
import type { ActionInvoker } from './ports.ts';
import type { OutboundPolicy } from '../channels/outbound/index.ts';
import { SandboxHosts } from './allowed-hosts.ts';
import { TranslationProjectService } from './translation-projects.ts';
import { createAccessServices, type AccessServices } from './access/index.ts';
import { stopAuditLog } from './access/audit-log.ts';
import type { TranslatorConfig, TranslatorKind } from '../channels/translation/configured.ts';
import type { Logger } from '../shared/logger.ts';

export interface WaymarkOptions {
  readonly store: Store;
  readonly clock?: Clock;
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
  readonly translators?: { readonly configs: readonly TranslatorConfig[]; readonly defaultKind?: TranslatorKind | null };
}

export interface Waymark {
  /** People, roles, API keys, sandboxes, the audit log and approvals (src/runtime/access/). */
  readonly access: AccessServices;
  readonly engine: Engine;
  readonly objects: ObjectService;
  readonly journeys: JourneyService;
  readonly profiles: ProfileService;
  readonly packages: PackageService;
  readonly feedback: FeedbackService;
  /** Stored memberships, size and sample, batch runs, uploads, audiences from reports. */
  readonly audiences: AudienceService;
  /** Identity stitching, erasure on request, bulk import, experience-event retention. */
  readonly profileAdmin: ProfileAdmin;
  readonly assets: AssetService;
  /** The sandboxes' own allowed hosts, beside the operator's list. */
  readonly allowedHosts: SandboxHosts;
  /** Translation projects through the configured providers (resume() after a restart). */
  readonly translations: TranslationProjectService;
  /** The address people reach this server at (tracked links, asset URLs, provider webhooks). */
  readonly publicUrl: string;
  /** Where a sandbox's channels and proofs may connect (its allowed hosts and the providers' endpoints). */
  outbound(sandbox: string): OutboundPolicy;
  /** Calls a custom action once, as a journey would (the console's "test the action"). */
  testAction(sandbox: string, name: string, parameters: Readonly<Record<string, unknown>>): Promise<ActionResult>;
  close(): Promise<void>;
}

export function createWaymark(opts: WaymarkOptions): Waymark {
  const clock = opts.clock ?? systemClock;
  const secrets = new SecretBox(opts.secretKey);
  let profiles: ProfileService | null = null;
  const allow = opts.allowHosts ?? [];
  const hostsFor = (sandbox: string): readonly string[] => (Array.isArray(allow) ? allow : [...((allow as Record<string, readonly string[]>)['*'] ?? []), ...((allow as Record<string, readonly string[]>)[sandbox] ?? [])]);
  // The sandbox's own allowed hosts (POST /v1/allowed-hosts) join the operator's list.
  const sandboxHosts = new SandboxHosts(opts.store, hostsFor);
  void sandboxHosts.preload();
  const outbound = (sandbox: string): OutboundPolicy => sandboxHosts.policy(sandbox);
  const channelDelivery = opts.deliver === undefined || opts.deliver === 'channels'
    ? createChannelDelivery({ secrets, outbound, ...(opts.tracking ? { tracking: opts.tracking } : {}), onAddressProblem: async (sandbox, profileId, problem) => profiles?.addressProblem(sandbox, profileId, problem) })
    : null;
  const channels = channelDelivery && { ...channelDelivery, deliver: (async (req, rendered, recipient) => { await sandboxHosts.ensure(req.sandbox); return channelDelivery.deliver(req, rendered, recipient); }) as Deliver };
  const renditions = renditionPolicy(opts.renditions);
  const catalogs = new CatalogCache(opts.store, undefined, renditions);
  const audienceRuntime = new AudienceRuntime({ store: opts.store, catalogs, clock, newId: timeOrderedId });
  setCommitHooks(opts.store, audienceRuntime);
  const publicUrl = opts.publicUrl ?? opts.tracking?.baseUrl ?? 'http://127.0.0.1:4600';
  const actionInvoker = opts.invokeAction ?? createActionInvoker({ allowHosts: (sandbox) => sandboxHosts.hostsFor(sandbox), secrets });
  const invokeAction: ActionInvoker = async (call) => { await sandboxHosts.ensure(call.sandbox); return actionInvoker(call); };
  const engine = new Engine({
    store: opts.store,
    catalogs,
    clock,
    invokeAction,
    sendMessage: createMessageSender(channels ? channels.deliver : (opts.deliver as Deliver), new CappingGate(opts.store)),
    memberships: createMembershipReader(audienceRuntime),
    audiences: audienceRuntime,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const objects = new ObjectService(engine, secrets);
  const journeys = new JourneyService(engine);
  profiles = new ProfileService(engine, audienceRuntime.stitcher);
  const assets = new AssetService(objects, opts.blobs ?? new MemoryBlobStore(), publicUrl, renditions);
  const packages = new PackageService(engine, objects, journeys, profiles, assets, sandboxHosts);
  const profileService = profiles;
  const translations = new TranslationProjectService({
    store: opts.store, objects, clock, outbound, ensureHosts: (sandbox) => sandboxHosts.ensure(sandbox), ...(opts.log ? { log: opts.log } : {}),
  });
  if (opts.translators) translations.configure(opts.translators.configs, opts.translators.defaultKind);
  const access = createAccessServices({ store: opts.store, clock, journeys });
  return {
    access,
    engine, objects, journeys, profiles: profileService, packages, feedback: new FeedbackService(engine), outbound,
    async testAction(sandbox, name, parameters) {
      const action = (await engine.catalogs.get(sandbox)).actions.get(name);
      if (!action) throw notFound('custom action', name);
      return invokeAction({ sandbox, action, parameters, timeoutMs: action.timeoutMs, idempotencyKey: `test-${randomUUID()}` });
    },
    assets, allowedHosts: sandboxHosts, translations,
    publicUrl,
    audiences: new AudienceService(engine, audienceRuntime, objects),
    profileAdmin: new ProfileAdmin(engine, audienceRuntime, profileService),
    async close() {
      await translations.close();
      await stopAuditLog(access.audit);
      await engine.stop();
      await channels?.close();
      await opts.store.close();
    },
  };
}
