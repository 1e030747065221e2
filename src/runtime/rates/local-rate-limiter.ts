// The rate-limiter port in one process's memory: capping by a bucketed sliding window (the
// http-action capper's), throttling by a next free turn per key (the http-action throttle's). What
// a single engine and the embedded store use; fleet mode replaces it by the PostgreSQL one.
import { SlidingWindowCapper } from '../../channels/http-action/capper.ts';
import { LruMap } from '../../shared/lru.ts';
import type { RateLimiter } from '../../shared/rate-limiter.ts';

export class LocalRateLimiter implements RateLimiter {
  readonly scope = 'process' as const;
  readonly #capper: SlidingWindowCapper;
  /** Next free turn per throttled key (bounded: a key unused for long is as good as gone). */
  readonly #turns = new LruMap<string, number>(4096);
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#capper = new SlidingWindowCapper({ now });
  }

  take(key: string, limit: number, windowMs: number): Promise<boolean> {
    return Promise.resolve(this.#capper.tryTake(key, { limit, windowMs }));
  }

  reserve(key: string, ratePerSecond: number, maxWaitMs: number): Promise<number | null> {
    if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    const now = this.#now();
    const turn = Math.max(now, this.#turns.get(key) ?? Number.NEGATIVE_INFINITY);
    if (turn - now > maxWaitMs) return Promise.resolve(null);
    this.#turns.set(key, turn + 1000 / ratePerSecond);
    return Promise.resolve(turn - now);
  }
}
