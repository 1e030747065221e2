// Closures for function calls: the overload is chosen at compile time, or at run time when an
// argument's type was unknown.
import type { Node } from './ast.ts';
import type { Compiler } from './compile.ts';
import { EvalError } from './errors.ts';
import type { CallSite, Overload } from './functions/signature.ts';
import { matchesValue, paramAt } from './functions/signature.ts';
import { describeValue } from './ops.ts';
import type { Evaluator, Runtime } from './runtime.ts';
import type { ExprValue } from './values.ts';

function invoke(o: Overload, args: ExprValue[], rt: Runtime, site: CallSite): ExprValue {
  if (!o.acceptsNull) {
    for (const a of args) if (a === null) return null;
  }
  return o.impl(args, rt, site);
}

export function compileCall(c: Compiler, node: Node & { kind: 'call' }): Evaluator {
  const plan = c.info.calls.get(node);
  if (!plan) throw new EvalError('internal_error', `Function ${node.name} was not checked`, node.span);
  const args = node.args.map((a) => c.compile(a));
  const { site, candidates } = plan;
  const n = args.length;
  if (candidates.length === 1) {
    const o = candidates[0] as Overload;
    if (n === 0) return (rt) => invoke(o, [], rt, site);
    if (n === 1) {
      const a0 = args[0] as Evaluator;
      return (rt) => invoke(o, [a0(rt)], rt, site);
    }
    return (rt) => invoke(o, args.map((f) => f(rt)), rt, site);
  }
  return (rt) => {
    const values = args.map((f) => f(rt));
    for (const o of candidates) {
      if (values.every((v, i) => matchesValue(paramAt(o, i)?.type ?? 'any', v))) return invoke(o, values, rt, site);
    }
    throw new EvalError(
      'type_error',
      `${node.name} does not accept (${values.map(describeValue).join(', ')})`,
      node.span,
    );
  };
}
