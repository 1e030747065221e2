// The rate-limiter port: limits shared by whoever calls a provider (custom actions today; campaign
// and read-audience senders can take the same port). Two operations, AJO's two kinds of limit:
// capping refuses a call once its window's count is reached, throttling delays a call to its turn.
// Implementations: in one process (src/runtime/rates/local-rate-limiter.ts, the embedded store and
// a single engine) and fleet-wide in PostgreSQL (src/runtime/fleet/rate-windows.ts, fleet mode), so
// that a limit of N calls a minute is the fleet's, not each engine's.

export interface RateLimiter {
  /** Where it counts: this process only, or every engine of the fleet. */
  readonly scope: RateLimiterScope;
  /**
   * Capping: takes one slot of `key`'s window of `windowMs` if fewer than `limit` were taken in it
   * (by this process, or by the whole fleet); false, taking nothing, once the window is full.
   */
  take(key: string, limit: number, windowMs: number): Promise<boolean>;
  /**
   * Throttling: reserves `key`'s next turn at `ratePerSecond` (turns are `1000 / ratePerSecond` ms
   * apart, first come first served) and answers how many ms from now it starts (0: at once), or
   * null, reserving nothing, when it would start more than `maxWaitMs` from now.
   */
  reserve(key: string, ratePerSecond: number, maxWaitMs: number): Promise<number | null>;
}

/** What every limiter can be asked by an operator: where it counts. */
export type RateLimiterScope = 'process' | 'fleet';
