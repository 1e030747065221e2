// The background loop: looks at due timers and the outbox every interval, and at once when woken
// (a commit queued outbox items). It knows the services only as two functions, so it imports none.
import { toWaymarkError } from '../../errors.ts';

const TIMER_BATCH = 1000;

export interface LoopDeps {
  /** Fires up to `limit` due timers; how many fired. */
  readonly fireDueTimers: (limit: number) => Promise<number>;
  /** Dispatches due outbox items; how many. */
  readonly dispatchOutbox: () => Promise<number>;
  /** Waits until the writer has run everything queued (stop). */
  readonly drain: () => Promise<void>;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ) => void;
}

export class Loop {
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(private readonly deps: LoopDeps) {}

  /** Runs due timers and the outbox until nothing more is due now (tests, simulator, demo). */
  async settle(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const fired = await this.deps.fireDueTimers(TIMER_BATCH);
      const sent = await this.deps.dispatchOutbox();
      if (fired === 0 && sent === 0) return;
    }
  }

  /** Starts the background loop: timers are looked at every 100 ms, so each fires within a second. */
  start(intervalMs = 100): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.deps.drain();
  }

  /** The writer's wake-up: a commit queued outbox items, so look now rather than at the next interval. */
  wake(): void {
    if (this.timer) setImmediate(() => void this.tick());
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // A full batch of timers means more are due: go on at once rather than at the next interval,
      // but let requests in between batches (the store is synchronous: without this a backlog of
      // timers would hold the event loop, and /healthz, until it is drained).
      for (let fired = TIMER_BATCH; fired >= TIMER_BATCH && this.timer;) {
        fired = await this.deps.fireDueTimers(TIMER_BATCH);
        await this.deps.dispatchOutbox();
        if (fired >= TIMER_BATCH) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch (e) {
      this.deps.log?.('error', 'engine tick failed', { message: toWaymarkError(e).message });
    } finally {
      this.ticking = false;
    }
  }
}
