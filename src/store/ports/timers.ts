// Timers: fired once, when due (in fleet mode, of the partitions this engine holds only).
import type { TimerRow } from '../records/timer-record.ts';

/** A timer as stored, by kind: an instance's, a profile's audience window, an audience job's (../records/timer-record.ts). */
export type { TimerRow } from '../records/timer-record.ts';

export interface TimerRepository {
  dueTimers(now: number, limit: number): Promise<TimerRow[]>;
  nextTimerDue(): Promise<number | null>;
}
