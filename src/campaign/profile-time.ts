// "Use profile time zone": a run's wall-clock time (read in the campaign's time zone) is applied in
// each profile's own zone, read from `profile.timeZone` (an IANA name, or a UTC offset such as
// "+05:30"); a missing or unknown value falls back to the campaign's zone. Every zone on Earth is
// between UTC-12:00 and UTC+14:00, so a run's sends fall in a 26-hour window: it opens when the
// wall-clock time comes in UTC+14:00 and closes when it comes in UTC-12:00. Pure.
import { instantToLocal, offsetMinutes } from '../expr/time.ts';
import { isTimeZone } from './schedule.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The earliest and the latest zone offsets in use (Kiribati's Line Islands, Baker Island). */
export const EARLIEST_OFFSET_MINUTES = 14 * 60;
export const LATEST_OFFSET_MINUTES = -12 * 60;

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/;

/**
 * The zone a profile's message is timed in: its `timeZone` when Intl knows that IANA name, or a
 * UTC offset (±HH, ±HHMM, ±HH:MM, normalized to ±HH:MM) within UTC-12:00…UTC+14:00; else `fallback`.
 */
export function profileZone(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 64) return fallback;
  const m = OFFSET.exec(value);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? 0);
    const total = (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
    if (minutes >= 60 || total > EARLIEST_OFFSET_MINUTES || total < LATEST_OFFSET_MINUTES)
      return fallback;
    return `${m[1]}${m[2]}:${String(minutes).padStart(2, '0')}`;
  }
  return knownZone(value) ? value : fallback;
}

// Building an Intl formatter to test a name costs ~100 µs: a read of a million profiles asks about
// a few hundred distinct names, so the answers are kept (bounded, for a stream of bad values).
const known = new Map<string, boolean>();
function knownZone(name: string): boolean {
  let ok = known.get(name);
  if (ok === undefined) {
    ok = isTimeZone(name);
    if (known.size >= 10_000) known.clear();
    known.set(name, ok);
  }
  return ok;
}

/**
 * The send instant of each zone for one run, computed once per zone: what a run's read calls per
 * profile (the zone's rules are read through Intl, tens of microseconds each).
 */
export function sendInstants(
  runAt: number,
  campaignZone: string,
): (profileAttributes: unknown) => number {
  const byZone = new Map<string, number>();
  return (profileAttributes) => {
    const zone = zoneOfProfile(profileAttributes, campaignZone);
    let at = byZone.get(zone);
    if (at === undefined) {
      at = sendInstant(runAt, campaignZone, zone);
      byZone.set(zone, at);
    }
    return at;
  };
}

/** The zone of a profile's attributes (`timeZone`), or `fallback`. */
export function zoneOfProfile(attributes: unknown, fallback: string): string {
  const value =
    typeof attributes === 'object' && attributes !== null
      ? (attributes as Record<string, unknown>)['timeZone']
      : undefined;
  return profileZone(value, fallback);
}

/**
 * The instant at which `zone`'s wall clock shows what `campaignZone`'s shows at `runAt`. In a
 * daylight-saving gap the time after it (02:30 on a spring-forward night is 03:30); in the
 * repeated hour of a fall-back night, the first of the two.
 */
export function sendInstant(runAt: number, campaignZone: string, zone: string): number {
  return wallClockInstant(instantToLocal(runAt, campaignZone), zone);
}

/**
 * The instant `zone`'s wall clock shows `local` (UTC-encoded). Zones change offset at most twice a
 * year, so the offsets a day before and a day after are the only candidates: the earlier of those
 * that show `local`, or, when none does (a gap), the offset before the gap, which lands after it.
 */
export function wallClockInstant(local: number, zone: string): number {
  const before = offsetMinutes(zone, local - DAY);
  const after = offsetMinutes(zone, local + DAY);
  const fits = [before, after]
    .map((o) => local - o * MINUTE)
    .filter((t) => instantToLocal(t, zone) === local);
  return fits.length > 0 ? Math.min(...fits) : local - before * MINUTE;
}

/** When a run's wall-clock time comes first (UTC+14:00) and last (UTC-12:00). */
export function runWindow(
  runAt: number,
  campaignZone: string,
): { readonly from: number; readonly to: number } {
  const local = instantToLocal(runAt, campaignZone);
  return {
    from: local - EARLIEST_OFFSET_MINUTES * MINUTE,
    to: local - LATEST_OFFSET_MINUTES * MINUTE,
  };
}

/**
 * The throttle within one local time: the k-th profile (from 0) due at the same instant is sent
 * k / rate seconds after it, so the profiles of a zone go out at the campaign's rate, not at once.
 */
export function throttledInstant(at: number, k: number, ratePerSecond: number): number {
  return at + Math.floor((k * 1000) / Math.max(1, ratePerSecond));
}
