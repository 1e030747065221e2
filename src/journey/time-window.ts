// Time and date conditions (AJO's "time condition" and "date condition"): whether an instant falls
// in a time-of-day window on some days of the week, in a zone, or between two dates. A window whose
// end comes before its start runs over midnight (22:00-06:00). Pure.
import { instantToLocal } from '../expr/time.ts';
import type { DateWindow, TimeWindow } from '../model/journey.ts';

const MINUTE = 60_000;
const DAY_MINUTES = 1440;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** ISO day of the week (1 Monday … 7 Sunday) and minute of the day of `ms` in `zone`. */
export function localClock(ms: number, zone: string): { day: number; minute: number } {
  const local = instantToLocal(ms, zone);
  const minute = Math.floor(local / MINUTE) % DAY_MINUTES;
  const day = ((new Date(local).getUTCDay() + 6) % 7) + 1;
  return { day, minute: minute < 0 ? minute + DAY_MINUTES : minute };
}

export function inTimeWindow(w: TimeWindow, ms: number, zone: string): boolean {
  const { day, minute } = localClock(ms, zone);
  const from = minutesOf(w.from);
  const to = minutesOf(w.to);
  // Over midnight, the hours after it belong to the day the window started.
  const overnight = to <= from;
  const inHours = overnight ? minute >= from || minute < to : minute >= from && minute < to;
  if (!inHours) return false;
  if (!w.days || w.days.length === 0) return true;
  const startDay = overnight && minute < to ? ((day + 5) % 7) + 1 : day;
  return w.days.includes(startDay);
}

export function inDateWindow(w: DateWindow, ms: number): boolean {
  if (w.after !== undefined && ms < Date.parse(w.after)) return false;
  if (w.before !== undefined && ms >= Date.parse(w.before)) return false;
  return true;
}

/** "Mon-Fri 09:00-17:00", "after 2026-12-01T00:00:00Z": how a trace shows a window. */
export function describeTimeWindow(w: TimeWindow): string {
  const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const days = w.days && w.days.length > 0 ? `${w.days.map((d) => names[d - 1]).join(',')} ` : '';
  return `${days}${w.from}-${w.to}`;
}

export function describeDateWindow(w: DateWindow): string {
  return [w.after ? `from ${w.after}` : '', w.before ? `before ${w.before}` : '']
    .filter(Boolean)
    .join(' ');
}
