// When the outbox tries a temporarily failed delivery again, per channel, after what providers
// advise: mail relays queue for days (RFC 5321 §4.5.4.1: give up after 4-5 days), so email retries
// for 24 hours by default with a widening backoff, then hourly; push services want a short, bounded
// retry (a notification hours late is worse than none); SMS sits in between. A channel
// configuration may set its own window (`retry.windowMs`). A provider's Retry-After wins over the
// schedule. Past the window the message is recorded as failed. Jitter spreads the retries of many
// messages that failed together (one relay outage) so they do not all come back at once.

export interface RetrySchedule {
  /** Waits after the 1st, 2nd, ... failure. */
  readonly delaysMs: readonly number[];
  /** The wait after every later failure. */
  readonly thenEveryMs: number;
  /** No attempt starts later than this after the item was queued. */
  readonly windowMs: number;
  /** Each wait is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  readonly jitter: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const defaultRetrySchedules = {
  email: {
    delaysMs: [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR],
    thenEveryMs: HOUR,
    windowMs: 24 * HOUR,
    jitter: 0.1,
  },
  push: {
    delaysMs: [30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE],
    thenEveryMs: 15 * MINUTE,
    windowMs: HOUR,
    jitter: 0.1,
  },
  sms: {
    delaysMs: [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE],
    thenEveryMs: HOUR,
    windowMs: 4 * HOUR,
    jitter: 0.1,
  },
  /** In-app and code-based messages: stored in the profile's inbox, so a retry is only for a store hiccup. */
  inApp: {
    delaysMs: [SECOND, 5 * SECOND, 30 * SECOND, MINUTE],
    thenEveryMs: 5 * MINUTE,
    windowMs: HOUR,
    jitter: 0.1,
  },
  code: {
    delaysMs: [SECOND, 5 * SECOND, 30 * SECOND, MINUTE],
    thenEveryMs: 5 * MINUTE,
    windowMs: HOUR,
    jitter: 0.1,
  },
  /** Custom actions: a journey waits on their answer, so a short exponential backoff (about 4 minutes in all). */
  action: {
    delaysMs: [1, 2, 4, 8, 16, 32, 64].map((s) => s * SECOND),
    thenEveryMs: 64 * SECOND,
    windowMs: 4 * MINUTE,
    jitter: 0.5,
  },
  /** Webhook deliveries: a receiver down for a deploy or an outage gets them later (three days in all); `maxAttempts` may end sooner. */
  webhook: {
    delaysMs: [10 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR],
    thenEveryMs: 4 * HOUR,
    windowMs: 72 * HOUR,
    jitter: 0.2,
  },
} as const satisfies Readonly<Record<string, RetrySchedule>>;

export type RetryChannel = keyof typeof defaultRetrySchedules;

/** The schedule of a channel, with a configuration's own window if it sets one. */
export function retryScheduleFor(channel: RetryChannel, windowMs?: number): RetrySchedule {
  const base = defaultRetrySchedules[channel];
  return windowMs === undefined ? base : { ...base, windowMs };
}

/**
 * When to try again after the `failures`-th failure (1 = the first attempt failed), or null when
 * the retry window is over; the last attempt is at the window's end. Whole milliseconds, like every
 * instant the store keeps.
 */
export function nextRetryAt(
  schedule: RetrySchedule,
  item: { failures: number; queuedAt: number; now: number; retryAfterMs?: number | undefined },
  random: () => number = Math.random,
): number | null {
  const base = schedule.delaysMs[item.failures - 1] ?? schedule.thenEveryMs;
  const wait =
    item.retryAfterMs !== undefined && item.retryAfterMs > 0
      ? item.retryAfterMs
      : base * (1 + schedule.jitter * (2 * random() - 1));
  const end = item.queuedAt + schedule.windowMs;
  if (item.now >= end) return null;
  return Math.min(end, Math.ceil(item.now + Math.max(SECOND, Math.round(wait))));
}
