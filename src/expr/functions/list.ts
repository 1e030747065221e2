// List functions: distinct, filter, getListItem, in, intersect, limit, listSize, serializeList, sort.
import { own } from '../runtime.ts';
import type { Type } from '../types.ts';
import { isPrim, T } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { compareValues, formatValue, valuesEqual } from '../values.ts';
import {
  asIndex,
  asList,
  checkSize,
  elementOfArg,
  fail,
  notListObject,
  sameAs,
  sameItemType,
} from './helpers.ts';
import type { FunctionSpec } from './signature.ts';

const keyOf = (x: ExprValue | undefined, key: string | undefined): unknown =>
  key === undefined ? x : (own(x, key) ?? null);

/** Distinct values in first-seen order (quadratic only in the number of distinct values). */
export function distinctValues(
  list: readonly ExprValue[],
  keepNull: boolean,
  key?: string,
): ExprValue[] {
  const out: ExprValue[] = [];
  const seenPrim = new Set<unknown>();
  const seenOther: unknown[] = [];
  let sawNull = false;
  for (const x of list) {
    if (x === null || x === undefined) {
      if (keepNull && !sawNull) out.push(null);
      sawNull = true;
      continue;
    }
    const k = keyOf(x, key);
    if (
      typeof k === 'string' ||
      typeof k === 'boolean' ||
      (typeof k === 'number' && Number.isInteger(k)) ||
      typeof k === 'bigint'
    ) {
      const norm = typeof k === 'number' ? BigInt(k) : k;
      if (seenPrim.has(norm)) continue;
      seenPrim.add(norm);
    } else {
      if (seenOther.some((s) => valuesEqual(s, k))) continue;
      seenOther.push(k);
    }
    out.push(x);
  }
  return out;
}

const decimalList = (t: Type | undefined): boolean =>
  !!t && t.kind === 'list' && isPrim(t.element, 'decimal');

export const listFunctions: readonly FunctionSpec[] = [
  {
    name: 'distinct',
    category: 'list',
    description:
      'Distinct values (or objects, optionally by a key attribute) of a list; nulls are ignored.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list' }],
        result: sameAs(0),
        impl: ([l], rt, site) => (
          checkSize(rt, asList(l).length, site),
          distinctValues(asList(l), false)
        ),
      },
      {
        params: [
          { name: 'list', type: 'listObject' },
          { name: 'keyAttributeName', type: 'string' },
        ],
        result: sameAs(0),
        impl: ([l, k], rt, site) => (
          checkSize(rt, asList(l).length, site),
          distinctValues(asList(l), false, k as string)
        ),
      },
    ],
  },
  {
    name: 'distinctWithNull',
    category: 'list',
    description: 'Distinct values of a list, keeping one null when the list has any.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list' }],
        result: sameAs(0),
        checkTypes: notListObject,
        impl: ([l], rt, site) => (
          checkSize(rt, asList(l).length, site),
          distinctValues(asList(l), true)
        ),
      },
    ],
  },
  {
    name: 'filter',
    category: 'list',
    description: 'The objects of a listObject whose key attribute is one of the given values.',
    overloads: [
      {
        params: [
          { name: 'listToFilter', type: 'listObject' },
          { name: 'keyAttributeName', type: 'string' },
          { name: 'keyValueList', type: 'list' },
        ],
        result: sameAs(0),
        impl: ([l, k, values], rt, site) => {
          const list = asList(l);
          const keys = asList(values);
          checkSize(rt, list.length * Math.max(1, Math.min(keys.length, 64)), site);
          const prim = new Set<unknown>(
            keys.map((v) => (typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v)),
          );
          return list.filter((x) => {
            const v = own(x, k as string);
            if (v === undefined || v === null) return false;
            const norm = typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
            return prim.has(norm) || keys.some((y) => valuesEqual(v, y));
          });
        },
      },
    ],
  },
  {
    name: 'getListItem',
    category: 'list',
    description: 'The item at a zero-based index (null when out of range).',
    overloads: [
      {
        params: [
          { name: 'list', type: 'list' },
          { name: 'index', type: 'integer' },
        ],
        result: elementOfArg(0),
        impl: ([l, i]) => {
          const idx = asIndex(i as ExprValue);
          return idx === undefined || idx < 0 ? null : (asList(l)[idx] ?? null);
        },
      },
    ],
  },
  {
    name: 'in',
    category: 'list',
    description: 'True when the value equals one of the list items.',
    overloads: [
      {
        params: [
          { name: 'value', type: 'any' },
          { name: 'list', type: 'list' },
        ],
        result: T.boolean,
        acceptsNull: true,
        checkTypes: (args) => sameItemType(args[0], args[1]),
        impl: ([v, l], rt, site) => {
          if (v === null || v === undefined) return false;
          const list = asList(l ?? null);
          checkSize(rt, list.length, site);
          return list.some((x) => valuesEqual(v, x));
        },
      },
    ],
  },
  {
    name: 'intersect',
    category: 'list',
    description: 'The values common to two lists (empty when either is null).',
    overloads: [
      {
        params: [
          { name: 'list1', type: 'list' },
          { name: 'list2', type: 'list' },
        ],
        result: sameAs(0),
        acceptsNull: true,
        checkTypes: (args) => {
          const a = args[0];
          return a && a.kind === 'list' ? sameItemType(a.element, args[1]) : undefined;
        },
        impl: ([a, b], rt, site) => {
          const x = asList(a ?? null);
          const y = asList(b ?? null);
          checkSize(rt, x.length + y.length, site);
          return distinctValues(
            x.filter((v) => v !== null && y.some((w) => valuesEqual(v, w))),
            false,
          );
        },
      },
    ],
  },
  {
    name: 'limit',
    category: 'list',
    description: 'The first (default) or last N items of a list.',
    overloads: [
      {
        params: [
          { name: 'list', type: 'list' },
          { name: 'numberOfItems', type: 'integer' },
          { name: 'firstItems', type: 'boolean', optional: true },
        ],
        result: sameAs(0),
        impl: ([l, n, first]) => {
          const list = asList(l);
          const count =
            typeof n === 'number'
              ? Math.max(0, n)
              : typeof n === 'bigint' && n > 0n
                ? list.length
                : 0;
          return first === false
            ? list.slice(Math.max(0, list.length - count))
            : list.slice(0, count);
        },
      },
    ],
  },
  {
    name: 'listSize',
    category: 'list',
    description: 'Number of elements of a list.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list' }],
        result: T.integer,
        acceptsNull: true,
        impl: ([l]) => asList(l ?? null).length,
      },
    ],
  },
  {
    name: 'serializeList',
    category: 'list',
    description:
      'Joins the items of a list (not listObject) with a separator, optionally quoting each.',
    overloads: [
      {
        params: [
          { name: 'list', type: 'list' },
          { name: 'separator', type: 'string' },
          { name: 'addQuotes', type: 'boolean' },
        ],
        result: T.string,
        checkTypes: notListObject,
        impl: ([l, sep, quotes], rt, site) => {
          const decimal = decimalList(site.argTypes[0]);
          const items = asList(l)
            .filter((x) => x !== null)
            .map((x) =>
              quotes === true ? `"${formatValue(x, decimal)}"` : formatValue(x, decimal),
            );
          const out = items.join(sep as string);
          checkSize(rt, out.length, site);
          return out;
        },
      },
    ],
  },
  {
    name: 'sort',
    category: 'list',
    description:
      'Sorts values in natural order, or objects by a key attribute; true ascending, false descending.',
    overloads: [
      {
        params: [
          { name: 'list', type: 'list' },
          { name: 'ascending', type: 'boolean' },
        ],
        result: sameAs(0),
        impl: ([l, asc], rt, site) => sortBy(asList(l), undefined, asc === true, rt, site),
      },
      {
        params: [
          { name: 'list', type: 'listObject' },
          { name: 'keyAttributeName', type: 'string' },
          { name: 'ascending', type: 'boolean' },
        ],
        result: sameAs(0),
        impl: ([l, k, asc], rt, site) => sortBy(asList(l), k as string, asc === true, rt, site),
      },
    ],
  },
];

function sortBy(
  list: readonly ExprValue[],
  key: string | undefined,
  ascending: boolean,
  rt: Parameters<typeof checkSize>[0],
  site: Parameters<typeof checkSize>[2],
): ExprValue[] {
  checkSize(rt, list.length * Math.max(1, Math.ceil(Math.log2(list.length + 1))), site);
  const sign = ascending ? 1 : -1;
  return [...list].sort((a, b) => {
    const x = keyOf(a, key);
    const y = keyOf(b, key);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = compareValues(x, y);
    if (c === undefined) fail(site, 'The list items cannot be compared');
    return c * sign;
  });
}
