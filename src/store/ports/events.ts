// Experience events as stored (idempotency, the profile histories audiences read, retention) and
// dead letters (events refused at ingest).

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

/** A stored experience event of a profile, as audiences read it. */
export interface ProfileEventRow {
  readonly type: string;
  readonly at: number;
  readonly payload: unknown;
}

/** A stored business event (no profile), as the fleet's read-audience shares look for them. */
export interface BusinessEventRow {
  readonly eventId: string;
  readonly type: string;
  readonly at: number;
  readonly payload: unknown;
  /** Null when stored without one (a generated id). */
  readonly fingerprint: string | null;
}

export interface EventRepository {
  hasEvent(sandbox: string, eventId: string): Promise<boolean>;
  /** Of these event ids, those the sandbox has stored. */
  seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>>;
  /** Of these event ids, those the sandbox has stored, each with its fingerprint (null when stored without one). */
  eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>>;
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
   * The stored business events (events of no profile) of the given types received at or after
   * `since`, by time then id, at most `limit` (fleet mode: each partition's read share takes them).
   */
  businessEvents(
    sandbox: string,
    opts: { types: readonly string[]; since: number; limit: number },
  ): Promise<BusinessEventRow[]>;
  /** Deletes experience events received before `before` (retention); returns how many. */
  purgeEvents(sandbox: string, before: number): Promise<number>;
  getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null>;
  listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]>;
}
