// Per-host capping: a sliding window of `windowMs` split into `buckets` sub-windows. A call is let
// through only if the calls of the last window (bucket-rounded, so it errs on the safe side by at
// most one bucket) stay under the limit. Calls over it are rejected: the caller answers `capped`.
// Keep one capper per sandbox (the reference caps per host per sandbox).

export interface CapperOptions {
  /** Default 300,000 calls. */
  readonly limit?: number;
  /** Default 60,000 ms. */
  readonly windowMs?: number;
  /** Sub-windows per window; default 60. */
  readonly buckets?: number;
  /** Injected clock (epoch or monotonic ms). */
  readonly now?: () => number;
}

interface KeyState {
  readonly limit: number;
  readonly bucketMs: number;
  readonly buckets: number;
  /** [bucket index, count], oldest first. */
  readonly slots: [number, number][];
  total: number;
}

export class SlidingWindowCapper {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #buckets: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, KeyState>();

  constructor(options: CapperOptions = {}) {
    this.#limit = options.limit ?? 300_000;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#buckets = Math.max(1, options.buckets ?? 60);
    this.#now = options.now ?? Date.now;
  }

  /** Takes one slot for `key` if the window has room; `override` sets a per-endpoint cap. */
  tryTake(key: string, override?: { readonly limit: number; readonly windowMs: number }): boolean {
    const state = this.#state(key, override);
    const index = Math.floor(this.#now() / state.bucketMs);
    this.#expire(state, index);
    if (state.total >= state.limit) return false;
    const last = state.slots[state.slots.length - 1];
    if (last !== undefined && last[0] === index) last[1]++;
    else state.slots.push([index, 1]);
    state.total++;
    return true;
  }

  /** Calls counted in the current window for `key`. */
  count(key: string): number {
    const state = this.#keys.get(key);
    if (state === undefined) return 0;
    this.#expire(state, Math.floor(this.#now() / state.bucketMs));
    return state.total;
  }

  #state(key: string, override?: { readonly limit: number; readonly windowMs: number }): KeyState {
    const limit = override?.limit ?? this.#limit;
    const windowMs = override?.windowMs ?? this.#windowMs;
    const bucketMs = Math.max(1, Math.floor(windowMs / this.#buckets));
    let state = this.#keys.get(key);
    if (state === undefined || state.limit !== limit || state.bucketMs !== bucketMs) {
      state = {
        limit,
        bucketMs,
        buckets: Math.ceil(windowMs / bucketMs),
        slots: state?.slots ?? [],
        total: state?.total ?? 0,
      };
      this.#keys.set(key, state);
    }
    return state;
  }

  #expire(state: KeyState, index: number): void {
    while (state.slots.length > 0) {
      const first = state.slots[0] as [number, number];
      if (first[0] > index - state.buckets) break;
      state.total -= first[1];
      state.slots.shift();
    }
  }
}
