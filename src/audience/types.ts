// The shapes the audience core reads and returns. Profiles come in as plain snapshots: the store
// builds them, this module never reads anything else.
import type { ErrorIssue } from '../errors.ts';
import type { AudienceOrigin, FeedbackAction, MembershipStatus } from '../model/audience.ts';

export interface ProfileEvent {
  readonly type: string;
  /** Epoch ms. */
  readonly at: number;
  readonly payload: unknown;
}

export interface ProfileFeedback {
  readonly action: FeedbackAction;
  readonly at: number;
  readonly messageId: string;
  readonly journeyId?: string;
  readonly node?: string;
  readonly link?: string;
}

export interface ProfileSnapshot {
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Experience events, newest last (order is not relied on: a late event may come after newer ones). */
  readonly events: readonly ProfileEvent[];
  readonly feedback: readonly ProfileFeedback[];
  /** Current membership by audience name. */
  readonly memberships: Readonly<Record<string, MembershipStatus>>;
}

export interface AudienceDependencies {
  readonly attributes: boolean;
  /** The attribute paths read (each a list of keys; [] is the whole profile), so a batch run can read only those. */
  readonly attributePaths: ReadonlyArray<readonly string[]>;
  readonly eventTypes: readonly string[];
  readonly feedback: boolean;
  readonly audiences: readonly string[];
  /** How far back event rules look (ms): the longest window; null when one reads the whole history; 0 when none reads events. */
  readonly eventHistoryMs: number | null;
  /** The same for feedback rules. */
  readonly feedbackHistoryMs: number | null;
}

export interface Evaluation {
  readonly member: boolean;
  /** The earliest instant after `now` at which the answer may change with no new input; null if never. */
  readonly changesAt: number | null;
}

export interface CompiledAudience {
  readonly name: string;
  readonly origin: AudienceOrigin;
  readonly dependsOn: AudienceDependencies;
  /** True when a time window (or the clock) can change the answer. */
  readonly timed: boolean;
  /** Member now, and the instant at which the answer can change with no new input (a time window expiring), if any. */
  evaluate(profile: ProfileSnapshot, now: number): Evaluation;
  /** The same answer as evaluate(…).member, without allocating (batch runs). */
  isMember(profile: ProfileSnapshot, now: number): boolean;
}

export interface KnownNames {
  /** Names of the sandbox's audiences (the one being compiled may be among them). */
  readonly audiences: readonly string[];
  /** When given, event rules must name one of these event types. */
  readonly eventTypes?: readonly string[];
  /** The audience references of the existing audiences (name → names it reads), to reject cycles. */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
}

export type CompileResult =
  | { readonly ok: true; readonly audience: CompiledAudience }
  | { readonly ok: false; readonly issues: ErrorIssue[] };

export type MembershipChange = { readonly audience: string; readonly status: MembershipStatus };
