// The pure parts of @waymark/web (sdk/web/src): page globs and trigger matching, safe URLs, the
// VAPID key bytes, request building, the event body, answers turned into typed errors, and the
// stored identity, the service worker's report of a notification click. The parts that need a page (rendering, the service worker, PushManager) are
// tested in Chromium by test/ui/storefront.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiErrorOf, WaymarkApiError, WaymarkNetworkError } from '../../sdk/web/src/errors.ts';
import { buildRequest, eventBody, send, type FetchLike } from '../../sdk/web/src/http.ts';
import {
  checkIdentity,
  IDENTITY_KEY,
  readIdentity,
  writeIdentity,
  type KeyValueStore,
} from '../../sdk/web/src/identity.ts';
import {
  base64UrlBytes,
  pageMatches,
  pageViewOf,
  safeUrl,
  triggerMatches,
} from '../../sdk/web/src/triggers.ts';
import { pushInteractionRequest } from '../../sdk/web/src/push-report.ts';
import { PUSH_MESSAGE_ID_KEY, pushInteractionSchema } from '../../src/runtime/push-interactions.ts';

test('page globs: * stands for any run of characters, the rest is literal, query and fragment ignored', () => {
  assert.ok(pageMatches('/demo/luma/*', '/demo/luma/'));
  assert.ok(pageMatches('/demo/luma/*', '/demo/luma/cart'));
  assert.ok(pageMatches('/demo/luma/*', '/demo/luma/a/b?x=1#top'));
  assert.ok(!pageMatches('/demo/luma/*', '/demo/lumax'));
  assert.ok(!pageMatches('/demo/luma/*', '/other/demo/luma/'));
  assert.ok(pageMatches('/products/*.html', '/products/watch.html'));
  assert.ok(!pageMatches('/products/*.html', '/products/watchxhtml'), 'a dot is a dot');
  assert.ok(pageMatches('/cart', '/cart'));
  assert.ok(!pageMatches('/cart', '/cart/2'));
  assert.ok(pageMatches('*', '/anything'));
  assert.ok(pageMatches('/a(b)+[c]', '/a(b)+[c]'), 'regex characters are literal');
});

test('trigger matching by kind: app launch, page view by glob, event by type', () => {
  const launch = { kind: 'appLaunch' } as const;
  const page = (p: string) => ({ kind: 'pageView', page: p }) as const;
  const event = (t: string) => ({ kind: 'event', eventType: t }) as const;
  assert.ok(triggerMatches(launch, launch));
  assert.ok(!triggerMatches(launch, page('/')));
  assert.ok(triggerMatches(page('/demo/luma/*'), page('/demo/luma/cart')));
  assert.ok(!triggerMatches(page('/demo/luma/*'), event('LumaProductView')));
  assert.ok(triggerMatches(event('LumaProductView'), event('LumaProductView')));
  assert.ok(!triggerMatches(event('LumaProductView'), event('LumaCheckoutEvent_Email')));
  assert.deepEqual(pageViewOf({ pathname: '/demo/luma/cart' }), page('/demo/luma/cart'));
});

test('URLs from the server are followed only when http(s), resolved against the page', () => {
  const base = 'http://127.0.0.1:4600/demo/luma/';
  assert.equal(safeUrl('/demo/luma/cart', base), 'http://127.0.0.1:4600/demo/luma/cart');
  assert.equal(safeUrl('https://luma.example/x', base), 'https://luma.example/x');
  assert.equal(safeUrl('cart', base), 'http://127.0.0.1:4600/demo/luma/cart');
  assert.equal(safeUrl('javascript:alert(1)', base), null);
  assert.equal(safeUrl(' JavaScript:alert(1)', base), null);
  assert.equal(safeUrl('data:text/html,<script>alert(1)</script>', base), null);
  assert.equal(safeUrl('http://[bad', base), null);
});

test('a base64url VAPID key becomes its 65 bytes (unpadded, URL alphabet)', () => {
  const bytes = Buffer.alloc(65, 0);
  bytes[0] = 4;
  bytes[1] = 0xfb; // '+' / '-' in base64
  bytes[2] = 0xff; // '/' / '_'
  const text = bytes.toString('base64url');
  assert.ok(!text.includes('='));
  assert.deepEqual(Buffer.from(base64UrlBytes(text)), bytes);
});

test('requests: the write key as a bearer token, JSON bodies, the sandbox header only when asked', () => {
  const r = buildRequest(
    { baseUrl: 'https://waymark.example/', writeKey: 'wmk_k' },
    'POST',
    '/v1/events',
    {
      a: 1,
    },
  );
  assert.deepEqual(r, {
    url: 'https://waymark.example/v1/events',
    method: 'POST',
    headers: {
      authorization: 'Bearer wmk_k',
      accept: 'application/json',
      'content-type': 'application/json',
    },
    body: '{"a":1}',
  });
  const get = buildRequest(
    { baseUrl: '', writeKey: 'wmk_k', sandbox: 'dev' },
    'GET',
    '/v1/push/web/X/key',
  );
  assert.equal(get.url, '/v1/push/web/X/key');
  assert.equal(get.headers['x-sandbox-name'], 'dev');
  assert.equal(get.body, undefined);
  assert.equal(get.headers['content-type'], undefined);
});

test('the event body is what POST /v1/events takes', () => {
  assert.deepEqual(
    eventBody('LumaCheckoutEvent_Email', { x: 1 }, 'evt-1', new Date('2026-12-05T01:00:00Z')),
    {
      id: 'evt-1',
      type: 'LumaCheckoutEvent_Email',
      payload: { x: 1 },
      timestamp: '2026-12-05T01:00:00.000Z',
    },
  );
});

test("errors carry the server's status, code, message and issues", () => {
  const e = apiErrorOf(
    400,
    JSON.stringify({
      error: {
        code: 'bad_request',
        message: 'body.trigger.kind: appLaunch | pageView | event, got "x"',
        issues: [
          { path: 'body.trigger.kind', message: 'a kind', expected: 'appLaunch', received: 'x' },
        ],
      },
    }),
  );
  assert.ok(e instanceof WaymarkApiError && e instanceof Error);
  assert.equal(e.name, 'WaymarkApiError');
  assert.equal(e.status, 400);
  assert.equal(e.code, 'bad_request');
  assert.equal(e.message, 'body.trigger.kind: appLaunch | pageView | event, got "x"');
  assert.deepEqual(e.issues, [
    { path: 'body.trigger.kind', message: 'a kind', expected: 'appLaunch', received: 'x' },
  ]);
  const plain = apiErrorOf(502, '<html>Bad gateway</html>');
  assert.equal(plain.code, 'http_502');
  assert.equal(plain.message, 'HTTP 502: <html>Bad gateway</html>');
  assert.equal(apiErrorOf(404, '').message, 'HTTP 404');
  assert.deepEqual(
    apiErrorOf(403, '{"error":{"code":"forbidden","message":"permission needed: events.ingest"}}')
      .issues,
    [],
  );
});

test('send: the JSON answer, a typed error for a refusal, a network error when nothing answers', async () => {
  const answering =
    (status: number, text: string): FetchLike =>
    async () => ({ status, ok: status < 300, text: async () => text });
  const r = buildRequest({ baseUrl: '', writeKey: 'k' }, 'POST', '/v1/events', {});
  assert.deepEqual(await send(answering(202, '{"accepted":1}'), r), { accepted: 1 });
  assert.equal(await send(answering(204, ''), r), null);
  await assert.rejects(
    send(answering(401, '{"error":{"code":"unauthorized","message":"no such API key"}}'), r),
    (e: unknown) =>
      e instanceof WaymarkApiError && e.status === 401 && e.message === 'no such API key',
  );
  await assert.rejects(
    send(async () => {
      throw new TypeError('Failed to fetch');
    }, r),
    (e: unknown) =>
      e instanceof WaymarkNetworkError &&
      /could not be reached \(POST \/v1\/events\): Failed to fetch/.test(e.message),
  );
  await assert.rejects(send(answering(200, 'not json'), r), WaymarkNetworkError);
  let seen: unknown;
  await send(
    async (_url, init) => {
      seen = init;
      return { status: 202, ok: true, text: async () => '{}' };
    },
    r,
    { keepalive: true },
  );
  assert.equal((seen as { keepalive?: boolean }).keepalive, true);
});

test('the identity is kept in storage, checked, and forgotten on reset', () => {
  const m = new Map<string, string>();
  const store: KeyValueStore = {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
  assert.equal(readIdentity(store), null, 'anonymous at first');
  writeIdentity(store, checkIdentity(' Email ', ' tom.baker@luma.example '));
  assert.deepEqual(readIdentity(store), { namespace: 'Email', id: 'tom.baker@luma.example' });
  m.set(IDENTITY_KEY, '{not json');
  assert.equal(readIdentity(store), null);
  m.set(IDENTITY_KEY, '{"namespace":"","id":"x"}');
  assert.equal(readIdentity(store), null);
  writeIdentity(store, null);
  assert.equal(m.has(IDENTITY_KEY), false);
  assert.equal(readIdentity(null), null);
  assert.throws(() => checkIdentity('', 'x'), /namespace must be 1 to 60 characters/);
  assert.throws(() => checkIdentity('Email', 'x'.repeat(257)), /id must be 1 to 256 characters/);
});

test("the service worker's report of a notification click: opened, or clicked with the action; nothing without a message id or a visitor", () => {
  const config = {
    baseUrl: 'https://wm.example/',
    writeKey: 'wmk_site',
    sandbox: 'dev',
    identity: { namespace: 'Email', id: 'tom.baker@luma.example' },
  };
  const data = { url: '/demo/luma/', [PUSH_MESSAGE_ID_KEY]: 'i1:2' };
  const opened = pushInteractionRequest(config, data, '');
  assert.ok(opened);
  assert.equal(opened.url, 'https://wm.example/v1/push/interactions');
  assert.equal(opened.method, 'POST');
  assert.equal(opened.headers['authorization'], 'Bearer wmk_site');
  assert.equal(opened.headers['x-sandbox-name'], 'dev');
  const body = pushInteractionSchema.parse(JSON.parse(opened.body!));
  assert.deepEqual(body, {
    namespace: 'Email',
    id: 'tom.baker@luma.example',
    messageId: 'i1:2',
    interaction: 'opened',
  });
  const clicked = pushInteractionRequest(config, data, 'view-order');
  assert.deepEqual(pushInteractionSchema.parse(JSON.parse(clicked!.body!)), {
    ...body,
    interaction: 'clicked',
    action: 'view-order',
  });
  assert.equal(pushInteractionRequest(config, { url: '/x' }, ''), null, 'not a Waymark push');
  assert.equal(pushInteractionRequest({ ...config, identity: null }, data, ''), null, 'signed out');
  assert.equal(pushInteractionRequest(null, data, ''), null, 'never registered here');
});
