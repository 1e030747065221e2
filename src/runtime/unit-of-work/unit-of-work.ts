// One batch of work for the single writer: reads go through an overlay of what the batch already
// changed, writes accumulate into one CommitBatch that the writer (writer.ts) applies in one
// transaction. The batch is private: code adds to it through the methods below, and only the
// writer takes it out to commit (a unit of work cannot commit itself: it holds reads only).
import {
  Metric,
  type CompiledJourney,
  type CounterDelta,
  type Effect,
  type StepResult,
} from '../../journey/index.ts';
import { withAttribute } from '../../journey/step-activities.ts';
import type { InstanceState } from '../../journey/instance.ts';
import type { TraceEntry } from '../../journey/trace.ts';
import type { Profile } from '../../model/profile.ts';
import type { CommitBatch, MessageRecord, TimerRow } from '../../store/ports.ts';
import { instanceTimer, outboxRecordOf } from '../../store/records/index.ts';
import type { StoreReads } from './store-reads.ts';
import { campaignIdOf } from '../../campaign/as-journey.ts';
import type { StepKind, StepObservation } from '../observability/engine-observer.ts';

type Row<K extends keyof CommitBatch> =
  NonNullable<CommitBatch[K]> extends ReadonlyArray<infer R> ? R : never;
type Batch = Required<
  Pick<
    CommitBatch,
    | 'events'
    | 'deadLetters'
    | 'profiles'
    | 'instances'
    | 'timersAdd'
    | 'timersRemove'
    | 'outboxAdd'
    | 'outboxDone'
    | 'outboxRetry'
    | 'counters'
    | 'messages'
    | 'deadLettersReplayed'
    | 'memberships'
    | 'membershipsRemove'
    | 'profileMerges'
    | 'profileDeletes'
    | 'audienceJobs'
    | 'suppressions'
    | 'testTrace'
    | 'webhookDeliveries'
    | 'landingPageCounters'
    | 'inApp'
  >
>;

/** The writer's way in: the batch as it will be committed (instances and counters gathered). Not exported from the folder. */
let sealOf: (uow: UnitOfWork) => CommitBatch;
export const sealedBatch = (uow: UnitOfWork): CommitBatch => sealOf(uow);

/** An event id already taken: by an event with this fingerprint (null: stored before fingerprints were kept). */
/** A jump a step asked for: the profile enters the target journey before this unit commits (jumps.ts). */
export interface PendingJump {
  readonly sandbox: string;
  readonly from: Pick<InstanceState, 'id' | 'journeyId' | 'version' | 'profileId'>;
  readonly effect: Extract<Effect, { kind: 'jump' }>;
}

/** Events a piece of work is about to ingest: their stored fingerprints and their identities' profiles. */
export interface EventsAhead {
  readonly sandbox: string;
  readonly eventIds: readonly string[];
  readonly identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>;
}

export interface SeenEvent {
  readonly fingerprint: string | null;
}

/** The report counters one step moved, with whose instance it was (journey events for webhooks). */
export interface JourneyStepRecord {
  readonly sandbox: string;
  readonly instanceId: string;
  readonly journeyId: string;
  readonly version: number;
  readonly profileId: string;
  /** Each with its activity, null for the journey as a whole. */
  readonly counters: readonly CounterDelta[];
  readonly at: number;
}

export class UnitOfWork {
  private readonly batch: Batch;
  static {
    sealOf = (uow) => uow.seal();
  }
  private readonly instances = new Map<string, { sandbox: string; state: InstanceState }>();
  /** Ids of the instances above by `${sandbox}\u0000${profileId}`, so a profile's are found without a scan. */
  private readonly instancesByProfile = new Map<string, Set<string>>();
  /** Where each profile's write sits in batch.profiles. */
  private readonly profileWriteAt = new Map<string, number>();
  private readonly profiles = new Map<string, Profile>();
  private readonly identities = new Map<string, string>();
  /** What this unit already read from the store: each profile and identity is read once. */
  private readonly profileReads = new Map<string, Profile | null>();
  private readonly identityReads = new Map<string, string | null>();
  /** Read ahead (prefetch*): stored events (with their fingerprints; null: not stored), instances by id, stored active instances by profile. */
  private readonly eventReads = new Map<string, SeenEvent | null>();
  private readonly instanceReads = new Map<
    string,
    { sandbox: string; state: InstanceState } | null
  >();
  private readonly activeReads = new Map<string, InstanceState[]>();
  /** Profiles asked about by reads the maps above do not keep (their last exits). */
  private readonly profilesAsked = new Set<string>();
  /** Profiles created by this unit: nothing of theirs is in the store yet, so it is not asked. */
  private readonly createdProfiles = new Set<string>();
  /** The profiles whose memberships this unit writes, gathered on first ask (writesProfile). */
  private membershipProfiles: Set<string> | null = null;
  /** Audience memberships by profile version (the object), filled by the engine. */
  readonly memberships = new WeakMap<
    Profile,
    Promise<Readonly<Record<string, 'realized' | 'exited'>>>
  >();
  /** Events recorded by this unit, with their fingerprints. */
  private readonly eventIds = new Map<string, string | null>();
  /**
   * Profiles whose attributes or events changed in this unit, by `${sandbox}\u0000${profileId}`:
   * `changes` counts the changes, `eventTypes` the event types recorded, `attributes` whether the
   * profile was written. The audience runtime re-evaluates them (src/runtime/audiences).
   */
  readonly touched = new Map<
    string,
    {
      readonly sandbox: string;
      readonly profileId: string;
      changes: number;
      attributes: boolean;
      readonly eventTypes: Set<string>;
    }
  >();
  private readonly counterTotals = new Map<
    string,
    CommitBatch['counters'] extends Array<infer C> | undefined ? C : never
  >();
  outboxAdded = 0;
  private readonly loggedMessages: MessageRecord[] = [];
  private jumps: PendingJump[] = [];
  /** Stored profile-cap counts by `${sandbox}\u0000${journeyId}\u0000${version}`, read once per unit. */
  private readonly capReads = new Map<string, Promise<ReadonlyMap<string, number>>>();
  /** The steps applied in this unit, by what moved them (reported to the engine observer once committed). */
  readonly stepsTaken: StepObservation[] = [];
  /**
   * What the steps of this unit did: the report counters each moved (webhooks read them before the
   * commit; one record a step, not a counter, since most units have no webhook to build).
   */
  readonly journeySteps: JourneyStepRecord[] = [];

  constructor(
    private readonly store: StoreReads,
    readonly now: number,
  ) {
    this.batch = {
      events: [],
      deadLetters: [],
      deadLettersReplayed: [],
      profiles: [],
      instances: [],
      timersAdd: [],
      timersRemove: [],
      outboxAdd: [],
      outboxDone: [],
      outboxRetry: [],
      counters: [],
      messages: [],
      memberships: [],
      membershipsRemove: [],
      profileMerges: [],
      profileDeletes: [],
      audienceJobs: [],
      suppressions: [],
      testTrace: [],
      webhookDeliveries: [],
      landingPageCounters: [],
      inApp: [],
    };
  }

  /** The event stored (or recorded by this unit) under this id, with its fingerprint; null when there is none. */
  async seenEvent(sandbox: string, eventId: string): Promise<SeenEvent | null> {
    const key = `${sandbox}\u0000${eventId}`;
    const recorded = this.eventIds.get(key);
    if (recorded !== undefined) return { fingerprint: recorded };
    const read = this.eventReads.get(key);
    if (read !== undefined) return read;
    const stored = await this.store.eventFingerprints(sandbox, [eventId]);
    const seen = stored.has(eventId) ? { fingerprint: stored.get(eventId) ?? null } : null;
    this.eventReads.set(key, seen);
    return seen;
  }

  // Reading ahead: the store is asked once for a whole batch of events or timers, then the reads
  // below answer from what came back. The store does not change under a unit of work (one writer),
  // so an answer read ahead is the one a read at the time of use would give.

  /** Reads ahead whether these events are stored, and the profiles (with their active instances) these identities name. */
  async prefetchEvents(
    sandbox: string,
    eventIds: readonly string[],
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<void> {
    const ids = eventIds.filter(
      (id) =>
        !this.eventReads.has(`${sandbox}\u0000${id}`) &&
        !this.eventIds.has(`${sandbox}\u0000${id}`),
    );
    const unknown = identities.filter((i) => {
      const k = `${sandbox}\u0000${i.namespace}\u0000${i.value}`;
      return !this.identities.has(k) && !this.identityReads.has(k);
    });
    // Both at once: on a database server, one round trip of waiting instead of two.
    const [seen, found] = await Promise.all([
      ids.length > 0
        ? this.store.eventFingerprints(sandbox, ids)
        : new Map<string, string | null>(),
      unknown.length > 0 ? this.store.findProfileIds(sandbox, unknown) : new Map<string, string>(),
    ]);
    for (const id of ids)
      this.eventReads.set(
        `${sandbox}\u0000${id}`,
        seen.has(id) ? { fingerprint: seen.get(id) ?? null } : null,
      );
    for (const i of unknown)
      this.identityReads.set(
        `${sandbox}\u0000${i.namespace}\u0000${i.value}`,
        found.get(`${i.namespace}\u0000${i.value}`) ?? null,
      );
    await this.prefetchProfiles(sandbox, [...new Set(found.values())], true);
  }

  /** Reads ahead these profiles, and their stored active instances if asked (events are routed to them; timers need not). */
  async prefetchProfiles(
    sandbox: string,
    profileIds: readonly string[],
    withActiveInstances: boolean,
  ): Promise<void> {
    const ids = profileIds.filter(
      (id) =>
        !this.profileReads.has(`${sandbox}\u0000${id}`) &&
        !this.createdProfiles.has(`${sandbox}\u0000${id}`),
    );
    if (ids.length === 0) return;
    const [profiles, active] = await Promise.all([
      this.store.getProfiles(sandbox, ids),
      withActiveInstances ? this.store.activeInstancesOf(sandbox, ids) : null,
    ]);
    for (const id of ids) this.profileReads.set(`${sandbox}\u0000${id}`, null);
    for (const p of profiles) this.profileReads.set(`${sandbox}\u0000${p.id}`, p);
    if (!active) return;
    for (const id of ids) this.activeReads.set(`${sandbox}\u0000${id}`, []);
    for (const state of active)
      this.activeReads.get(`${sandbox}\u0000${state.profileId}`)?.push(state);
  }

  /** Reads ahead these instances and their profiles. */
  async prefetchInstances(ids: readonly string[]): Promise<void> {
    const unread = ids.filter((id) => !this.instances.has(id) && !this.instanceReads.has(id));
    if (unread.length === 0) return;
    const found = await this.store.getInstances(unread);
    for (const id of unread) this.instanceReads.set(id, null);
    const profilesBySandbox = new Map<string, string[]>();
    for (const f of found) {
      this.instanceReads.set(f.state.id, f);
      let ids = profilesBySandbox.get(f.sandbox);
      if (!ids) {
        ids = [];
        profilesBySandbox.set(f.sandbox, ids);
      }
      ids.push(f.state.profileId);
    }
    await Promise.all(
      [...profilesBySandbox].map(([sandbox, profileIds]) =>
        this.prefetchProfiles(sandbox, profileIds, false),
      ),
    );
  }

  recordEvent(e: CommitBatch['events'] extends Array<infer E> | undefined ? E : never): void {
    this.eventIds.set(`${e.sandbox}\u0000${e.eventId}`, e.fingerprint ?? null);
    this.batch.events.push(e);
    this.touch(e.sandbox, e.profileId, false).eventTypes.add(e.type);
  }

  async findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null> {
    const key = `${sandbox}\u0000${namespace}\u0000${value}`;
    const written = this.identities.get(key);
    if (written !== undefined) return written;
    let read = this.identityReads.get(key);
    if (read === undefined) {
      read = await this.store.findProfileId(sandbox, namespace, value);
      this.identityReads.set(key, read);
    }
    return read;
  }

  async profile(sandbox: string, id: string): Promise<Profile | null> {
    const key = `${sandbox}\u0000${id}`;
    const written = this.profiles.get(key);
    if (written) return written;
    let read = this.profileReads.get(key);
    if (read === undefined) {
      read = await this.store.getProfile(sandbox, id);
      this.profileReads.set(key, read);
    }
    return read;
  }

  /** Whether this unit created the profile (nothing of it is stored yet). */
  isCreated(sandbox: string, profileId: string): boolean {
    return this.createdProfiles.has(`${sandbox}\u0000${profileId}`);
  }

  /** A profile seen for the first time: written like putProfile, and known to have no stored instances. */
  createProfile(sandbox: string, p: Profile): void {
    this.createdProfiles.add(`${sandbox}\u0000${p.id}`);
    this.putProfile(sandbox, p);
  }

  private touch(
    sandbox: string,
    profileId: string,
    attributes: boolean,
  ): { changes: number; attributes: boolean; eventTypes: Set<string> } {
    const key = `${sandbox}\u0000${profileId}`;
    let t = this.touched.get(key);
    if (!t) {
      t = { sandbox, profileId, changes: 0, attributes: false, eventTypes: new Set() };
      this.touched.set(key, t);
    }
    t.changes++;
    t.attributes ||= attributes;
    return t;
  }

  putProfile(sandbox: string, p: Profile): void {
    this.touch(sandbox, p.id, true);
    this.profiles.set(`${sandbox}\u0000${p.id}`, p);
    for (const i of p.identities)
      this.identities.set(`${sandbox}\u0000${i.namespace}\u0000${i.id}`, p.id);
    const key = `${sandbox}\u0000${p.id}`;
    const at = this.profileWriteAt.get(key);
    const write = {
      sandbox,
      id: p.id,
      attributes: p.attributes,
      testProfile: p.testProfile,
      identities: p.identities,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      ...(this.createdProfiles.has(key) ? { created: true } : {}),
    };
    if (at !== undefined) this.batch.profiles[at] = write;
    else {
      this.profileWriteAt.set(key, this.batch.profiles.length);
      this.batch.profiles.push(write);
    }
  }

  async activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]> {
    const key = `${sandbox}\u0000${profileId}`;
    let stored = this.createdProfiles.has(key) ? [] : this.activeReads.get(key);
    if (stored === undefined) {
      stored = await this.store.activeInstances(sandbox, profileId);
      this.activeReads.set(key, stored);
    }
    const byId = new Map(stored.map((s) => [s.id, s] as const));
    for (const id of this.instancesByProfile.get(key) ?? []) {
      const state = this.instances.get(id)!.state;
      byId.set(state.id, state);
    }
    return [...byId.values()].filter((s) => s.status === 'active');
  }

  async instance(id: string): Promise<{ sandbox: string; state: InstanceState } | null> {
    const read = this.instances.get(id) ?? this.instanceReads.get(id);
    if (read !== undefined) return read;
    const stored = await this.store.getInstance(id);
    this.instanceReads.set(id, stored);
    return stored;
  }

  async lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null> {
    this.profilesAsked.add(`${sandbox}\u0000${profileId}`);
    let last = this.createdProfiles.has(`${sandbox}\u0000${profileId}`)
      ? null
      : await this.store.lastExit(sandbox, journeyId, profileId);
    for (const id of this.instancesByProfile.get(`${sandbox}\u0000${profileId}`) ?? []) {
      const { state } = this.instances.get(id)!;
      if (state.journeyId === journeyId && state.exitedAt !== undefined)
        last = Math.max(last ?? 0, state.exitedAt);
    }
    return last;
  }

  /**
   * Records a step's new state, effects and counters; `moved` says what moved the instance (for the
   * engine observer's step counts, read after the commit), absent for a rewrite that is not a step.
   */
  apply(sandbox: string, result: StepResult, moved?: StepKind): void {
    if (moved) this.stepsTaken.push({ sandbox, kind: moved });
    const state = result.instance;
    this.instances.set(state.id, { sandbox, state });
    const key = `${sandbox}\u0000${state.profileId}`;
    let ids = this.instancesByProfile.get(key);
    if (!ids) {
      ids = new Set();
      this.instancesByProfile.set(key, ids);
    }
    ids.add(state.id);
    for (const e of result.effects) this.effect(sandbox, state, e);
    for (const c of result.counters) this.count(sandbox, state.journeyId, state.version, c);
    if (result.counters.length > 0)
      this.journeySteps.push({
        sandbox,
        instanceId: state.id,
        journeyId: state.journeyId,
        version: state.version,
        profileId: state.profileId,
        counters: result.counters,
        at: this.now,
      });
    if (result.trace) {
      for (const entry of result.trace) this.trace(sandbox, state, entry);
      this.trace(sandbox, state, stateEntry(state));
    }
  }

  /** Appends a line to the test run of this instance (test mode). */
  trace(
    sandbox: string,
    run: Pick<InstanceState, 'id' | 'journeyId' | 'version' | 'profileId'>,
    entry: TraceEntry,
  ): void {
    this.batch.testTrace.push({
      sandbox,
      runId: run.id,
      journeyId: run.journeyId,
      version: run.version,
      profileId: run.profileId,
      at: this.now,
      entry,
    });
  }

  /** Adds to a report counter: a journey metric, or any other (custom-action calls: src/shared/action-latency.ts). */
  count(
    sandbox: string,
    journeyId: string,
    version: number,
    c: CounterDelta | { readonly node: string | null; readonly metric: string },
    delta = 1,
  ): void {
    const key = `${sandbox}\u0000${journeyId}\u0000${version}\u0000${c.node ?? ''}\u0000${c.metric}`;
    const row = this.counterTotals.get(key);
    if (row) row.delta += delta;
    else
      this.counterTotals.set(key, {
        sandbox,
        journeyId,
        version,
        node: c.node,
        metric: c.metric,
        delta,
      });
  }

  private effect(sandbox: string, state: InstanceState, e: Effect): void {
    switch (e.kind) {
      case 'scheduleTimer':
        this.batch.timersAdd.push(instanceTimer(e.timerId, sandbox, state.id, e.dueAt));
        return;
      case 'cancelTimer':
        this.batch.timersAdd = this.batch.timersAdd.filter((t) => t.id !== e.timerId);
        this.batch.timersRemove.push(e.timerId);
        return;
      case 'updateProfile':
        this.updateAttribute(sandbox, e);
        return;
      case 'jump':
        this.jumps.push({ sandbox, from: state, effect: e });
        return;
      case 'withdrawInApp':
        // A campaign's in-app messages and code-based experiences stay (its journey ends at once).
        if (campaignIdOf(state.journeyId) === null)
          this.batch.inApp.push({ kind: 'withdraw', sandbox, instanceId: e.instanceId });
        return;
      case 'callAction':
      case 'sendMessage':
        this.outboxAdded++;
        this.batch.outboxAdd.push(
          Object.assign(
            {
              id: e.kind === 'callAction' ? e.callId : e.messageId,
              sandbox,
              instanceId: state.id,
              journeyId: state.journeyId,
              version: state.version,
              attempts: 0,
              nextAttemptAt: this.now,
              createdAt: this.now,
            },
            outboxRecordOf(e),
          ),
        );
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled effect ${JSON.stringify(never)}`);
      }
    }
  }

  /** Update profile: the attribute set on the profile as this unit sees it (the step read it first). */
  private updateAttribute(sandbox: string, e: Extract<Effect, { kind: 'updateProfile' }>): void {
    const key = `${sandbox}\u0000${e.profileId}`;
    const p = this.profiles.get(key) ?? this.profileReads.get(key);
    if (!p)
      throw new Error(`update profile: profile ${e.profileId} was not read in this unit of work`);
    this.putProfile(sandbox, {
      ...p,
      attributes: withAttribute(p.attributes, e.attribute, e.value) as Record<string, unknown>,
      updatedAt: new Date(this.now).toISOString(),
    });
  }

  /** The jumps steps asked for since the last call (the jump hook enters them before commit). */
  takeJumps(): PendingJump[] {
    const taken = this.jumps;
    this.jumps = [];
    return taken;
  }

  /**
   * How many profiles took the first path of each profile cap of a journey version: the stored
   * counters plus what this unit added. The single writer runs units one at a time, so the count
   * is exact; undefined for a version without profile caps.
   */
  async capsTaken(
    sandbox: string,
    journey: CompiledJourney,
  ): Promise<Readonly<Record<string, number>> | undefined> {
    const caps = journey.definition.nodes.filter(
      (n) => n.kind === 'condition' && n.mode === 'profileCap',
    );
    if (caps.length === 0) return undefined;
    const key = `${sandbox}\u0000${journey.journeyId}\u0000${journey.version}`;
    let stored = this.capReads.get(key);
    if (!stored) {
      stored = this.store
        .counters(sandbox, journey.journeyId)
        .then(
          (rows) =>
            new Map(
              rows
                .filter((r) => r.version === journey.version && r.metric === Metric.ProfileCap)
                .map((r) => [r.node ?? '', r.value] as const),
            ),
        );
      this.capReads.set(key, stored);
    }
    const read = await stored;
    const out: Record<string, number> = {};
    for (const n of caps) {
      const pending = this.counterTotals.get(
        `${key}\u0000${n.id}\u0000${Metric.ProfileCap}`,
      )?.delta;
      out[n.id] = (read.get(n.id) ?? 0) + (pending ?? 0);
    }
    return out;
  }

  message(m: MessageRecord): void {
    this.batch.messages.push(m);
  }

  /**
   * A delivery log record already written (by its outbox item's mark, in the same transaction as
   * the mark): what reads this unit's messages sees it (webhooks), the commit does not write it again.
   */
  messageLogged(m: MessageRecord): void {
    this.loggedMessages.push(m);
  }

  // What other modules add besides steps (ingest, timers, the outbox, audiences, stitching, erasure).

  /** A timer row as it is (a paused journey's timer held for later, an audience or job timer). */
  addTimer(row: Row<'timersAdd'>): void {
    this.batch.timersAdd.push(row);
  }

  /** A timer removed (fired, or no longer wanted). */
  removeTimer(id: string): void {
    this.batch.timersRemove.push(id);
  }

  /** Forgets a timer this unit was going to add (nothing is removed from the store). */
  dropPendingTimer(id: string): void {
    this.batch.timersAdd = this.batch.timersAdd.filter((t) => t.id !== id);
  }

  /** Moves a timer that is not an instance's (audience windows, jobs): to the row given, or removed when null. */
  moveTimer(id: string, to: TimerRow | null): void {
    this.dropPendingTimer(id);
    if (to === null) this.batch.timersRemove.push(id);
    else this.batch.timersAdd.push(to);
  }

  /** An outbox item finished (sent, or given up). */
  outboxDone(id: string): void {
    this.batch.outboxDone.push(id);
  }

  /** An outbox item to try again later. */
  outboxRetry(row: Row<'outboxRetry'>): void {
    this.batch.outboxRetry.push(row);
  }

  deadLetter(row: Row<'deadLetters'>): void {
    this.batch.deadLetters.push(row);
  }

  deadLetterReplayed(row: Row<'deadLettersReplayed'>): void {
    this.batch.deadLettersReplayed.push(row);
  }

  membership(row: Row<'memberships'>): void {
    this.batch.memberships.push(row);
  }

  /** Every stored membership row of an audience removed (the audience is gone). */
  removeMemberships(row: Row<'membershipsRemove'>): void {
    this.batch.membershipsRemove.push(row);
  }

  mergeProfiles(row: Row<'profileMerges'>): void {
    this.batch.profileMerges.push(row);
  }

  deleteProfile(row: Row<'profileDeletes'>): void {
    this.batch.profileDeletes.push(row);
  }

  saveAudienceJob(row: Row<'audienceJobs'>): void {
    this.batch.audienceJobs.push(row);
  }

  /** Adds an address to the sandbox's suppression list (or, with `entry` null, removes it). */
  suppress(row: Row<'suppressions'>): void {
    this.batch.suppressions.push(row);
  }

  /** Queues a webhook delivery, or records an attempt's outcome (the row's last write wins). */
  webhookDelivery(row: Row<'webhookDeliveries'>): void {
    this.batch.webhookDeliveries.push(row);
  }

  /** The message log writes of this unit (webhooks read them before the commit). */
  recordedMessages(): readonly Row<'messages'>[] {
    return this.loggedMessages.length === 0
      ? this.batch.messages
      : [...this.loggedMessages, ...this.batch.messages];
  }

  /** A write of the in-app inbox (src/runtime/in-app.ts), applied in order with the batch. */
  inApp(write: Row<'inApp'>): void {
    this.batch.inApp.push(write);
  }

  /** Adds one to a landing page's report counter (committed with the rest of the unit). */
  countLandingPage(row: Omit<Row<'landingPageCounters'>, 'delta'>): void {
    this.batch.landingPageCounters.push({ ...row, delta: 1 });
  }

  /** The events this unit recorded and has not committed yet (audience histories read them). */
  recordedEvents(): readonly Row<'events'>[] {
    return this.batch.events;
  }

  /**
   * Whether work that said it will read these (its read-ahead) would read something this unit
   * writes: its events, the profiles of its identities, its instances or their profiles. The
   * writer then waits for this unit's commit before preparing that work, instead of preparing it
   * on the state before the commit and again after (dependsOn, which stays the rule). Only what
   * the read-ahead names is known here, so a false answer is a guess that dependsOn checks.
   */
  writesWhatIsAhead(events: EventsAhead | null, instanceIds: readonly string[]): boolean {
    if (this.writesBeyondKeys()) return true;
    if (events) {
      const { sandbox } = events;
      for (const id of events.eventIds) if (this.eventIds.has(`${sandbox}\u0000${id}`)) return true;
      for (const i of events.identities) {
        const k = `${sandbox}\u0000${i.namespace}\u0000${i.value}`;
        if (this.identities.has(k)) return true;
        const read = this.identityReads.get(k);
        if (read && this.writesProfile(`${sandbox}\u0000${read}`)) return true;
      }
    }
    for (const id of instanceIds) {
      if (this.instances.has(id)) return true;
      const read = this.instanceReads.get(id);
      if (read && this.writesProfile(`${read.sandbox}\u0000${read.state.profileId}`)) return true;
    }
    return false;
  }

  /**
   * Whether this unit read or wrote anything that `prior` writes. The writer prepares a unit while
   * the prior one's commit is in flight (writer.ts), so this unit read the store as it was before
   * that commit: its reads hold only if they concern none of what the prior unit changed. Every
   * read is kept in the maps above, keyed by profile, identity, event, instance or profile cap;
   * the rarer writes that reach beyond them (stitching, erasure, audience rows, jobs) make any
   * unit after them depend on them.
   */
  dependsOn(prior: UnitOfWork): boolean {
    if (prior.writesBeyondKeys() || this.writesBeyondKeys()) return true;
    for (const keys of [
      this.profileReads.keys(),
      this.activeReads.keys(),
      this.profilesAsked,
      this.touched.keys(),
      this.instancesByProfile.keys(),
    ])
      for (const k of keys) if (prior.writesProfile(k)) return true;
    for (const keys of [this.identityReads.keys(), this.identities.keys()])
      for (const k of keys) if (prior.identities.has(k)) return true;
    for (const keys of [this.eventReads.keys(), this.eventIds.keys()])
      for (const k of keys) if (prior.eventIds.has(k)) return true;
    for (const keys of [this.instanceReads.keys(), this.instances.keys()])
      for (const k of keys) if (prior.instances.has(k)) return true;
    if (this.capReads.size > 0)
      for (const k of prior.counterTotals.keys())
        if (k.endsWith(`\u0000${Metric.ProfileCap}`) && this.capReads.has(capsKeyOf(k)))
          return true;
    return false;
  }

  /**
   * Whether this unit writes the profile keyed `k` (sandbox, profile id): its record, one of its
   * instances, or its memberships. Asked only of a unit whose commit has started (writesWhatIsAhead,
   * dependsOn), so the memberships its hooks added are final and their keys are gathered once.
   */
  private writesProfile(k: string): boolean {
    this.membershipProfiles ??= new Set(
      this.batch.memberships.map((m) => `${m.sandbox}\u0000${m.profileId}`),
    );
    return (
      this.touched.has(k) ||
      this.instancesByProfile.has(k) ||
      this.createdProfiles.has(k) ||
      this.membershipProfiles.has(k)
    );
  }

  /** Writes that reach beyond the keys the maps above hold (stitching, erasure, audience rows, jobs). */
  private writesBeyondKeys(): boolean {
    const b = this.batch;
    return (
      b.profileMerges.length > 0 ||
      b.profileDeletes.length > 0 ||
      b.membershipsRemove.length > 0 ||
      b.audienceJobs.length > 0
    );
  }

  /** The batch as the writer commits it: the instances and counter totals gathered in. */
  private seal(): CommitBatch {
    this.batch.instances = [...this.instances.values()];
    this.batch.counters = [...this.counterTotals.values()];
    return this.batch;
  }
}

/** The profile-cap key (sandbox, journey, version) of a counter key (…, node, metric). */
function capsKeyOf(counterKey: string): string {
  return counterKey.split('\u0000').slice(0, 3).join('\u0000');
}

/** Where the run stands after a step: the activities it waits at and the timer's due time. */
function stateEntry(state: InstanceState): TraceEntry {
  const w = state.waiting;
  const current = !w ? [] : w.kind === 'listening' ? [...w.nodes] : [w.node];
  return {
    kind: 'state',
    status: state.status,
    current,
    dueAt: w?.kind === 'listening' ? (w.timer?.dueAt ?? null) : null,
  };
}
