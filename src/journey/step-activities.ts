// The activities that act on the profile or on other journeys (update profile, profile cap, jump):
// decisions the step function takes, kept apart from it. Pure.
import { toJson, type CompiledExpression, type EvaluationContext } from '../expr/index.ts';
import type { ConditionNode } from '../model/journey.ts';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The attributes with `path` (`loyalty.tier`) set to `value`, copied along the path; the rest shared. */
export function withAttribute(attributes: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = path.split('.');
  const base = isRecord(attributes) ? attributes : {};
  const inner = rest.length === 0 ? value : withAttribute(base[head!], rest.join('.'), value);
  return { ...base, [head!]: inner };
}

export type ProfileValue =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** The value an update-profile activity writes: its expression's, as JSON; null is refused. */
export function profileValue(
  expression: CompiledExpression | undefined,
  ctx: EvaluationContext,
): ProfileValue {
  if (!expression) return { ok: false, message: 'the value expression did not compile' };
  const r = expression.evaluate(ctx);
  if (!r.ok) return { ok: false, message: r.error.message };
  const value = toJson(r.value);
  if (value === null || value === undefined)
    return { ok: false, message: 'the value expression gave no value (null)' };
  return { ok: true, value };
}

export type CapDecision =
  | { readonly kind: 'first'; readonly taken: number }
  | { readonly kind: 'rest'; readonly taken: number }
  | { readonly kind: 'unknown' };

/**
 * Profile cap: whether this profile is among the first `cap`. `stored` is how many took the first
 * path before this step (counted by the runtime in the step's unit of work, so exact); `here` how
 * many took it within this step.
 */
export function capDecision(
  node: ConditionNode,
  stored: number | undefined,
  here: number,
): CapDecision {
  if (stored === undefined || node.cap === undefined) return { kind: 'unknown' };
  const taken = stored + here;
  return taken < node.cap ? { kind: 'first', taken } : { kind: 'rest', taken };
}
