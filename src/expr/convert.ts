// Conversion of raw payload values to run-time values, driven by the static type of the field.
import type { Type } from './types.ts';
import type { ExprValue } from './values.ts';
import { DateOnly, DateTime, DateTimeOnly, Duration, fromJson } from './values.ts';
import { parseDateOnly, parseDateTimeText, parseDuration, parseInstant } from './time.ts';

export type Converter = (v: unknown) => ExprValue;

export function toDateTimeValue(v: unknown): DateTime | null {
  if (v instanceof DateTime) return v;
  if (typeof v === 'string') {
    const p = parseInstant(v);
    return p ? new DateTime(p.ms, p.zone) : null;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return new DateTime(v, 'Z');
  return null;
}

export function toDateTimeOnlyValue(v: unknown): DateTimeOnly | null {
  if (v instanceof DateTimeOnly) return v;
  if (typeof v === 'string') {
    const p = parseDateTimeText(v);
    return p ? new DateTimeOnly(p.local) : null;
  }
  return null;
}

export function toDateOnlyValue(v: unknown): DateOnly | null {
  if (v instanceof DateOnly) return v;
  if (typeof v === 'string') {
    const d = parseDateOnly(v);
    if (d !== null) return new DateOnly(d);
    const p = parseDateTimeText(v);
    return p ? new DateOnly(p.local - (((p.local % 86_400_000) + 86_400_000) % 86_400_000)) : null;
  }
  return null;
}

function toDurationValue(v: unknown): Duration | null {
  if (v instanceof Duration) return v;
  if (typeof v === 'string') {
    const ms = parseDuration(v);
    return ms === null ? null : new Duration(ms);
  }
  if (typeof v === 'number' && Number.isFinite(v)) return new Duration(v);
  return null;
}

/** A converter for values of static type `t`; undefined when the raw value can be used as is. */
export function converterFor(t: Type): Converter | undefined {
  if (t.kind === 'primitive') {
    switch (t.name) {
      case 'dateTime':
        return toDateTimeValue;
      case 'dateTimeOnly':
        return toDateTimeOnlyValue;
      case 'dateOnly':
        return toDateOnlyValue;
      case 'duration':
        return toDurationValue;
      default:
        return undefined;
    }
  }
  if (t.kind === 'list') {
    const inner = converterFor(t.element);
    if (!inner) return undefined;
    return (v) =>
      Array.isArray(v)
        ? v.map((x) => (x === null || x === undefined ? null : inner(x)))
        : fromJson(v);
  }
  return undefined;
}
