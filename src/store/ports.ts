// The storage port. The engine reads what a batch needs, computes in memory (pure core), then
// commits everything the batch changed in one call: one transaction per batch (group commit).
// Adapters: sqlite/ (embedded default). A PostgreSQL adapter implements the same interface.
import type { InstanceState } from '../journey/instance.ts';
import type { JourneyDefinition, JourneyStatus, JourneyVersion } from '../model/journey.ts';
import type { IdentityRef, Profile } from '../model/profile.ts';
import type { OutboxRecord, SentOutcome } from './records/outbox-record.ts';
import type { TimerRow } from './records/timer-record.ts';

export interface StoredObject<T = unknown> {
  readonly sandbox: string;
  readonly kind: string;
  readonly key: string;
  readonly body: T;
  readonly revision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An outbox item's bookkeeping; what it carries (kind, format, effect) is its OutboxRecord (./records/outbox-record.ts). */
interface OutboxBookkeeping {
  readonly id: string;
  readonly sandbox: string;
  readonly instanceId: string;
  readonly journeyId: string;
  readonly version: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
  /** When the current attempt started (marked durably before anything goes on the wire); null when none is under way. */
  readonly attemptStartedAt?: number | null;
  /** The outcome of a send that completed, recorded right after it and before the journey takes it; null until then. */
  readonly sent?: { readonly at: number; readonly outcome: SentOutcome<MessageRecord> } | null;
}

/** An effect waiting to be carried out: `kind` says which, `payload` is the effect (typed by kind), `v` its format. */
export type OutboxItem = OutboxBookkeeping & OutboxRecord;

/** A timer as stored, by kind: an instance's, a profile's audience window, an audience job's (./records/timer-record.ts). */
export type { TimerRow } from './records/timer-record.ts';

export interface MessageRecord {
  readonly id: string;
  readonly sandbox: string;
  readonly journeyId: string | null;
  readonly version: number | null;
  readonly node: string | null;
  readonly label: string;
  readonly instanceId: string | null;
  readonly profileId: string;
  readonly channel: 'email' | 'push' | 'sms';
  readonly recipient: string | null;
  readonly status: 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'excluded';
  readonly reason: string | null;
  readonly subject: string | null;
  readonly body: string | null;
  readonly text: string | null;
  readonly payload: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface DeadLetter {
  readonly id: number;
  readonly sandbox: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly body: unknown;
  readonly errors: unknown;
  readonly receivedAt: number;
  readonly replayedAt: number | null;
}

export interface CounterRow {
  readonly version: number;
  readonly node: string | null;
  readonly metric: string;
  readonly value: number;
}

export interface ProfileWrite {
  readonly sandbox: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly testProfile: boolean;
  readonly identities: readonly IdentityRef[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One profile's membership of one audience (epoch ms). */
export interface MembershipRow {
  readonly sandbox: string;
  readonly profileId: string;
  readonly audience: string;
  readonly status: 'realized' | 'exited';
  readonly realizedAt: number | null;
  readonly exitedAt: number | null;
}

/** A stored experience event of a profile, as audiences read it. */
export interface ProfileEventRow {
  readonly type: string;
  readonly at: number;
  readonly payload: unknown;
}

/**
 * One line of a test run's trace (test mode): appended with the step's commit and kept after test
 * mode is left, so that the console can show each run again. `runId` is the instance id.
 */
export interface TestTraceRow {
  readonly sandbox: string;
  readonly runId: string;
  readonly journeyId: string;
  readonly version: number;
  readonly profileId: string;
  readonly at: number;
  readonly entry: unknown;
}

export interface CommitBatch {
  /** `fingerprint`: of the event as sent (ingest.ts eventFingerprint), compared when its id comes again; absent for events the engine makes. */
  events?: Array<{
    sandbox: string;
    eventId: string;
    type: string;
    profileId: string;
    payload: unknown;
    receivedAt: number;
    fingerprint?: string;
  }>;
  deadLetters?: Array<{
    sandbox: string;
    eventId: string | null;
    eventType: string | null;
    body: unknown;
    errors: unknown;
    receivedAt: number;
  }>;
  deadLettersReplayed?: Array<{ id: number; at: number }>;
  profiles?: ProfileWrite[];
  instances?: Array<{ sandbox: string; state: InstanceState }>;
  timersAdd?: TimerRow[];
  timersRemove?: string[];
  outboxAdd?: OutboxItem[];
  outboxDone?: string[];
  outboxRetry?: Array<{ id: string; nextAttemptAt: number; error: string }>;
  counters?: Array<{
    sandbox: string;
    journeyId: string;
    version: number;
    node: string | null;
    metric: string;
    delta: number;
  }>;
  messages?: MessageRecord[];
  /** Membership upserts (audiences). */
  memberships?: MembershipRow[];
  /** Removes an audience's memberships (all of them, or one profile's). */
  membershipsRemove?: Array<{ sandbox: string; audience: string; profileId?: string }>;
  /** Moves everything of profile `from` onto `into` (events, messages, instances) and deletes `from` (identity stitching). */
  profileMerges?: Array<{ sandbox: string; from: string; into: string }>;
  /** Erases a profile: attributes, identities, events, messages, memberships, instances with their timers and effects. */
  profileDeletes?: Array<{ sandbox: string; profileId: string }>;
  /** Audience job states (read-audience runs, batch schedules); null state deletes. */
  audienceJobs?: Array<{ sandbox: string; id: string; state: unknown }>;
  /** Test-run trace lines, appended in this order (test mode only). */
  testTrace?: TestTraceRow[];
}

export interface ObjectRepository {
  getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null>;
  listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>>;
  /** Creates or replaces; returns the stored object with its new revision. */
  putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>>;
  deleteObject(sandbox: string, kind: string, key: string): Promise<boolean>;
  /** Every object of a kind, in every sandbox (sandbox, key order): for maintenance such as re-encrypting secrets. */
  listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>>;
  /** Replaces the body only if the stored revision is still `revision` (one atomic statement); false if it moved on or is gone. */
  replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean>;
}

/** A journey's totals over all its versions (journey-level counters) and the instances still in it, for lists. */
export interface JourneyTotals {
  readonly journeyId: string;
  readonly entered: number;
  readonly exited: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly active: number;
}

export interface JourneyRepository {
  getJourneyVersions(sandbox: string, journeyId: string): Promise<JourneyVersion[]>;
  listJourneys(sandbox: string): Promise<JourneyVersion[]>;
  /** Every version whose status lets instances move or enter, across sandboxes. */
  activeJourneyVersions(): Promise<Array<JourneyVersion & { sandbox: string }>>;
  putJourneyVersion(
    sandbox: string,
    v: {
      journeyId: string;
      version: number;
      status: JourneyStatus;
      definition: JourneyDefinition;
      createdAt: string;
      updatedAt: string;
      publishedAt?: string;
      closedAt?: string;
    },
  ): Promise<void>;
  deleteJourneyVersion(sandbox: string, journeyId: string, version: number): Promise<void>;
  /**
   * Replaces a stored version only if its revision is still `revision` (one atomic statement; every
   * write of a version adds one to its revision); false if it moved on or is gone. Drafts' optimistic concurrency.
   */
  replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
    revision: number,
  ): Promise<boolean>;
  /** The totals of every journey of the sandbox that has any (a few grouped queries, not one per journey). */
  journeyTotals(sandbox: string): Promise<JourneyTotals[]>;
  /** Removes a version's instances, their timers and pending effects, and its counters (leaving test mode). Returns the instances removed. */
  purgeVersionRuntime(sandbox: string, journeyId: string, version: number): Promise<number>;
}

export interface Backlog {
  readonly timersDue: number;
  /** The earliest timer of the sandbox, due or not; null when it has none. */
  readonly nextTimerAt: number | null;
  readonly outboxDue: number;
  readonly outboxRetrying: number;
  readonly deadLetters: number;
}

/** What waits in one partition, all sandboxes together (the fleet status). */
export interface PartitionBacklog {
  readonly partition: number;
  /** Timers due at `now` and not fired (stops at the cap). */
  readonly timersDue: number;
  /** The due time of the oldest of them; null when none is due. */
  readonly oldestDueAt: number | null;
  /** Outbox items waiting, due or not (stops at the cap). */
  readonly outboxPending: number;
}

export interface ProfileRepository {
  getProfile(sandbox: string, id: string): Promise<Profile | null>;
  findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null>;
  /**
   * The batch forms of getProfile and findProfileId, for a unit of work that reads ahead (one round
   * trip on a database server instead of one per event). Ids or identities not stored are absent.
   */
  getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]>;
  /** Profile ids by identity, keyed `${namespace}\u0000${value}`. */
  findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>>;
  listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]>;
}

export interface RuntimeRepository {
  hasEvent(sandbox: string, eventId: string): Promise<boolean>;
  /** Of these event ids, those the sandbox has stored. */
  seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>>;
  /** Of these event ids, those the sandbox has stored, each with its fingerprint (null when stored without one). */
  eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>>;
  activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]>;
  /** The active instances of all these profiles (each profile's in the order activeInstances gives). */
  activeInstancesOf(sandbox: string, profileIds: readonly string[]): Promise<InstanceState[]>;
  activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
  ): Promise<InstanceState[]>;
  getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null>;
  /** The batch form of getInstance; ids not stored are absent. */
  getInstances(ids: readonly string[]): Promise<Array<{ sandbox: string; state: InstanceState }>>;
  lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null>;
  dueTimers(now: number, limit: number): Promise<TimerRow[]>;
  nextTimerDue(): Promise<number | null>;
  pendingOutbox(now: number, limit: number): Promise<OutboxItem[]>;
  nextOutboxDue(): Promise<number | null>;
  /**
   * Marks items as being attempted, durably, before their network calls: an item a restart finds
   * still marked was cut by a crash (and may have reached the provider). A retry clears the mark.
   */
  markOutboxAttempting(ids: readonly string[], at: number): Promise<void>;
  /**
   * Records an item's outcome as soon as its send completed, before the journey takes it: a restart
   * finishes the item from this record instead of sending again. No-op for an item already done.
   */
  markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void>;
  /**
   * What waits in one sandbox at `now`: timers and outbox items due (late, if the engine keeps up
   * they stay near 0), outbox items waiting for a retry, dead letters not replayed. Each count
   * stops at `cap`, so a status page costs a bounded read however large the backlog.
   */
  backlog(sandbox: string, now: number, cap: number): Promise<Backlog>;
  /** Due timers, their lag and outbox items waiting, by partition, every sandbox together; counts stop at `cap`. Partitions with nothing waiting may be absent. */
  partitionBacklog(now: number, cap: number): Promise<PartitionBacklog[]>;
  getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null>;
  listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]>;
  commit(batch: CommitBatch): Promise<void>;
}

export interface TimelineRow {
  readonly bucket: number;
  readonly series: string;
  readonly value: number;
}

export interface ReportRepository {
  /**
   * Counts over time for a journey, by bucket start (epoch ms): entered, exited and errors from the
   * instances, timeouts from their paths, message outcomes ("message.sent", "message.excluded", ...)
   * from the delivery log, and opens, clicks and unsubscribes from the feedback events.
   */
  timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]>;
  /** The message a provider knows by its own id (delivery receipts). */
  messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null>;
  counters(sandbox: string, journeyId: string): Promise<CounterRow[]>;
  instances(
    sandbox: string,
    filter: { journeyId?: string; profileId?: string; limit: number },
  ): Promise<InstanceState[]>;
  messages(
    sandbox: string,
    filter: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]>;
}

export interface AudienceRepository {
  profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]>;
  /** Members of an audience in profile id order, after `afterProfileId`, with their identities; of one partition's profiles when `partition` is given. */
  audienceMembers(
    sandbox: string,
    audience: string,
    opts: {
      status?: 'realized' | 'exited';
      afterProfileId?: string;
      realizedAfter?: number;
      partition?: number;
      limit: number;
    },
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>>;
  /** Up to `limit` realized members drawn uniformly at random (each call draws again), in profile id order. */
  audienceSample(
    sandbox: string,
    audience: string,
    limit: number,
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>>;
  audienceSize(sandbox: string, audience: string): Promise<{ realized: number; exited: number }>;
  /**
   * The stored events of the profiles with ids in (`afterProfileId`, `toProfileId`], of the given
   * types, received at or after `since` (all when null), by profile id then time (batch runs).
   */
  eventsOfProfiles(
    sandbox: string,
    opts: {
      afterProfileId: string;
      toProfileId: string;
      types: readonly string[];
      since: number | null;
    },
  ): Promise<Array<ProfileEventRow & { profileId: string }>>;
  /** A profile's stored events of the given types (all types when null) received at or after `since` (all when null). */
  profileEvents(
    sandbox: string,
    profileId: string,
    opts: { types: readonly string[] | null; since: number | null },
  ): Promise<ProfileEventRow[]>;
  /**
   * Ids and attributes only, in id order after `afterId` (batch evaluation reads nothing else). With
   * `paths` (lists of keys), the attributes hold at least those subtrees, as stored; a store may
   * read just those rather than parse whole profiles.
   */
  scanAttributes(
    sandbox: string,
    opts: { afterId?: string; limit: number; paths?: ReadonlyArray<readonly string[]> },
  ): Promise<Array<{ id: string; attributes: Readonly<Record<string, unknown>> }>>;
  /** An audience's membership statuses for profile ids in (`afterProfileId`, `toProfileId`], in id order. */
  audienceStatuses(
    sandbox: string,
    audience: string,
    opts: { afterProfileId: string; toProfileId: string },
  ): Promise<
    Array<{ profileId: string; status: 'realized' | 'exited'; realizedAt: number | null }>
  >;
  audienceJobs(sandbox?: string): Promise<Array<{ sandbox: string; id: string; state: unknown }>>;
  getSetting(sandbox: string, key: string): Promise<unknown>;
  putSetting(sandbox: string, key: string, value: unknown): Promise<void>;
  /** Deletes experience events received before `before` (retention); returns how many. */
  purgeEvents(sandbox: string, before: number): Promise<number>;
}

export interface TestRunRepository {
  /** The trace lines of a journey version's test runs, in the order they were written. */
  testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]>;
  /** The trace lines of one test run, in the order they were written. */
  testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]>;
}

/**
 * A translation project (src/runtime/translation-projects.ts) as stored: its status and times as
 * columns (lists and the restart's resume read them), the rest as one JSON document.
 */
export interface TranslationProjectRow {
  readonly sandbox: string;
  readonly id: string;
  readonly status: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly body: unknown;
}

export interface TranslationProjectRepository {
  /** Creates or replaces (by sandbox and id); the creation time stays the first one written. */
  putTranslationProject(row: TranslationProjectRow): Promise<void>;
  getTranslationProject(sandbox: string, id: string): Promise<TranslationProjectRow | null>;
  /** The sandbox's projects, newest first (creation time, then id). */
  listTranslationProjects(
    sandbox: string,
    opts: { limit: number },
  ): Promise<TranslationProjectRow[]>;
  /** Projects of every sandbox with this status (the restart resumes those in progress), oldest first. */
  translationProjectsWithStatus(status: string): Promise<TranslationProjectRow[]>;
}

/** Whole sandboxes: the registry's migration and its reset and delete (src/runtime/access/sandbox-registry.ts). */
export interface SandboxDataRepository {
  /** Every sandbox that holds anything (objects, journeys, profiles, events, messages), for registering sandboxes that predate the registry. */
  sandboxesWithData(): Promise<string[]>;
  /** Deletes everything the sandbox holds, in every table, in one transaction (the audit log keeps its entries). */
  eraseSandbox(sandbox: string): Promise<void>;
}

/** One audit entry as stored (src/runtime/access/audit-log.ts maps it to the API's AuditEntry). */
export interface AuditRow {
  /** Time-ordered: newest first is id order, and pages follow it. */
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /** null for changes outside any sandbox (users, roles, keys). */
  readonly sandbox: string | null;
  readonly actorKind: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly action: string;
  readonly objectKind: string | null;
  readonly objectKey: string | null;
  readonly objectName: string | null;
  /** What changed and details: `{ changes, details }`, secrets already redacted. */
  readonly body: unknown;
}

export interface AuditFilter {
  /** A sandbox's entries; null: only those outside any sandbox; absent: every sandbox. */
  readonly sandbox?: string | null;
  /** With `sandbox` a name: also the entries outside any sandbox. */
  readonly withGlobal?: boolean;
  readonly objectKind?: string;
  readonly objectKey?: string;
  /** An actor's id or name. */
  readonly actor?: string;
  /** An action, or every action of an area with `area.*`. */
  readonly action?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Only entries with a smaller id (the last id of the previous page). */
  readonly before?: string;
  readonly limit: number;
}

/** The audit log's table: appended to, read newest first, purged by age; erasing a sandbox keeps it. */
export interface AuditRepository {
  appendAudit(row: AuditRow): Promise<void>;
  /** Newest first (id order), at most `limit`. */
  queryAudit(filter: AuditFilter): Promise<AuditRow[]>;
  /** Deletes entries older than `before` (epoch ms); returns how many. */
  purgeAudit(before: number): Promise<number>;
}

/** Partitions (src/shared/partition.ts): where a profile's work is done. */
export interface PartitionRepository {
  /** The partition of the stored profile each identity names, keyed `${namespace}\u0000${value}`; identities not stored are absent. */
  identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>>;
}

/**
 * Fleet mode (src/runtime/fleet/): the partitions this engine holds leases on, with each lease's
 * epoch. A store given one claims timers and outbox items of these partitions only, and every
 * commit checks, in its transaction, that the engine still holds the lease of each partition it
 * writes (fencing): a stale engine's commit fails with a `conflict`.
 */
export interface PartitionOwnership {
  readonly owner: string;
  /** Partition → epoch of the lease held. */
  readonly epochs: ReadonlyMap<number, number>;
  /** Held partitions being handed over: their in-flight work may still commit, but no new timer or outbox item is claimed from them. */
  readonly draining?: ReadonlySet<number>;
  /** Local fencing by time: false while the engine's lease renewal is overdue (nothing is claimed or marked for sending then). */
  readonly inTime?: () => boolean;
  /** How long an engine's heartbeat may be silent before the sends it marked and did not record are sent again by the new owner. */
  readonly deadAfterMs?: number;
}

/** A store that can be scoped to owned partitions (PostgreSQL). The embedded store has one engine owning all. */
export interface PartitionScopedStore {
  /** null: every partition, no lease checks (one engine on the store). */
  setOwnership(ownership: PartitionOwnership | null): void;
}

export interface Store
  extends
    ObjectRepository,
    JourneyRepository,
    ProfileRepository,
    RuntimeRepository,
    ReportRepository,
    AudienceRepository,
    TestRunRepository,
    TranslationProjectRepository,
    SandboxDataRepository,
    AuditRepository,
    PartitionRepository {
  close(): Promise<void>;
}
