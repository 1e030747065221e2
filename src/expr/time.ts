// Calendar and time-zone arithmetic, pure: offsets come from Intl (no clock, no I/O).

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

function yearText(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return (y < 0 ? '-' : '+') + pad(y, 6);
}

/** Wall-clock text of a UTC-encoded local time: 2023-12-03T15:15:30 (milliseconds only when not zero). */
export function formatLocal(ms: number): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return 'Invalid';
  const base = `${yearText(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const milli = d.getUTCMilliseconds();
  return milli ? `${base}.${pad(milli, 3)}` : base;
}

export function formatOffset(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** An instant in a zone: 2023-12-03T16:15:30+01:00, or ...Z in UTC. */
export function formatInstant(ms: number, zone: string): string {
  const off = offsetMinutes(zone, ms);
  return formatLocal(ms + off * 60_000) + formatOffset(off);
}

const OFFSET_RE = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      f = null;
    }
    if (formatters.size < 1000) formatters.set(zone, f);
  }
  return f;
}

/** True for 'Z', 'UTC', '+02:00'-style offsets and IANA ids that this runtime knows. */
export function isValidZone(zone: string): boolean {
  if (zone === 'Z' || zone === 'UTC') return true;
  const m = OFFSET_RE.exec(zone);
  if (m) return Number(m[2]) <= 18 && Number(m[3] ?? 0) < 60;
  return zone.length < 64 && formatter(zone) !== null;
}

/** Offset of a zone from UTC at an instant, in minutes. Unknown zones count as UTC. */
export function offsetMinutes(zone: string, ms: number): number {
  if (zone === 'Z' || zone === 'UTC') return 0;
  const m = OFFSET_RE.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const f = formatter(zone);
  if (!f || !Number.isFinite(ms)) return 0;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const local = Date.UTC(
    year,
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return Math.round((local - whole) / 60_000);
}

/** The instant at which a zone's wall clock shows `local` (UTC-encoded). */
export function localToInstant(local: number, zone: string): number {
  let guess = local - offsetMinutes(zone, local) * 60_000;
  guess = local - offsetMinutes(zone, guess) * 60_000;
  return guess;
}

export function instantToLocal(ms: number, zone: string): number {
  return ms + offsetMinutes(zone, ms) * 60_000;
}

const DATE_RE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?:\[([A-Za-z0-9_+\-/]{1,64})\])?$/;

function validLocal(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  msFrac: number,
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, msFrac);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  const t = date.getTime();
  return Number.isNaN(t) ? null : t;
}

export function parseDateOnly(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  return validLocal(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, 0);
}

export interface ParsedDateTime {
  readonly local: number;
  /** The zone written in the text ('Z', '+02:00', or an IANA id in brackets), if any. */
  readonly zone: string | undefined;
}

export function parseDateTimeText(text: string): ParsedDateTime | null {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) {
    const d = parseDateOnly(text.trim());
    return d === null ? null : { local: d, zone: undefined };
  }
  const frac = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const local = validLocal(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
    frac,
  );
  if (local === null) return null;
  let zone: string | undefined = m[8];
  if (zone && zone !== 'Z' && !zone.includes(':') && zone.length === 5)
    zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  if (zone && zone.length === 3) zone = `${zone}:00`;
  if (m[9]) {
    if (!isValidZone(m[9])) return null;
    zone = m[9];
  }
  if (zone === '+00:00' || zone === '-00:00') zone = 'Z';
  return { local, zone };
}

/** Parses a date-time with an offset or zone (defaults to `defaultZone` when absent) into an instant. */
export function parseInstant(text: string, defaultZone = 'Z'): { ms: number; zone: string } | null {
  const p = parseDateTimeText(text);
  if (!p) return null;
  const zone = p.zone ?? defaultZone;
  const hasOffset = p.zone !== undefined && OFFSET_RE.test(p.zone);
  const ms =
    hasOffset || zone === 'Z'
      ? p.local - offsetMinutes(zone, 0) * 60_000
      : localToInstant(p.local, zone);
  return { ms, zone };
}

/** Adds calendar units to a UTC-encoded local time (months clamp to the month's end, like java.time). */
export function addCalendar(local: number, unit: 'years' | 'months', amount: number): number {
  const d = new Date(local);
  const day = d.getUTCDate();
  const months = unit === 'years' ? amount * 12 : amount;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const y = Math.floor(total / 12);
  const mo = total - y * 12;
  const probe = new Date(0);
  probe.setUTCFullYear(y, mo + 1, 0);
  const last = probe.getUTCDate();
  const out = new Date(local);
  out.setUTCFullYear(y, mo, Math.min(day, last));
  return out.getTime();
}

export const UNIT_MS = {
  milliseconds: 1,
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
} as const;

/** ISO-8601 durations with units from days down to fractions of seconds (no months or years). */
export function parseDuration(text: string): number | null {
  const m =
    /^([+-])?P(?:(\d{1,9})D)?(?:T(?:([+-]?\d{1,12})H)?(?:([+-]?\d{1,12})M)?(?:([+-]?\d{1,15})(?:[.,](\d{1,9}))?S)?)?$/i.exec(
      text.trim(),
    );
  if (!m || text.trim().toUpperCase().endsWith('T') || /^[+-]?P$/i.test(text.trim())) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const sec = Number(m[5] ?? 0);
  const frac = m[6]
    ? Math.round(Number(`0.${m[6]}`) * 1000) * (sec < 0 || (m[5] ?? '').startsWith('-') ? -1 : 1)
    : 0;
  const ms =
    Number(m[2] ?? 0) * 86_400_000 +
    Number(m[3] ?? 0) * 3_600_000 +
    Number(m[4] ?? 0) * 60_000 +
    sec * 1000 +
    frac;
  return Number.isFinite(ms) ? sign * ms : null;
}
