// Run-time values. JSON-like values stay native (string, number, boolean, null, arrays, plain
// objects); 64-bit integers outside the safe range are bigints; dates and durations are small
// immutable classes.
import { formatInstant, formatLocal } from './time.ts';

export class DateOnly {
  readonly kind = 'dateOnly' as const;
  /** Midnight of the date, as UTC epoch milliseconds (a wall-clock value, no zone). */
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  toString(): string {
    return formatLocal(this.ms).slice(0, 10);
  }
}

export class DateTimeOnly {
  readonly kind = 'dateTimeOnly' as const;
  /** Wall-clock time encoded as UTC epoch milliseconds (no zone). */
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  toString(): string {
    return formatLocal(this.ms);
  }
}

export class DateTime {
  readonly kind = 'dateTime' as const;
  /** The instant, epoch milliseconds. */
  readonly ms: number;
  /** 'Z', an offset '+02:00', or an IANA zone id. */
  readonly zone: string;
  constructor(ms: number, zone: string) {
    this.ms = ms;
    this.zone = zone;
  }
  toString(): string {
    return formatInstant(this.ms, this.zone);
  }
}

export class Duration {
  readonly kind = 'duration' as const;
  readonly ms: number;
  constructor(ms: number) {
    this.ms = ms;
  }
  toString(): string {
    return formatDuration(this.ms);
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;
export type ExprValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | DateOnly
  | DateTimeOnly
  | DateTime
  | Duration
  | readonly ExprValue[]
  | JsonObject;

export type TemporalValue = DateOnly | DateTimeOnly | DateTime | Duration;
export const isTemporal = (v: unknown): v is TemporalValue =>
  v instanceof DateOnly ||
  v instanceof DateTimeOnly ||
  v instanceof DateTime ||
  v instanceof Duration;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !isTemporal(v);

/** ISO-8601 duration as Java prints it: PT2H, PT15M, PT0.5S, PT0S. */
export function formatDuration(ms: number): string {
  if (ms === 0) return 'PT0S';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  const sign = neg ? '-' : '';
  let out = 'PT';
  if (h) out += `${sign}${h}H`;
  if (m) out += `${sign}${m}M`;
  if (s) out += `${sign}${s}S`;
  return out;
}

/** A decimal as Java's Double.toString prints common values: 3.0, 1.5, 1.0E10. */
export function formatDecimal(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e7) return `${n}.0`;
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) return String(n);
  const [mant = '0', exp = '0'] = n.toExponential().split('e');
  const m = mant.includes('.') ? mant : `${mant}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** The text form of a value (string concatenation, toString). */
export function formatValue(v: ExprValue, decimal = false): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return decimal ? formatDecimal(v) : Number.isInteger(v) ? String(v) : formatDecimal(v);
    case 'bigint':
    case 'boolean':
      return String(v);
    default:
      if (isTemporal(v)) return v.toString();
      return JSON.stringify(toJson(v));
  }
}

/** JSON form: dates as ISO-8601 strings, durations as ISO-8601 durations, unsafe 64-bit integers as strings. */
export function toJson(value: ExprValue): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString();
    default:
      if (isTemporal(value)) return value.toString();
      if (Array.isArray(value)) return (value as readonly ExprValue[]).map((x) => jsonClone(x, 1));
      return jsonClone(value);
  }
}

function jsonClone(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object')
    return typeof v === 'bigint' ? v.toString() : v === undefined ? null : v;
  if (isTemporal(v)) return v.toString();
  // Below this depth only raw payload JSON remains (run-time values are built near the top).
  if (depth > 256) return v;
  if (Array.isArray(v)) return v.map((x) => jsonClone(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = jsonClone(x, depth + 1);
  return out;
}

export function toNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** `==`: no type checks; values of different kinds are different (integers equal decimals numerically). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) {
    if (ta === 'bigint' && tb === 'bigint') return a === b;
    const x = a as number | bigint;
    const y = b as number | bigint;
    if (typeof x === 'number' && !Number.isInteger(x)) return false;
    if (typeof y === 'number' && !Number.isInteger(y)) return false;
    return BigInt(x) === BigInt(y);
  }
  if (ta !== 'object' || tb !== 'object') return false;
  if (a instanceof DateTime) return b instanceof DateTime && a.ms === b.ms;
  if (a instanceof DateTimeOnly) return b instanceof DateTimeOnly && a.ms === b.ms;
  if (a instanceof DateOnly) return b instanceof DateOnly && a.ms === b.ms;
  if (a instanceof Duration) return b instanceof Duration && a.ms === b.ms;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || isTemporal(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b as object, k)) return false;
    if (!valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/** Ordering between numbers, dateTimes, dateTimeOnlys (and dateOnlys, strings for sort); undefined when not comparable. */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (
    (typeof a === 'number' || typeof a === 'bigint') &&
    (typeof b === 'number' || typeof b === 'bigint')
  ) {
    if (typeof a === 'bigint' || typeof b === 'bigint') {
      const x = typeof a === 'bigint' ? a : Number.isInteger(a) ? BigInt(a) : undefined;
      const y = typeof b === 'bigint' ? b : Number.isInteger(b) ? BigInt(b) : undefined;
      if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
      const fx = Number(a);
      const fy = Number(b);
      return fx < fy ? -1 : fx > fy ? 1 : 0;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof DateTime && b instanceof DateTime) return Math.sign(a.ms - b.ms);
  if (a instanceof DateTimeOnly && b instanceof DateTimeOnly) return Math.sign(a.ms - b.ms);
  if (a instanceof DateOnly && b instanceof DateOnly) return Math.sign(a.ms - b.ms);
  if (a instanceof Duration && b instanceof Duration) return Math.sign(a.ms - b.ms);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return undefined;
}

/** Converts a raw JSON value (payload field) to a run-time value without a schema. */
export function fromJson(v: unknown): ExprValue {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'object':
      return v as ExprValue;
    default:
      return null;
  }
}
