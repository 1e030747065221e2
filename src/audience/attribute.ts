// Attribute conditions compiled to predicates. Two-valued logic: a missing attribute makes
// equals/in/contains/startsWith/comparisons false and notEquals/notExists true.
import type { ErrorIssue } from '../errors.ts';
import type { AttributeRule, Scalar } from '../model/audience.ts';
import { unaryAttributeOps } from '../model/audience.ts';
import { readPath, splitPath } from './path.ts';

export type Predicate = (root: unknown) => boolean;

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 60 ? `${v.slice(0, 60)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

// An ISO 8601 date or date-time (what profile attributes hold for birthDate, lastPurchase…).
// A date-time without an offset is read as UTC, so the answer never depends on the host's time zone.
const isoDate =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;
export function parseDate(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = isoDate.exec(v);
  if (m === null) return undefined;
  const zone =
    m[3] === undefined ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
  const ms = Date.parse(m[2] === undefined ? `${m[1]}T00:00:00Z` : `${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A comparable operand: numbers compare with numbers, dates (ISO strings or epoch ms) with dates. */
type Ordered =
  { readonly type: 'number'; readonly n: number } | { readonly type: 'date'; readonly n: number };

function orderedOperand(v: unknown): Ordered | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return { type: 'number', n: v };
  const d = parseDate(v);
  return d === undefined ? undefined : { type: 'date', n: d };
}

/** The attribute side: a date string compares as a date; a number compares with numbers and dates (epoch ms). */
function readOrdered(a: unknown, type: Ordered['type']): number | undefined {
  if (typeof a === 'number') return Number.isFinite(a) ? a : undefined;
  return type === 'date' ? parseDate(a) : undefined;
}

const fold = (s: string, ignoreCase: boolean): string => (ignoreCase ? s.toLowerCase() : s);

function scalarEquals(a: unknown, b: Scalar, ignoreCase: boolean): boolean {
  if (ignoreCase && typeof a === 'string' && typeof b === 'string')
    return a.toLowerCase() === b.toLowerCase();
  if (b === null) return a === null || a === undefined;
  return a === b;
}

/** Checks the rule's value against its operator; pushes issues under `at`. */
export function checkAttributeRule(rule: AttributeRule, at: string, issues: ErrorIssue[]): void {
  const { op, value } = rule;
  const bad = (message: string, expected: string): void => {
    issues.push({
      path: `${at}.value`,
      message,
      expected,
      received: value === undefined ? 'nothing' : describe(value),
    });
  };
  if (unaryAttributeOps.has(op)) {
    if (value !== undefined) bad(`"${op}" takes no value`, 'no value');
    return;
  }
  switch (op) {
    case 'equals':
    case 'notEquals':
      if (value === undefined || Array.isArray(value))
        bad(`"${op}" needs one value`, 'a string, number, boolean or null');
      return;
    case 'in':
      if (!Array.isArray(value) || value.length === 0)
        bad('"in" needs a non-empty list of values', 'a list of strings, numbers or booleans');
      return;
    case 'contains':
      if (value === undefined || value === null || Array.isArray(value))
        bad('"contains" needs one value', 'a string (or a list item)');
      return;
    case 'startsWith':
      if (typeof value !== 'string') bad('"startsWith" needs a string', 'a string');
      return;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (Array.isArray(value) || orderedOperand(value) === undefined)
        bad(
          `"${op}" compares numbers with numbers and dates with dates`,
          'a number or an ISO 8601 date',
        );
      return;
    case 'between': {
      const pair = Array.isArray(value) && value.length === 2 ? value.map(orderedOperand) : [];
      const [lo, hi] = pair;
      if (lo === undefined || hi === undefined || lo.type !== hi.type)
        bad('"between" needs [low, high], two numbers or two dates', '[low, high]');
      else if (lo.n > hi.n) bad('"between" needs low <= high', '[low, high] with low <= high');
      return;
    }
    default:
      return;
  }
}

/** Compiles a rule already checked with checkAttributeRule. */
export function compileAttributeRule(rule: AttributeRule): Predicate {
  const path = splitPath(rule.path);
  const test = compileOp(rule);
  return (root) => test(readPath(root, path));
}

function compileOp(rule: AttributeRule): (a: unknown) => boolean {
  const ic = rule.ignoreCase === true;
  const value = rule.value;
  switch (rule.op) {
    case 'exists':
      return (a) => a !== undefined && a !== null;
    case 'notExists':
      return (a) => a === undefined || a === null;
    case 'isTrue':
      return (a) => a === true;
    case 'isFalse':
      return (a) => a === false;
    case 'equals':
    case 'notEquals': {
      const v = value as Scalar;
      let eq: (a: unknown) => boolean;
      if (ic && typeof v === 'string') {
        const lower = v.toLowerCase();
        eq = (a) => typeof a === 'string' && (a === v || a.toLowerCase() === lower);
      } else if (v === null) eq = (a) => a === null || a === undefined;
      else eq = (a) => a === v;
      return rule.op === 'equals' ? eq : (a) => !eq(a);
    }
    case 'in': {
      const list = value as readonly Scalar[];
      if (!ic && list.every((v) => v !== null)) {
        const set = new Set<unknown>(list);
        return (a) => set.has(a);
      }
      return (a) => list.some((v) => scalarEquals(a, v, ic));
    }
    case 'contains': {
      const v = value as Scalar;
      const needle = typeof v === 'string' ? fold(v, ic) : undefined;
      return (a) => {
        if (typeof a === 'string') return needle !== undefined && fold(a, ic).includes(needle);
        if (Array.isArray(a)) return a.some((x) => scalarEquals(x, v, ic));
        return false;
      };
    }
    case 'startsWith': {
      const prefix = fold(value as string, ic);
      return (a) => typeof a === 'string' && fold(a, ic).startsWith(prefix);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const o = orderedOperand(value) as Ordered;
      const cmp = comparator(rule.op);
      return (a) => {
        const n = readOrdered(a, o.type);
        return n !== undefined && cmp(n, o.n);
      };
    }
    case 'between': {
      const [lo, hi] = (value as readonly Scalar[]).map(orderedOperand) as [Ordered, Ordered];
      return (a) => {
        const n = readOrdered(a, lo.type);
        return n !== undefined && n >= lo.n && n <= hi.n;
      };
    }
    default: {
      const never: never = rule.op;
      throw new Error(`unknown operator ${String(never)}`);
    }
  }
}

function comparator(op: 'gt' | 'gte' | 'lt' | 'lte'): (a: number, b: number) => boolean {
  switch (op) {
    case 'gt':
      return (a, b) => a > b;
    case 'gte':
      return (a, b) => a >= b;
    case 'lt':
      return (a, b) => a < b;
    case 'lte':
      return (a, b) => a <= b;
  }
}
