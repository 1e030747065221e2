// Stored memberships, evaluated streaming: every event and profile change re-evaluates the
// profile's streaming audiences in the same unit of work (the engine asks before it routes, the
// commit hook catches every other writer), writes the changes as membership rows, keeps one timer
// per profile at the instant a time window changes the answer with no new input, and enters the
// audience-qualification journeys the changes trigger. inAudience() and content conditions read
// these rows. Memberships are cached per profile (write-through, after commit) so that the hot path
// does not read them again, and evaluation is skipped when neither the attributes, nor an event the
// audiences read, nor the catalog, nor the clock (a due window) changed.
import {
  evaluateMemberships,
  qualificationTriggers,
  snapshotNeeds,
  streamingOrder,
  type CompiledAudience,
  type MembershipChange,
  type SnapshotNeeds,
} from '../../audience/index.ts';
import { decideEntry, step, type CompiledJourney } from '../../journey/index.ts';
import type { Profile } from '../../model/profile.ts';
import type { MembershipRow, Store } from '../../store/ports.ts';
import { audienceTimer, audienceTimerId, type AudienceTimer } from '../../store/records/index.ts';
import { versionKey, type CatalogCache, type SandboxCatalog } from '../catalog.ts';
import { DISCARD_REASON_PREFIX, Metric } from '../../journey/effects.ts';
import type { Clock } from '../clock.ts';
import { withCaps, type UnitOfWork } from '../unit-of-work/index.ts';
import { feedbackTypes, loadHistory, snapshotOf } from './snapshot.ts';

export type Statuses = Readonly<Record<string, 'realized' | 'exited'>>;
type Rows = ReadonlyMap<string, MembershipRow>;

interface Entry {
  readonly rows: Rows;
  /** When a window changes an answer with no new input; undefined: not known (no evaluation yet in this process). */
  readonly nextCheckAt: number | null | undefined;
  /** The catalog the rows were evaluated against (null: read from the store, not evaluated). */
  readonly catalog: SandboxCatalog | null;
}

interface UowState {
  readonly results: Map<string, { profile: Profile; changes: number; entry: Entry }>;
  /** Cache entries to publish once the unit commits (null: forget). */
  readonly staged: Map<string, Entry | null>;
  readonly gone: Set<string>;
  /** Rows written by batch runs for profiles with no entry at hand: read over the stored rows, and the cache entry dropped after commit. */
  readonly overrides: Map<string, Map<string, MembershipRow>>;
}

interface Plan {
  /** The audiences evaluated: all of the catalog's but those caught in a dependency cycle. */
  readonly audiences: readonly CompiledAudience[];
  readonly needs: SnapshotNeeds;
  /** Event types whose arrival can change a membership. */
  readonly readTypes: ReadonlySet<string>;
  readonly qualifying: ReadonlyArray<{
    readonly entry: { readonly audience: string; readonly on: 'realized' | 'exited' };
    readonly journey: CompiledJourney;
  }>;
  /** Audiences some running journey lists as an exit criterion (`audienceExit`). */
  readonly exitOn: ReadonlySet<string>;
}

export { audienceTimerId } from '../../store/records/index.ts';
const key = (sandbox: string, profileId: string): string => `${sandbox}\u0000${profileId}`;
// Profiles whose memberships stay cached (the most recently written). About 500 bytes each: at
// 200,000 the process that ingested 300,000 checkouts held 735 MiB resident, at 50,000 517 MiB;
// a profile not in the cache costs one indexed read when its next event comes.
const CACHE_LIMIT = 50_000;

export interface StreamingDeps {
  readonly store: Store;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly newId: () => string;
}

export class StreamingAudiences {
  private readonly cache = new Map<string, Entry>();
  private readonly states = new WeakMap<UnitOfWork, UowState>();
  private readonly plans = new WeakMap<SandboxCatalog, Plan>();

  constructor(private readonly deps: StreamingDeps) {}

  private state(uow: UnitOfWork): UowState {
    let s = this.states.get(uow);
    if (!s) {
      s = { results: new Map(), staged: new Map(), gone: new Set(), overrides: new Map() };
      this.states.set(uow, s);
    }
    return s;
  }

  plan(catalog: SandboxCatalog): Plan {
    let p = this.plans.get(catalog);
    if (!p) {
      const audiences = withoutCycles(catalog.audiences);
      const needs = snapshotNeeds(audiences.filter((a) => a.origin === 'streaming'));
      const readTypes = new Set([
        ...needs.eventTypes,
        ...(needs.feedback ? Object.keys(feedbackTypes) : []),
      ]);
      const qualifying = catalog.audienceJourneys.flatMap((journey) => {
        const e = journey.definition.entry;
        return e.type === 'audience'
          ? [{ entry: { audience: e.audience, on: e.on }, journey }]
          : [];
      });
      const exitOn = new Set<string>();
      for (const v of catalog.versions.values())
        for (const c of v.compiled?.definition.exitCriteria ?? [])
          if ('audienceExit' in c) exitOn.add(c.audienceExit);
      p = { audiences, needs, readTypes, qualifying, exitOn };
      this.plans.set(catalog, p);
    }
    return p;
  }

  /** The stored membership rows of a profile as this unit sees them. */
  async rows(uow: UnitOfWork | null, sandbox: string, profileId: string): Promise<Rows> {
    const k = key(sandbox, profileId);
    if (uow && this.state(uow).gone.has(k)) return new Map();
    const known = uow ? this.known(uow, k) : this.cache.get(k);
    if (known) return known.rows;
    const overrides = uow ? this.state(uow).overrides.get(k) : undefined;
    const stored = uow?.isCreated(sandbox, profileId)
      ? []
      : await this.deps.store.profileMemberships(sandbox, profileId);
    const rows = new Map(stored.map((r) => [r.audience, r] as const));
    for (const [audience, row] of overrides ?? []) rows.set(audience, row);
    return rows;
  }

  /** The entry this unit works from: its own result, what it staged, or the cache (unless a batch run wrote past it). */
  private known(uow: UnitOfWork, k: string): Entry | undefined {
    const s = this.state(uow);
    return (
      s.results.get(k)?.entry ??
      s.staged.get(k) ??
      (s.overrides.has(k) ? undefined : this.cache.get(k))
    );
  }

  /** Statuses by audience name, for inAudience() and content (audiences that no longer exist are left out). */
  view(catalog: SandboxCatalog, rows: Rows): Statuses {
    const out: Record<string, 'realized' | 'exited'> = {};
    for (const [name, r] of rows) if (catalog.audienceDefs.has(name)) out[name] = r.status;
    return out;
  }

  /** Memberships outside a unit of work (message rendering, API reads). */
  async read(sandbox: string, profile: Profile | null): Promise<Statuses> {
    if (!profile) return {};
    const catalog = await this.deps.catalogs.get(sandbox);
    return this.view(catalog, await this.rows(null, sandbox, profile.id));
  }

  /**
   * Evaluates the profile's streaming audiences in this unit (unless nothing they read changed),
   * records the changes, moves its window timer and enters the journeys the changes trigger.
   */
  async refresh(
    uow: UnitOfWork,
    sandbox: string,
    profile: Profile,
    force = false,
  ): Promise<Statuses> {
    const k = key(sandbox, profile.id);
    const s = this.state(uow);
    const catalog = await this.deps.catalogs.get(sandbox);
    const t = uow.touched.get(k);
    const changes = t?.changes ?? 0;
    const mine = s.results.get(k);
    if (
      !force &&
      mine &&
      mine.profile === profile &&
      mine.changes === changes &&
      mine.entry.catalog === catalog
    )
      return this.view(catalog, mine.entry.rows);
    const plan = this.plan(catalog);
    const base: Entry | undefined = this.known(uow, k);
    const relevant =
      t !== undefined && (t.attributes || [...t.eventTypes].some((e) => plan.readTypes.has(e)));
    const due =
      base?.nextCheckAt !== undefined && base.nextCheckAt !== null && base.nextCheckAt <= uow.now;
    if (!force && base && base.catalog === catalog && !relevant && !due) {
      s.results.set(k, { profile, changes, entry: base });
      return this.view(catalog, base.rows);
    }
    const rows = base?.rows ?? (await this.rows(uow, sandbox, profile.id));
    const history = await loadHistory(
      this.deps.store,
      uow,
      sandbox,
      profile.id,
      plan.needs,
      uow.now,
    );
    const r = evaluateMemberships(plan.audiences, snapshotOf(profile, history, rows), uow.now);
    const next = this.write(uow, sandbox, profile.id, rows, r.changes);
    // A profile created by this unit has no timer yet: nothing to remove.
    this.moveTimer(
      uow,
      sandbox,
      profile.id,
      base?.nextCheckAt ?? (uow.isCreated(sandbox, profile.id) ? null : undefined),
      r.nextCheckAt,
    );
    const entry: Entry = { rows: next, nextCheckAt: r.nextCheckAt, catalog };
    s.results.set(k, { profile, changes, entry });
    s.staged.set(k, entry);
    const statuses = this.view(catalog, next);
    if (r.changes.length > 0) await this.qualify(uow, catalog, profile, r.changes, statuses);
    return statuses;
  }

  /** Sets memberships decided elsewhere (uploads, batch runs of profiles at hand) and enters the journeys they trigger. */
  async set(
    uow: UnitOfWork,
    sandbox: string,
    profile: Profile,
    changes: readonly MembershipChange[],
  ): Promise<void> {
    if (changes.length === 0) return;
    const k = key(sandbox, profile.id);
    const s = this.state(uow);
    const catalog = await this.deps.catalogs.get(sandbox);
    const before = this.known(uow, k);
    const rows = before?.rows ?? (await this.rows(uow, sandbox, profile.id));
    const real = changes.filter(
      (c) =>
        rows.get(c.audience)?.status !== c.status &&
        (c.status === 'realized' || rows.has(c.audience)),
    );
    const next = this.write(uow, sandbox, profile.id, rows, real);
    const entry: Entry = {
      rows: next,
      nextCheckAt: before?.nextCheckAt,
      catalog: before?.catalog ?? null,
    };
    s.results.set(k, { profile, changes: uow.touched.get(k)?.changes ?? 0, entry });
    s.staged.set(k, entry);
    if (real.length > 0) await this.qualify(uow, catalog, profile, real, this.view(catalog, next));
  }

  /**
   * A batch run's verdict on one audience for one profile, whose stored row the run read with its
   * page: the profile and its other rows are read only when a journey qualifies on the change.
   */
  async setFromBatch(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profileId: string,
    change: MembershipChange,
    stored: { readonly realizedAt: number | null } | undefined,
  ): Promise<void> {
    const sandbox = catalog.sandbox;
    const k = key(sandbox, profileId);
    const s = this.state(uow);
    if (s.gone.has(k)) return;
    const known = this.known(uow, k);
    if (known) {
      const profile = await uow.profile(sandbox, profileId);
      if (profile) await this.set(uow, sandbox, profile, [change]);
      return;
    }
    const row: MembershipRow =
      change.status === 'realized'
        ? {
            sandbox,
            profileId,
            audience: change.audience,
            status: 'realized',
            realizedAt: uow.now,
            exitedAt: null,
          }
        : {
            sandbox,
            profileId,
            audience: change.audience,
            status: 'exited',
            realizedAt: stored?.realizedAt ?? null,
            exitedAt: uow.now,
          };
    uow.membership(row);
    let overrides = s.overrides.get(k);
    if (!overrides) {
      overrides = new Map();
      s.overrides.set(k, overrides);
    }
    overrides.set(change.audience, row);
    const plan = this.plan(catalog);
    if (
      qualificationTriggers([change], plan.qualifying).length === 0 &&
      !(change.status === 'exited' && plan.exitOn.has(change.audience))
    )
      return;
    const profile = await uow.profile(sandbox, profileId);
    if (profile)
      await this.qualify(
        uow,
        catalog,
        profile,
        [change],
        this.view(catalog, await this.rows(uow, sandbox, profileId)),
      );
  }

  /** The profile is gone from this unit on (erased, or merged into another): nothing of it is evaluated or cached. */
  forget(uow: UnitOfWork, sandbox: string, profileId: string): void {
    const k = key(sandbox, profileId);
    const s = this.state(uow);
    s.gone.add(k);
    s.results.delete(k);
    s.staged.set(k, null);
    uow.dropPendingTimer(audienceTimerId(profileId));
  }

  /** Re-evaluation at the next window change; a profile evaluated with a new catalog or forced re-reads everything. */
  async onTimer(uow: UnitOfWork, t: AudienceTimer): Promise<void> {
    const profile = await uow.profile(t.sandbox, t.profileId);
    if (profile) await this.refresh(uow, t.sandbox, profile, true);
  }

  /** Commit hook: every profile this unit touched is evaluated before it commits. */
  async before(uow: UnitOfWork): Promise<void> {
    const s = this.state(uow);
    for (const [k, t] of uow.touched) {
      if (s.gone.has(k)) continue;
      const profile = await uow.profile(t.sandbox, t.profileId);
      if (profile) await this.refresh(uow, t.sandbox, profile);
    }
  }

  after(uow: UnitOfWork): void {
    const s = this.states.get(uow);
    if (!s) return;
    for (const k of s.overrides.keys()) this.cache.delete(k);
    for (const [k, e] of s.staged) {
      this.cache.delete(k);
      if (e) this.cache.set(k, e);
    }
    while (this.cache.size > CACHE_LIMIT)
      this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Forgets every cached membership of a sandbox (after a batch removal of an audience's rows). */
  clearCache(sandbox: string): void {
    for (const k of this.cache.keys()) if (k.startsWith(`${sandbox}\u0000`)) this.cache.delete(k);
  }

  private write(
    uow: UnitOfWork,
    sandbox: string,
    profileId: string,
    rows: Rows,
    changes: readonly MembershipChange[],
  ): Rows {
    if (changes.length === 0) return rows;
    const next = new Map(rows);
    for (const c of changes) {
      const before = rows.get(c.audience);
      const row: MembershipRow =
        c.status === 'realized'
          ? {
              sandbox,
              profileId,
              audience: c.audience,
              status: 'realized',
              realizedAt: uow.now,
              exitedAt: null,
            }
          : {
              sandbox,
              profileId,
              audience: c.audience,
              status: 'exited',
              realizedAt: before?.realizedAt ?? null,
              exitedAt: uow.now,
            };
      next.set(c.audience, row);
      uow.membership(row);
    }
    return next;
  }

  private moveTimer(
    uow: UnitOfWork,
    sandbox: string,
    profileId: string,
    before: number | null | undefined,
    after: number | null,
  ): void {
    if (before === after) return;
    const id = audienceTimerId(profileId);
    uow.moveTimer(id, after === null ? null : audienceTimer(sandbox, profileId, after));
  }

  /** Exit criteria with a data condition: a profile that left an audience leaves the journeys listing it, from any activity. */
  private async exitCriteria(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    changes: readonly MembershipChange[],
    audiences: Statuses,
  ): Promise<void> {
    const exitOn = this.plan(catalog).exitOn;
    const left = changes.filter((c) => c.status === 'exited' && exitOn.has(c.audience));
    if (left.length === 0) return;
    const sandbox = catalog.sandbox;
    for (const inst of await uow.activeInstances(sandbox, profile.id)) {
      const journey = catalog.versions.get(versionKey(inst.journeyId, inst.version))?.compiled;
      if (!journey || inst.status !== 'active') continue;
      for (const c of left) {
        const r = step(
          journey,
          inst,
          { kind: 'audienceExit', audience: c.audience },
          { now: uow.now, profile: profile.attributes, audiences },
        );
        if (r.applied) {
          uow.apply(sandbox, r, 'stop');
          break;
        }
      }
    }
  }

  /** Audience-qualification journeys: a profile with the journey's namespace enters once per qualification. */
  private async qualify(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    changes: readonly MembershipChange[],
    audiences: Statuses,
  ): Promise<void> {
    const sandbox = catalog.sandbox;
    await this.exitCriteria(uow, catalog, profile, changes, audiences);
    const triggers = qualificationTriggers(changes, this.plan(catalog).qualifying);
    if (triggers.length === 0) return;
    for (const {
      journey: { journey },
    } of triggers) {
      const active = await uow.activeInstances(sandbox, profile.id);
      if (active.some((i) => i.journeyId === journey.journeyId)) continue;
      if (journey.test && !profile.testProfile) continue;
      if (!profile.identities.some((i) => i.namespace === journey.namespace)) {
        // Entry management by namespace: discarded, with the reason in the report.
        uow.count(sandbox, journey.journeyId, journey.version, {
          node: null,
          metric: Metric.Discarded,
        });
        uow.count(sandbox, journey.journeyId, journey.version, {
          node: null,
          metric: `${DISCARD_REASON_PREFIX}missing_namespace`,
        });
        continue;
      }
      if (
        !decideEntry(
          journey,
          null,
          await uow.lastExit(sandbox, journey.journeyId, profile.id),
          uow.now,
        ).enter
      )
        continue;
      const r = step(
        journey,
        null,
        { kind: 'enter', instanceId: this.deps.newId(), profileId: profile.id },
        await withCaps(uow, sandbox, journey, {
          now: uow.now,
          profile: profile.attributes,
          audiences,
        }),
      );
      uow.apply(sandbox, r, 'audience');
    }
  }
}

/**
 * The audiences minus any caught in a dependency cycle (nothing validates cycles when audiences are
 * stored one by one): a cycle must not stop every event of the sandbox, so its members are left out.
 */
function withoutCycles(all: readonly CompiledAudience[]): readonly CompiledAudience[] {
  let audiences = all;
  for (let i = 0; i < 100; i++) {
    try {
      streamingOrder(audiences);
      return audiences;
    } catch (e) {
      const cycle = (e as { details?: { cycle?: unknown } }).details?.cycle;
      const names = new Set(Array.isArray(cycle) ? cycle.map(String) : []);
      if (names.size === 0) return audiences.filter((a) => a.dependsOn.audiences.length === 0);
      audiences = audiences.filter((a) => !names.has(a.name));
    }
  }
  return audiences.filter((a) => a.dependsOn.audiences.length === 0);
}
