import { signClaims } from './tokens.ts';
import type { TrackingContext, TrackingSecret } from './tokens.ts';

// Rewrites a rendered email's links to signed redirect URLs and adds an open pixel.
// The HTTP server serves these routes (relative to the public base URL):
//   GET  /t/c/:token        verify, record the click, 302 to the token's URL
//   GET  /t/o/:token.gif    verify, record the open, answer OPEN_PIXEL_GIF
//   GET|POST /t/u/:token    one-click unsubscribe (RFC 8058 POST body `List-Unsubscribe=One-Click`)

export const TRACKING_ROUTES = { click: '/t/c/', open: '/t/o/', unsubscribe: '/t/u/' } as const;

/** A 1x1 transparent GIF. */
export const OPEN_PIXEL_GIF: Buffer = Buffer.from(
  'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
  'base64',
);

export interface TrackedLink {
  /** Position of the link in the message (0-based), stable across sends of one content version. */
  readonly linkId: string;
  readonly url: string;
  readonly trackedUrl: string;
}

export interface RewriteOptions {
  readonly clicks?: boolean;
  readonly opens?: boolean;
}

export interface RewriteResult {
  readonly html: string;
  readonly links: readonly TrackedLink[];
  readonly pixelUrl?: string;
}

const trimBase = (baseUrl: string): string => baseUrl.replace(/\/+$/, '');

export function clickUrl(
  ctx: TrackingContext,
  url: string,
  linkId: string,
  secret: TrackingSecret,
  baseUrl: string,
): string {
  return `${trimBase(baseUrl)}${TRACKING_ROUTES.click}${signClaims({ ...ctx, kind: 'click', url, linkId }, secret)}`;
}

export function openPixelUrl(
  ctx: TrackingContext,
  secret: TrackingSecret,
  baseUrl: string,
): string {
  return `${trimBase(baseUrl)}${TRACKING_ROUTES.open}${signClaims({ ...ctx, kind: 'open' }, secret)}.gif`;
}

export function unsubscribeUrl(
  ctx: TrackingContext,
  channel: 'email' | 'sms' | 'push',
  secret: TrackingSecret,
  baseUrl: string,
): string {
  return `${trimBase(baseUrl)}${TRACKING_ROUTES.unsubscribe}${signClaims({ ...ctx, kind: 'unsubscribe', channel }, secret)}`;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? m;
  });
}

const A_TAG = /<a\b[^>]*>/gi;
const HREF = /(\shref\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

/**
 * Rewrites the `href` of every `<a>` with an absolute http(s) URL (unless the tag carries
 * `data-wm-notrack`) and inserts the open pixel before `</body>`.
 *
 * @example
 * rewriteLinks('<a href="https://luma.example/p?id=1&amp;c=2">Shop</a>', ctx, secret, 'https://wm.example')
 * // { html: '<a href="https://wm.example/t/c/v1....">Shop</a><img ...>', links: [{ linkId: '0', url: 'https://luma.example/p?id=1&c=2', ... }] }
 */
export function rewriteLinks(
  html: string,
  ctx: TrackingContext,
  secret: TrackingSecret,
  baseUrl: string,
  options: RewriteOptions = {},
): RewriteResult {
  const links: TrackedLink[] = [];
  let out = html;
  if (options.clicks ?? true) {
    let index = 0;
    out = out.replace(A_TAG, (tag) => {
      if (/\sdata-wm-notrack\b/i.test(tag)) return tag;
      const m = HREF.exec(tag);
      if (m === null) return tag;
      const raw = m[3] ?? m[4] ?? m[5] ?? '';
      const url = decodeEntities(raw).trim();
      if (!/^https?:\/\/[^\s]+$/i.test(url)) return tag;
      const linkId = String(index++);
      const trackedUrl = clickUrl(ctx, url, linkId, secret, baseUrl);
      links.push({ linkId, url, trackedUrl });
      return tag.replace(HREF, (_all, prefix: string) => `${prefix}"${trackedUrl}"`);
    });
  }
  if (!(options.opens ?? true)) return { html: out, links };
  const pixelUrl = openPixelUrl(ctx, secret, baseUrl);
  const img = `<img src="${pixelUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  const close = out.toLowerCase().lastIndexOf('</body>');
  out = close < 0 ? `${out}${img}` : `${out.slice(0, close)}${img}${out.slice(close)}`;
  return { html: out, links, pixelUrl };
}
