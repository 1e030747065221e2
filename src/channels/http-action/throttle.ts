// Throttling (reference §4): calls over the configured rate wait their turn, first come first
// served, for at most `maxQueueAgeMs` (the product queues up to 6 h); a call that would wait
// longer is refused at once. One throttle per endpoint host per sandbox, shared by callers.

/** What the client asks of a capper: one slot of `key`'s window (SlidingWindowCapper, or the fleet's count). */
export interface ActionCapper {
  tryTake(
    key: string,
    override?: { readonly limit: number; readonly windowMs: number },
  ): boolean | Promise<boolean>;
}

/** What the client asks of a throttle: wait for this call's turn; false when it is too far away. */
export interface ActionThrottler {
  acquire(signal?: AbortSignal): Promise<boolean>;
}

export interface ThrottleOptions {
  /** Calls per second (the product's minimum is 200). */
  readonly ratePerSecond: number;
  /** Longest wait in the queue; default 6 hours. */
  readonly maxQueueAgeMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class ActionThrottle implements ActionThrottler {
  readonly #intervalMs: number;
  readonly #maxQueueAgeMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  #nextSlot = Number.NEGATIVE_INFINITY;

  constructor(options: ThrottleOptions) {
    if (!(options.ratePerSecond > 0)) throw new Error('ratePerSecond must be positive');
    this.#intervalMs = 1000 / options.ratePerSecond;
    this.#maxQueueAgeMs = options.maxQueueAgeMs ?? 6 * 3_600_000;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
  }

  /** Waits for this call's turn; false if the turn is further away than the queue's maximum age. */
  async acquire(signal?: AbortSignal): Promise<boolean> {
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlot);
    if (slot - now > this.#maxQueueAgeMs) return false;
    this.#nextSlot = slot + this.#intervalMs;
    if (slot > now) await this.#sleep(slot - now, signal);
    return signal?.aborted !== true;
  }
}
