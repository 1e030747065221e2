// Journey versions (definitions and status), their totals, and the removal of a version's runtime.
import type { JourneyDefinition, JourneyStatus, JourneyVersion } from '../../model/journey.ts';

/** A journey's totals over all its versions (journey-level counters) and the instances still in it, for lists. */
export interface JourneyTotals {
  readonly journeyId: string;
  readonly entered: number;
  readonly exited: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly active: number;
}

/** A sandbox setting that goes with a version's change (a dry run's end and its kept report). */
export interface VersionSetting {
  readonly key: string;
  readonly value: unknown;
}

export interface JourneyRepository {
  getJourneyVersions(sandbox: string, journeyId: string): Promise<JourneyVersion[]>;
  listJourneys(sandbox: string): Promise<JourneyVersion[]>;
  /** Every version whose status lets instances move or enter, across sandboxes (live, paused, closed, and drafts in dry run). */
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
   * `setting`, if given, is written in the same transaction, only when the version was replaced.
   */
  replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
    revision: number,
    setting?: VersionSetting,
  ): Promise<boolean>;
  /** The totals of every journey of the sandbox that has any (a few grouped queries, not one per journey). */
  journeyTotals(sandbox: string): Promise<JourneyTotals[]>;
  /** Removes a version's instances, their timers and pending effects, and its counters (leaving test mode). Returns the instances removed. */
  purgeVersionRuntime(sandbox: string, journeyId: string, version: number): Promise<number>;
}
