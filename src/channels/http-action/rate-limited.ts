// The client's capper and throttle over the rate-limiter port (src/shared/rate-limiter.ts): the same
// semantics whichever limiter counts (this process, or the whole fleet). Capping refuses a call once
// the host's window is full; throttling makes a call wait its turn, or refuses it (`capped`) when
// the turn lies further than the queue's maximum age.
import type { RateLimiter } from '../../shared/rate-limiter.ts';
import { realSleep, type ActionCapper, type ActionThrottler } from './throttle.ts';

/** The product's default cap per host: 300,000 calls a minute. */
export const DEFAULT_CAP = { limit: 300_000, windowMs: 60_000 } as const;

/** Capping of one sandbox's calls per endpoint host, counted by `limiter` under `cap:<sandbox>:<host>`. */
export function limiterCapper(limiter: RateLimiter, sandbox: string): ActionCapper {
  return {
    tryTake: (host, override) => {
      const cap = override ?? DEFAULT_CAP;
      return limiter.take(`cap:${sandbox}:${host}`, cap.limit, cap.windowMs);
    },
  };
}

/** Throttling of one action's calls, its turns reserved from `limiter` under `throttle:<sandbox>:<action>`. */
export function limiterThrottle(
  limiter: RateLimiter,
  sandbox: string,
  action: string,
  throttling: { readonly ratePerSecond: number; readonly maxQueueAgeMs: number },
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = realSleep,
): ActionThrottler {
  return {
    async acquire(signal) {
      const wait = await limiter.reserve(
        `throttle:${sandbox}:${action}`,
        throttling.ratePerSecond,
        throttling.maxQueueAgeMs,
      );
      if (wait === null) return false;
      if (wait > 0) await sleep(wait, signal);
      return signal?.aborted !== true;
    },
  };
}
