// Java-style regular expressions, as the documented functions take them: leading inline flags such as
// (?i) become JavaScript flags; invalid patterns yield undefined (the function then answers false/empty).
const cache = new Map<string, RegExp | undefined>();

export function javaRegex(pattern: string, extraFlags = ''): RegExp | undefined {
  const key = `${extraFlags}/${pattern}`;
  if (cache.has(key)) return cache.get(key);
  let flags = extraFlags;
  let body = pattern;
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m !== null) {
    for (const f of m[1] ?? '') if (f !== 'x' && !flags.includes(f)) flags += f;
    body = body.slice(m[0].length);
  }
  let re: RegExp | undefined;
  try { re = new RegExp(body, flags); } catch { re = undefined; }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}
