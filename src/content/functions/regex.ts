// Regular expressions for matches, regexGroup and replaceAll: Java syntax (inline flags such as (?i)
// included) on RE2 (re2js), so matching time is linear in the input and no pattern can hang a render.
// Backreferences and lookaround, which RE2 lacks, make the pattern invalid: the function then answers
// false, empty or the input unchanged.
import { RE2JS } from 're2js';

const MAX_PATTERN = 1000;
const cache = new Map<string, RE2JS | undefined>();

export function javaRegex(pattern: string): RE2JS | undefined {
  if (cache.has(pattern)) return cache.get(pattern);
  let re: RE2JS | undefined;
  try { re = pattern.length > MAX_PATTERN ? undefined : RE2JS.compile(pattern); } catch { re = undefined; }
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
  try { return m.group(group) ?? undefined; } catch { return undefined; }
}

/** Replaces every match with `replacement` taken literally. */
export function regexReplaceAll(pattern: string, s: string, replacement: string): string {
  const re = javaRegex(pattern);
  return re === undefined ? s : re.matcher(s).replaceAll(RE2JS.quoteReplacement(replacement, true), true);
}
