// The background loop: fires due timers and runs the outbox. It keeps firing while timers come
// due, sleeps until the next one is due (at most the interval, so a timer added meanwhile is seen
// within it), and runs at once when woken (a commit queued outbox items). It knows the services
// only as functions, so it imports none.
import { toWaymarkError } from '../../errors.ts';

const TIMER_BATCH = 1000;

export interface LoopDeps {
  /** Fires up to `limit` due timers; how many fired. */
  readonly fireDueTimers: (limit: number) => Promise<number>;
  /** Dispatches due outbox items; how many. */
  readonly dispatchOutbox: () => Promise<number>;
  /** Waits until the writer has run everything queued (stop). */
  readonly drain: () => Promise<void>;
  /** When the next timer is due (the clock's time), null when none: the loop wakes then rather than at the next interval. */
  readonly nextTimerDue?: () => Promise<number | null>;
  /** The clock's now (with nextTimerDue). */
  readonly now?: () => number;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ) => void;
}

export class Loop {
  private timer: NodeJS.Timeout | null = null;
  /** The wake-up set for the next due timer, when it is due before the next interval. */
  private alarm: NodeJS.Timeout | null = null;
  private ticking = false;
  /** A wake-up came while a tick ran: run again when it ends. */
  private again = false;
  /** The interval start() was given: the longest the loop sleeps. */
  private intervalMs = 100;

  constructor(private readonly deps: LoopDeps) {}

  /** Runs due timers and the outbox until nothing more is due now (tests, simulator, demo). */
  async settle(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const fired = await this.deps.fireDueTimers(TIMER_BATCH);
      const sent = await this.deps.dispatchOutbox();
      if (fired === 0 && sent === 0) return;
    }
  }

  /** Starts the background loop: timers are looked at every 100 ms at the latest, and when they come due. */
  start(intervalMs = 100): void {
    if (this.timer) return;
    this.intervalMs = intervalMs;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clearAlarm();
    await this.deps.drain();
  }

  /** The writer's wake-up: a commit queued outbox items, so look now rather than at the next interval. */
  wake(): void {
    if (this.timer) setImmediate(() => void this.tick());
  }

  private clearAlarm(): void {
    if (this.alarm) clearTimeout(this.alarm);
    this.alarm = null;
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = true;
    this.clearAlarm();
    try {
      // Timers fired means more may be due (a full batch, or others that came due meanwhile): go on
      // at once rather than at the next interval, but let requests in between batches (the store is
      // synchronous: without this a backlog of timers would hold the event loop, and /healthz, until
      // it is drained).
      for (let fired = 1; fired > 0 && this.timer;) {
        this.again = false;
        fired = await this.deps.fireDueTimers(TIMER_BATCH);
        await this.deps.dispatchOutbox();
        if (fired > 0 || this.again) {
          fired = Math.max(fired, this.again ? 1 : 0);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      await this.setAlarm();
    } catch (e) {
      this.deps.log?.('error', 'engine tick failed', { message: toWaymarkError(e).message });
    } finally {
      this.ticking = false;
    }
  }

  /** Nothing is due now: wake when the next timer is, if that comes before the next interval. */
  private async setAlarm(): Promise<void> {
    const { nextTimerDue, now } = this.deps;
    if (!nextTimerDue || !now || !this.timer) return;
    const next = await nextTimerDue();
    if (next === null || !this.timer) return;
    // A timer due already was not fired by this tick (held elsewhere, fenced, being taken over):
    // the interval looks again, so that such a timer cannot keep the loop spinning.
    const wait = next - now();
    if (wait <= 0 || wait >= this.intervalMs) return;
    this.clearAlarm();
    this.alarm = setTimeout(() => void this.tick(), wait + 1);
    this.alarm.unref?.();
  }
}
