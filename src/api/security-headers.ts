// Security headers on every response (the API, the console, errors and 404s): a Content-Security-
// Policy that lets the console run only its own scripts, no framing, no MIME sniffing, no referrer.
//
// Why the policy allows what it allows:
// - style-src 'unsafe-inline': CodeMirror mounts its themes as <style> elements, and the email
//   previews (sandboxed srcdoc iframes, which inherit this policy) are made of <style> blocks and
//   style attributes. Scripts stay 'self' only: an injected inline script never runs.
// - img-src https:: the same previews show the email's own images, which live on the sender's
//   servers or CDN (the console itself uses only 'self', data: and blob: images).
// Public routes keep what they need and no more: images under /assets/* and the open pixel under
// /t/* are embedded by mail clients on other origins (Cross-Origin-Resource-Policy: cross-origin
// there, same-origin elsewhere), and their own policy allows no script at all (the unsubscribe
// page is a plain form); click redirects are plain 302s.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * The public pages and files people reach from their mailbox (/t/*: the unsubscribe confirmation,
 * redirects, the open pixel; /assets/*: images) need no script at all: a stricter policy.
 */
export const PUBLIC_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Landing pages (/lp/*): the public policy, and images from anywhere https (a designed page shows the
 * same images its email would). Still no script at all: forms post back to the page.
 */
export const LANDING_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The headers every response carries (a route may set its own value of any of them first). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** Paths whose responses other origins embed (images in emails): no same-origin resource policy. */
const EMBEDDED_ELSEWHERE = ['/assets/', '/t/'];

const isPublic = (url: string): boolean => EMBEDDED_ELSEWHERE.some((p) => url.startsWith(p));

export function resourcePolicyFor(url: string): 'cross-origin' | 'same-origin' {
  return isPublic(url) ? 'cross-origin' : 'same-origin';
}

/** The headers for a request's URL: the console's policy, or the script-less one of the public routes. */
export function securityHeadersFor(url: string): Readonly<Record<string, string>> {
  return {
    ...SECURITY_HEADERS,
    ...(isPublic(url) ? { 'content-security-policy': PUBLIC_CONTENT_SECURITY_POLICY } : {}),
    ...(url.startsWith('/lp/')
      ? { 'content-security-policy': LANDING_PAGE_CONTENT_SECURITY_POLICY }
      : {}),
    'cross-origin-resource-policy': resourcePolicyFor(url),
  };
}

/**
 * Adds the headers to every response. An onSend hook at the root covers what Fastify sends (routes,
 * 404s, errors, static files; a route's own value wins); the same headers are also put on the raw
 * response as it arrives, for what Fastify answers before any hook runs (a URL that is not valid
 * percent-encoding gets its 400 straight from the router).
 */
export function registerSecurityHeaders(f: FastifyInstance): void {
  f.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(securityHeadersFor(req.url ?? '/')))
      res.setHeader(name, value);
  });
  f.addHook('onSend', async (req, reply, payload) => {
    for (const [name, value] of Object.entries(securityHeadersFor(req.url)))
      if (!reply.hasHeader(name)) void reply.header(name, value);
    return payload;
  });
}
