// Fleet-wide rate limits in PostgreSQL (`rate_windows`), the rate-limiter port of fleet mode, so
// that a limit of N calls a minute is the fleet's, not each engine's.
// - Capping: a count per key and fixed window (`window_start` >= 0, aligned to the window's length
//   on the database's clock), raised in one atomic statement (the row locked) while it stays within
//   the limit. The takes of one key waiting on an engine share that statement. Once a window is seen
//   full, this engine refuses that key locally until the window ends (no round trip).
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

/** Calls of one key waiting for the round trip under way; the next round trip serves them all. */
class Batches<T> {
  readonly #open = new Map<
    string,
    Array<{ resolve: (v: T) => void; reject: (e: unknown) => void }>
  >();

  /** Joins `id`'s next round trip; `run(n)` answers the n callers' values, in their order. */
  join(id: string, run: (n: number) => Promise<readonly T[]>): Promise<T> {
    let waiting = this.#open.get(id);
    const first = waiting === undefined;
    if (waiting === undefined) {
      waiting = [];
      this.#open.set(id, waiting);
    }
    const w = waiting;
    const p = new Promise<T>((resolve, reject) => w.push({ resolve, reject }));
    if (first) void this.#drain(id, w, run);
    return p;
  }

  async #drain(
    id: string,
    waiting: Array<{ resolve: (v: T) => void; reject: (e: unknown) => void }>,
    run: (n: number) => Promise<readonly T[]>,
  ): Promise<void> {
    while (waiting.length > 0) {
      const callers = waiting.splice(0);
      try {
        const values = await run(callers.length);
        callers.forEach((c, i) => c.resolve(values[i] as T));
      } catch (e) {
        for (const c of callers) c.reject(e);
      }
    }
    this.#open.delete(id);
  }
}

export class RateWindows implements RateLimiter {
  readonly scope = 'fleet' as const;
  /** Keys whose current window is full, until when (this engine's clock). */
  readonly #full = new LruMap<string, number>(4096);
  /** Round trips made and calls refused without one (for tests and /metrics). */
  readonly stats = { takes: 0, refusedLocally: 0, reservations: 0 };
  /** Takes and reservations of one key made at once on this engine share one round trip. */
  readonly #takes = new Batches<boolean>();
  readonly #reservations = new Batches<number | null>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly localNow: () => number = Date.now,
  ) {}

  /**
   * Takes one slot of `key`'s window of `windowMs` containing `now` (the database's clock when
   * absent), if fewer than `limit` were taken in it (by any engine). Takes of one key made at once on
   * this engine share one round trip (a batch asks for as many slots as it has callers, and is
   * granted what is left). Old windows are removed now and then.
   */
  take(key: string, limit: number, windowMs: number, now?: number): Promise<boolean> {
    if (now !== undefined) return this.#takeMany(key, limit, windowMs, 1, now).then((n) => n > 0);
    const fullUntil = this.#full.get(key);
    if (fullUntil !== undefined && fullUntil > this.localNow()) {
      this.stats.refusedLocally++;
      return Promise.resolve(false);
    }
    return this.#takes.join(`${key}\u0000${limit}\u0000${windowMs}`, async (n) => {
      const granted = await this.#takeMany(key, limit, windowMs, n);
      return Array.from({ length: n }, (_v, i) => i < granted);
    });
  }

  /** Takes up to `n` slots at once; answers how many were granted (the first callers get them). */
  async #takeMany(
    key: string,
    limit: number,
    windowMs: number,
    n: number,
    now?: number,
  ): Promise<number> {
    this.stats.takes++;
    const start = now === undefined ? `(${NOW_MS} / $3::bigint) * $3::bigint` : '$3::bigint';
    const param = now === undefined ? windowMs : Math.floor(now / windowMs) * windowMs;
    // The row is locked and read at its latest count, then raised by what is left of the limit.
    const sql = `WITH w AS (SELECT ${start} AS start),
      old AS (SELECT r.count, r.window_start FROM rate_windows r, w WHERE r.key = $1 AND r.window_start = w.start FOR UPDATE OF r),
      upd AS (UPDATE rate_windows r SET count = LEAST(r.count + $4, $2) FROM old
        WHERE r.key = $1 AND r.window_start = old.window_start AND old.count < $2 RETURNING r.count)
      SELECT (SELECT start FROM w) AS start, (SELECT count FROM old) AS old, (SELECT count FROM upd) AS new`;
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.pool.query<{
        start: string;
        old: string | null;
        new: string | null;
      }>(sql, [key, limit, param, n]);
      const row = rows[0]!;
      if (row.old === null) {
        // The window's first take: its row is made (by whichever engine comes first), then taken from.
        if (attempt > 2) throw new Error(`rate window ${key} could not be created`);
        await this.pool.query(
          'INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING',
          [key, row.start],
        );
        continue;
      }
      if (Math.random() < 0.001) void this.#sweep(windowMs);
      const granted = row.new === null ? 0 : Number(row.new) - Number(row.old);
      if (granted < n && now === undefined) {
        // Full: refuse locally for the rest of the window (on the database's clock).
        const { rows: left } = await this.pool.query<{ left_ms: string }>(
          `SELECT $1::bigint + $2::bigint - ${NOW_MS} AS left_ms`,
          [row.start, windowMs],
        );
        this.#full.set(key, this.localNow() + Math.max(0, Number(left[0]?.left_ms ?? 0)));
      }
      return granted;
    }
  }

  reserve(key: string, ratePerSecond: number, maxWaitMs: number): Promise<number | null> {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    return this.#reservations.join(`${key}\u0000${ratePerSecond}\u0000${maxWaitMs}`, (n) =>
      this.#reserveMany(key, ratePerSecond, maxWaitMs, n),
    );
  }

  /** Reserves up to `n` consecutive turns; answers each caller's wait in ms, or null past the longest wait. */
  async #reserveMany(
    key: string,
    ratePerSecond: number,
    maxWaitMs: number,
    n: number,
  ): Promise<Array<number | null>> {
    this.stats.reservations++;
    const intervalUs = Math.max(1, Math.round(1_000_000 / ratePerSecond));
    // The key's row (its next free turn) locked and read at its latest value; the turns that start
    // within the longest wait are granted, and the next free turn moves past them.
    const sql = `WITH t AS (SELECT ${NOW_US} AS now),
      old AS (SELECT r.count FROM rate_windows r WHERE r.key = $1 AND r.window_start = ${TURN_ROW} FOR UPDATE),
      b AS (SELECT greatest(old.count, t.now) AS base, t.now FROM old, t),
      g AS (SELECT b.base, b.now, LEAST($4::bigint, (b.now + $3::bigint - b.base) / $2::bigint + 1) AS granted
        FROM b WHERE b.base - b.now <= $3::bigint),
      upd AS (UPDATE rate_windows r SET count = g.base + g.granted * $2::bigint FROM g
        WHERE r.key = $1 AND r.window_start = ${TURN_ROW} RETURNING r.count)
      SELECT (SELECT count FROM old) AS old, (SELECT base - now FROM g) AS first_us,
        (SELECT granted FROM g) AS granted, (SELECT count(*) FROM upd) AS updated`;
    for (let attempt = 0; ; attempt++) {
      const { rows } = await this.pool.query<{
        old: string | null;
        first_us: string | null;
        granted: string | null;
      }>(sql, [key, intervalUs, Math.round(maxWaitMs * 1000), n]);
      const row = rows[0]!;
      if (row.old === null) {
        // The key's first reservation: its row is made (a free turn now), then reserved from.
        if (attempt > 2) throw new Error(`throttle ${key} could not be created`);
        await this.pool.query(
          `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, ${TURN_ROW}, 0) ON CONFLICT DO NOTHING`,
          [key],
        );
        continue;
      }
      const granted = row.granted === null ? 0 : Number(row.granted);
      const first = Number(row.first_us ?? 0);
      return Array.from({ length: n }, (_v, i) =>
        i < granted ? Math.max(0, (first + i * intervalUs) / 1000) : null,
      );
    }
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
