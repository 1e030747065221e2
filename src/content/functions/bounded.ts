// String building with the size known before the string is built: concatenation, joining, literal
// replacement and splitting check the result against the render's bounds first (limits.ts), so a
// template cannot make one huge value, even for a moment.
import { checkSize, type ContentLimits } from '../limits.ts';

/** `parts` joined, refused before joining when the result would be over maxValueChars. */
export function boundedConcat(
  parts: readonly string[],
  limits: ContentLimits,
  what: string,
): string {
  let size = 0;
  for (const p of parts) size += p.length;
  checkSize(limits, 'maxValueChars', size, `${what} result`);
  return parts.join('');
}

export function boundedJoin(
  items: readonly string[],
  sep: string,
  limits: ContentLimits,
  what: string,
): string {
  let size = items.length === 0 ? 0 : (items.length - 1) * sep.length;
  for (const p of items) size += p.length;
  checkSize(limits, 'maxValueChars', size, `${what} result`);
  return items.join(sep);
}

/** Occurrences of `needle` (not empty) in `s`, as split counts them; stops counting past `stop`. */
function occurrences(s: string, needle: string, stop: number): number {
  let n = 0;
  for (let i = s.indexOf(needle); i >= 0 && n <= stop; i = s.indexOf(needle, i + needle.length))
    n++;
  return n;
}

/** replace(s, a, b): every literal `a` in `s` becomes `b` (an empty `a` puts `b` between characters). */
export function boundedReplace(s: string, a: string, b: string, limits: ContentLimits): string {
  const max = limits.maxValueChars;
  if (a === '') {
    checkSize(
      limits,
      'maxValueChars',
      s.length + Math.max(0, s.length - 1) * b.length,
      'replace() result',
    );
  } else if (b.length > a.length) {
    const n = occurrences(s, a, Math.ceil((max - s.length) / (b.length - a.length)) + 1);
    checkSize(limits, 'maxValueChars', s.length + n * (b.length - a.length), 'replace() result');
  }
  return s.split(a).join(b);
}

/** split(s, sep): refused when the list would have more than maxListItems items. */
export function boundedSplit(s: string, sep: string, limits: ContentLimits): string[] {
  const items = sep === '' ? s.length : occurrences(s, sep, limits.maxListItems) + 1;
  checkSize(limits, 'maxListItems', items, 'split() result');
  return s.split(sep);
}
