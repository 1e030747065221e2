// Aggregations: avg, sum, min and max ignore nulls; count variants and distinct counts.
import { intAdd } from '../ops.ts';
import type { Type } from '../types.ts';
import { isPrim, T } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { compareValues, Duration } from '../values.ts';
import { asList, elementOf, fail, notListObject } from './helpers.ts';
import type { FunctionSpec, Overload, Pattern } from './signature.ts';
import { distinctValues } from './list.ts';

type Num = number | bigint;
const nonNull = (list: readonly (ExprValue | undefined)[]): ExprValue[] =>
  list.filter((x): x is ExprValue => x !== null && x !== undefined);

function sumOf(values: readonly (ExprValue | undefined)[], integer: boolean): ExprValue {
  const xs = nonNull(values);
  if (xs.length === 0) return null;
  if (xs[0] instanceof Duration)
    return new Duration(xs.reduce((n: number, d) => n + (d as Duration).ms, 0));
  if (integer) return xs.reduce((n: Num, x) => intAdd(n, x as Num), 0 as Num);
  return xs.reduce((n: number, x) => n + Number(x), 0);
}

function extreme(
  values: readonly (ExprValue | undefined)[],
  sign: 1 | -1,
  decimal: boolean,
): ExprValue {
  let best: ExprValue = null;
  for (const x of values) {
    if (x === null || x === undefined) continue;
    if (best === null) {
      best = x;
      continue;
    }
    const c = compareValues(x, best);
    if (c !== undefined && c * sign > 0) best = x;
  }
  return decimal && typeof best === 'bigint' ? Number(best) : best;
}

const numResult = (args: readonly Type[]): Type =>
  args.every((t) => isPrim(t, 'integer') || (t.kind === 'list' && isPrim(t.element, 'integer')))
    ? T.integer
    : T.decimal;
const isDecimalResult = (types: readonly Type[]): boolean => isPrim(numResult(types), 'decimal');

function minMax(name: 'min' | 'max', sign: 1 | -1): FunctionSpec {
  const orderable: Pattern[] = ['number', 'duration', 'dateTime', 'dateTimeOnly', 'dateOnly'];
  const overloads: Overload[] = [
    ...orderable.map((p): Overload => ({
      params: [{ name: 'list', type: `list<${p}>` as Pattern }],
      result: (args) => (p === 'number' ? numResult(args) : elementOf(args[0])),
      acceptsNull: true,
      impl: ([l], _rt, site) =>
        extreme(asList(l), sign, p === 'number' && isDecimalResult(site.argTypes)),
    })),
    ...orderable.map((p): Overload => ({
      params: [
        { name: 'a', type: p },
        { name: 'b', type: p },
      ],
      result: (args) => (p === 'number' ? numResult(args) : (args[0] ?? T.any)),
      acceptsNull: true,
      impl: ([a, b], _rt, site) =>
        extreme([a ?? null, b ?? null], sign, p === 'number' && isDecimalResult(site.argTypes)),
    })),
  ];
  return {
    name,
    category: 'aggregation',
    description: `The ${name === 'min' ? 'minimum' : 'maximum'} of a list or of two values; nulls are ignored.`,
    overloads,
  };
}

function counter(
  name: string,
  description: string,
  f: (list: readonly ExprValue[]) => number,
  listObject: boolean,
): FunctionSpec {
  return {
    name,
    category: 'aggregation',
    description,
    overloads: [
      {
        params: [{ name: 'list', type: 'list' }],
        result: T.integer,
        acceptsNull: true,
        ...(listObject ? {} : { checkTypes: notListObject }),
        impl: ([l]) => f(asList(l)),
      },
    ],
  };
}

export const aggregationFunctions: readonly FunctionSpec[] = [
  {
    name: 'avg',
    category: 'aggregation',
    description: 'The average of a list of numbers or of two numbers; nulls are ignored.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list<number>' }],
        result: T.decimal,
        acceptsNull: true,
        impl: ([l]) => {
          const xs = nonNull(asList(l));
          return xs.length === 0 ? null : xs.reduce((n: number, x) => n + Number(x), 0) / xs.length;
        },
      },
      {
        params: [
          { name: 'a', type: 'number' },
          { name: 'b', type: 'number' },
        ],
        result: T.decimal,
        acceptsNull: true,
        impl: (args) => {
          const xs = nonNull(args);
          return xs.length === 0 ? null : xs.reduce((n: number, x) => n + Number(x), 0) / xs.length;
        },
      },
    ],
  },
  {
    name: 'sum',
    category: 'aggregation',
    description: 'The sum of a list of numbers (or durations) or of two values; nulls are ignored.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list<number>' }],
        result: numResult,
        acceptsNull: true,
        impl: ([l], _rt, site) => sumOf(asList(l), !isDecimalResult(site.argTypes)),
      },
      {
        params: [{ name: 'list', type: 'list<duration>' }],
        result: T.duration,
        acceptsNull: true,
        impl: ([l]) => sumOf(asList(l), false),
      },
      {
        params: [
          { name: 'a', type: 'number' },
          { name: 'b', type: 'number' },
        ],
        result: numResult,
        acceptsNull: true,
        impl: (args, _rt, site) => sumOf(args, !isDecimalResult(site.argTypes)),
      },
      {
        params: [
          { name: 'a', type: 'duration' },
          { name: 'b', type: 'duration' },
        ],
        result: T.duration,
        acceptsNull: true,
        impl: (args) => sumOf(args, false),
      },
    ],
  },
  minMax('min', -1),
  minMax('max', 1),
  counter('count', 'Number of elements, not counting nulls.', (l) => nonNull(l).length, true),
  counter(
    'countOnlyNull',
    'Number of null elements.',
    (l) => l.filter((x) => x === null || x === undefined).length,
    false,
  ),
  counter('countWithNull', 'Number of elements, nulls included.', (l) => l.length, false),
  {
    name: 'distinctCount',
    category: 'aggregation',
    description:
      'Number of distinct non-null values; for a listObject, optionally distinct by a key attribute.',
    overloads: [
      {
        params: [{ name: 'list', type: 'list' }],
        result: T.integer,
        acceptsNull: true,
        impl: ([l]) => distinctValues(asList(l), false).length,
      },
      {
        params: [
          { name: 'list', type: 'listObject' },
          { name: 'keyAttributeName', type: 'string' },
        ],
        result: T.integer,
        acceptsNull: true,
        impl: ([l, k], _rt, site) => {
          if (typeof k !== 'string') fail(site, 'The key attribute name must not be null');
          return distinctValues(asList(l), false, k).length;
        },
      },
    ],
  },
  counter(
    'distinctCountWithNull',
    'Number of distinct values, null counted as one value.',
    (l) => distinctValues(l, true).length,
    false,
  ),
];
