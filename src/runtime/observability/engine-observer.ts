// What the engine tells observability about its own work, beside what can be seen from outside it
// (commits through the store, calls through the action and message ports, ingest at the routes).
// The engine calls these after a unit of work is committed; they must be cheap and never throw.
//
// Where they are called: steps from a commit hook (`observerHook`) reading what each committed
// unit of work applied, by what moved it (UnitOfWork.apply's `moved`); timers from the timer
// service after the commit that fired them (a paused journey's held timers are not counted).

/** What moved an instance one step. A closed list: a metric label, so it stays small. */
export type StepKind = 'event' | 'timer' | 'effect' | 'audience' | 'test' | 'stop';

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

/** Reports each committed unit's steps to the observer (a writer commit hook). */
export function observerHook(observer: EngineObserver): {
  before(): Promise<void>;
  after(uow: { readonly stepsTaken: readonly StepObservation[] }): void;
} {
  return {
    before: () => Promise.resolve(),
    after: (uow) => {
      for (const s of uow.stepsTaken) observer.onStep(s);
    },
  };
}
