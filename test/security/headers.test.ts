// Security headers: every response (API, console, errors, 404s, public routes, even a URL the
// router refuses) carries the Content-Security-Policy, no framing, nosniff and no referrer; images
// for mail clients stay embeddable elsewhere; the built console holds no inline script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CONTENT_SECURITY_POLICY,
  PUBLIC_CONTENT_SECURITY_POLICY,
} from '../../src/api/security-headers.ts';
import { ADMIN_KEY, apiWorld, type ApiWorld } from '../support/server.ts';
import { buildUiOnce, UI_DIST } from '../ui/support/server.ts';

let w: ApiWorld;
let base: string;
before(async () => {
  w = await apiWorld();
  base = await w.listen();
});
after(async () => {
  await w.close();
});

const directives = (csp: string): Map<string, string> =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => [d.split(/\s+/)[0]!, d.split(/\s+/).slice(1).join(' ')]),
  );

test("the policy lets only the console's own scripts run and forbids framing, plugins and base changes", () => {
  const d = directives(CONTENT_SECURITY_POLICY);
  assert.equal(d.get('default-src'), "'self'");
  assert.equal(d.get('script-src'), "'self'", 'no inline script, no eval');
  assert.equal(d.get('connect-src'), "'self'");
  assert.equal(d.get('frame-ancestors'), "'none'");
  assert.equal(d.get('base-uri'), "'none'");
  assert.equal(d.get('form-action'), "'self'");
  assert.equal(d.get('object-src'), "'none'");
});

test('the public pages and files reached from a mailbox (tracking, assets) allow no script at all', () => {
  const d = directives(PUBLIC_CONTENT_SECURITY_POLICY);
  assert.equal(d.get('default-src'), "'none'");
  assert.equal(d.get('script-src'), undefined, "no script source: default-src 'none' applies");
  assert.equal(d.get('frame-ancestors'), "'none'");
  assert.equal(d.get('form-action'), "'self'", 'the unsubscribe confirmation posts back to itself');
});

test('every kind of response carries the security headers', async () => {
  const auth = { authorization: `Bearer ${ADMIN_KEY}` };
  const requests: Array<[string, string, RequestInit?, string?]> = [
    ['API read', '/v1/journeys', { headers: auth }],
    ['API without a key', '/v1/journeys'],
    [
      'API error (bad JSON)',
      '/v1/events',
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{not json',
      },
    ],
    ['API 404', '/v1/no-such-route', { headers: auth }],
    ['health', '/healthz'],
    ['OpenAPI', '/openapi.json'],
    ['console page', '/journeys/some-journey'],
    ['console static 404', '/static/missing.js'],
    ['a URL the router refuses', '/v1/%FF'],
    ['tracking, bad token', '/t/c/forged', undefined, PUBLIC_CONTENT_SECURITY_POLICY],
    ['open pixel', '/t/o/forged.gif', undefined, PUBLIC_CONTENT_SECURITY_POLICY],
    ['asset, missing', '/assets/prod/missing.png', undefined, PUBLIC_CONTENT_SECURITY_POLICY],
    ['a tracking URL the router refuses', '/t/o/%00%FF', undefined, PUBLIC_CONTENT_SECURITY_POLICY],
  ];
  for (const [what, path, init, policy = CONTENT_SECURITY_POLICY] of requests) {
    const res = await fetch(base + path, init);
    await res.arrayBuffer();
    assert.equal(
      res.headers.get('content-security-policy'),
      policy,
      `${what} (${res.status}): CSP`,
    );
    assert.equal(res.headers.get('x-frame-options'), 'DENY', what);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', what);
    assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin', what);
  }
});

test('images and the open pixel stay embeddable by mail clients; the console and the API are same-origin resources', async () => {
  const policy = async (path: string): Promise<string | null> => {
    const res = await fetch(base + path);
    await res.arrayBuffer();
    return res.headers.get('cross-origin-resource-policy');
  };
  assert.equal(await policy('/assets/prod/some-image.png'), 'cross-origin');
  assert.equal(await policy('/t/o/forged.gif'), 'cross-origin');
  assert.equal(await policy('/journeys'), 'same-origin');
  assert.equal(await policy('/v1/journeys'), 'same-origin');
});

test('the built console loads its scripts from files, never inline', () => {
  buildUiOnce();
  const html = readFileSync(join(UI_DIST, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length > 0, 'the console has a script');
  for (const [, attrs, body] of scripts) {
    assert.match(attrs!, /\bsrc="\/static\/[^"]+\.js"/, `a script with a src: <script${attrs}>`);
    assert.equal(body!.trim(), '', 'no inline code');
  }
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
});
