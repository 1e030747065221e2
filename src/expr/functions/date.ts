// Date functions. now() and friends read the injected clock (ctx.now): evaluation stays pure.
import type { Runtime } from '../runtime.ts';
import { addCalendar, instantToLocal, localToInstant } from '../time.ts';
import { T } from '../types.ts';
import type { ExprValue } from '../values.ts';
import { DateOnly, DateTime, DateTimeOnly } from '../values.ts';
import { validateZoneArg } from './conversion.ts';
import { constString, fail } from './helpers.ts';
import type { CallSite, FunctionSpec, Overload, Pattern, ValidationIssue } from './signature.ts';

const UNITS = ['years', 'months', 'days', 'hours', 'minutes', 'seconds'] as const;
type Unit = (typeof UNITS)[number];
const FIXED: Record<string, number> = { hours: 3_600_000, minutes: 60_000, seconds: 1000 };

const zoneOf = (rt: Runtime): string => rt.ctx.timeZone ?? 'UTC';
const outZone = (z: string): string => (z === 'UTC' ? 'Z' : z);

/** Shifts an instant by calendar units in a zone (days keep the wall-clock time across DST changes). */
function shift(ms: number, unit: Unit, amount: number, zone: string): number {
  if (unit === 'years' || unit === 'months')
    return localToInstant(addCalendar(instantToLocal(ms, zone), unit, amount), zone);
  if (unit === 'days') return localToInstant(instantToLocal(ms, zone) + amount * 86_400_000, zone);
  return ms + amount * (FIXED[unit] ?? 0);
}

/** The instant of a date argument: dateTimeOnly and dateOnly are read in the journey time zone. */
function instantOf(v: ExprValue, rt: Runtime): number | undefined {
  if (v instanceof DateTime) return v.ms;
  if (v instanceof DateTimeOnly || v instanceof DateOnly) return localToInstant(v.ms, zoneOf(rt));
  return undefined;
}

function windowFn(name: string, unit: Unit, direction: 'last' | 'next'): FunctionSpec {
  const unitText = unit;
  const overloads: Overload[] = (['dateTime', 'dateTimeOnly', 'dateOnly'] as Pattern[]).map(
    (p) => ({
      params: [
        { name: 'date', type: p },
        { name: 'delta', type: 'integer' },
      ],
      result: T.boolean,
      impl: ([d, n], rt) => {
        const at = instantOf(d as ExprValue, rt);
        if (at === undefined) return null;
        const now = rt.ctx.now;
        const other = shift(now, unit, direction === 'last' ? -Number(n) : Number(n), zoneOf(rt));
        return direction === 'last' ? other <= at && at <= now : now <= at && at <= other;
      },
    }),
  );
  return {
    name,
    category: 'date',
    description:
      direction === 'last'
        ? `True when the date is between now - delta ${unitText} and now.`
        : `True when the date is between now and now + delta ${unitText}.`,
    impure: true,
    overloads,
  };
}

function setPart(name: 'setHours' | 'setDays'): FunctionSpec {
  const apply = (local: number, value: number, site: CallSite): number => {
    const d = new Date(local);
    if (name === 'setHours') {
      if (value < 0 || value > 23) fail(site, `Hours must be between 0 and 23, found ${value}`);
      d.setUTCHours(value);
    } else {
      const probe = new Date(local);
      probe.setUTCMonth(probe.getUTCMonth() + 1, 0);
      if (value < 1 || value > probe.getUTCDate())
        fail(site, `Day must be between 1 and ${probe.getUTCDate()}, found ${value}`);
      d.setUTCDate(value);
    }
    return d.getTime();
  };
  const what = name === 'setHours' ? 'hour' : 'day of the month';
  return {
    name,
    category: 'date',
    description: `Sets the ${what} of a dateTime (in its zone) or a dateTimeOnly, keeping the other fields.`,
    overloads: [
      {
        params: [
          { name: 'date', type: 'dateTime' },
          { name: name === 'setHours' ? 'hours' : 'days', type: 'integer' },
        ],
        result: T.dateTime,
        impl: ([d, v], _rt, site) => {
          const dt = d as DateTime;
          return new DateTime(
            localToInstant(apply(instantToLocal(dt.ms, dt.zone), Number(v), site), dt.zone),
            dt.zone,
          );
        },
      },
      {
        params: [
          { name: 'date', type: 'dateTimeOnly' },
          { name: name === 'setHours' ? 'hours' : 'days', type: 'integer' },
        ],
        result: T.dateTimeOnly,
        impl: ([d, v], _rt, site) =>
          new DateTimeOnly(apply((d as DateTimeOnly).ms, Number(v), site)),
      },
    ],
  };
}

const validateUnit =
  (i: number) =>
  (site: CallSite): ValidationIssue | undefined => {
    const u = constString(site, i);
    return u !== undefined && !(UNITS as readonly string[]).includes(u)
      ? {
          message: `Unknown date part ${JSON.stringify(u)}: expected one of ${UNITS.join(', ')}`,
          arg: i,
        }
      : undefined;
  };

function nowWithDelta([n, u, z]: ExprValue[], rt: Runtime, site: CallSite): ExprValue {
  const unit = u as string;
  if (!(UNITS as readonly string[]).includes(unit))
    fail(site, `Unknown date part ${JSON.stringify(unit)}: expected one of ${UNITS.join(', ')}`);
  const zone = typeof z === 'string' ? z : 'UTC';
  return new DateTime(shift(rt.ctx.now, unit as Unit, Number(n), zone), outZone(zone));
}

export const dateFunctions: readonly FunctionSpec[] = [
  {
    name: 'currentTimeInMillis',
    category: 'date',
    description: 'The current time in epoch milliseconds (the journey clock).',
    impure: true,
    overloads: [{ params: [], result: T.integer, impl: (_a, rt) => rt.ctx.now }],
  },
  {
    name: 'now',
    category: 'date',
    description: 'The current dateTime, in UTC or in a constant time zone.',
    impure: true,
    overloads: [
      { params: [], result: T.dateTime, impl: (_a, rt) => new DateTime(rt.ctx.now, 'Z') },
      {
        params: [{ name: 'timeZone', type: 'string', constant: true }],
        result: T.dateTime,
        validate: validateZoneArg(0),
        impl: ([z], rt) => new DateTime(rt.ctx.now, outZone(z as string)),
      },
    ],
  },
  {
    name: 'nowWithDelta',
    category: 'date',
    description:
      'The current dateTime shifted by delta years, months, days, hours, minutes or seconds, optionally in a constant time zone.',
    impure: true,
    overloads: [
      {
        params: [
          { name: 'delta', type: 'integer' },
          { name: 'datePart', type: 'string' },
          { name: 'timeZone', type: 'string', constant: true, optional: true },
        ],
        result: T.dateTime,
        validate: (site) => validateUnit(1)(site) ?? validateZoneArg(2)(site),
        impl: nowWithDelta,
      },
    ],
  },
  windowFn('inLastDays', 'days', 'last'),
  windowFn('inLastHours', 'hours', 'last'),
  windowFn('inLastMonths', 'months', 'last'),
  windowFn('inLastYears', 'years', 'last'),
  windowFn('inNextDays', 'days', 'next'),
  windowFn('inNextHours', 'hours', 'next'),
  windowFn('inNextMonths', 'months', 'next'),
  windowFn('inNextYears', 'years', 'next'),
  setPart('setHours'),
  setPart('setDays'),
  {
    name: 'updateTimeZone',
    category: 'date',
    description: 'The same instant in another (constant) time zone.',
    overloads: [
      {
        params: [
          { name: 'date', type: 'dateTime' },
          { name: 'timeZone', type: 'string', constant: true },
        ],
        result: T.dateTime,
        validate: validateZoneArg(1),
        impl: ([d, z]) => new DateTime((d as DateTime).ms, outZone(z as string)),
      },
    ],
  },
];
