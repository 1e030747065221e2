// Regular expressions for matches, regexGroup and replaceAll: Java syntax (inline flags such as (?i)
// included) on RE2 (re2js), so matching time is linear in the input and no pattern can hang a render.
// Backreferences and lookaround, which RE2 lacks, make the pattern invalid: the function then answers
// false, empty or the input unchanged.
import { RE2JS } from 're2js';
import { LimitExceeded } from '../limits.ts';

const MAX_PATTERN = 1000;
const cache = new Map<string, RE2JS | undefined>();

export function javaRegex(pattern: string): RE2JS | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let re: RE2JS | undefined;
  try {
    re = pattern.length > MAX_PATTERN ? undefined : RE2JS.compile(pattern);
  } catch {
    re = undefined;
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** True when the pattern is found in `s` (the documented examples anchor with ^ themselves). */
export function regexFind(pattern: string, s: string): boolean {
  return javaRegex(pattern)?.matcher(s).find() ?? false;
}

export function regexGroupOf(pattern: string, s: string, group: number): string | undefined {
  const re = javaRegex(pattern);
  if (re === undefined) return undefined;
  const m = re.matcher(s);
  if (!m.find()) return undefined;
  try {
    return m.group(group) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces every match with `replacement` taken literally. When the result could pass `maxChars`
 * (every position matching), the matches are counted first and a result over it is refused.
 */
export function regexReplaceAll(
  pattern: string,
  s: string,
  replacement: string,
  maxChars: number = Infinity,
): string {
  const re = javaRegex(pattern);
  if (re === undefined) return s;
  if (s.length + (s.length + 1) * replacement.length > maxChars) {
    let size = s.length;
    const m = re.matcher(s);
    while (m.find()) {
      size += replacement.length - (m.end() - m.start());
      if (size > maxChars)
        throw new LimitExceeded(
          'maxValueChars',
          `replaceAll() result would be more than ${maxChars} characters, over the limit (maxValueChars)`,
          maxChars,
        );
    }
  }
  return re.matcher(s).replaceAll(RE2JS.quoteReplacement(replacement, true), true);
}
