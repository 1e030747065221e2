// In-app triggers as the SDK reports them, and the small pure helpers the renderer relies on.

/** What happened in the page: the app (site) was opened, a page was shown, an event was sent. */
export type InAppTrigger =
  | { readonly kind: 'appLaunch' }
  | { readonly kind: 'pageView'; readonly page: string }
  | { readonly kind: 'event'; readonly eventType: string };

/**
 * A page glob as in-app triggers write them (`/demo/luma/*`): `*` stands for any run of
 * characters (slashes included), everything else is literal. The query and fragment are not part
 * of the page.
 */
export function pageMatches(glob: string, page: string): boolean {
  const path = page.split(/[?#]/)[0] ?? '';
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(path);
}

/** Whether a message's trigger (from its content) fires for what happened. */
export function triggerMatches(wanted: InAppTrigger, happened: InAppTrigger): boolean {
  if (wanted.kind === 'appLaunch') return happened.kind === 'appLaunch';
  if (wanted.kind === 'pageView')
    return happened.kind === 'pageView' && pageMatches(wanted.page, happened.page);
  return happened.kind === 'event' && happened.eventType === wanted.eventType;
}

/** The pageView trigger of a location: its path alone. */
export function pageViewOf(location: { readonly pathname: string }): InAppTrigger {
  return { kind: 'pageView', page: location.pathname };
}

/**
 * A URL from the server made safe to follow or load: http(s) only, resolved against the page.
 * Anything else (javascript:, data:, a malformed URL) answers null.
 */
export function safeUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A base64url VAPID key as the bytes PushManager.subscribe takes (applicationServerKey). */
export function base64UrlBytes(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
