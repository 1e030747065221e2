// What compiled closures receive while evaluating: the caller's context and the loop frames of
// collection functions (currentEventField ...).
import type { Span } from './errors.ts';
import { EvalError } from './errors.ts';
import type { ExprValue } from './values.ts';

export interface EvaluationContext {
  readonly events: Readonly<Record<string, unknown>>;
  readonly profile: unknown;
  readonly actions: Readonly<Record<string, unknown>>;
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  readonly dataSources?: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds: the injected clock. */
  readonly now: number;
  /** Seeded source in [0, 1). */
  readonly random: () => number;
  /** Journey time zone (IANA), default 'UTC'. */
  readonly timeZone?: string;
  /** Elements and characters one evaluation may iterate over (default WORK_BUDGET). */
  readonly workBudget?: number;
}

export interface Runtime {
  readonly ctx: EvaluationContext;
  /** Elements bound by enclosing all()/first()/last() conditions, outermost first. */
  readonly frames: unknown[];
  /** Work budget: decremented by loops over lists and strings, so evaluation is bounded. */
  budget: number;
}

export type Evaluator = (rt: Runtime) => ExprValue;

/** Maximum elements/characters that one evaluation may iterate over. */
export const WORK_BUDGET = 2_000_000;
/** Largest list or string an evaluation may build. */
export const MAX_BUILT_SIZE = 1_000_000;

export function spend(rt: Runtime, units: number, span: Span): void {
  rt.budget -= units;
  if (rt.budget < 0)
    throw new EvalError('too_much_work', 'Evaluation exceeded its work budget', span);
}

export function own(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}
