// When a campaign's runs start: one at activation, one at a date and time, or every slot of a
// recurrence (daily, weekly, monthly, cron) from its start to its end, wall-clock times read in
// the campaign's time zone (IANA, through Intl; daylight-saving gaps move forward). Pure.
import type { CampaignSchedule, Recurrence } from '../model/campaign.ts';
import { instantToLocal, localToInstant } from '../expr/time.ts';

/** A recurring campaign has at most this many runs (a daily campaign for more than a year). */
export const MAX_RUNS = 400;
const DAY_MS = 86_400_000;

interface Civil {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** Whether Intl knows this IANA time zone (offsets such as +02:00 are not campaign time zones). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at instant `t` in `timeZone`. */
export function civilAt(t: number, timeZone: string): Civil & { readonly second: number } {
  const local = new Date(instantToLocal(t, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** The instant a wall-clock time in `timeZone` names (in a daylight-saving gap: the time after it). */
export function instantOf(c: Civil, timeZone: string): number {
  return localToInstant(Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute), timeZone);
}

const daysInMonth = (year: number, month: number): number =>
  Math.round((Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / DAY_MS);
const dayNumber = (year: number, month: number, day: number): number =>
  Math.round(Date.UTC(year, month - 1, day) / DAY_MS);

/** The run times of a schedule activated at `activatedAt` (ms), in order, at most MAX_RUNS. */
export function runTimes(
  schedule: CampaignSchedule,
  timeZone: string,
  activatedAt: number,
): number[] {
  switch (schedule.kind) {
    case 'now':
      return [activatedAt];
    case 'at':
      return [Math.max(activatedAt, Date.parse(schedule.at))];
    case 'recurring': {
      const start = Math.max(
        activatedAt,
        schedule.startAt === undefined ? activatedAt : Date.parse(schedule.startAt),
      );
      return recurrenceTimes(schedule.recurrence, timeZone, start, Date.parse(schedule.endAt));
    }
    default: {
      const never: never = schedule;
      throw new Error(`unhandled schedule ${JSON.stringify(never)}`);
    }
  }
}

function hm(time: string): { hour: number; minute: number } {
  const [h, m] = time.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/** The slots of a recurrence in [start, end], counting "every N" from the start's day, week or month. */
export function recurrenceTimes(
  r: Recurrence,
  timeZone: string,
  start: number,
  end: number,
): number[] {
  const out: number[] = [];
  if (!(end >= start)) return out;
  const s = civilAt(start, timeZone);
  const startDay = dayNumber(s.year, s.month, s.day);
  const startWeek = Math.floor((startDay + 4) / 7); // weeks start on Sunday (day 0 was a Thursday)
  const cron = r.frequency === 'cron' ? parseCron(r.expression) : null;
  const e = civilAt(end, timeZone);
  const lastDay = dayNumber(e.year, e.month, e.day);
  for (let d = startDay; d <= lastDay && out.length < MAX_RUNS; d++) {
    const { year, month, day } = civilAt(d * DAY_MS, 'UTC');
    const weekday = (((d + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
    const slots: Array<{ hour: number; minute: number }> = [];
    switch (r.frequency) {
      case 'daily':
        if ((d - startDay) % r.every === 0) slots.push(hm(r.time));
        break;
      case 'weekly': {
        const week = Math.floor((d + 4) / 7);
        if ((week - startWeek) % r.every === 0 && r.weekdays.includes(weekday))
          slots.push(hm(r.time));
        break;
      }
      case 'monthly': {
        const months = (year - s.year) * 12 + (month - s.month);
        if (months % r.every === 0 && day === Math.min(r.dayOfMonth, daysInMonth(year, month)))
          slots.push(hm(r.time));
        break;
      }
      case 'cron':
        if (cron && cronDayMatches(cron, month, day, weekday))
          for (const hour of cron.hours)
            for (const minute of cron.minutes) slots.push({ hour, minute });
        break;
      default: {
        const never: never = r;
        throw new Error(`unhandled recurrence ${JSON.stringify(never)}`);
      }
    }
    for (const slot of slots) {
      const t = instantOf({ year, month, day, ...slot }, timeZone);
      if (t >= start && t <= end && out.length < MAX_RUNS) out.push(t);
    }
  }
  return out;
}

export interface Cron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly daysRestricted: boolean;
  readonly weekdaysRestricted: boolean;
}

function field(text: string, min: number, max: number, name: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`the cron ${name} field "${text}" is not understood`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1)
      throw new Error(`the cron ${name} field "${text}" is outside ${min}-${max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/** Parses five cron fields (minute hour day-of-month month day-of-week; 7 is Sunday too); throws with the field named. */
export function parseCron(expression: string): Cron {
  const f = expression.trim().split(/\s+/);
  if (f.length !== 5) throw new Error('a cron expression has five fields');
  const weekdays = field(f[4]!, 0, 7, 'day-of-week').map((d) => d % 7);
  return {
    minutes: field(f[0]!, 0, 59, 'minute'),
    hours: field(f[1]!, 0, 23, 'hour'),
    days: new Set(field(f[2]!, 1, 31, 'day-of-month')),
    months: new Set(field(f[3]!, 1, 12, 'month')),
    weekdays: new Set(weekdays),
    daysRestricted: f[2] !== '*',
    weekdaysRestricted: f[4] !== '*',
  };
}

function cronDayMatches(c: Cron, month: number, day: number, weekday: number): boolean {
  if (!c.months.has(month)) return false;
  // Both restricted: either matches (cron's rule); one restricted: that one.
  if (c.daysRestricted && c.weekdaysRestricted) return c.days.has(day) || c.weekdays.has(weekday);
  return c.days.has(day) && c.weekdays.has(weekday);
}
