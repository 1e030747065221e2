// Regular expressions run on RE2 (re2js): matching time is linear in the input, so no pattern can
// cause catastrophic backtracking. Java syntax that RE2 lacks (backreferences, lookaround) is
// rejected with a clear error.
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 1000;
const cache = new Map<string, RE2JS>();

export type RegexResult =
  { readonly ok: true; readonly re: RE2JS } | { readonly ok: false; readonly message: string };

export function compileRegex(pattern: string): RegexResult {
  const hit = cache.get(pattern);
  if (hit) return { ok: true, re: hit };
  if (pattern.length > MAX_PATTERN_LENGTH)
    return {
      ok: false,
      message: `Regular expression too long (${pattern.length} > ${MAX_PATTERN_LENGTH} characters)`,
    };
  try {
    const re = RE2JS.compile(pattern);
    if (cache.size >= 500) cache.delete(cache.keys().next().value as string);
    cache.set(pattern, re);
    return { ok: true, re };
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      message: `Invalid regular expression ${JSON.stringify(pattern)}: ${detail} (backreferences and lookaround are not supported)`,
    };
  }
}
