// ISO-8601 durations (days and smaller units only, as the product allows) or plain seconds, in ms.
const pattern = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function durationToMillis(duration: number | string): number | null {
  if (typeof duration === 'number')
    return Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) : null;
  const m = pattern.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return null;
  const [, d, h, min, s] = m;
  const ms =
    (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3_600 + Number(min ?? 0) * 60 + Number(s ?? 0)) *
    1000;
  return ms > 0 ? Math.round(ms) : null;
}

export const DAY_MS = 86_400_000;
/** Waits and event timeouts may last at most 90 days. */
export const MAX_WAIT_MS = 90 * DAY_MS;
/** After 91 days an instance is removed whatever it waits for. */
export const INSTANCE_LIFETIME_MS = 91 * DAY_MS;

/** The journey's global timeout in ms: its `timeout.days`, else the 91-day instance lifetime. */
export const journeyLifetimeMs = (timeout: { readonly days: number } | undefined): number =>
  timeout ? Math.min(timeout.days * DAY_MS, INSTANCE_LIFETIME_MS) : INSTANCE_LIFETIME_MS;

/** "1 day", "91 days": a lifetime for messages. */
export const lifetimeLabel = (ms: number): string => {
  const days = Math.round(ms / DAY_MS);
  return days === 1 ? '1 day' : `${days} days`;
};
