// Closures for function calls: the overload is chosen at compile time, or at run time when an
// argument's type was unknown. Values of unknown static type are coerced where a temporal
// parameter is expected (an ISO-8601 string for a dateTime, a number of milliseconds for a duration).
import type { Node } from './ast.ts';
import type { Compiler } from './compile.ts';
import { converterFor } from './convert.ts';
import type { Converter } from './convert.ts';
import { EvalError } from './errors.ts';
import type { CallSite, Overload, Pattern } from './functions/signature.ts';
import { matchesValue, paramAt } from './functions/signature.ts';
import { describeValue } from './ops.ts';
import type { Evaluator, Runtime } from './runtime.ts';
import type { Type } from './types.ts';
import { isLoose, T } from './types.ts';
import type { ExprValue } from './values.ts';

const TEMPORAL: Partial<Record<Pattern, Type>> = {
  dateTime: T.dateTime,
  dateTimeOnly: T.dateTimeOnly,
  dateOnly: T.dateOnly,
  duration: T.duration,
};

function coercions(o: Overload, argTypes: readonly Type[]): Array<Converter | undefined> {
  return argTypes.map((t, i) => {
    const target = TEMPORAL[paramAt(o, i)?.type ?? 'any'];
    return target && isLoose(t) ? converterFor(target) : undefined;
  });
}

function coerce(values: ExprValue[], conv: ReadonlyArray<Converter | undefined>): ExprValue[] {
  for (let i = 0; i < conv.length; i++) {
    const f = conv[i];
    const v = values[i];
    if (f && v !== null && v !== undefined && typeof v !== 'object') values[i] = f(v);
  }
  return values;
}

function invoke(o: Overload, args: ExprValue[], rt: Runtime, site: CallSite): ExprValue {
  if (!o.acceptsNull) {
    for (const a of args) if (a === null) return null;
  }
  return o.impl(args, rt, site);
}

export function compileCall(c: Compiler, node: Node & { kind: 'call' }): Evaluator {
  const plan = c.info.calls.get(node);
  if (!plan)
    throw new EvalError('internal_error', `Function ${node.name} was not checked`, node.span);
  const args = node.args.map((a) => c.compile(a));
  const { site, candidates } = plan;
  const n = args.length;
  if (candidates.length === 1) {
    const o = candidates[0] as Overload;
    const conv = coercions(o, site.argTypes);
    if (conv.some((f) => f !== undefined))
      return (rt) =>
        invoke(
          o,
          coerce(
            args.map((f) => f(rt)),
            conv,
          ),
          rt,
          site,
        );
    if (n === 0) return (rt) => invoke(o, [], rt, site);
    if (n === 1) {
      const a0 = args[0] as Evaluator;
      return (rt) => invoke(o, [a0(rt)], rt, site);
    }
    return (rt) =>
      invoke(
        o,
        args.map((f) => f(rt)),
        rt,
        site,
      );
  }
  const plans = candidates.map((o) => ({ o, conv: coercions(o, site.argTypes) }));
  return (rt) => {
    const values = args.map((f) => f(rt));
    for (const { o } of plans) {
      if (values.every((v, i) => matchesValue(paramAt(o, i)?.type ?? 'any', v)))
        return invoke(o, values, rt, site);
    }
    for (const { o, conv } of plans) {
      if (!conv.some((f) => f !== undefined)) continue;
      const coerced = coerce([...values], conv);
      if (
        coerced.every((v, i) => v !== null || values[i] === null) &&
        coerced.every((v, i) => matchesValue(paramAt(o, i)?.type ?? 'any', v))
      ) {
        return invoke(o, coerced, rt, site);
      }
    }
    throw new EvalError(
      'type_error',
      `${node.name} does not accept (${values.map(describeValue).join(', ')})`,
      node.span,
    );
  };
}
