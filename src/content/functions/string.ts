// String functions (R: help/using/personalization/functions/string.md).
import { createHash } from 'node:crypto';
import { fn, str, num, arr, isMissing, type FunctionTable } from './types.ts';
import { regexFind, regexGroupOf, regexReplaceAll } from './regex.ts';
import { boundedConcat, boundedJoin, boundedReplace, boundedSplit } from './bounded.ts';

const cs = (v: unknown): boolean => v === undefined || v === true || v === 'true';
const fold = (s: string, caseSensitive: boolean): string => (caseSensitive ? s : s.toLowerCase());
function cmp3(op: (a: string, b: string) => boolean) {
  return fn(2, 3, ([a, b, c]) => {
    if (isMissing(a) || isMissing(b)) return false;
    const sens = cs(c);
    return op(fold(str(a), sens), fold(str(b), sens));
  });
}
const words = (s: string, f: (w: string) => string): string => s.replace(/\S+/g, f);
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** A like pattern (% any text, _ one character) as an RE2 pattern: matched in linear time, however many % it has. */
function likePattern(pattern: string): string {
  let re = '(?s)^';
  for (const ch of pattern)
    re += ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `${re}$`;
}

/** Java Locale string (en_GB) -> BCP 47 (en-GB). */
export const bcp47 = (locale: unknown): string =>
  typeof locale === 'string' && locale !== '' ? locale.replace(/_/g, '-') : 'en-US';
const currencyByRegion: Readonly<Record<string, string>> = {
  US: 'USD',
  GB: 'GBP',
  FR: 'EUR',
  DE: 'EUR',
  ES: 'EUR',
  IT: 'EUR',
  NL: 'EUR',
  BE: 'EUR',
  IE: 'EUR',
  PT: 'EUR',
  AT: 'EUR',
  FI: 'EUR',
  JP: 'JPY',
  CN: 'CNY',
  IN: 'INR',
  CA: 'CAD',
  AU: 'AUD',
  CH: 'CHF',
  BR: 'BRL',
  MX: 'MXN',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  EG: 'EGP',
  KR: 'KRW',
};

function decode64(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return s;
  return Buffer.from(s, 'base64').toString('utf8');
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
  return false;
}

function url(v: unknown): URL | undefined {
  try {
    return new URL(str(v));
  } catch {
    return undefined;
  }
}

export const stringFunctions: FunctionTable = {
  camelCase: fn(1, 1, ([s]) => words(str(s), cap)),
  titleCase: fn(1, 1, ([s]) => words(str(s), (w) => cap(w.toLowerCase()))),
  charCodeAt: fn(2, 2, ([s, i]) => {
    const c = str(s).charCodeAt(num(i));
    return Number.isNaN(c) ? undefined : c;
  }),
  concat: fn(1, 100, (args, state) => boundedConcat(args.map(str), state.limits, 'concat()')),
  contains: cmp3((a, b) => a.includes(b)),
  doesNotContain: cmp3((a, b) => !a.includes(b)),
  startsWith: cmp3((a, b) => a.startsWith(b)),
  doesNotStartWith: cmp3((a, b) => !a.startsWith(b)),
  endsWith: cmp3((a, b) => a.endsWith(b)),
  doesNotEndWith: cmp3((a, b) => !a.endsWith(b)),
  encode64: fn(1, 1, ([s]) => Buffer.from(str(s), 'utf8').toString('base64')),
  decode64: fn(1, 1, ([s]) => decode64(str(s))),
  equals: fn(2, 2, ([a, b]) => !isMissing(a) && !isMissing(b) && str(a) === str(b)),
  equalsIgnoreCase: fn(
    2,
    2,
    ([a, b]) => !isMissing(a) && !isMissing(b) && str(a).toLowerCase() === str(b).toLowerCase(),
  ),
  equalsAnyIgnoreCase: fn(
    2,
    11,
    ([a, ...rest]) =>
      !isMissing(a) && rest.some((b) => str(a).toLowerCase() === str(b).toLowerCase()),
  ),
  notEqualTo: fn(2, 2, ([a, b]) => str(a) !== str(b)),
  notEqualWithIgnoreCase: fn(2, 2, ([a, b]) => str(a).toLowerCase() !== str(b).toLowerCase()),
  extractEmailDomain: fn(1, 1, ([s]) => {
    const t = str(s);
    const i = t.lastIndexOf('@');
    return i < 0 ? '' : t.slice(i + 1);
  }),
  formatCurrency: fn(2, 2, ([n, locale]) => {
    const tag = bcp47(locale);
    const region = tag.split('-')[1]?.toUpperCase() ?? 'US';
    return new Intl.NumberFormat(tag, {
      style: 'currency',
      currency: currencyByRegion[region] ?? 'USD',
    }).format(num(n));
  }),
  getUrlHost: fn(1, 1, ([s]) => url(s)?.hostname ?? ''),
  getUrlPath: fn(1, 1, ([s]) => url(s)?.pathname ?? ''),
  getUrlProtocol: fn(1, 1, ([s]) => url(s)?.protocol.replace(/:$/, '') ?? ''),
  getUrlFragment: fn(1, 1, ([s]) => url(s)?.hash.replace(/^#/, '') ?? ''),
  appendQueryParams: fn(3, 3, ([u, k, v]) => {
    const parsed = url(u);
    if (parsed === undefined) return str(u);
    parsed.searchParams.set(str(k), str(v));
    return parsed.toString();
  }),
  indexOf: fn(2, 2, ([a, b]) => str(a).indexOf(str(b))),
  lastIndexOf: fn(2, 2, ([a, b]) => str(a).lastIndexOf(str(b))),
  isEmpty: fn(1, 1, ([s]) => isMissing(s) || str(s) === ''),
  isNotEmpty: fn(1, 1, ([s]) => !isMissing(s) && str(s) !== ''),
  join: fn(2, 2, ([a, sep], state) =>
    boundedJoin(arr(a).map(str), str(sep), state.limits, 'join()'),
  ),
  leftTrim: fn(1, 1, ([s]) => str(s).trimStart()),
  rightTrim: fn(1, 1, ([s]) => str(s).trimEnd()),
  trim: fn(1, 1, ([s]) => str(s).trim()),
  length: fn(1, 1, ([s]) => (Array.isArray(s) ? s.length : str(s).length)),
  like: fn(2, 2, ([s, p]) => !isMissing(s) && regexFind(likePattern(str(p)), str(s))),
  lowerCase: fn(1, 1, ([s]) => str(s).toLowerCase()),
  upperCase: fn(1, 1, ([s]) => str(s).toUpperCase()),
  matches: fn(2, 2, ([s, p]) => !isMissing(s) && regexFind(str(p), str(s))),
  mask: fn(3, 3, ([s, a, b]) => {
    const t = str(s);
    const keepStart = Math.max(0, num(a));
    const keepEnd = Math.max(0, num(b));
    if (keepStart + keepEnd >= t.length) return t;
    return (
      t.slice(0, keepStart) +
      'X'.repeat(t.length - keepStart - keepEnd) +
      t.slice(t.length - keepEnd)
    );
  }),
  md5: fn(1, 1, ([s]) => createHash('md5').update(str(s), 'utf8').digest('hex')),
  sha256: fn(1, 1, ([s]) => createHash('sha256').update(str(s), 'utf8').digest('hex')),
  regexGroup: fn(3, 3, ([s, p, g]) => regexGroupOf(str(p), str(s), num(g))),
  replace: fn(3, 3, ([s, a, b], state) => boundedReplace(str(s), str(a), str(b), state.limits)),
  replaceAll: fn(3, 3, ([s, p, r], state) =>
    regexReplaceAll(str(p), str(s), str(r), state.limits.maxValueChars),
  ),
  split: fn(2, 2, ([s, sep], state) =>
    isMissing(s) ? [] : boundedSplit(str(s), str(sep), state.limits),
  ),
  stringToInteger: fn(1, 1, ([s]) => {
    const n = parseInt(str(s), 10);
    return Number.isNaN(n) ? undefined : n;
  }),
  string_to_integer: fn(1, 1, ([s]) => {
    const n = parseInt(str(s), 10);
    return Number.isNaN(n) ? undefined : n;
  }),
  stringToNumber: fn(1, 1, ([s]) => {
    const n = num(s);
    return Number.isNaN(n) ? s : n;
  }),
  substr: fn(2, 3, ([s, a, b]) => {
    const t = str(s);
    return t.substring(num(a), b === undefined ? t.length : num(b));
  }),
  toBool: fn(1, 1, ([v]) => toBool(v)),
  // operators.md, template migration functions
  ampSubstr: fn(3, 3, ([s, a, b]) => str(s).substring(num(a), num(b))),
  compareTo: fn(2, 2, ([a, b]) => {
    const x = str(a);
    const y = str(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }),
  urlEncode: fn(1, 1, ([s]) => encodeURIComponent(str(s)).replace(/%20/g, '+')),
  urlDecode: fn(1, 1, ([s]) => {
    try {
      return decodeURIComponent(str(s).replace(/\+/g, ' '));
    } catch {
      return str(s);
    }
  }),
};

export { toBool };
