import type { CappingPeriod } from '../model/rule-set.ts';

// Calendar-aligned UTC windows. "Every N" groups N calendar units:
// - hourly: N-hour blocks from midnight UTC each day (the last block of a day may be shorter);
// - daily: N-day blocks counted from 1970-01-01;
// - weekly: N-week blocks of Sunday 00:00 .. Saturday 23:59:59.999, counted from Sunday 1970-01-04;
// - monthly: N-month blocks from January of each year (every 3 = calendar quarters).

export interface Window {
  /** Inclusive, epoch milliseconds. */
  readonly start: number;
  /** Exclusive, epoch milliseconds. */
  readonly end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-04T00:00:00Z, the first Sunday of the epoch. */
const FIRST_SUNDAY = 3 * DAY;

export function windowAt(period: CappingPeriod, every: number, now: number): Window {
  const n = Math.max(1, Math.floor(every));
  switch (period) {
    case 'hourly': {
      const dayStart = Math.floor(now / DAY) * DAY;
      const block = Math.floor((now - dayStart) / (n * HOUR));
      const start = dayStart + block * n * HOUR;
      return { start, end: Math.min(start + n * HOUR, dayStart + DAY) };
    }
    case 'daily': {
      const start = Math.floor(now / (n * DAY)) * n * DAY;
      return { start, end: start + n * DAY };
    }
    case 'weekly': {
      const start = FIRST_SUNDAY + Math.floor((now - FIRST_SUNDAY) / (n * WEEK)) * n * WEEK;
      return { start, end: start + n * WEEK };
    }
    case 'monthly': {
      const d = new Date(now);
      const year = d.getUTCFullYear();
      const first = Math.floor(d.getUTCMonth() / n) * n;
      return { start: Date.UTC(year, first, 1), end: Date.UTC(year, first + n, 1) };
    }
    default: {
      const never: never = period;
      return never;
    }
  }
}
