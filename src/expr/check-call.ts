// Static checking of function calls: name, arity, argument types, constant arguments.
import type { Node } from './ast.ts';
import { literalValue } from './ast.ts';
import type { Checker } from './checker.ts';
import { DiagnosticCode } from './errors.ts';
import { FUNCTIONS } from './functions/index.ts';
import type { CallSite, FunctionSpec, Overload } from './functions/signature.ts';
import {
  arityMatches,
  exactType,
  matchesType,
  paramAt,
  signatureText,
} from './functions/signature.ts';
import type { Type } from './types.ts';
import { isLoose, T, typeName } from './types.ts';

/** The documented limit of audiences per expression (functioninaudience.md). */
export const MAX_AUDIENCES = 100;

export interface CallPlan {
  readonly spec: FunctionSpec;
  /** One overload when the types decide; several when an argument's type is only known at run time. */
  readonly candidates: readonly Overload[];
  readonly site: CallSite;
}

export function signatures(spec: FunctionSpec): string[] {
  return spec.overloads.map((o) => signatureText(spec.name, o));
}

export function checkCall(
  c: Checker,
  node: Node & { kind: 'call' },
  argTypes: readonly Type[],
): Type {
  const spec = FUNCTIONS.get(node.name);
  if (!spec) {
    const lower = node.name.toLowerCase();
    const sameLetters = [...FUNCTIONS.keys()].find((k) => k.toLowerCase() === lower);
    const near = sameLetters ?? closest(node.name);
    const hint = sameLetters
      ? ': function names are case-sensitive, did you mean'
      : ': did you mean';
    c.error(
      DiagnosticCode.UnknownFunction,
      near
        ? `Unknown function "${node.name}"${hint} "${near}"?`
        : `Unknown function "${node.name}"`,
      node.nameSpan,
      near ?? 'a known function',
      node.name,
    );
    return T.any;
  }
  const byArity = spec.overloads.filter((o) => arityMatches(o, node.args.length));
  if (byArity.length === 0) {
    const sigs = signatures(spec);
    c.error(
      DiagnosticCode.ArgumentCount,
      `Wrong number of arguments for ${spec.name}: found ${node.args.length}; expected ${sigs.join(' or ')}`,
      node.span,
      sigs.join(' | '),
      `${node.args.length} argument${node.args.length === 1 ? '' : 's'}`,
    );
    return T.any;
  }
  const fits = byArity.filter((o) =>
    argTypes.every((t, i) => matchesType(paramAt(o, i)?.type ?? 'any', t)),
  );
  if (fits.length === 0) {
    const o = byArity[0] as Overload;
    const i = argTypes.findIndex((t, j) => !matchesType(paramAt(o, j)?.type ?? 'any', t));
    const p = paramAt(o, i);
    const arg = node.args[i] as Node;
    const found = typeName(argTypes[i] ?? T.any);
    const expectedTypes = [...new Set(byArity.map((x) => paramAt(x, i)?.type ?? 'any'))].join(
      ' or ',
    );
    c.error(
      DiagnosticCode.ArgumentType,
      `Argument ${i + 1}${p ? ` (${p.name})` : ''} of ${spec.name} must be ${expectedTypes}, found ${found}; expected ${signatures(spec).join(' or ')}`,
      arg.span,
      expectedTypes,
      found,
    );
    return T.any;
  }
  const score = (o: Overload): number =>
    argTypes.reduce((s, t, i) => s + (exactType(paramAt(o, i)?.type ?? 'any', t) ? 1 : 0), 0);
  const ranked = [...fits].sort((a, b) => score(b) - score(a));
  const loose = argTypes.some(isLoose);
  const candidates = loose ? ranked : [ranked[0] as Overload];
  const chosen = candidates[0] as Overload;
  const constants = node.args.map((a) => literalValue(a));
  let ok = true;
  node.args.forEach((arg, i) => {
    const p = paramAt(chosen, i);
    if (p?.constant && constants[i] === undefined) {
      ok = false;
      c.error(
        DiagnosticCode.NotConstant,
        `Argument ${i + 1} (${p.name}) of ${spec.name} must be a constant ${p.type}`,
        arg.span,
        `constant ${p.type}`,
        'expression',
      );
    }
  });
  const site: CallSite = { span: node.span, argTypes, constants };
  const relation = chosen.checkTypes?.(argTypes);
  if (relation) {
    ok = false;
    c.error(
      DiagnosticCode.ArgumentType,
      `${spec.name}: ${relation.message}`,
      node.span,
      relation.expected,
      relation.found,
    );
  }
  if (ok && chosen.validate) {
    const issue = chosen.validate(site);
    if (issue)
      c.error(
        DiagnosticCode.InvalidArgument,
        issue.message,
        (issue.arg === undefined ? node : (node.args[issue.arg] ?? node)).span,
      );
  }
  if (spec.name === 'inAudience') {
    const name = constants[0];
    if (typeof name === 'string') {
      c.info.audiences.add(name);
      if (c.info.audiences.size === MAX_AUDIENCES + 1) {
        c.error(
          DiagnosticCode.TooManyAudiences,
          `An expression can use at most ${MAX_AUDIENCES} audiences`,
          (node.args[0] as Node).span,
          `at most ${MAX_AUDIENCES}`,
          String(MAX_AUDIENCES + 1),
        );
      }
      const known = c.scope.audiences;
      if (known && !known.includes(name)) {
        c.error(
          DiagnosticCode.UnknownAudience,
          `Unknown audience "${name}"`,
          (node.args[0] as Node).span,
          'a known audience name',
          name,
        );
      }
    }
  }
  c.info.calls.set(node, { spec, candidates, site });
  const r = chosen.result;
  if (typeof r !== 'function') return candidates.every((o) => o.result === r) ? r : T.any;
  return candidates.length === 1 ? r(argTypes, constants) : T.any;
}

/** The known function closest to a misspelled name (edit distance at most 2). */
function closest(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of FUNCTIONS.keys()) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase(), bestDistance);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? limit;
}
