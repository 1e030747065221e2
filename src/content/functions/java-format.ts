// A subset of Java's DateTimeFormatter patterns: y Y M L d D E H h k K m s S a, 'quoted text', in a locale.
import type { DateTimeValue } from './datetime.ts';
import { zoneOffsetMinutes } from './datetime.ts';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function names(
  locale: string,
  kind: 'month' | 'weekday',
  style: 'long' | 'short' | 'narrow',
  d: Date,
): string {
  try {
    return new Intl.DateTimeFormat(locale, { [kind]: style, timeZone: 'UTC' }).format(d);
  } catch {
    return new Intl.DateTimeFormat('en-US', { [kind]: style, timeZone: 'UTC' }).format(d);
  }
}

/** ISO week-based year and week number. */
export function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return {
    year: t.getUTCFullYear(),
    week: Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7),
  };
}

/** Java's week-based year in its default (US) locale: weeks start on Sunday, week 1 holds January 1. */
export function usWeekYear(d: Date): number {
  const saturday = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (6 - d.getUTCDay())),
  );
  return saturday.getUTCFullYear();
}

export function dayOfYear(d: Date): number {
  return (
    Math.floor(
      (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
        Date.UTC(d.getUTCFullYear(), 0, 1)) /
        86_400_000,
    ) + 1
  );
}

export function formatJavaPattern(
  v: DateTimeValue,
  pattern: string,
  localeTag: string,
): string | undefined {
  const offset = v.zone === undefined ? 0 : zoneOffsetMinutes(v.ms, v.zone);
  const d = new Date(v.ms + offset * 60_000);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) return undefined;
      out += j === i + 1 ? "'" : pattern.slice(i + 1, j);
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    const h = d.getUTCHours();
    switch (c) {
      case 'y':
      case 'u': {
        const y = d.getUTCFullYear();
        out += n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case 'Y': {
        const y = usWeekYear(d);
        out += n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case 'M':
      case 'L':
        out +=
          n >= 4
            ? names(localeTag, 'month', 'long', d)
            : n === 3
              ? names(localeTag, 'month', 'short', d)
              : pad(d.getUTCMonth() + 1, n);
        break;
      case 'd':
        out += pad(d.getUTCDate(), n);
        break;
      case 'D':
        out += pad(dayOfYear(d), n);
        break;
      case 'E':
        out += names(localeTag, 'weekday', n >= 4 ? 'long' : 'short', d);
        break;
      case 'e':
        out += String(d.getUTCDay() || 7);
        break;
      case 'H':
        out += pad(h, n);
        break;
      case 'k':
        out += pad(h === 0 ? 24 : h, n);
        break;
      case 'h':
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case 'K':
        out += pad(h % 12, n);
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), n);
        break;
      case 's':
        out += pad(d.getUTCSeconds(), n);
        break;
      case 'S':
        out += pad(d.getUTCMilliseconds(), 3).slice(0, n).padEnd(n, '0');
        break;
      case 'a':
        out += h < 12 ? 'AM' : 'PM';
        break;
      case 'w':
        out += pad(isoWeek(d).week, n);
        break;
      case 'X':
      case 'x':
      case 'Z': {
        if (offset === 0 && c === 'X') {
          out += 'Z';
          break;
        }
        const a = Math.abs(offset);
        out += `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}${n >= 3 || c === 'x' ? ':' : ''}${pad(a % 60, 2)}`;
        break;
      }
      case 'V':
        out += v.zone ?? 'UTC';
        break;
      case 'z':
        out += v.zone ?? 'UTC';
        break;
      default:
        return undefined;
    }
  }
  return out;
}

/** Parses text with a Java pattern (numeric fields only: y M d H h m s S a). */
export function parseJavaPattern(text: string, pattern: string): number | undefined {
  let re = '^';
  const fields: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? '';
    if (c === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) return undefined;
      re += escape(pattern.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      re += escape(c);
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    if (c === 'a') {
      re += '(AM|PM|am|pm)';
      fields.push('a');
      continue;
    }
    re += n === 1 ? '(\\d+)' : `(\\d{${n}})`;
    fields.push(c);
  }
  const m = new RegExp(`${re}$`).exec(text.trim());
  if (m === null) return undefined;
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let ms = 0;
  let pm: boolean | undefined;
  fields.forEach((f, k) => {
    const raw = m[k + 1] ?? '';
    const v = Number(raw);
    if (f === 'y' || f === 'u' || f === 'Y') y = raw.length === 2 ? 2000 + v : v;
    else if (f === 'M') mo = v;
    else if (f === 'd') d = v;
    else if (f === 'H' || f === 'h' || f === 'k') h = v;
    else if (f === 'm') mi = v;
    else if (f === 's') s = v;
    else if (f === 'S') ms = Number(raw.padEnd(3, '0').slice(0, 3));
    else if (f === 'a') pm = raw.toUpperCase() === 'PM';
  });
  if (pm === true && h < 12) h += 12;
  if (pm === false && h === 12) h = 0;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
