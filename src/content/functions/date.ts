// Date and time functions (R: help/using/personalization/functions/dates.md). The clock is the
// render's injected `now`.
import { fn, num, str, isMissing, type FunctionTable } from './types.ts';
import { DateTimeValue, toDateTime, zoneOffsetMinutes } from './datetime.ts';
import { dayOfYear, formatJavaPattern, isoWeek, parseJavaPattern } from './java-format.ts';
import { bcp47 } from './string.ts';

const DAY = 86_400_000;
type D = DateTimeValue;

function withDate(f: (d: D, args: readonly unknown[]) => unknown, min = 1, max = min) {
  return fn(min, max, (args) => {
    const d = toDateTime(args[0]);
    return d === undefined ? undefined : f(d, args.slice(1));
  });
}
const utc = (d: D): Date => new Date(d.ms);
const same = (d: D, ms: number): D => new DateTimeValue(ms, d.zone);

function addMonths(d: D, months: number): D {
  const x = utc(d);
  const day = x.getUTCDate();
  x.setUTCDate(1);
  x.setUTCMonth(x.getUTCMonth() + months);
  const last = new Date(Date.UTC(x.getUTCFullYear(), x.getUTCMonth() + 1, 0)).getUTCDate();
  x.setUTCDate(Math.min(day, last));
  return same(d, x.getTime());
}

/** Whole months from a to b (b later = positive), as Java's ChronoUnit.MONTHS.between. */
function monthsBetween(a: D, b: D): number {
  const x = utc(a);
  const y = utc(b);
  let m = (y.getUTCFullYear() - x.getUTCFullYear()) * 12 + (y.getUTCMonth() - x.getUTCMonth());
  const restX = x.getTime() - Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1);
  const restY = y.getTime() - Date.UTC(y.getUTCFullYear(), y.getUTCMonth(), 1);
  if (m > 0 && restY < restX) m--;
  if (m < 0 && restY > restX) m++;
  return m;
}
const trunc = (n: number): number => (n < 0 ? Math.ceil(n) : Math.floor(n));
const startOfDay = (d: D): number => {
  const x = utc(d);
  return Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate());
};

export const dateFunctions: FunctionTable = {
  stringToDate: fn(1, 2, ([s, f]) => {
    if (f !== undefined && !isMissing(f)) {
      const ms = parseJavaPattern(str(s), str(f));
      return ms === undefined ? undefined : new DateTimeValue(ms);
    }
    return toDateTime(s);
  }),
  toDateTime: fn(1, 2, ([s, f]) => {
    const ms = f === undefined ? toDateTime(s)?.ms : parseJavaPattern(str(s), str(f));
    return new DateTimeValue(ms ?? 0);
  }),
  toDateTimeOnly: fn(1, 1, ([s]) => toDateTime(s) ?? new DateTimeValue(0)),
  toUTC: withDate((d) => new DateTimeValue(d.ms)),
  currentTimeInMillis: fn(0, 0, (_a, state) => state.now),
  getCurrentZonedDateTime: fn(0, 0, (_a, state) => new DateTimeValue(state.now)),
  convertZonedDateTime: withDate((d, [z]) => new DateTimeValue(d.ms, str(z)), 2),
  addSeconds: withDate((d, [n]) => same(d, d.ms + num(n) * 1000), 2),
  addMinutes: withDate((d, [n]) => same(d, d.ms + num(n) * 60_000), 2),
  addHours: withDate((d, [n]) => same(d, d.ms + num(n) * 3_600_000), 2),
  addDays: withDate((d, [n]) => same(d, d.ms + num(n) * DAY), 2),
  addMonths: withDate((d, [n]) => addMonths(d, num(n)), 2),
  addYears: withDate((d, [n]) => addMonths(d, num(n) * 12), 2),
  age: fn(1, 1, ([v], state) => {
    const d = toDateTime(v);
    return d === undefined
      ? undefined
      : Math.floor(monthsBetween(d, new DateTimeValue(state.now)) / 12);
  }),
  ageInDays: fn(1, 1, ([v], state) => {
    const d = toDateTime(v);
    return d === undefined ? undefined : trunc((state.now - d.ms) / DAY);
  }),
  ageInMonths: fn(1, 1, ([v], state) => {
    const d = toDateTime(v);
    return d === undefined ? undefined : monthsBetween(d, new DateTimeValue(state.now));
  }),
  compareDates: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : Math.sign(x.ms - y.ms);
  }),
  dateDiff: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc((y.ms - x.ms) / DAY);
  }),
  dateBetween: fn(3, 3, ([a, b, c]) => {
    const [x, lo, hi] = [toDateTime(a), toDateTime(b), toDateTime(c)];
    return (
      x !== undefined && lo !== undefined && hi !== undefined && x.ms >= lo.ms && x.ms <= hi.ms
    );
  }),
  dayOfMonth: withDate((d) => utc(d).getUTCDate()),
  dayOfWeek: withDate((d) => utc(d).getUTCDay() || 7),
  dayOfYear: withDate((d) => dayOfYear(utc(d))),
  weekOfYear: withDate((d) => isoWeek(utc(d)).week),
  diffInSeconds: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc((x.ms - y.ms) / 1000);
  }),
  diffInMinutes: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc((x.ms - y.ms) / 60_000);
  }),
  diffInHours: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc((x.ms - y.ms) / 3_600_000);
  }),
  diffInDays: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc((x.ms - y.ms) / DAY);
  }),
  diffInMonths: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : monthsBetween(y, x);
  }),
  diffInYears: fn(2, 2, ([a, b]) => {
    const x = toDateTime(a);
    const y = toDateTime(b);
    return x === undefined || y === undefined ? undefined : trunc(monthsBetween(y, x) / 12);
  }),
  extractHours: withDate((d) => utc(d).getUTCHours()),
  extractMinutes: withDate((d) => utc(d).getUTCMinutes()),
  extractSeconds: withDate((d) => utc(d).getUTCSeconds()),
  extractMonth: withDate((d) => utc(d).getUTCMonth() + 1),
  extractMonths: withDate((d) => utc(d).getUTCMonth() + 1),
  extractYear: withDate((d) => utc(d).getUTCFullYear()),
  setDays: withDate((d, [n]) => {
    const x = utc(d);
    x.setUTCDate(num(n));
    return same(d, x.getTime());
  }, 2),
  setHours: withDate((d, [n]) => {
    const x = utc(d);
    x.setUTCHours(num(n));
    return same(d, x.getTime());
  }, 2),
  truncateToStartOfDay: withDate((d) => same(d, startOfDay(d))),
  truncateToStartOfWeek: withDate((d) =>
    same(d, startOfDay(d) - ((utc(d).getUTCDay() || 7) - 1) * DAY),
  ),
  truncateToStartOfQuarter: withDate((d) => {
    const x = utc(d);
    return same(d, Date.UTC(x.getUTCFullYear(), Math.floor(x.getUTCMonth() / 3) * 3, 1));
  }),
  truncateToStartOfYear: withDate((d) => same(d, Date.UTC(utc(d).getUTCFullYear(), 0, 1))),
  formatDate: fn(2, 3, ([v, pattern, locale]) => {
    const d = toDateTime(v);
    if (d === undefined) return undefined;
    return formatJavaPattern(d, str(pattern), bcp47(locale)) ?? d.toString();
  }),
};

export { zoneOffsetMinutes };
