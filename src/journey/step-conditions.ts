// Condition activities: which path a profile takes, decided apart from the step that moves it. Each
// mode (split, expression, time and date windows, profile cap) gives a choice and, in test mode,
// the trace of how it chose. Pure.
import { profileZone } from '../campaign/profile-time.ts';
import { toJson, type CompiledExpression, type EvaluationContext } from '../expr/index.ts';
import type { ConditionNode } from '../model/journey.ts';
import type { CapDecision } from './step-activities.ts';
import {
  describeDateWindow,
  describeTimeWindow,
  inDateWindow,
  inTimeWindow,
} from './time-window.ts';
import type { TraceEntry, TracedPath } from './trace.ts';

export type ConditionChoice =
  | { readonly kind: 'path'; readonly label: string; readonly next: readonly string[] }
  | { readonly kind: 'noMatch' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export interface ConditionOutcome {
  readonly choice: ConditionChoice;
  /** How the choice was made, for the test-run debugger; only built when asked for. */
  readonly trace?: TraceEntry;
}

const pathLabel = (p: { readonly label?: string | undefined }, i: number): string =>
  p.label ?? `path ${i + 1}`;
const otherCases = (n: ConditionNode): ConditionChoice =>
  n.otherwise
    ? { kind: 'path', label: n.otherwise.label ?? 'other cases', next: n.otherwise.next }
    : { kind: 'noMatch' };
const takenLabel = (c: ConditionChoice): string =>
  c.kind === 'path' ? c.label : c.kind === 'error' ? 'error' : 'no path matched';

/** Percentage split: `roll` (0 to 100) falls in one path's share; the last path takes the rest. */
export function splitChoice(n: ConditionNode, roll: number, tracing: boolean): ConditionOutcome {
  let acc = 0;
  for (const [i, p] of n.paths.entries()) {
    acc += p.percent ?? 0;
    if (roll < acc || i === n.paths.length - 1) {
      const choice: ConditionChoice = { kind: 'path', label: pathLabel(p, i), next: p.next };
      if (!tracing) return { choice };
      const paths = n.paths.map((x, k) => ({
        label: pathLabel(x, k),
        expression: null,
        value: `${x.percent ?? 0}%`,
      }));
      return {
        choice,
        trace: { kind: 'condition', node: n.id, mode: 'split', paths, taken: choice.label },
      };
    }
  }
  return { choice: otherCases(n) };
}

/** Expression paths: the first whose expression is true; an evaluation error fails the activity. */
export function expressionChoice(
  n: ConditionNode,
  compiled: ReadonlyArray<CompiledExpression | null | undefined>,
  ctx: EvaluationContext,
  tracing: boolean,
): ConditionOutcome {
  const traced: TracedPath[] = [];
  const outcome = (choice: ConditionChoice): ConditionOutcome => {
    if (!tracing) return { choice };
    const rest = n.paths.slice(traced.length).map((x, k) => ({
      label: pathLabel(x, traced.length + k),
      expression: x.expression ?? null,
    }));
    const paths = [...traced, ...rest];
    return {
      choice,
      trace: {
        kind: 'condition',
        node: n.id,
        mode: 'expression',
        paths,
        taken: takenLabel(choice),
      },
    };
  };
  for (const [i, p] of n.paths.entries()) {
    const r = compiled[i]?.evaluate(ctx);
    const label = pathLabel(p, i);
    const expression = p.expression ?? null;
    if (!r) {
      traced.push({ label, expression });
      continue;
    }
    if (tracing)
      traced.push(
        r.ok
          ? { label, expression, value: toJson(r.value) }
          : { label, expression, error: r.error.message },
      );
    if (!r.ok) return outcome({ kind: 'error', code: 'condition_error', message: r.error.message });
    if (r.value === true || toJson(r.value) === true)
      return outcome({ kind: 'path', label, next: p.next });
  }
  return outcome(otherCases(n));
}

/** Time and date conditions: the first path whose window holds `now`; else other cases. */
export function windowChoice(n: ConditionNode, now: number, zone: string): ConditionOutcome {
  const traced: TracedPath[] = [];
  let choice: ConditionChoice | null = null;
  for (const [i, p] of n.paths.entries()) {
    const label = pathLabel(p, i);
    const holds =
      n.mode === 'time'
        ? p.time !== undefined && inTimeWindow(p.time, now, zone)
        : p.date !== undefined && inDateWindow(p.date, now);
    const window =
      n.mode === 'time'
        ? p.time && `${describeTimeWindow(p.time)} ${zone}`
        : p.date && describeDateWindow(p.date);
    traced.push({ label, expression: window ?? null, value: holds });
    if (holds) {
      choice = { kind: 'path', label, next: p.next };
      break;
    }
  }
  choice ??= otherCases(n);
  const mode = n.mode === 'time' ? 'time' : 'date';
  return {
    choice,
    trace: { kind: 'condition', node: n.id, mode, paths: traced, taken: takenLabel(choice) },
  };
}

/** The zone a time condition reads hours in: its own, the profile's, or the journey's. */
export function conditionZone(n: ConditionNode, journeyZone: string, attributes: unknown): string {
  if (n.timeZone === undefined) return journeyZone;
  if (n.timeZone !== 'profile') return n.timeZone;
  const zone = (attributes as { timeZone?: unknown } | null)?.timeZone;
  return profileZone(zone, journeyZone);
}

/** Profile cap: the first N profiles take the first path, the rest the other cases. */
export function capChoice(n: ConditionNode, d: CapDecision): ConditionOutcome {
  if (d.kind === 'unknown')
    return {
      choice: {
        kind: 'error',
        code: 'profile_cap_unavailable',
        message: 'the profile cap count was not given',
      },
    };
  const first = n.paths[0]!;
  const choice: ConditionChoice =
    d.kind === 'first'
      ? { kind: 'path', label: pathLabel(first, 0), next: first.next }
      : otherCases(n);
  const paths = [{ label: pathLabel(first, 0), expression: `first ${n.cap}`, value: d.taken }];
  return {
    choice,
    trace: { kind: 'condition', node: n.id, mode: 'profileCap', paths, taken: takenLabel(choice) },
  };
}
