// The compiled view of a sandbox's objects: event validators, actions, journeys compiled once per
// version. Rebuilt when an object that journeys depend on changes; never on the hot path.
import {
  compileJourney,
  type CompiledJourney,
  type JourneyCatalog,
  type JourneyIssue,
} from '../journey/index.ts';
import type { ChannelConfiguration } from '../model/channel-configuration.ts';
import type { CustomAction } from '../model/custom-action.ts';
import type { EventType } from '../model/event-type.ts';
import { defaultNamespaces, type IdentityNamespace } from '../model/identity.ts';
import type { JourneyEntry, JourneyVersion } from '../model/journey.ts';
import type { RuleSet } from '../model/rule-set.ts';
import type { ContentLibrary } from '../content/index.ts';
import type { JsonSchema } from '../model/common.ts';
import type { Fragment } from '../model/fragment.ts';
import type { ContentTemplate } from '../model/content-template.ts';
import type { LanguageSettings } from '../model/language-settings.ts';
import type { Asset } from '../model/asset.ts';
import {
  defaultRenditionPolicy,
  renditionUrlFor,
  type RenditionPolicy,
} from '../content/assets/rendition-policy.ts';
import { compileAudience, type CompiledAudience } from '../audience/index.ts';
import type { Audience } from '../model/audience.ts';
import { LruMap } from '../shared/lru.ts';
import type { Store } from '../store/ports.ts';
import { compileEventType, compileSchema, type CompiledEventType } from './event-schemas.ts';
import { schemaFromSample } from './schema-from-sample.ts';
import {
  campaignEntries,
  type Assign,
  type CampaignRead,
  type PendingWinner,
} from './campaigns/catalog-entries.ts';
import { CAMPAIGN_KIND, decodeCampaign } from './campaigns/stored.ts';

export type { CompiledEventType } from './event-schemas.ts';

export interface VersionEntry {
  readonly version: JourneyVersion;
  readonly compiled: CompiledJourney | null;
  readonly issues: readonly JourneyIssue[];
}

export interface SandboxCatalog {
  readonly sandbox: string;
  readonly namespaces: ReadonlyMap<string, IdentityNamespace>;
  readonly eventTypes: ReadonlyMap<string, CompiledEventType>;
  readonly actions: ReadonlyMap<string, CustomAction>;
  readonly configurations: ReadonlyMap<string, ChannelConfiguration>;
  readonly journeyCatalog: JourneyCatalog;
  /** Journey versions by `${journeyId}:${version}`. */
  readonly versions: ReadonlyMap<string, VersionEntry>;
  /** For each event name, the latest live version of every journey that starts with it. */
  readonly entryJourneys: ReadonlyMap<string, readonly CompiledJourney[]>;
  /** Fragments, templates, language settings and assets, for compiling messages. */
  readonly content: ContentLibrary;
  readonly ruleSets: ReadonlyMap<string, RuleSet>;
  /** Compiled messages by `${journeyId}:${version}:${node}`, filled on first use. */
  readonly messages: Map<string, unknown>;
  /** Streaming audiences, compiled; evaluated on each profile change. */
  readonly audiences: readonly CompiledAudience[];
  /** Every audience definition of the sandbox by name (streaming, batch and uploaded). */
  readonly audienceDefs: ReadonlyMap<string, Audience>;
  /** The latest live (or test) version of each journey entered by audience qualification. */
  readonly audienceJourneys: readonly CompiledJourney[];
  /** Read-audience journeys: every live or test version (each runs its own reads). */
  readonly readAudienceJourneys: readonly CompiledJourney[];
  /** Campaign runs' reads by `${journeyId}:${version}` (src/runtime/campaigns/catalog-entries.ts). */
  readonly campaignReads: ReadonlyMap<string, CampaignRead>;
  /** Campaign runs whose winner is still to be sent to the rest (a job each, audiences/runtime.ts). */
  readonly campaignWinners?: readonly PendingWinner[];
}

export const versionKey = (journeyId: string, version: number): string => `${journeyId}:${version}`;

/** Sandboxes whose catalogs stay compiled at once (the least recently used is rebuilt on demand). */
export const CATALOG_CACHE_LIMIT = 256;

export class CatalogCache {
  private readonly cache: LruMap<string, Promise<SandboxCatalog>>;
  // Catalogs of sandboxes that hold nothing: answered, never kept, so naming sandboxes that do not
  // exist cannot fill the cache.
  private readonly empty = new WeakSet<SandboxCatalog>();

  /** `renditions`: image blocks asking for a rendition get a URL with sizes the public asset route serves. */
  constructor(
    private readonly store: Store,
    limit = CATALOG_CACHE_LIMIT,
    private readonly renditions: RenditionPolicy = defaultRenditionPolicy,
    /** Experiment assignment of campaign members (src/runtime/campaigns/experiment.ts). */
    private readonly assign: Assign = () => null,
  ) {
    this.cache = new LruMap(limit);
  }

  get(sandbox: string): Promise<SandboxCatalog> {
    let c = this.cache.get(sandbox);
    if (!c) {
      const built = this.build(sandbox);
      c = built;
      this.cache.set(sandbox, built);
      built.then(
        (catalog) => {
          if (this.empty.has(catalog) && this.cache.get(sandbox) === built)
            this.cache.delete(sandbox);
        },
        () => this.cache.delete(sandbox),
      );
    }
    return c;
  }

  /** How many sandboxes' catalogs are kept (for the tests that hold the bound). */
  get size(): number {
    return this.cache.size;
  }

  invalidate(sandbox: string): void {
    this.cache.delete(sandbox);
    for (const l of this.listeners) l(sandbox);
  }

  private readonly listeners: Array<(sandbox: string) => void> = [];
  /** Called after each invalidation (the audience runtime schedules read-audience runs). */
  onInvalidate(listener: (sandbox: string) => void): void {
    this.listeners.push(listener);
  }

  /** Validates a JSON Schema before it is stored, so ingest never meets a broken one. */
  checkSchema(schema: unknown): string | null {
    try {
      compileSchema(schema as object);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private async build(sandbox: string): Promise<SandboxCatalog> {
    const [fragments, templates, languages, assets] = await Promise.all([
      this.store.listObjects<Fragment>(sandbox, 'fragment'),
      this.store.listObjects<ContentTemplate>(sandbox, 'contentTemplate'),
      this.store.listObjects<LanguageSettings>(sandbox, 'languageSettings'),
      this.store.listObjects<Asset>(sandbox, 'asset'),
    ]);
    const lookup = <T>(objs: Array<{ key: string; body: T }>): ((id: string) => T | undefined) => {
      const m = new Map(objs.map((o) => [o.key, o.body] as const));
      return (id) => m.get(id);
    };
    const renditions = this.renditions;
    const content: ContentLibrary = {
      fragment: lookup(fragments),
      contentTemplate: lookup(templates),
      languageSettings: lookup(languages),
      asset: lookup(assets),
      renditionUrl: (asset, rendition) => renditionUrlFor(asset.url, rendition, renditions),
    };
    const profileSchema = (
      await this.store.getObject<{ schema: JsonSchema }>(sandbox, 'profileSchema', 'profile')
    )?.body.schema;
    const [nsObjs, etObjs, actionObjs, configObjs, ruleObjs, journeys, audienceObjs, campaignObjs] =
      await Promise.all([
        this.store.listObjects<IdentityNamespace>(sandbox, 'namespace'),
        this.store.listObjects<EventType>(sandbox, 'eventType'),
        this.store.listObjects<CustomAction>(sandbox, 'action'),
        this.store.listObjects<ChannelConfiguration>(sandbox, 'channelConfiguration'),
        this.store.listObjects<RuleSet>(sandbox, 'ruleSet'),
        this.store.listJourneys(sandbox),
        this.store.listObjects<Audience>(sandbox, 'audience'),
        this.store.listObjects(sandbox, CAMPAIGN_KIND),
      ]);
    const namespaces = new Map(defaultNamespaces.map((n) => [n.code, n] as const));
    for (const o of nsObjs) namespaces.set(o.body.code, o.body);
    const eventTypes = new Map<string, CompiledEventType>();
    for (const o of etObjs) eventTypes.set(o.body.name, compileEventType(o.body));
    const actions = new Map(actionObjs.map((o) => [o.body.name, o.body] as const));
    const configurations = new Map(configObjs.map((o) => [o.body.name, o.body] as const));

    const journeyCatalog: JourneyCatalog = {
      events: Object.fromEntries(
        [...eventTypes.values()].map((e) => [
          e.def.name,
          {
            schema: e.def.schema,
            namespace: e.def.identity?.namespace ?? '',
            ...(e.def.business ? { business: true } : {}),
          },
        ]),
      ),
      actions: Object.fromEntries([...actions.values()].map((a) => [a.name, actionSignature(a)])),
      configurations: Object.fromEntries(
        [...configurations.values()].map((c) => [c.name, c.channel]),
      ),
      untracked: Object.fromEntries(
        [...configurations.values()].map((c) => [c.name, untrackedOf(c)]),
      ),
      ruleSets: ruleObjs.map((r) => r.body.name),
      namespaces: [...namespaces.keys()],
      journeys: jumpIndex(journeys),
      ...(profileSchema ? { profileSchema } : {}),
      ...(audienceObjs.length > 0 ? { audiences: audienceObjs.map((a) => a.body.name) } : {}),
      ...(audienceObjs.some((a) => a.body.namespace !== undefined)
        ? {
            audienceNamespaces: Object.fromEntries(
              audienceObjs.flatMap((a) =>
                a.body.namespace === undefined ? [] : [[a.body.name, a.body.namespace]],
              ),
            ),
          }
        : {}),
    };

    // Running versions compile without the jump checks: a target stopped later, or a cycle made
    // later, must not stop a published journey (the checks run before publishing: journeys.ts).
    const runtimeCatalog: JourneyCatalog = { ...journeyCatalog };
    delete (runtimeCatalog as { journeys?: unknown }).journeys;
    const versions = new Map<string, VersionEntry>();
    const latestLive = new Map<string, CompiledJourney>();
    // Event entries: the live version and, beside it, a draft in test mode (which admits test profiles only).
    const liveEntry = new Map<string, CompiledJourney>();
    const testEntry = new Map<string, CompiledJourney>();
    const readAudienceJourneys: CompiledJourney[] = [];
    for (const v of journeys) {
      const r = compileJourney(v.journeyId, v.version, v.definition, runtimeCatalog, {
        test: v.status === 'test',
        dryRun: v.status === 'dryRun',
      });
      // A draft in dry run takes entries of every profile like a live version (none is live beside it).
      const running = v.status === 'live' || v.status === 'test' || v.status === 'dryRun';
      versions.set(versionKey(v.journeyId, v.version), {
        version: v,
        compiled: r.ok ? r.journey : null,
        issues: r.ok ? [] : r.issues,
      });
      // A draft in test mode takes entries (of test profiles only) like a live version.
      if (running && r.ok) latestLive.set(v.journeyId, r.journey);
      if ((v.status === 'live' || v.status === 'dryRun') && r.ok)
        liveEntry.set(v.journeyId, r.journey);
      if (v.status === 'test' && r.ok) testEntry.set(v.journeyId, r.journey);
      if (running && r.ok && v.definition.entry.type === 'readAudience')
        readAudienceJourneys.push(r.journey);
    }
    const campaigns = campaignEntries(
      campaignObjs.flatMap((o) => decodeCampaign(o.body) ?? []),
      journeyCatalog,
      this.assign,
    );
    for (const c of campaigns.versions)
      versions.set(versionKey(c.version.journeyId, c.version.version), { ...c, issues: [] });
    readAudienceJourneys.push(...campaigns.readJourneys);
    const entryJourneys = new Map<string, CompiledJourney[]>();
    const audienceJourneys: CompiledJourney[] = [];
    for (const j of latestLive.values()) {
      if (j.definition.entry.type === 'audience') audienceJourneys.push(j);
    }
    for (const j of [...liveEntry.values(), ...testEntry.values()]) {
      if (j.definition.entry.type !== 'event') continue;
      entryJourneys.set(j.entryEvent, [...(entryJourneys.get(j.entryEvent) ?? []), j]);
    }
    const audienceNames = audienceObjs.map((a) => a.body.name);
    const audiences: CompiledAudience[] = [];
    for (const a of audienceObjs) {
      const r = compileAudience(a.body, {
        audiences: audienceNames,
        eventTypes: [...eventTypes.keys()],
      });
      if (r.ok) audiences.push(r.audience);
    }
    const ruleSets = new Map(ruleObjs.map((o) => [o.body.name, o.body] as const));
    const audienceDefs = new Map(audienceObjs.map((a) => [a.body.name, a.body] as const));
    const catalog: SandboxCatalog = {
      sandbox,
      namespaces,
      eventTypes,
      actions,
      configurations,
      journeyCatalog,
      versions,
      entryJourneys,
      content,
      ruleSets,
      messages: new Map(),
      audiences,
      audienceDefs,
      audienceJourneys,
      readAudienceJourneys,
      campaignReads: campaigns.reads,
      campaignWinners: campaigns.pendingWinners,
    };
    const held =
      fragments.length +
      templates.length +
      languages.length +
      assets.length +
      nsObjs.length +
      etObjs.length +
      actionObjs.length +
      configObjs.length +
      ruleObjs.length +
      journeys.length +
      audienceObjs.length +
      campaignObjs.length;
    if (held === 0 && profileSchema === undefined) this.empty.add(catalog);
    return catalog;
  }
}

/** What a journey sees of an action: its variable parameters and the type of its response. */
export function actionSignature(a: CustomAction): JourneyCatalog['actions'][string] {
  const vars: Array<{ name: string; optional: boolean }> = [
    ...a.payload
      .filter((f) => f.kind === 'variable')
      .map((f) => ({ name: f.path, optional: f.optional })),
    ...a.headers
      .filter((h) => h.kind === 'variable')
      .map((h) => ({ name: `header:${h.name}`, optional: h.kind === 'variable' && h.optional })),
    ...a.queryParameters
      .filter((q) => q.kind === 'variable')
      .map((q) => ({ name: `query:${q.name}`, optional: q.kind === 'variable' && q.optional })),
  ];
  const sample = a.responseSample;
  const responseSchema = !sample
    ? undefined
    : sample.kind === 'jsonSchema'
      ? sample.schema
      : schemaFromSample(sample.sample);
  return {
    parameters: [...vars.map((v) => v.name), '$path'],
    requiredParameters: vars.filter((v) => !v.optional).map((v) => v.name),
    ...(responseSchema ? { responseSchema } : {}),
  };
}

/** Each journey's name, entry, whether it is live and where it jumps, for jump checks (validate-activities.ts). */
function jumpIndex(versions: readonly JourneyVersion[]): NonNullable<JourneyCatalog['journeys']> {
  const out: Record<
    string,
    { name: string; entry: JourneyEntry['type']; live: boolean; jumps: string[]; newest: number }
  > = {};
  for (const v of versions) {
    const e = (out[v.journeyId] ??= {
      name: v.definition.name,
      entry: v.definition.entry.type,
      live: false,
      jumps: [],
      newest: -1,
    });
    if (v.status === 'live') e.live = true;
    // The newest live version's entry counts (a jump enters it), else the newest version's.
    if (v.version > e.newest && (v.status === 'live' || !e.live)) {
      e.newest = v.version;
      e.name = v.definition.name;
      e.entry = v.definition.entry.type;
    }
    if (v.status === 'closed' || v.status === 'stopped') continue;
    for (const n of v.definition.nodes)
      if (n.kind === 'jump' && !e.jumps.includes(n.journey)) e.jumps.push(n.journey);
  }
  return Object.fromEntries(
    Object.entries(out).map(([id, { name, entry, live, jumps }]) => [
      id,
      { name, entry, live, jumps },
    ]),
  );
}

/** The feedback a configuration does not track: a reaction waiting for it is refused. */
function untrackedOf(c: ChannelConfiguration): Array<'opened' | 'clicked'> {
  if (c.channel === 'email')
    return [
      ...(c.tracking.opens ? [] : (['opened'] as const)),
      ...(c.tracking.clicks ? [] : (['clicked'] as const)),
    ];
  if (c.channel === 'sms') return c.tracking?.clicks ? [] : ['clicked'];
  return [];
}
