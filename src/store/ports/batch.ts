// The one write of the port: everything a unit of work changed, committed as one batch (one
// transaction). What each group means, in which order the groups apply and what a group that
// writes one row twice leaves: ../batch/plan.ts (both adapters execute that plan).
import type { InstanceState } from '../../journey/instance.ts';
import type { LandingPageMetric } from '../../model/landing-page.ts';
import type { MembershipRow } from './audiences.ts';
import type { InAppWrite } from './in-app.ts';
import type { OutboxItem } from './outbox.ts';
import type { ProfileWrite } from './profiles.ts';
import type { MessageRecord } from './reports.ts';
import type { SuppressionWrite } from './suppressions.ts';
import type { TestTraceRow } from './test-runs.ts';
import type { TimerRow } from './timers.ts';
import type { WebhookDeliveryRow } from './webhooks.ts';

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
  /** Suppression list entries (an entry stores, null removes), keyed by (sandbox, channel, address). */
  suppressions?: SuppressionWrite[];
  /** Test-run trace lines, appended in this order (test mode only). */
  testTrace?: TestTraceRow[];
  /** Webhook deliveries, keyed by (sandbox, id): a row takes its last write (queued, then each attempt). */
  webhookDeliveries?: WebhookDeliveryRow[];
  /** Landing pages' report counters, added to (a submission's, with the profile write it made). */
  landingPageCounters?: Array<{
    sandbox: string;
    slug: string;
    subPage: string;
    metric: LandingPageMetric;
    delta: number;
  }>;
  /** The in-app inbox (stores, withdrawals, displays), applied in order after the messages. */
  inApp?: InAppWrite[];
}

/** How a commit is asked for. */
export interface CommitOptions {
  /**
   * The caller waits for this commit before it does anything else (it prepares nothing
   * meanwhile): a store that can commit on another thread may as well commit on the caller's.
   */
  readonly waited?: boolean;
}

export interface BatchRepository {
  /** Applies the whole batch, all or nothing (../batch/plan.ts says how). */
  commit(batch: CommitBatch, opts?: CommitOptions): Promise<void>;
  /**
   * True when a commit waits on I/O while the process is free (a database server): the writer
   * then prepares the next batch while one commits. Absent or false: a commit holds the thread.
   */
  asyncCommits?(): boolean;
  /**
   * How many commits may be in flight at once (sent before the first is answered), applied in the
   * order sent; absent: one.
   */
  commitsInFlight?(): number;
}
