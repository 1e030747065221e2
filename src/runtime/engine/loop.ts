// The background loop: fires due timers and runs the outbox. It keeps firing while timers come
// due, sleeps until the next one is due (at most the interval, so a timer added meanwhile is seen
// within it), and runs at once when woken (a commit queued outbox items). It knows the services
// only as functions, so it imports none.
import { toWaymarkError } from '../../errors.ts';

const TIMER_BATCH = 1000;
/** A round of the loop taking longer than this is reported (something it awaits does not answer). */
const SLOW_ROUND_MS = 60_000;

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
  /** A round waiting on one step for longer than this is reported once (60 s when absent). */
  readonly slowRoundMs?: number;
  /** Outbox items in flight for long, with where each waits (reported with a round that hangs). */
  readonly stuckOutbox?: () => ReadonlyArray<Record<string, unknown>>;
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
  /** What the current round awaits and since when (real time): the watchdog reports a round that hangs. */
  private round: { step: 'timers' | 'outbox' | 'alarm'; since: number; reported: boolean } | null =
    null;
  private watchdog: NodeJS.Timeout | null = null;

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
    this.watchdog = setInterval(() => this.watch(), this.slowRoundMs / 4);
    this.watchdog.unref?.();
  }

  private get slowRoundMs(): number {
    return this.deps.slowRoundMs ?? SLOW_ROUND_MS;
  }

  /** Reports, once per round, a round that has waited on one step for longer than slowRoundMs. */
  private watch(): void {
    const r = this.round;
    if (!r || r.reported || Date.now() - r.since < this.slowRoundMs) return;
    r.reported = true;
    this.deps.log?.('warn', "the engine's loop has waited on one step for long", {
      step: r.step,
      seconds: Math.round((Date.now() - r.since) / 1000),
      ...(r.step === 'outbox' && this.deps.stuckOutbox ? { items: this.deps.stuckOutbox() } : {}),
    });
  }

  private at(step: 'timers' | 'outbox' | 'alarm'): void {
    this.round = { step, since: Date.now(), reported: false };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.timer = null;
    this.watchdog = null;
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
        this.at('timers');
        fired = await this.deps.fireDueTimers(TIMER_BATCH);
        this.at('outbox');
        await this.deps.dispatchOutbox();
        if (fired > 0 || this.again) {
          fired = Math.max(fired, this.again ? 1 : 0);
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      this.at('alarm');
      await this.setAlarm();
    } catch (e) {
      this.deps.log?.('error', 'engine tick failed', { message: toWaymarkError(e).message });
    } finally {
      this.ticking = false;
      this.round = null;
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
