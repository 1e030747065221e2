// What the engine tells observability about its own work, beside what can be seen from outside it
// (commits through the store, calls through the action and message ports, ingest at the routes).
// The engine calls these after a unit of work is committed; they must be cheap and never throw.
//
// Call sites the engine adds (after the engine split, src/runtime/engine/):
//  - each instance stepped in a committed unit: `observer.onStep({ sandbox, kind })`, kind being
//    what moved it (an event, a timer, an effect's outcome, an audience change, a test-mode event);
//  - each timer fired: `observer.onTimerFired({ sandbox, kind, dueAt, firedAt })` (lag = firedAt - dueAt).
// Until then the store decorator (instrument.ts) reports timers as the engine takes them due.

/** What moved an instance one step. A closed list: a metric label, so it stays small. */
export type StepKind = 'event' | 'timer' | 'effect' | 'audience' | 'test';

export interface StepObservation {
  readonly sandbox: string;
  readonly kind: StepKind;
}

/** Whose timer it was: a journey instance's, an audience window's, or a scheduled job's. */
export type TimerKind = 'instance' | 'audience' | 'job';

export interface TimerObservation {
  readonly sandbox: string;
  readonly kind: TimerKind;
  /** When it was due and when it fired (epoch ms): the lag is the difference. */
  readonly dueAt: number;
  readonly firedAt: number;
}

export interface EngineObserver {
  onStep(step: StepObservation): void;
  onTimerFired(timer: TimerObservation): void;
}

/** An observer that does nothing (the engine's default). */
export const quietObserver: EngineObserver = { onStep() {}, onTimerFired() {} };

/** The kind of a stored timer from its instance id (`audience:` and `job:` ids are not instances'). */
export function timerKindOf(instanceId: string): TimerKind {
  return instanceId.startsWith('audience:') ? 'audience' : instanceId.startsWith('job:') ? 'job' : 'instance';
}
