// Fleet-wide rate limits: a count per key and fixed window in PostgreSQL (`rate_windows`), taken by
// one atomic upsert, so that a limit of N calls a minute is the fleet's, not each engine's. A call
// asks for a slot in the current window: granted while the window's count stays within the limit.
// For custom-action capping and throttling per host in fleet mode (src/channels/http-action keeps
// its per-process throttle; wiring it to this is the next step, see docs/fleet.md).
import type pg from 'pg';

export class RateWindows {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Takes one slot of `key`'s window of `windowMs` containing `now`, if fewer than `limit` were
   * taken in it (by any engine). Old windows are removed now and then.
   */
  async take(key: string, limit: number, windowMs: number, now: number): Promise<boolean> {
    const start = Math.floor(now / windowMs) * windowMs;
    const { rows } = await this.pool.query<{ count: string }>(
      `INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1 WHERE rate_windows.count < $3
      RETURNING count`,
      [key, start, limit],
    );
    if (Math.random() < 0.001)
      await this.pool
        .query('DELETE FROM rate_windows WHERE window_start < $1', [start - 10 * windowMs])
        .catch(() => undefined);
    return rows.length > 0;
  }
}
