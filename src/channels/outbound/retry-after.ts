// A provider's Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as milliseconds to
// wait; undefined when absent, unreadable, or not in the future. Every HTTP channel adapter and the
// webhook dispatcher read it the same way.

export function retryAfterMs(
  headers: Pick<Headers, 'get'>,
  now: number = Date.now(),
): number | undefined {
  const v = headers.get('retry-after')?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) {
    const s = Number(v);
    return s > 0 ? s * 1000 : undefined;
  }
  const at = Date.parse(v);
  return Number.isFinite(at) && at > now ? at - now : undefined;
}

/** `{ retryAfterMs }` when the answer carries one, else nothing: for spreading into a result. */
export function retryAfterOf(
  headers: Pick<Headers, 'get'>,
  now?: number,
): { retryAfterMs?: number } {
  const ms = retryAfterMs(headers, now);
  return ms === undefined ? {} : { retryAfterMs: ms };
}
