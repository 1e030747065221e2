// Conversions between types. Malformed date strings give null (as documented); malformed numbers
// and durations are evaluation errors with the call's position.
import { toDateOnlyValue, toDateTimeOnlyValue, toDateTimeValue } from '../convert.ts';
import { normalizeInt } from '../parser.ts';
import { instantToLocal, isValidZone, localToInstant, parseDuration } from '../time.ts';
import type { Type } from '../types.ts';
import { isPrim, T } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { DateOnly, DateTime, DateTimeOnly, Duration, formatValue } from '../values.ts';
import { constString, fail, toInt } from './helpers.ts';
import type { CallSite, FunctionSpec, ValidationIssue } from './signature.ts';

const MS_PER_DAY = 86_400_000;
const dayStart = (local: number): number =>
  local - (((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);

export const validateZoneArg =
  (i: number) =>
  (site: CallSite): ValidationIssue | undefined => {
    const z = constString(site, i);
    return z !== undefined && !isValidZone(z)
      ? {
          message: `Unknown time zone ${JSON.stringify(z)}: expected an IANA id such as "Europe/Paris", an offset such as "+02:00", or "UTC"`,
          arg: i,
        }
      : undefined;
  };

function parseInteger(text: string, site: CallSite): number | bigint {
  const t = text.trim();
  if (!/^[+-]?\d{1,19}$/.test(t))
    fail(
      site,
      `Cannot convert ${JSON.stringify(text.slice(0, 50))} to an integer`,
      'conversion_error',
    );
  const b = BigInt(t);
  if (b > 9223372036854775807n || b < -9223372036854775808n)
    fail(site, `Integer ${t} does not fit in 64 bits`, 'conversion_error');
  return normalizeInt(b);
}

function parseDecimal(text: string, site: CallSite): number {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) || t.length > 400)
    fail(
      site,
      `Cannot convert ${JSON.stringify(text.slice(0, 50))} to a decimal`,
      'conversion_error',
    );
  return Number(t);
}

const epochOf = (d: DateTime): number => d.ms;

/** date("..."): a dateOnly, dateTimeOnly or dateTime literal depending on the text (data-types page). */
function dateLiteral(text: string): ExprValue {
  const t = text.trim().replace(/T(\d{2})\.(\d{2})(?:\.\d{1,3})?(?=$|Z|[+-])/, 'T$1:$2');
  if (/^[+-]?\d{4,6}-\d{2}-\d{2}$/.test(t)) return toDateOnlyValue(t);
  if (/(Z|[+-]\d{2}(:?\d{2})?|\])$/.test(t)) return toDateTimeValue(t);
  return toDateTimeOnlyValue(t);
}

function dateLiteralType(text: unknown): Type {
  if (typeof text !== 'string') return T.any;
  const v = dateLiteral(text);
  return v instanceof DateOnly
    ? T.dateOnly
    : v instanceof DateTimeOnly
      ? T.dateTimeOnly
      : v instanceof DateTime
        ? T.dateTime
        : T.any;
}

export const conversionFunctions: readonly FunctionSpec[] = [
  {
    name: 'date',
    category: 'conversion',
    description:
      'A date literal: date("2021-02-19") is a dateOnly, date("2024-02-19T10:00:00") a dateTimeOnly, date("2024-02-19T10:00:00Z") a dateTime.',
    overloads: [
      {
        params: [{ name: 'text', type: 'string' }],
        result: (_args, constants) => dateLiteralType(constants[0]),
        validate: (site) => {
          const c = constString(site, 0);
          return c !== undefined && dateLiteral(c) === null
            ? {
                message: `Invalid date ${JSON.stringify(c)}: expected ISO-8601 such as "2021-02-19", "2021-02-19T10:00:00" or "2021-02-19T10:00:00Z"`,
                arg: 0,
              }
            : undefined;
        },
        impl: ([v]) => dateLiteral(v as string),
      },
    ],
  },
  {
    name: 'toBool',
    category: 'conversion',
    description: 'true for the string "true" or a non-zero number; false otherwise.',
    overloads: [
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.boolean,
        impl: ([v]) => v === 'true',
      },
      {
        params: [{ name: 'value', type: 'boolean' }],
        result: T.boolean,
        impl: ([v]) => v === true,
      },
      {
        params: [{ name: 'value', type: 'integer' }],
        result: T.boolean,
        impl: ([v]) => v !== 0 && v !== 0n,
      },
      {
        params: [{ name: 'value', type: 'decimal' }],
        result: T.boolean,
        impl: ([v]) => Number(v) !== 0,
      },
    ],
  },
  {
    name: 'toDateOnly',
    category: 'conversion',
    description:
      'A dateOnly from a "YYYY-MM-DD" or ISO-8601 string (its date part), a dateTime, a dateTimeOnly, an epoch in milliseconds, or year, month, day.',
    overloads: [
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.dateOnly,
        impl: ([v]) => toDateOnlyValue(v),
      },
      {
        params: [{ name: 'value', type: 'dateTime' }],
        result: T.dateOnly,
        impl: ([v]) =>
          new DateOnly(dayStart(instantToLocal((v as DateTime).ms, (v as DateTime).zone))),
      },
      {
        params: [{ name: 'value', type: 'dateTimeOnly' }],
        result: T.dateOnly,
        impl: ([v]) => new DateOnly(dayStart((v as DateTimeOnly).ms)),
      },
      {
        params: [{ name: 'value', type: 'dateOnly' }],
        result: T.dateOnly,
        impl: ([v]) => v ?? null,
      },
      {
        params: [{ name: 'epochMillis', type: 'integer' }],
        result: T.dateOnly,
        impl: ([v]) => new DateOnly(dayStart(Number(v))),
      },
      {
        params: [
          { name: 'year', type: 'integer' },
          { name: 'month', type: 'integer' },
          { name: 'day', type: 'integer' },
        ],
        result: T.dateOnly,
        impl: ([y, m, d], _rt, site) => {
          const [yy, mm, dd] = [Number(y), Number(m), Number(d)];
          const date = new Date(0);
          date.setUTCFullYear(yy, mm - 1, dd);
          if (
            date.getUTCFullYear() !== yy ||
            date.getUTCMonth() !== mm - 1 ||
            date.getUTCDate() !== dd
          )
            fail(site, `Invalid date ${yy}-${mm}-${dd}`, 'conversion_error');
          return new DateOnly(date.getTime());
        },
      },
    ],
  },
  {
    name: 'toDateTime',
    category: 'conversion',
    description:
      'A dateTime from an ISO-8601 string with zone, an epoch in milliseconds, or a constant time zone and a dateOnly/dateTimeOnly.',
    overloads: [
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.dateTime,
        impl: ([v]) => toDateTimeValue(v),
      },
      {
        params: [{ name: 'epochMillis', type: 'integer' }],
        result: T.dateTime,
        impl: ([v]) => new DateTime(Number(v), 'Z'),
      },
      {
        params: [{ name: 'value', type: 'dateTime' }],
        result: T.dateTime,
        impl: ([v]) => v ?? null,
      },
      {
        params: [
          { name: 'timeZone', type: 'string', constant: true },
          { name: 'date', type: 'dateOnly' },
        ],
        result: T.dateTime,
        validate: validateZoneArg(0),
        impl: ([z, d]) =>
          new DateTime(localToInstant((d as DateOnly).ms, z as string), zoneName(z as string)),
      },
      {
        params: [
          { name: 'timeZone', type: 'string', constant: true },
          { name: 'dateTime', type: 'dateTimeOnly' },
        ],
        result: T.dateTime,
        validate: validateZoneArg(0),
        impl: ([z, d]) =>
          new DateTime(localToInstant((d as DateTimeOnly).ms, z as string), zoneName(z as string)),
      },
    ],
  },
  {
    name: 'toDateTimeOnly',
    category: 'conversion',
    description:
      'A dateTimeOnly (no zone) from an ISO-8601 or "YYYY-MM-DD" string, a dateTime (its wall-clock time) or a dateOnly.',
    overloads: [
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.dateTimeOnly,
        impl: ([v]) => toDateTimeOnlyValue(v),
      },
      {
        params: [{ name: 'value', type: 'dateTime' }],
        result: T.dateTimeOnly,
        impl: ([v]) => new DateTimeOnly(instantToLocal((v as DateTime).ms, (v as DateTime).zone)),
      },
      {
        params: [{ name: 'value', type: 'dateTimeOnly' }],
        result: T.dateTimeOnly,
        impl: ([v]) => v ?? null,
      },
      {
        params: [{ name: 'value', type: 'dateOnly' }],
        result: T.dateTimeOnly,
        impl: ([v]) => new DateTimeOnly((v as DateOnly).ms),
      },
    ],
  },
  {
    name: 'toDecimal',
    category: 'conversion',
    description:
      'A decimal from a string, an integer, a boolean (1 or 0) or a dateTime (epoch milliseconds).',
    overloads: [
      { params: [{ name: 'value', type: 'integer' }], result: T.decimal, impl: ([v]) => Number(v) },
      { params: [{ name: 'value', type: 'decimal' }], result: T.decimal, impl: ([v]) => Number(v) },
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.decimal,
        impl: ([v], _rt, site) => parseDecimal(v as string, site),
      },
      {
        params: [{ name: 'value', type: 'boolean' }],
        result: T.decimal,
        impl: ([v]) => (v === true ? 1 : 0),
      },
      {
        params: [{ name: 'value', type: 'dateTime' }],
        result: T.decimal,
        impl: ([v]) => epochOf(v as DateTime),
      },
    ],
  },
  {
    name: 'toDuration',
    category: 'conversion',
    description:
      'A duration from an ISO-8601 duration string (PnDTnHnMn.nS, days of 24 hours) or a number of milliseconds.',
    overloads: [
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.duration,
        validate: (site) => {
          const c = constString(site, 0);
          return c !== undefined && parseDuration(c) === null
            ? {
                message: `Invalid ISO-8601 duration ${JSON.stringify(c)} (units from days to seconds, e.g. PT15M)`,
                arg: 0,
              }
            : undefined;
        },
        impl: ([v], _rt, site) => {
          const ms = parseDuration(v as string);
          if (ms === null)
            fail(
              site,
              `Invalid ISO-8601 duration ${JSON.stringify((v as string).slice(0, 50))}`,
              'conversion_error',
            );
          return new Duration(ms);
        },
      },
      {
        params: [{ name: 'milliseconds', type: 'integer' }],
        result: T.duration,
        impl: ([v]) => new Duration(Number(v)),
      },
      {
        params: [{ name: 'value', type: 'duration' }],
        result: T.duration,
        impl: ([v]) => v ?? null,
      },
    ],
  },
  {
    name: 'toInteger',
    category: 'conversion',
    description:
      'An integer from a string, a decimal (decimal part removed), a boolean (1 or 0) or a dateTime (epoch milliseconds).',
    overloads: [
      { params: [{ name: 'value', type: 'integer' }], result: T.integer, impl: ([v]) => v ?? null },
      {
        params: [{ name: 'value', type: 'decimal' }],
        result: T.integer,
        impl: ([v]) => toInt(Math.trunc(Number(v))),
      },
      {
        params: [{ name: 'value', type: 'string' }],
        result: T.integer,
        impl: ([v], _rt, site) => parseInteger(v as string, site),
      },
      {
        params: [{ name: 'value', type: 'boolean' }],
        result: T.integer,
        impl: ([v]) => (v === true ? 1 : 0),
      },
      {
        params: [{ name: 'value', type: 'dateTime' }],
        result: T.integer,
        impl: ([v]) => (v as DateTime).ms,
      },
    ],
  },
  {
    name: 'toString',
    category: 'conversion',
    description: 'The text form of a value: ISO-8601 for dates and durations.',
    overloads: [
      {
        params: [{ name: 'value', type: 'any' }],
        result: T.string,
        impl: ([v], _rt, site) =>
          formatValue(v as ExprValue, isPrim(site.argTypes[0] ?? T.any, 'decimal')),
      },
    ],
  },
];

function zoneName(z: string): string {
  return z === 'UTC' || z === 'Z' ? 'Z' : z;
}
