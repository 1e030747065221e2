// The audience runtime the engine and the store's commit hooks call: streaming memberships, their
// window timers, and jobs (read-audience runs, scheduled batch evaluations) driven by timers that
// belong to no instance (timer kinds `audience` and `job`, src/store/records/timer-record.ts).
import type { Profile } from '../../model/profile.ts';
import type { Store, TimerRow } from '../../store/ports.ts';
import { jobTimer, jobTimerId, type JobTimer } from '../../store/records/index.ts';
import type { CatalogCache, SandboxCatalog } from '../catalog.ts';
import { dryRunEndsAt } from '../dry-run.ts';
import type { Clock } from '../clock.ts';
import type { CommitHook, EngineAudiences, UnitOfWork, WriterTurn } from '../unit-of-work/index.ts';
import {
  addPage,
  batchJobId,
  compiledAudience,
  emptyRun,
  evaluatePage,
  PAGE,
  readPage,
  type BatchJobState,
} from './batch.ts';
import { BusinessEventDiscovery } from './business-events.ts';
import {
  newReadJob,
  readJobId,
  withBusinessEvent,
  readShareId,
  ReadAudienceRunner,
  type ReadJobState,
} from './read-audience.ts';
import { identitiesOf, Stitcher } from './stitching.ts';
import { StreamingAudiences, type Statuses } from './streaming.ts';

/** Deletes experience events older than `days`, every hour. */
export interface RetentionJobState {
  readonly kind: 'retention';
  readonly days: number;
  readonly nextRunAt: number;
}

/**
 * A campaign run's winner send (src/runtime/campaigns/winner.ts): at `at`, the winner is decided
 * once and stored on the campaign, whose catalog entries then read the rest of the audience.
 */
export interface WinnerJobState {
  readonly kind: 'winner';
  readonly campaignId: string;
  readonly run: number;
  readonly at: number;
}

/**
 * A draft's dry run ends by itself (src/runtime/dry-run.ts): at `at` (its start + 14 days), the
 * profiles still in it leave and the version goes back to draft, its report kept.
 */
export interface DryRunEndJobState {
  readonly kind: 'dryRunEnd';
  readonly journeyId: string;
  readonly version: number;
  readonly at: number;
  /** Fleet mode: the share of one partition (its profiles leave by its owner's hand). */
  readonly partition?: number;
}

export type JobState =
  ReadJobState | BatchJobState | RetentionJobState | WinnerJobState | DryRunEndJobState;

/** Decides a campaign run's winner (idempotent: a decided run is left as it is). */
export type DecideWinner = (sandbox: string, campaignId: string, run: number) => Promise<void>;

export const winnerJobId = (campaignId: string, run: number): string =>
  `winner:${campaignId}:${run}`;

/**
 * Ends a version's dry run (or, in fleet mode, its share of one partition) when its job fires:
 * "done" when it is over, "again" to fire again at once (profiles still leaving), "wait" to look
 * again shortly (other partitions' profiles still leaving).
 */
export type EndDryRun = (
  uow: UnitOfWork,
  sandbox: string,
  journeyId: string,
  version: number,
  partition?: number,
) => Promise<'done' | 'again' | 'wait'>;

export const dryRunEndJobId = (journeyId: string, version: number, partition?: number): string =>
  `dryRunEnd:${journeyId}:${version}${partition === undefined ? '' : `:p${partition}`}`;

const FINGERPRINTS = 'audienceFingerprints';
const onceJobId = (audience: string): string => `evaluate:${audience}`;

export interface AudienceRuntimeDeps {
  readonly store: Store;
  readonly catalogs: CatalogCache;
  readonly clock: Clock;
  readonly newId: () => string;
}

export class AudienceRuntime implements EngineAudiences, CommitHook {
  readonly streaming: StreamingAudiences;
  readonly stitcher: Stitcher;
  private readonly reads: ReadAudienceRunner;
  private readonly dirty = new Set<string>();
  private started = false;
  /**
   * Fleet mode: which partitions this engine owns now. Read-audience jobs are then split into one
   * share per partition; each engine creates, fires and removes the shares of the partitions it
   * owns (their timers and entries are fenced by those partitions' leases: exactly once).
   */
  private owned: (() => readonly number[]) | null = null;
  /** Campaign winner sends (set by the app; none in a runtime without campaigns). */
  private decideWinner: DecideWinner | null = null;
  /** Fleet mode: the shares' runs of business events stored by any engine (./business-events.ts). */
  private readonly business: BusinessEventDiscovery;
  /** Dry runs that end by themselves (set by the app). */
  private endDryRun: EndDryRun | null = null;

  constructor(private readonly deps: AudienceRuntimeDeps) {
    this.streaming = new StreamingAudiences(deps);
    this.reads = new ReadAudienceRunner(deps.store, this.streaming, deps.newId);
    this.stitcher = new Stitcher(deps.store, this.streaming);
    this.business = new BusinessEventDiscovery(deps, (uow, sandbox, id, state, wakeAt) =>
      this.saveJob(uow, sandbox, id, state, wakeAt),
    );
    deps.catalogs.onInvalidate((sandbox) => this.dirty.add(sandbox));
  }

  refresh(uow: UnitOfWork, sandbox: string, profile: Profile): Promise<Statuses> {
    return this.streaming.refresh(uow, sandbox, profile);
  }

  /** Stitching on ingest: identities the event's XDM identityMap links are merged into the profile. */
  async stitch(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    profile: Profile,
    payload: unknown,
  ): Promise<Profile> {
    const ids = identitiesOf(payload, catalog);
    return ids.length === 0 ? profile : this.stitcher.link(uow, catalog, profile, ids);
  }

  read(sandbox: string, profile: Profile | null): Promise<Statuses> {
    return this.streaming.read(sandbox, profile);
  }

  before(uow: UnitOfWork): Promise<void> {
    return this.streaming.before(uow);
  }

  after(uow: UnitOfWork): void {
    this.streaming.after(uow);
  }

  /**
   * A business event arrived: each running read-audience journey it starts gets a run of its read
   * with the event's payload (at once, or after the run under way). Returns those journeys' ids.
   */
  async businessEvent(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    event: { readonly name: string; readonly payload: unknown },
    only?: { readonly journeyId: string; readonly version: number },
  ): Promise<string[]> {
    const sandbox = catalog.sandbox;
    const journeys = catalog.readAudienceJourneys.filter(
      (j) =>
        j.definition.entry.type === 'readAudience' &&
        j.definition.entry.businessEvent === event.name &&
        (only === undefined ||
          (j.test && j.journeyId === only.journeyId && j.version === only.version)),
    );
    if (journeys.length === 0) return [];
    const owned = this.owned?.() ?? null;
    if (owned !== null && only === undefined) {
      // Fleet mode: the event is stored (its id once for the fleet) and nothing else here. The
      // owner of each partition finds it and starts its share's run (./business-events.ts).
      this.business.arrived(sandbox);
      return [...new Set(journeys.map((j) => j.journeyId))];
    }
    const jobs = new Map(
      (await this.deps.store.audienceJobs(sandbox)).map(
        (j) => [j.id, j.state as JobState] as const,
      ),
    );
    // From test mode on a fleet: the version under test's shares of this engine's partitions.
    for (const j of journeys) {
      const ids: Array<[string, number | undefined]> =
        owned === null
          ? [[readJobId(j.journeyId, j.version), undefined]]
          : owned.map((p) => [readShareId(j.journeyId, j.version, p), p]);
      for (const [id, partition] of ids) {
        const known = jobs.get(id);
        const base = known?.kind === 'read' ? known : newReadJob(j, uow.now, partition);
        const r = withBusinessEvent(base, event, uow.now);
        // A run under way keeps its timer; the event's run follows it.
        if (r.wakeAt === null) uow.saveAudienceJob({ sandbox, id, state: r.state });
        else this.saveJob(uow, sandbox, id, r.state, r.wakeAt);
      }
    }
    return [...new Set(journeys.map((j) => j.journeyId))];
  }

  /** Who decides a campaign run's winner when its job fires. */
  setWinnerDecider(decide: DecideWinner): void {
    this.decideWinner = decide;
  }

  /** Who ends a dry run when its job fires. */
  setDryRunEnder(end: EndDryRun): void {
    this.endDryRun = end;
  }

  /** Fleet mode from now on (see `owned`): read-audience jobs run as one share per partition. */
  shareByPartition(owned: () => readonly number[]): void {
    this.owned = owned;
    this.started = false;
  }

  /** The partitions this engine owns changed (fleet mode): look at every sandbox's shares again. */
  ownershipChanged(): void {
    this.started = false;
  }

  /**
   * Creates the jobs of newly published read-audience versions, drops those of versions no longer
   * live; in fleet mode, also starts the shares' runs of business events stored since the last look.
   */
  async poll(now: number, turn: WriterTurn): Promise<void> {
    if (!this.started) {
      // After a start (or an upgrade), every sandbox with journeys is looked at once.
      this.started = true;
      for (const v of await this.deps.store.activeJourneyVersions()) this.dirty.add(v.sandbox);
      // Partitions taken: their shares look for the business events they have not taken yet.
      this.business.reset();
    }
    if (this.dirty.size === 0 && !this.business.due(now, this.owned !== null)) return;
    const sandboxes = [...this.dirty];
    this.dirty.clear();
    const uow = turn.unit(now);
    const cleared: string[] = [];
    for (const sandbox of sandboxes) {
      const catalog = await this.deps.catalogs.get(sandbox);
      this.business.track(catalog);
      const jobs = new Map(
        (await this.deps.store.audienceJobs(sandbox)).map(
          (j) => [j.id, j.state as JobState] as const,
        ),
      );
      // One job per live version, or in fleet mode one share per partition this engine owns.
      const owned = this.owned?.() ?? null;
      const ids = (journeyId: string, version: number): Array<[string, number | undefined]> =>
        owned === null
          ? [[readJobId(journeyId, version), undefined]]
          : owned.map((p) => [readShareId(journeyId, version, p), p]);
      const wanted = new Set<string>();
      for (const j of catalog.readAudienceJourneys) {
        for (const [id, partition] of ids(j.journeyId, j.version)) {
          wanted.add(id);
          if (jobs.has(id)) continue;
          const state = newReadJob(j, now, partition);
          this.saveJob(uow, sandbox, id, state, state.nextRunAt);
        }
      }
      // A paused version keeps its job (its reads wait); closed, stopped and removed versions lose it.
      for (const v of catalog.versions.values())
        if (v.version.status === 'paused')
          for (const [id] of ids(v.version.journeyId, v.version.version)) wanted.add(id);
      // In fleet mode, an engine removes only shares of its own partitions (the others' owners do theirs).
      const mine = owned === null ? null : new Set(owned);
      // A campaign run's winner send: one job each until it is decided (or the campaign stops).
      for (const w of catalog.campaignWinners ?? []) {
        const id = winnerJobId(w.campaignId, w.run);
        wanted.add(id);
        if (!jobs.has(id)) this.saveJob(uow, sandbox, id, { kind: 'winner', ...w }, w.at);
      }
      for (const [id, state] of jobs)
        if (state.kind === 'winner' && !wanted.has(id)) this.saveJob(uow, sandbox, id, null, null);
      // A draft in dry run: one job at its start + 14 days; stopped by hand (or ended), it goes.
      if (this.endDryRun)
        for (const v of catalog.versions.values()) {
          if (v.version.status !== 'dryRun') continue;
          const { journeyId, version } = v.version;
          const at = dryRunEndsAt(v.version);
          // In fleet mode, one share per partition this engine owns: each makes its own profiles leave.
          for (const partition of owned === null ? [undefined] : owned) {
            const id = dryRunEndJobId(journeyId, version, partition);
            wanted.add(id);
            if (jobs.has(id)) continue;
            const state: DryRunEndJobState = {
              kind: 'dryRunEnd',
              journeyId,
              version,
              at,
              ...(partition === undefined ? {} : { partition }),
            };
            this.saveJob(uow, sandbox, id, state, at);
          }
        }
      for (const [id, state] of jobs)
        if (
          state.kind === 'dryRunEnd' &&
          !wanted.has(id) &&
          (mine === null || (state.partition !== undefined && mine.has(state.partition)))
        )
          this.saveJob(uow, sandbox, id, null, null);
      for (const [id, state] of jobs)
        if (
          state.kind === 'read' &&
          !wanted.has(id) &&
          (mine === null || (state.partition !== undefined && mine.has(state.partition)))
        )
          this.saveJob(uow, sandbox, id, null, null);
      if (await this.reconcileAudiences(uow, catalog)) cleared.push(sandbox);
    }
    // Looked at after the sandboxes above: one may have just got a business event journey.
    const taken = this.business.due(now, this.owned !== null)
      ? await this.business.discover(uow, now, this.owned?.() ?? [])
      : null;
    try {
      await turn.commit(uow);
    } catch (e) {
      // A refused commit (fleet mode: a partition changed owner meanwhile) is looked at again next time.
      for (const sandbox of sandboxes) this.dirty.add(sandbox);
      this.business.lookSoon();
      throw e;
    }
    for (const sandbox of cleared) this.streaming.clearCache(sandbox);
    if (taken) this.business.remember(taken);
  }

  async onTimer(uow: UnitOfWork, t: TimerRow): Promise<boolean> {
    switch (t.kind) {
      case 'instance':
        return false;
      case 'audience':
        uow.removeTimer(t.id);
        await this.streaming.onTimer(uow, t);
        return true;
      case 'job':
        uow.removeTimer(t.id);
        await this.onJobTimer(uow, t);
        return true;
      default: {
        const never: never = t;
        throw new Error(`unknown timer kind ${JSON.stringify(never)}`);
      }
    }
  }

  private async onJobTimer(uow: UnitOfWork, t: JobTimer): Promise<void> {
    const id = t.jobId;
    const state = (await this.deps.store.audienceJobs(t.sandbox)).find((j) => j.id === id)
      ?.state as JobState | undefined;
    if (!state) return;
    const catalog = await this.deps.catalogs.get(t.sandbox);
    if (state.kind === 'read') {
      const r = await this.reads.fire(uow, catalog, state);
      this.saveJob(uow, t.sandbox, id, r.state, r.wakeAt);
    } else if (state.kind === 'winner') {
      if (state.at > uow.now) {
        this.saveJob(uow, t.sandbox, id, state, state.at);
        return;
      }
      // Decided and stored on the campaign before the job goes: a crash in between decides nothing twice.
      await this.decideWinner?.(t.sandbox, state.campaignId, state.run);
      this.saveJob(uow, t.sandbox, id, null, null);
    } else if (state.kind === 'dryRunEnd') {
      if (state.at > uow.now) {
        this.saveJob(uow, t.sandbox, id, state, state.at);
        return;
      }
      const next =
        (await this.endDryRun?.(uow, t.sandbox, state.journeyId, state.version, state.partition)) ??
        'done';
      if (next === 'done') this.saveJob(uow, t.sandbox, id, null, null);
      else this.saveJob(uow, t.sandbox, id, state, next === 'again' ? uow.now : uow.now + 5000);
    } else if (state.kind === 'retention') {
      if (state.nextRunAt <= uow.now)
        await this.deps.store.purgeEvents(t.sandbox, uow.now - state.days * 86_400_000);
      const nextRunAt = state.nextRunAt <= uow.now ? uow.now + 3_600_000 : state.nextRunAt;
      this.saveJob(uow, t.sandbox, id, { ...state, nextRunAt }, nextRunAt);
    } else {
      const r = await this.fireBatch(uow, catalog, state);
      this.saveJob(uow, t.sandbox, id, r.state, r.wakeAt);
    }
  }

  /**
   * A batch run, a page of profiles per firing (the timer comes back at once until the last page),
   * then the next run; a one-off run (everyMs 0) removes its job when done.
   */
  private async fireBatch(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    state: BatchJobState,
  ): Promise<{ state: BatchJobState | null; wakeAt: number | null }> {
    if (
      !catalog.audienceDefs.has(state.audience) ||
      !catalog.audiences.some((a) => a.name === state.audience)
    )
      return { state: null, wakeAt: null };
    if (!state.running && state.nextRunAt > uow.now) return { state, wakeAt: state.nextRunAt };
    const running = state.running ?? {
      cursor: '',
      startedAt: uow.now,
      result: emptyRun(state.audience),
    };
    const audience = compiledAudience(catalog, state.audience);
    const page = await readPage(this.deps.store, catalog.sandbox, audience, running.cursor);
    const result = addPage(
      running.result,
      await evaluatePage(this.deps.store, this.streaming, uow, catalog, audience, page),
      20,
    );
    if (page.profiles.length === PAGE) {
      return {
        state: {
          ...state,
          running: { cursor: page.profiles[PAGE - 1]!.id, startedAt: running.startedAt, result },
        },
        wakeAt: uow.now,
      };
    }
    if (result.realized + result.exited > 0) this.evaluateDependents(uow, catalog, state.audience);
    if (state.everyMs === 0) return { state: null, wakeAt: null };
    let nextRunAt = state.nextRunAt + state.everyMs;
    if (nextRunAt <= uow.now)
      nextRunAt += Math.ceil((uow.now - nextRunAt + 1) / state.everyMs) * state.everyMs;
    const { running: _done, ...rest } = state;
    return {
      state: { ...rest, nextRunAt, lastRun: { ...result, at: running.startedAt } },
      wakeAt: nextRunAt,
    };
  }

  /**
   * Audiences created or changed since the last look (a fingerprint per definition, kept in the
   * sandbox settings) are evaluated over every profile by a one-off batch job; streaming keeps them
   * current afterwards. The memberships of deleted audiences are removed.
   */
  private async reconcileAudiences(uow: UnitOfWork, catalog: SandboxCatalog): Promise<boolean> {
    const sandbox = catalog.sandbox;
    const before = ((await this.deps.store.getSetting(sandbox, FINGERPRINTS)) ?? {}) as Record<
      string,
      string
    >;
    const after: Record<string, string> = {};
    for (const [name, def] of catalog.audienceDefs) after[name] = JSON.stringify(def);
    let removed = false;
    for (const name of Object.keys(before)) {
      if (Object.hasOwn(after, name)) continue;
      uow.removeMemberships({ sandbox, audience: name });
      this.saveJob(uow, sandbox, batchJobId(name), null, null);
      this.saveJob(uow, sandbox, onceJobId(name), null, null);
      removed = true;
    }
    for (const [name, print] of Object.entries(after)) {
      if (before[name] === print || catalog.audienceDefs.get(name)?.origin !== 'streaming')
        continue;
      if (!catalog.audiences.some((a) => a.name === name)) continue;
      this.saveJob(
        uow,
        sandbox,
        onceJobId(name),
        { kind: 'batch', audience: name, everyMs: 0, nextRunAt: uow.now },
        uow.now,
      );
    }
    if (JSON.stringify(before) !== JSON.stringify(after))
      await this.deps.store.putSetting(sandbox, FINGERPRINTS, after);
    return removed;
  }

  /**
   * A run changed an audience's memberships: the streaming audiences that read it are evaluated
   * again over every profile (streaming evaluation alone would correct them only as profiles change).
   */
  evaluateDependents(uow: UnitOfWork, catalog: SandboxCatalog, audience: string): void {
    for (const a of catalog.audiences) {
      if (a.origin !== 'streaming' || !a.dependsOn.audiences.includes(audience)) continue;
      this.saveJob(
        uow,
        catalog.sandbox,
        onceJobId(a.name),
        { kind: 'batch', audience: a.name, everyMs: 0, nextRunAt: uow.now },
        uow.now,
      );
    }
  }

  /** Stores a job's state (null deletes it) and moves its timer. */
  saveJob(
    uow: UnitOfWork,
    sandbox: string,
    id: string,
    state: JobState | null,
    wakeAt: number | null,
  ): void {
    uow.saveAudienceJob({ sandbox, id, state });
    const timer = jobTimerId(sandbox, id);
    // A partition's share: its timer lives in that partition (its owner fires it).
    const partition =
      state?.kind === 'read' || state?.kind === 'dryRunEnd' ? state.partition : undefined;
    uow.moveTimer(timer, wakeAt === null ? null : jobTimer(sandbox, id, wakeAt, partition));
  }

  async jobs(sandbox: string): Promise<Array<{ id: string; state: JobState }>> {
    return (await this.deps.store.audienceJobs(sandbox)).map((j) => ({
      id: j.id,
      state: j.state as JobState,
    }));
  }

  batchJobId = batchJobId;
}
