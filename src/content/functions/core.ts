// Operators that the `{% %}` form compiles to, plus audience membership. Named with a `__` prefix
// (except inAudience) so that they never clash with the documented function names.
import { fn, num, str, isMissing, own, type FunctionTable } from './types.ts';
import { boundedConcat } from './bounded.ts';

function looseEquals(a: unknown, b: unknown): boolean {
  if (isMissing(a) || isMissing(b)) return isMissing(a) && isMissing(b);
  if (typeof a === 'number' || typeof b === 'number') {
    const x = num(a);
    const y = num(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return str(a) === str(b);
}

function compare(a: unknown, b: unknown): number | undefined {
  if (isMissing(a) || isMissing(b)) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = num(a);
  const y = num(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
  return x - y;
}

const truthy = (v: unknown): boolean =>
  !(v === false || isMissing(v) || v === '' || v === 0 || (Array.isArray(v) && v.length === 0));

function arith(op: (x: number, y: number) => number) {
  return fn(2, 2, ([a, b]) => {
    if (isMissing(a) || isMissing(b)) return undefined;
    const r = op(num(a), num(b));
    return Number.isFinite(r) ? r : undefined;
  });
}

export const coreFunctions: FunctionTable = {
  __eq: fn(2, 2, ([a, b]) => looseEquals(a, b)),
  __ne: fn(2, 2, ([a, b]) => !looseEquals(a, b)),
  __lt: fn(2, 2, ([a, b]) => (compare(a, b) ?? Number.NaN) < 0),
  __le: fn(2, 2, ([a, b]) => (compare(a, b) ?? Number.NaN) <= 0),
  __gt: fn(2, 2, ([a, b]) => (compare(a, b) ?? Number.NaN) > 0),
  __ge: fn(2, 2, ([a, b]) => (compare(a, b) ?? Number.NaN) >= 0),
  __and: fn(2, 2, ([a, b]) => truthy(a) && truthy(b)),
  __or: fn(2, 2, ([a, b]) => truthy(a) || truthy(b)),
  __not: fn(1, 1, ([a]) => !truthy(a)),
  // `+` concatenates when either side is a string that is not a number.
  __add: fn(2, 2, ([a, b], state) => {
    if (typeof a === 'string' && Number.isNaN(num(a)))
      return boundedConcat([a, str(b)], state.limits, "the + operator's");
    if (typeof b === 'string' && Number.isNaN(num(b)))
      return boundedConcat([str(a), b], state.limits, "the + operator's");
    if (isMissing(a) && isMissing(b)) return undefined;
    return (isMissing(a) ? 0 : num(a)) + (isMissing(b) ? 0 : num(b));
  }),
  __sub: arith((x, y) => x - y),
  __mul: arith((x, y) => x * y),
  __div: arith((x, y) => x / y),
  __mod: arith((x, y) => x % y),
  __neg: fn(1, 1, ([a]) => (isMissing(a) ? undefined : -num(a))),
  /** `a ?: b`: b when a is null, missing or empty. */
  __fallback: fn(2, 2, ([a, b]) => (isMissing(a) || a === '' ? b : a)),
  __array: fn(0, 1000, (args) => [...args]),
  /**
   * A path read as PQL reads it when passed to a function: through arrays, collecting every item's value
   * (orders.order.price is the list of the orders' prices). Own properties only.
   */
  __project: fn(2, 2, ([root, path]) => project(root, str(path).split('.'))),
  /** Identity: lets any expression stand where Handlebars wants a mustache. */
  __value: fn(1, 1, ([a]) => a),
  /** Audience membership from the render input: inAudience("name") is true while realized. */
  /** The offers decided for a decision policy before the render (src/content/decisions.ts); [] when none. */
  decide: fn(1, 1, ([policy], state) => state.decisions[str(policy)] ?? []),
  /** A landing page's link signed for the profile rendered (src/runtime/landing-pages); '' where nothing signs (a bare preview). */
  landingPageUrl: fn(1, 2, ([slug, sub], state) =>
    state.pageLink === undefined
      ? ''
      : state.pageLink(str(slug), sub === undefined || sub === null ? undefined : str(sub)),
  ),
  /** Registered with its hash arguments by engine.ts (executionMetadata key="k" value=v); writes nothing. */
  executionMetadata: fn(0, 0, () => ''),
  inAudience: fn(1, 2, ([name, status], state) => {
    const s = state.audiences[str(name)];
    return status === undefined ? s === 'realized' : s === str(status);
  }),
};

function project(value: unknown, segments: readonly string[]): unknown {
  let cur: unknown = value;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? '';
    if (Array.isArray(cur) && !/^\d+$/.test(seg)) {
      const rest = segments.slice(i);
      return cur.flatMap((item) => {
        const v = project(item, rest);
        return v === undefined ? [] : Array.isArray(v) ? v : [v];
      });
    }
    cur = own(cur, seg);
    if (cur === undefined || cur === null) return undefined;
  }
  return cur;
}

export { truthy, looseEquals };
