// Fleet-wide rate limits in PostgreSQL (`rate_windows`), the rate-limiter port of fleet mode, so
// that a limit of N calls a minute is the fleet's, not each engine's.
// - Capping: a count per key and fixed window (`window_start` >= 0, aligned to the window's length
//   on the database's clock), taken by one atomic upsert: granted while the count stays within the
//   limit. Once a window is seen full, this engine refuses that key locally until the window ends
//   (no round trip for calls that would be refused anyway).
// - Throttling: one row per key (`window_start` = -1) whose count is the key's next free turn in
//   microseconds of the database's clock; a reservation moves it on by one interval in one atomic
//   upsert and answers the wait. Engines' clocks do not enter: every instant is the database's.
import type pg from 'pg';
import { LruMap } from '../../shared/lru.ts';
import type { RateLimiter } from '../../shared/rate-limiter.ts';

const NOW_US = `(extract(epoch from clock_timestamp()) * 1000000)::bigint`;
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** The throttle rows' `window_start`. */
const TURN_ROW = -1;

export class RateWindows implements RateLimiter {
  readonly scope = 'fleet' as const;
  /** Keys whose current window is full, until when (this engine's clock). */
  readonly #full = new LruMap<string, number>(4096);
  /** Round trips made and calls refused without one (for tests and /metrics). */
  readonly stats = { takes: 0, refusedLocally: 0, reservations: 0 };

  constructor(
    private readonly pool: pg.Pool,
    private readonly localNow: () => number = Date.now,
  ) {}

  /**
   * Takes one slot of `key`'s window of `windowMs` containing `now` (the database's clock when
   * absent), if fewer than `limit` were taken in it (by any engine). Old windows are removed now and then.
   */
  async take(key: string, limit: number, windowMs: number, now?: number): Promise<boolean> {
    const fullUntil = this.#full.get(key);
    if (now === undefined && fullUntil !== undefined && fullUntil > this.localNow()) {
      this.stats.refusedLocally++;
      return false;
    }
    this.stats.takes++;
    const start = now === undefined ? `(${NOW_MS} / $3::bigint) * $3::bigint` : '$3::bigint';
    const { rows } = await this.pool.query<{ count: string }>(
      `WITH w AS (SELECT ${start} AS start)
      INSERT INTO rate_windows (key, window_start, count) SELECT $1, w.start, 1 FROM w
      ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1 WHERE rate_windows.count < $2
      RETURNING count`,
      [key, limit, now === undefined ? windowMs : Math.floor(now / windowMs) * windowMs],
    );
    if (Math.random() < 0.001) void this.#sweep(windowMs);
    const row = rows[0];
    if (row === undefined) {
      // Full: refuse locally for the rest of the window (its end read once more, without taking).
      if (now === undefined) {
        const { rows: left } = await this.pool.query<{ left_ms: string }>(
          `SELECT (${NOW_MS} / $1::bigint) * $1::bigint + $1::bigint - ${NOW_MS} AS left_ms`,
          [windowMs],
        );
        this.#full.set(key, this.localNow() + Math.max(0, Number(left[0]?.left_ms ?? 0)));
      }
      return false;
    }
    return true;
  }

  async reserve(key: string, ratePerSecond: number, maxWaitMs: number): Promise<number | null> {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    this.stats.reservations++;
    const intervalUs = Math.max(1, Math.round(1_000_000 / ratePerSecond));
    // excluded.count - interval is the database's now; the row's count, the key's next free turn.
    const { rows } = await this.pool.query<{ wait_us: string }>(
      `INSERT INTO rate_windows AS r (key, window_start, count) SELECT $1, ${TURN_ROW}, ${NOW_US} + $2
      ON CONFLICT (key, window_start) DO UPDATE SET count = greatest(r.count, excluded.count - $2) + $2
        WHERE greatest(r.count, excluded.count - $2) - (excluded.count - $2) <= $3
      RETURNING r.count - $2 - ${NOW_US} AS wait_us`,
      [key, intervalUs, Math.round(maxWaitMs * 1000)],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return Math.max(0, Number(row.wait_us) / 1000);
  }

  async #sweep(windowMs: number): Promise<void> {
    await this.pool
      .query(
        `DELETE FROM rate_windows WHERE (window_start >= 0 AND window_start < ${NOW_MS} - 10 * $1::bigint)
        OR (window_start = ${TURN_ROW} AND count < ${NOW_US} - 3600000000)`,
        [windowMs],
      )
      .catch(() => undefined);
  }
}
