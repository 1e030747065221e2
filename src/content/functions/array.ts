// Array, list and aggregation functions (R: help/using/personalization/functions/arrays-list.md,
// aggregation.md), map functions (maps.md) and object functions (objects.md).
import { fn, num, str, arr, isMissing, isRecord, own, type FunctionTable } from './types.ts';
import { looseEquals } from './core.ts';

const nums = (v: unknown): number[] =>
  arr(v)
    .filter((x) => !isMissing(x))
    .map(num)
    .filter((x) => !Number.isNaN(x));
const key = (v: unknown): string =>
  isMissing(v)
    ? '\u0000null'
    : typeof v === 'object'
      ? JSON.stringify(v)
      : `${typeof v}:${String(v)}`;
const includes = (list: unknown, item: unknown): boolean =>
  arr(list).some((x) => looseEquals(x, item));

/** Reads `field` (a dotted path or a bare name) of an array item; a number item is its own value. */
function pick(item: unknown, field: unknown): number {
  if (typeof item === 'number') return item;
  let cur: unknown = item;
  for (const seg of str(field).split('.')) cur = own(cur, seg);
  return num(cur);
}

function sortBy(list: unknown, field: unknown, desc: boolean): unknown[] {
  return [...arr(list)].sort((a, b) =>
    desc ? pick(b, field) - pick(a, field) : pick(a, field) - pick(b, field),
  );
}

export const arrayFunctions: FunctionTable = {
  average: fn(1, 1, ([a]) => {
    const n = nums(a);
    return n.length === 0 ? undefined : n.reduce((s, x) => s + x, 0) / n.length;
  }),
  count: fn(1, 1, ([a]) => arr(a).filter((x) => !isMissing(x)).length),
  countOnlyNull: fn(1, 1, ([a]) => arr(a).filter((x) => isMissing(x)).length),
  countWithNull: fn(1, 1, ([a]) => arr(a).length),
  distinct: fn(1, 1, ([a]) => {
    const seen = new Set<string>();
    return arr(a).filter((x) => {
      const k = key(x);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }),
  distinctCountWithNull: fn(1, 1, ([a]) => new Set(arr(a).map(key)).size),
  head: fn(1, 1, ([a]) => arr(a)[0]),
  topN: fn(3, 3, ([a, f, n]) => sortBy(a, f, true).slice(0, num(n))),
  bottomN: fn(3, 3, ([a, f, n]) => sortBy(a, f, false).slice(0, num(n))),
  in: fn(2, 2, ([v, a]) => includes(a, v)),
  notIn: fn(2, 2, ([v, a]) => !isMissing(v) && !isMissing(a) && !includes(a, v)),
  includes: fn(2, 2, ([a, v]) => includes(a, v)),
  intersects: fn(2, 2, ([a, b]) => arr(a).some((x) => includes(b, x))),
  subsetOf: fn(2, 2, ([a, b]) => arr(a).every((x) => includes(b, x))),
  supersetOf: fn(2, 2, ([a, b]) => arr(b).every((x) => includes(a, x))),
  max: fn(1, 1, ([a]) => {
    const n = nums(a);
    return n.length === 0 ? undefined : Math.max(...n);
  }),
  min: fn(1, 1, ([a]) => {
    const n = nums(a);
    return n.length === 0 ? undefined : Math.min(...n);
  }),
  sum: fn(1, 1, ([a]) => nums(a).reduce((s, x) => s + x, 0)),
  // maps
  get: fn(2, 2, ([m, k]) => (Array.isArray(m) ? m[num(k)] : own(m, str(k)))),
  keys: fn(1, 1, ([m]) => (isRecord(m) ? Object.keys(m) : [])),
  values: fn(1, 1, ([m]) => (isRecord(m) ? Object.values(m) : [])),
  // objects
  isNull: fn(1, 1, ([v]) => isMissing(v)),
  isNotNull: fn(1, 1, ([v]) => !isMissing(v)),
};
