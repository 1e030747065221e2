// A date-time value as the documented date functions return it: an instant (UTC) that prints the way
// Java's ZonedDateTime does (2024-11-01T17:19:51Z, 2024-11-01T00:00Z), with an optional zone.

export class DateTimeValue {
  constructor(
    readonly ms: number,
    readonly zone?: string,
  ) {}
  toString(): string {
    if (this.zone === undefined || this.zone === 'UTC' || this.zone === 'Z')
      return javaIso(this.ms, 0) + 'Z';
    const off = zoneOffsetMinutes(this.ms, this.zone);
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off);
    const offStr = off === 0 ? 'Z' : `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
    return `${javaIso(this.ms, off)}${offStr}[${this.zone}]`;
  }
  toJSON(): string {
    return this.toString();
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO local date-time, Java style: seconds and fraction only when non-zero. */
function javaIso(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const s = d.getUTCSeconds();
  const f = d.getUTCMilliseconds();
  if (s === 0 && f === 0) return base;
  return f === 0 ? `${base}:${pad(s)}` : `${base}:${pad(s)}.${pad(f, 3)}`;
}

export function zoneOffsetMinutes(ms: number, zone: string): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(ms));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
    const asUtc = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  } catch {
    return 0;
  }
}

/** Reads a date-time from a DateTimeValue, a Date, epoch ms, or an ISO-8601 string. */
export function toDateTime(v: unknown): DateTimeValue | undefined {
  if (v instanceof DateTimeValue) return v;
  if (v instanceof Date)
    return Number.isNaN(v.getTime()) ? undefined : new DateTimeValue(v.getTime());
  if (typeof v === 'number' && Number.isFinite(v)) return new DateTimeValue(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const s = v.trim();
    const iso =
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?(\[[^\]]+\])?$/.exec(
        s,
      );
    if (iso === null) return undefined;
    let text = s.replace(/\[[^\]]+\]$/, '').replace(' ', 'T');
    if (iso[1] === undefined) text += 'T00:00:00Z';
    else if (iso[4] === undefined) text += 'Z';
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new DateTimeValue(ms);
  }
  return undefined;
}
