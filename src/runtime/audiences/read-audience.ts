// Read-audience journeys: each live (or test) version has a job that reads the audience's realized
// members having the journey's namespace, in profile id order, at the configured rate (profile i
// enters readOffsetMs(i, rate) after the run's start), once or on a schedule. Incremental reads take
// only members realized since the previous run's start; "force re-entrance on recurrence" makes the
// profiles still in the journey exit at the start of the next run. The job's progress is stored
// (audience_jobs) and its next step is a timer, so a restart resumes where it stopped.
import { readAllowance, readOffsetMs, selectReadAudience } from '../../audience/index.ts';
import { throttledInstant } from '../../campaign/profile-time.ts';
import { durationToMillis, step, type CompiledJourney } from '../../journey/index.ts';
import type { InstanceState } from '../../journey/instance.ts';
import { DISCARD_REASON_PREFIX, Metric } from '../../journey/effects.ts';
import type { JourneyEntry } from '../../model/journey.ts';
import { PARTITIONS } from '../../shared/partition.ts';
import type { Store } from '../../store/ports.ts';
import type { SandboxCatalog } from '../catalog.ts';
import type { CampaignRead } from '../campaigns/catalog-entries.ts';
import { withCaps, type UnitOfWork } from '../unit-of-work/index.ts';
import type { StreamingAudiences } from './streaming.ts';

type ReadEntry = Extract<JourneyEntry, { type: 'readAudience' }>;

export interface ReadJobState {
  readonly kind: 'read';
  readonly journeyId: string;
  readonly version: number;
  readonly nextRunAt: number | null;
  readonly run: {
    readonly startedAt: number;
    readonly cursor: string;
    readonly read: number;
    readonly realizedAfter?: number;
    /** A campaign timed in each profile's zone: the profiles entered so far per due instant. */
    readonly dueCounts?: Readonly<Record<string, number>>;
    /** A business event journey's run: the event's payload, in every entering profile's context. */
    readonly business?: { readonly name: string; readonly payload: unknown };
    /** A business run reusing an earlier export: only members realized by then are read. */
    readonly realizedBefore?: number;
  } | null;
  /** Business event journeys: a business event that arrived and waits for its run. */
  readonly pending?: { readonly name: string; readonly payload: unknown; readonly at: number };
  /** Business event journeys: when the audience was last exported (reused for an hour). */
  readonly exportedAt?: number;
  /**
   * Fleet mode, a business event journey's share: the stored business events this share has taken
   * (event id → received at), kept for BUSINESS_LOOKBACK_MS, so each starts one run per share.
   */
  readonly businessSeen?: Readonly<Record<string, number>>;
  readonly lastRunStartedAt: number | null;
  readonly runs: number;
  /** Profiles entered over all runs. */
  readonly entered: number;
  /**
   * Fleet mode: this job is the share of one partition (its profiles only, fired by that
   * partition's owner, at the rate's 1/256th), one of the PARTITIONS shares of the journey version.
   */
  readonly partition?: number;
}

/** At most this many profiles enter per timer firing (one transaction). */
const MAX_PER_FIRE = 2500;
const PAGE = 500;

export const readJobId = (journeyId: string, version: number): string =>
  `read:${journeyId}:${version}`;
/** The id of a version's read share of one partition (fleet mode). */
export const readShareId = (journeyId: string, version: number, partition: number): string =>
  `read:${journeyId}:${version}:p${partition}`;
export { jobTimerId } from '../../store/records/index.ts';

/** A business event journey reuses its audience export this long (AJO: one hour). */
export const BUSINESS_EXPORT_REUSE_MS = 3_600_000;
/**
 * Fleet mode: how far back a partition's share looks for stored business events it has not taken
 * yet (an event committed late, a partition without an owner for a while); events older are not run.
 */
export const BUSINESS_LOOKBACK_MS = 3_600_000;

function firstRunAt(entry: ReadEntry, now: number): number | null {
  // A business event journey reads when its business event arrives, never on its own.
  if (entry.businessEvent !== undefined) return null;
  const s = entry.schedule;
  const at = s.kind === 'once' ? s.at : s.startAt;
  return at === undefined ? now : Math.max(now, Date.parse(at));
}

export function newReadJob(
  journey: CompiledJourney,
  now: number,
  partition?: number,
): ReadJobState {
  const entry = journey.definition.entry as ReadEntry;
  return {
    kind: 'read',
    journeyId: journey.journeyId,
    version: journey.version,
    nextRunAt: firstRunAt(entry, now),
    run: null,
    lastRunStartedAt: null,
    runs: 0,
    entered: 0,
    ...(partition === undefined ? {} : { partition }),
  };
}

/** The run after one that started at `startedAt`, or null (one-shot, or past the end date). */
function nextRun(entry: ReadEntry, startedAt: number, now: number): number | null {
  if (entry.businessEvent !== undefined) return null;
  const s = entry.schedule;
  if (s.kind === 'once') return null;
  const every = durationToMillis(s.every) ?? 86_400_000;
  let at = startedAt + every;
  if (at <= now) at += Math.ceil((now - at + 1) / every) * every;
  return s.endAt !== undefined && at > Date.parse(s.endAt) ? null : at;
}

export class ReadAudienceRunner {
  constructor(
    private readonly store: Store,
    private readonly streaming: StreamingAudiences,
    private readonly newId: () => string,
  ) {}

  /** Advances one job as far as the rate allows now; returns its new state and when to look again (null: never). */
  async fire(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    state: ReadJobState,
  ): Promise<{ state: ReadJobState | null; wakeAt: number | null }> {
    const journey = catalog.readAudienceJourneys.find(
      (j) => j.journeyId === state.journeyId && j.version === state.version,
    );
    if (!journey) {
      // Paused: the read waits and goes on at resume. Any other status: the job is over.
      const paused = [...catalog.versions.values()].some(
        (v) =>
          v.version.journeyId === state.journeyId &&
          v.version.version === state.version &&
          v.version.status === 'paused',
      );
      return paused ? { state, wakeAt: uow.now + 1000 } : { state: null, wakeAt: null };
    }
    const entry = journey.definition.entry as ReadEntry;
    // A partition's share reads at its part of the rate, its turns offset by its number: share p's
    // i-th profile enters at (p + 256 i) / rate seconds after the run's start, so the shares together
    // keep to the journey's rate as one reader would, with no burst of 256 at the start.
    const rate =
      state.partition === undefined ? entry.ratePerSecond : entry.ratePerSecond / PARTITIONS;
    const offset =
      state.partition === undefined ? 0 : (state.partition * 1000) / entry.ratePerSecond;
    const now = uow.now;
    let st = state;
    if (!st.run) {
      if (st.nextRunAt === null) return { state: st, wakeAt: null };
      if (st.nextRunAt > now) return { state: st, wakeAt: st.nextRunAt };
      const after =
        entry.incremental && st.lastRunStartedAt !== null
          ? { realizedAfter: st.lastRunStartedAt }
          : {};
      const business = entry.businessEvent !== undefined ? businessRun(st, now) : null;
      if (entry.businessEvent !== undefined && !business)
        return { state: { ...st, nextRunAt: null }, wakeAt: null };
      st = {
        ...st,
        run: { startedAt: now, cursor: '', read: 0, ...after, ...(business?.run ?? {}) },
        ...(business ? { exportedAt: business.exportedAt } : {}),
      };
      if (business) {
        const { pending: _consumed, ...rest } = st;
        st = rest;
      }
      // A new business event ends the paths of the profiles still in the journey (AJO).
      if ((entry.forceReentranceOnRecurrence || business) && st.runs > 0)
        await this.stopActive(uow, catalog, journey.journeyId, st.partition);
    }
    const run = st.run!;
    let { cursor, read } = run;
    let entered = st.entered;
    let budget = Math.min(readAllowance(now - run.startedAt - offset, rate) - read, MAX_PER_FIRE);
    let finished = false;
    // A campaign's run: its experiment arm's members only, and at most its cap (catalog-entries.ts).
    const campaign = catalog.campaignReads.get(`${journey.journeyId}:${journey.version}`);
    const dueCounts = campaign?.localTime ? { ...(run.dueCounts ?? {}) } : undefined;
    while (budget > 0) {
      const page = await this.store.audienceMembers(catalog.sandbox, entry.audience, {
        status: 'realized',
        afterProfileId: cursor,
        limit: PAGE,
        ...(run.realizedAfter !== undefined ? { realizedAfter: run.realizedAfter } : {}),
        ...(st.partition !== undefined ? { partition: st.partition } : {}),
      });
      if (page.length === 0) {
        finished = true;
        break;
      }
      for (const m of page) {
        cursor = m.profileId;
        const member = {
          profileId: m.profileId,
          status: m.status,
          realizedAt: m.realizedAt ?? 0,
          identities: Object.fromEntries(m.identities.map((i) => [i.namespace, i.id])),
        };
        if (
          run.realizedBefore !== undefined &&
          m.realizedAt !== null &&
          m.realizedAt > run.realizedBefore
        )
          continue;
        const selected = [
          ...selectReadAudience([member], {
            namespace: journey.namespace,
            ...(run.realizedAfter !== undefined ? { realizedAfter: run.realizedAfter } : {}),
          }),
        ];
        if (selected.length === 0) {
          // A realized member without an identity in the journey's namespace: a discarded entry.
          if (
            !campaign &&
            m.status === 'realized' &&
            !member.identities[journey.namespace] &&
            (run.realizedAfter === undefined || member.realizedAt > run.realizedAfter)
          ) {
            uow.count(catalog.sandbox, journey.journeyId, journey.version, {
              node: null,
              metric: Metric.Discarded,
            });
            uow.count(catalog.sandbox, journey.journeyId, journey.version, {
              node: null,
              metric: `${DISCARD_REASON_PREFIX}missing_namespace`,
            });
          }
          continue;
        }
        if (campaign?.admits && !campaign.admits(member.identities[journey.namespace] ?? ''))
          continue;
        if (campaign?.maxEntries !== undefined && entered >= campaign.maxEntries) {
          finished = true;
          break;
        }
        read++;
        budget--;
        if (await this.enter(uow, catalog, journey, m.profileId, campaign, dueCounts, run.business))
          entered++;
        if (budget === 0) break;
      }
      if (finished || (page.length < PAGE && budget > 0)) {
        finished = true;
        break;
      }
    }
    if (finished) {
      // A business event that arrived during the run starts the next one at once.
      const nextRunAt = st.pending ? now : nextRun(entry, run.startedAt, now);
      return {
        state: {
          ...st,
          run: null,
          nextRunAt,
          lastRunStartedAt: run.startedAt,
          runs: st.runs + 1,
          entered,
        },
        wakeAt: nextRunAt,
      };
    }
    return {
      state: { ...st, run: { ...run, cursor, read, ...(dueCounts ? { dueCounts } : {}) }, entered },
      wakeAt: Math.max(now, Math.ceil(run.startedAt + offset + readOffsetMs(read, rate))),
    };
  }

  private async enter(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    journey: CompiledJourney,
    profileId: string,
    campaign?: CampaignRead,
    dueCounts?: Record<string, number>,
    business?: { readonly name: string; readonly payload: unknown },
  ): Promise<boolean> {
    const sandbox = catalog.sandbox;
    const profile = await uow.profile(sandbox, profileId);
    if (!profile || (journey.test && !profile.testProfile)) return false;
    // One instance per profile, across versions. A campaign timed in each profile's zone keeps a
    // profile waiting up to 26 hours, into the next day's run: there, once per run (version).
    const local = campaign?.localTime;
    if (
      (await uow.activeInstances(sandbox, profileId)).some(
        (i) => i.journeyId === journey.journeyId && (!local || i.version === journey.version),
      )
    )
      return false;
    let waitUntil: number | undefined;
    if (local && dueCounts) {
      const due = local.dueAt(profile.attributes);
      const k = dueCounts[due] ?? 0;
      dueCounts[due] = k + 1;
      waitUntil = throttledInstant(due, k, local.ratePerSecond);
    }
    const audiences = this.streaming.view(
      catalog,
      await this.streaming.rows(uow, sandbox, profileId),
    );
    uow.apply(
      sandbox,
      step(
        journey,
        null,
        {
          kind: 'enter',
          instanceId: this.newId(),
          profileId,
          ...(waitUntil !== undefined ? { waitUntil } : {}),
          ...(business ? { business } : {}),
        },
        await withCaps(uow, sandbox, journey, {
          now: uow.now,
          profile: profile.attributes,
          audiences,
        }),
      ),
      'audience',
    );
    return true;
  }

  /**
   * Force re-entrance: every profile still in the journey (any version) exits before the next run
   * reads; a partition's share stops those of its partition only (their stored partition).
   */
  private async stopActive(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    journeyId: string,
    partition: number | undefined,
  ): Promise<void> {
    for (const v of catalog.versions.values()) {
      if (v.version.journeyId !== journeyId || !v.compiled) continue;
      const active = await this.store.activeInstancesOfVersion(
        catalog.sandbox,
        journeyId,
        v.version.version,
        1_000_000,
      );
      const mine =
        partition === undefined ? active : await this.ofPartition(uow, catalog, active, partition);
      for (const inst of mine) {
        const profile = await uow.profile(catalog.sandbox, inst.profileId);
        uow.apply(
          catalog.sandbox,
          step(
            v.compiled,
            inst,
            { kind: 'stop' },
            { now: uow.now, profile: profile?.attributes ?? {}, audiences: {} },
          ),
          'stop',
        );
      }
    }
  }

  /** The instances whose profile is stored in `partition` (by its first identity's stored profile). */
  private async ofPartition(
    uow: UnitOfWork,
    catalog: SandboxCatalog,
    instances: readonly InstanceState[],
    partition: number,
  ): Promise<InstanceState[]> {
    const firsts = new Map<string, { namespace: string; value: string }>();
    for (const inst of instances) {
      const first = (await uow.profile(catalog.sandbox, inst.profileId))?.identities[0];
      if (first) firsts.set(inst.profileId, { namespace: first.namespace, value: first.id });
    }
    const parts = await this.store.identityPartitions(catalog.sandbox, [...firsts.values()]);
    return instances.filter((inst) => {
      const f = firsts.get(inst.profileId);
      return f !== undefined && parts.get(`${f.namespace}\u0000${f.value}`) === partition;
    });
  }
}

/**
 * The run a pending business event starts: its payload, and the audience export it reads (a new
 * one, or the last one when it is less than an hour old: AJO reuses the export for an hour).
 */
function businessRun(
  st: ReadJobState,
  now: number,
): {
  run: { business: { name: string; payload: unknown }; realizedBefore: number };
  exportedAt: number;
} | null {
  if (!st.pending) return null;
  const reuse = st.exportedAt !== undefined && now - st.exportedAt < BUSINESS_EXPORT_REUSE_MS;
  const exportedAt = reuse ? st.exportedAt! : now;
  return {
    run: {
      business: { name: st.pending.name, payload: st.pending.payload },
      realizedBefore: exportedAt,
    },
    exportedAt,
  };
}

/** A business event for a read job: it waits as pending and, between runs, its run starts now. */
export function withBusinessEvent(
  st: ReadJobState,
  event: { readonly name: string; readonly payload: unknown },
  now: number,
): { state: ReadJobState; wakeAt: number | null } {
  const pending = { name: event.name, payload: event.payload, at: now };
  if (st.run) return { state: { ...st, pending }, wakeAt: null };
  return { state: { ...st, pending, nextRunAt: now }, wakeAt: now };
}

/** How far a version's audience read has gone, over its job or (fleet mode) its partitions' shares. */
export interface ReadProgress {
  /** Jobs found: 1 for a single job, up to PARTITIONS shares in fleet mode, 0 before any exists. */
  readonly shares: number;
  /** Jobs a whole read needs: 1, or PARTITIONS once any share exists. */
  readonly expected: number;
  /** Runs every job has finished (the least over the shares). */
  readonly runs: number;
  /** Some job is in a run now. */
  readonly reading: boolean;
  /** The earliest start of the run under way or, between runs, of the last one; null before any. */
  readonly startedAt: number | null;
  /** Profiles read in the runs under way. */
  readonly read: number;
  /** Profiles entered over all runs, summed over the shares. */
  readonly entered: number;
  /** Every job exists, has finished a run, and none reads now. */
  readonly done: boolean;
}

/**
 * The progress of version `version`'s read: its one job or, in fleet mode, the sum of its shares
 * (one per partition, each fired by the partition's owner). A fleet read is done only once every
 * partition's share has finished: a missing share (a partition whose owner has not created it yet)
 * keeps it undone.
 */
export function versionReadProgress(
  jobs: ReadonlyMap<string, ReadJobState>,
  journeyId: string,
  version: number,
): ReadProgress {
  const single = jobs.get(readJobId(journeyId, version));
  const found: ReadJobState[] = [];
  if (single) found.push(single);
  else
    for (let p = 0; p < PARTITIONS; p++) {
      const share = jobs.get(readShareId(journeyId, version, p));
      if (share) found.push(share);
    }
  const expected = single || found.length === 0 ? 1 : PARTITIONS;
  let runs = found.length === 0 ? 0 : Infinity;
  let reading = false;
  let startedAt: number | null = null;
  let read = 0;
  let entered = 0;
  for (const j of found) {
    runs = Math.min(runs, j.runs);
    entered += j.entered;
    const start = j.run ? j.run.startedAt : j.lastRunStartedAt;
    if (j.run) {
      reading = true;
      read += j.run.read;
    }
    if (start !== null) startedAt = Math.min(startedAt ?? Infinity, start);
  }
  return {
    shares: found.length,
    expected,
    runs,
    reading,
    startedAt,
    read,
    entered,
    done: found.length === expected && runs > 0 && !reading,
  };
}
