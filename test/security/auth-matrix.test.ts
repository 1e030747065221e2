// Every route of /openapi.json, asked with no key, a wrong key, a key of another sandbox and a
// console cookie without its CSRF token, each path also spelled as an attacker would spell it
// (percent-encoded, doubled slashes, mixed case, trailing slash, dot segments, `;`): none may answer
// with anything but a refusal. The right key, on the plain and the encoded spelling, reaches the
// route: the matrix cannot pass by refusing everything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_KEY, PROD_ONLY_KEY, apiWorld, type ApiWorld } from '../support/server.ts';
import { rawRequest, variants, type RawAnswer } from './path-variants.ts';

let w: ApiWorld;
let port = 0;

before(async () => {
  w = await apiWorld();
  const base = await w.listen();
  port = Number(new URL(base).port);
});
after(async () => {
  await w.close();
});

/** A request with its path sent exactly as written (fetch would normalise it). */
const raw = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawAnswer> => rawRequest(port, method, path, headers, body);

const sample = (template: string): string =>
  template.replace(/\{[^}]+\}/g, (m) => (m === '{namespace}' ? 'Email' : 'x'));

async function routes(): Promise<
  Array<{ method: string; path: string; template: string; permission: string }>
> {
  const doc = JSON.parse((await raw('GET', '/openapi.json')).body) as {
    paths: Record<string, Record<string, { 'x-permission'?: string }>>;
  };
  const out: Array<{ method: string; path: string; template: string; permission: string }> = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops))
      if (['get', 'post', 'put', 'patch', 'delete'].includes(m))
        out.push({
          method: m.toUpperCase(),
          path: sample(p),
          template: p,
          permission: String(op['x-permission']),
        });
  }
  return out;
}

const refused = (a: RawAnswer): boolean =>
  a.status >= 400 && a.status < 500 && !/"items"|"spec"|"journeys"/.test(a.body);

test('every route of /openapi.json refuses every spelling of its path without the right credential', async () => {
  const all = await routes();
  assert.ok(all.length >= 60, `the OpenAPI document lists the API (${all.length} operations)`);
  const signIn = await raw('POST', '/v1/session', {}, JSON.stringify({ key: ADMIN_KEY }));
  const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
  // Routes about the caller itself (its session, signing out) answer a valid caller in any sandbox.
  const anySandbox = new Set(
    w.server.routeTable
      .filter((r) => r.anySandbox)
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`),
  );
  const credentials: Array<{
    name: string;
    headers: Record<string, string>;
    unsafeOnly?: boolean;
    sandboxBound?: boolean;
  }> = [
    { name: 'no key', headers: {} },
    { name: 'a wrong key', headers: { authorization: 'Bearer wmk_not-a-key-0123456789abcdef' } },
    { name: 'a wrong x-api-key', headers: { 'x-api-key': 'wmk_not-a-key-0123456789abcdef' } },
    {
      name: 'a key of another sandbox',
      headers: { authorization: `Bearer ${PROD_ONLY_KEY}`, 'x-sandbox-name': 'agency' },
      sandboxBound: true,
    },
    {
      name: 'an ended or forged session',
      headers: { cookie: 'waymark_session=forged-session-id' },
    },
    { name: 'a session cookie without its CSRF token', headers: { cookie }, unsafeOnly: true },
  ];
  const leaks: string[] = [];
  let asked = 0;
  for (const { method, path, template, permission } of all) {
    if (permission === 'public') continue; // sign-in, password reset, single sign-on: public by design (the last test holds that set)
    for (const spelled of variants(path)) {
      for (const c of credentials) {
        if (c.unsafeOnly && (method === 'GET' || method === 'HEAD')) continue;
        if (c.sandboxBound && anySandbox.has(`${method} ${template}`)) continue;
        const a = await raw(
          method,
          spelled,
          c.headers,
          method === 'GET' || method === 'DELETE' ? undefined : '{}',
        );
        asked++;
        if (!refused(a))
          leaks.push(
            `${method} ${spelled} with ${c.name} answered ${a.status}: ${a.body.slice(0, 120)}`,
          );
      }
    }
  }
  assert.deepEqual(leaks, [], `${leaks.length} of ${asked} requests were not refused`);
});

test('the right key reaches each route by its plain and its encoded spelling', async () => {
  // GET /v1/session answers only a console session; paths with made-up names answer 404 by right.
  const all = (await routes()).filter(
    (r) =>
      r.method === 'GET' &&
      !r.path.includes('/x') &&
      r.path !== '/v1/session' &&
      r.permission !== 'public',
  );
  assert.ok(all.length >= 10);
  for (const { path } of all) {
    for (const spelled of [path, `/%761${path.slice(3)}`]) {
      const a = await raw('GET', spelled, { authorization: `Bearer ${ADMIN_KEY}` });
      assert.ok(
        a.status !== 401 && a.status !== 403 && a.status !== 404,
        `GET ${spelled} with the admin key answered ${a.status}: ${a.body.slice(0, 200)}`,
      );
    }
  }
});

// Reached before anyone is signed in: accepting an invitation, resetting a password, single sign-on.
const SIGN_IN_ROUTES = new Set([
  'POST /v1/invitations/accept',
  'POST /v1/password-reset',
  'POST /v1/password-reset/complete',
  'GET /v1/sso',
  'HEAD /v1/sso',
  'GET /v1/sso/login',
  'HEAD /v1/sso/login',
  'GET /v1/sso/callback',
  'HEAD /v1/sso/callback',
]);

test('the only public routes are health, the OpenAPI document, sign-in, tracking, assets, signed webhooks, landing pages, the browser SDK, the console and its documentation', () => {
  const publicRoutes = w.server.routeTable
    .filter((r) => r.access === 'public')
    .map((r) => `${r.method} ${r.url}`)
    .filter((r) => !SIGN_IN_ROUTES.has(r))
    .sort();
  assert.deepEqual(
    [...new Set(publicRoutes)],
    [
      'GET /',
      'GET /*',
      'GET /assets/:sandbox/:id',
      'GET /docs',
      'GET /docs/*',
      'GET /healthz',
      'GET /lp/:sandbox/:slug',
      'GET /lp/:sandbox/:slug/:subPage',
      'GET /openapi.json',
      'GET /s/:code',
      'GET /sdk/:file',
      'GET /t/c/:token',
      'GET /t/o/:token',
      'GET /t/u/:token',
      'GET /webhooks/vonage/:sandbox/:configuration/receipts',
      'HEAD /',
      'HEAD /*',
      'HEAD /assets/:sandbox/:id',
      'HEAD /docs',
      'HEAD /docs/*',
      'HEAD /healthz',
      'HEAD /lp/:sandbox/:slug',
      'HEAD /lp/:sandbox/:slug/:subPage',
      'HEAD /openapi.json',
      'HEAD /s/:code',
      'HEAD /sdk/:file',
      'HEAD /t/c/:token',
      'HEAD /t/o/:token',
      'HEAD /t/u/:token',
      'HEAD /webhooks/vonage/:sandbox/:configuration/receipts',
      'POST /lp/:sandbox/:slug',
      'POST /lp/:sandbox/:slug/:subPage',
      'POST /t/u/:token',
      'POST /v1/session',
      'POST /webhooks/mailgun/:sandbox/:configuration/events',
      'POST /webhooks/sendgrid/:sandbox/:configuration/events',
      'POST /webhooks/twilio/:sandbox/:configuration/inbound',
      'POST /webhooks/twilio/:sandbox/:configuration/status',
      'POST /webhooks/vonage/:sandbox/:configuration/receipts',
    ],
  );
  const v1 = w.server.routeTable.filter((r) => r.url.startsWith('/v1'));
  assert.ok(v1.length >= 60, `the route table lists the API (${v1.length})`);
});

test('unknown paths and methods are refused without a key, and answer 404 with one', async () => {
  for (const [method, path] of [
    ['POST', '/v1/nothing-here'],
    ['OPTIONS', '/v1/journeys'],
    ['PATCH', '/%761/journeys'],
    ['DELETE', '/v1/packages/export'],
  ] as const) {
    const a = await raw(method, path);
    assert.equal(a.status, 401, `${method} ${path} without a key`);
  }
  assert.equal(
    (await raw('POST', '/v1/nothing-here', { authorization: `Bearer ${ADMIN_KEY}` })).status,
    404,
  );
});
