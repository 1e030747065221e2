// What the built-in roles mean at the API: a viewer reads journeys and their reports in its sandbox
// and nothing personal, changes nothing and sees no other sandbox; keys people create stop working
// the moment they are revoked or expire; and a route that forgets to declare its permission keeps
// the server from starting.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SYSTEM_ACTOR } from '../../src/access/policy.ts';
import { buildServer } from '../../src/api/server.ts';
import { ROLE_KEYS, apiWorld, type ApiWorld } from '../support/server.ts';

let w: ApiWorld;
before(async () => {
  w = await apiWorld();
});
after(async () => {
  await w.close();
});

const asViewer = (
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => w.request(method, url, body, { authorization: `Bearer ${ROLE_KEYS.viewer}`, ...headers });

test("a viewer lists journeys and reads a journey's report in its sandbox", async () => {
  const list = await asViewer('GET', '/v1/journeys');
  assert.equal(list.status, 200);
  assert.ok(
    list.body.items.some((j: { id: string }) => j.id === 'purchase-journey'),
    'the Purchase Journey is listed',
  );
  assert.equal((await asViewer('GET', '/v1/journeys/purchase-journey')).status, 200);
  const report = await asViewer('GET', '/v1/journeys/purchase-journey/report');
  assert.equal(report.status, 200, JSON.stringify(report.body));
  assert.equal(
    (await asViewer('GET', '/v1/journeys/purchase-journey/report/timeline')).status,
    200,
  );
  assert.equal((await asViewer('GET', '/v1/fragments')).status, 200, 'objects are readable');
});

test('a viewer changes nothing: every change is refused with the permission it needs', async () => {
  const attempts: Array<
    [method: 'POST' | 'PUT' | 'DELETE', url: string, body: unknown, permission: string]
  > = [
    ['POST', '/v1/journeys', { id: 'viewer-made', name: 'x' }, 'journeys.manage'],
    ['PUT', '/v1/journeys/purchase-journey', {}, 'journeys.manage'],
    ['DELETE', '/v1/journeys/purchase-journey', undefined, 'journeys.delete'],
    ['POST', '/v1/journeys/purchase-journey/publish', {}, 'journeys.publish'],
    ['POST', '/v1/journeys/purchase-journey/stop', {}, 'journeys.publish'],
    ['POST', '/v1/journeys/purchase-journey/test-mode', { enabled: true }, 'journeys.publish'],
    [
      'POST',
      '/v1/fragments',
      { id: 'viewer-made', name: 'x', type: 'expression', content: 'x' },
      'content.manage',
    ],
    ['DELETE', '/v1/content-templates/x', undefined, 'content.delete'],
    ['POST', '/v1/events', {}, 'events.ingest'],
    ['DELETE', '/v1/profiles/Email/jean.dupont@luma.example', undefined, 'profiles.erase'],
    ['POST', '/v1/packages/apply', {}, 'packages.import'],
    ['POST', '/v1/allowed-hosts', { host: 'api.example.com' }, 'settings.manage'],
    ['PUT', '/v1/profile-settings', { retentionDays: 1 }, 'settings.manage'],
    ['POST', '/v1/render/proof', {}, 'content.manage'],
  ];
  const before = (await asViewer('GET', '/v1/journeys/purchase-journey/versions')).body.items;
  for (const [method, url, body, permission] of attempts) {
    const r = await asViewer(method, url, body);
    assert.equal(r.status, 403, `${method} ${url}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(
      {
        code: r.body.error.code,
        message: r.body.error.message,
        permission: r.body.error.details.permission,
      },
      { code: 'forbidden', message: `permission needed: ${permission}`, permission },
      `${method} ${url}`,
    );
  }
  assert.deepEqual(
    (await asViewer('GET', '/v1/journeys/purchase-journey/versions')).body.items,
    before,
    'the journey is as it was',
  );
  assert.equal(
    (await w.request('GET', '/v1/journeys/viewer-made')).status,
    404,
    'nothing was created',
  );
});

test('a viewer reads no personal data and no message content', async () => {
  for (const [url, permission] of [
    ['/v1/profiles', 'profiles.read'],
    ['/v1/profiles/Email/jean.dupont@luma.example', 'profiles.read'],
    ['/v1/profiles/Email/jean.dupont@luma.example/events', 'profiles.read'],
    ['/v1/audiences/x/members', 'profiles.read'],
    ['/v1/dead-letters', 'profiles.read'],
    ['/v1/messages', 'messages.content'],
    ['/v1/dev/inbox', 'messages.content'],
  ] as const) {
    const r = await asViewer('GET', url);
    assert.equal(r.status, 403, `${url}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.details.permission, permission, url);
  }
  // Previewing content is allowed, but not for a stored profile: that would show its attributes.
  const forProfile = await asViewer('POST', '/v1/render', {
    templateId: 'luma-cart-abandoned-email',
    profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
  });
  assert.equal(forProfile.status, 403, JSON.stringify(forProfile.body));
  assert.equal(forProfile.body.error.details.permission, 'profiles.read');
  const inline = await asViewer('POST', '/v1/render', {
    templateId: 'luma-cart-abandoned-email',
    profile: { person: { name: { firstName: 'Sample' } } },
  });
  assert.equal(inline.status, 200, JSON.stringify(inline.body));
  const me = await asViewer('GET', '/v1/me');
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.roles, ['viewer']);
  for (const p of ['profiles.read', 'messages.content', 'journeys.manage', 'journeys.publish'])
    assert.ok(!me.body.permissions.includes(p), `the console is told the viewer lacks ${p}`);
  assert.ok(me.body.permissions.includes('journeys.view'));
});

test('a viewer of one sandbox cannot see another', async () => {
  const other = { 'x-sandbox-name': 'agency' };
  for (const url of [
    '/v1/journeys',
    '/v1/fragments',
    '/v1/me',
    '/v1/journeys/purchase-journey/report',
  ]) {
    const r = await asViewer('GET', url, undefined, other);
    assert.equal(r.status, 403, `${url} in another sandbox: ${JSON.stringify(r.body)}`);
  }
  const me = await asViewer('GET', '/v1/me');
  assert.deepEqual(
    me.body.sandboxes.map((s: { name: string }) => s.name),
    ['prod'],
    'the switcher offers only its sandbox',
  );
});

test('a key created for the viewer role works at once, and is refused at once when revoked or expired', async () => {
  const directory = w.app.access.directory;
  const created = await directory.createKey(
    { name: 'agency reader', role: 'viewer', sandboxes: ['prod'] },
    SYSTEM_ACTOR,
  );
  const auth = { authorization: `Bearer ${created.key}` };
  assert.equal((await w.request('GET', '/v1/journeys', undefined, auth)).status, 200);
  assert.equal(
    (await w.request('GET', '/v1/profiles', undefined, auth)).status,
    403,
    'a viewer key reads no profiles',
  );
  await directory.revokeKey(created.id, SYSTEM_ACTOR);
  const revoked = await w.request('GET', '/v1/journeys', undefined, auth);
  assert.equal(revoked.status, 401);
  assert.match(revoked.body.error.message, /revoked/);

  const expiring = await directory.createKey(
    {
      name: 'short-lived',
      role: 'viewer',
      sandboxes: ['prod'],
      expiresAt: new Date(w.clock.now() + 3_600_000).toISOString(),
    },
    SYSTEM_ACTOR,
  );
  const auth2 = { authorization: `Bearer ${expiring.key}` };
  assert.equal((await w.request('GET', '/v1/journeys', undefined, auth2)).status, 200);
  w.clock.advance(2 * 3_600_000);
  const expired = await w.request('GET', '/v1/journeys', undefined, auth2);
  assert.equal(expired.status, 401);
  assert.match(expired.body.error.message, /expired/);
});

test('an unknown sandbox is refused, not created', async () => {
  const r = await w.request('GET', '/v1/journeys', undefined, { 'x-sandbox-name': 'never-made' });
  assert.equal(r.status, 404, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'unknown_sandbox');
});

test('a route registered without a permission keeps the server from starting', async () => {
  await assert.rejects(
    buildServer({
      app: w.app,
      keys: [],
      plugins: [
        async (f) => {
          f.get('/unguarded', async () => 'open');
        },
      ],
    }),
    /GET \/v1\/unguarded declares no permission/,
  );
  await assert.rejects(
    buildServer({
      app: w.app,
      keys: [],
      plugins: [
        async (f) => {
          f.get(
            '/misspelt',
            { config: { permission: 'journeys.veiw' as 'journeys.view' } },
            async () => 'open',
          );
        },
      ],
    }),
    /unknown permission "journeys.veiw"/,
  );
  const ok = await buildServer({
    app: w.app,
    keys: [],
    plugins: [
      async (f) => {
        f.get('/guarded', { config: { permission: 'journeys.view' } }, async () => 'fine');
      },
    ],
  });
  await ok.close();
});
