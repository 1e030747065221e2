// The audit log through the API: an admin changes a fragment, a custom action with a secret, a
// journey, a profile and applies a package; each change is one entry with who, where, what and a
// diff with secrets redacted. Filters, pages and the JSON-lines export; a viewer is refused; read-only
// POST routes write nothing; and every changing route is either audited or listed as read-only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEntry } from '../../src/access/api-types.ts';
import { apiKey } from '../../src/api/auth.ts';
import { auditPlanFor } from '../../src/api/audit-hook.ts';
import { AUDITED_ROUTES, NOT_AUDITED, PUBLIC_NOT_AUDITED } from '../../src/api/audit-routes.ts';
import { buildServer } from '../../src/api/server.ts';
import { apiWorld } from '../support/server.ts';

const fragment = {
  id: 'audit-footer',
  name: 'Audit footer',
  status: 'live',
  content: { type: 'expression', source: '<p>Hello</p>' },
};
const SECRET = 'tok-3f9a-very-secret';
const NEW_SECRET = 'tok-77b1-even-more-secret';

test('every change the admin makes is one entry with actor, sandbox, object and a diff whose secrets are redacted', async () => {
  const w = await apiWorld();
  try {
    const log = async (query = ''): Promise<AuditEntry[]> => {
      const r = await w.request('GET', `/v1/audit-log${query}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items as AuditEntry[];
    };
    assert.deepEqual(
      await log(),
      [],
      'applying the demo at start went through the app, not the API',
    );

    // A fragment: created, changed, deleted.
    assert.equal((await w.request('POST', '/v1/fragments', fragment)).status, 201);
    assert.equal(
      (
        await w.request('PUT', '/v1/fragments/audit-footer', {
          ...fragment,
          content: { type: 'expression', source: '<p>Bye</p>' },
        })
      ).status,
      200,
    );
    assert.equal(
      (
        await w.request('PUT', '/v1/fragments/audit-footer', {
          ...fragment,
          content: { type: 'expression', source: '<p>Bye</p>' },
        })
      ).status,
      200,
      'the same again: no change',
    );
    assert.equal((await w.request('DELETE', '/v1/fragments/audit-footer')).status, 204);
    const [deleted, updated, created] = await log('?object=fragment:audit-footer');
    assert.deepEqual(
      [created?.action, updated?.action, deleted?.action],
      ['object.create', 'object.update', 'object.delete'],
    );
    for (const e of [created!, updated!, deleted!]) {
      assert.equal(e.sandbox, 'prod');
      assert.equal(e.actor.name, 'admin');
      assert.deepEqual(e.object, { kind: 'fragment', key: 'audit-footer', name: 'Audit footer' });
    }
    assert.deepEqual(
      created!.changes.map((c) => [c.path, c.before, (c.after as typeof fragment).content]),
      [['', undefined, fragment.content]],
      'the whole fragment as stored',
    );
    assert.deepEqual(updated!.changes, [
      { path: 'content.source', before: '<p>Hello</p>', after: '<p>Bye</p>' },
    ]);
    assert.equal(deleted!.changes.length, 1);
    assert.equal(deleted!.changes[0]?.path, '');

    // A custom action with a bearer token: the token never reaches the log, but its change shows.
    const action = {
      name: 'AuditedApi',
      url: w.loyalty.url,
      method: 'POST',
      payload: [{ path: 'loyaltyId', type: 'string', kind: 'variable' }],
      auth: { kind: 'bearer', token: SECRET },
      timeoutMs: 5000,
    };
    assert.equal((await w.request('POST', '/v1/actions', action)).status, 201);
    assert.equal(
      (
        await w.request('PUT', '/v1/actions/AuditedApi', {
          ...action,
          auth: { kind: 'bearer', token: NEW_SECRET },
        })
      ).status,
      200,
    );
    const actionEntries = await log('?object=action:AuditedApi');
    assert.equal(actionEntries.length, 2);
    const text = JSON.stringify(actionEntries);
    assert.ok(!text.includes(SECRET) && !text.includes(NEW_SECRET), text);
    assert.ok(!text.includes('enc:'), 'nor its ciphertext');
    assert.deepEqual(actionEntries[0]!.changes, [
      { path: 'auth.token', before: '[redacted]', after: '[redacted]' },
    ]);
    assert.equal(
      (actionEntries[1]!.changes[0]!.after as { auth: { token: string } }).auth.token,
      '[redacted]',
    );

    // A journey: a new version, an edit, the publication.
    assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/versions')).status, 201);
    const draft = (await w.request('GET', '/v1/journeys/purchase-journey')).body.latest.definition;
    draft.nodes.find((n: { id: string }) => n.id === 'purchase').timeout.duration = 'PT5M';
    assert.equal((await w.request('PUT', '/v1/journeys/purchase-journey', draft)).status, 200);
    assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/publish')).status, 200);
    const journey = await log('?object=journey:purchase-journey');
    assert.deepEqual(
      journey.map((e) => e.action),
      ['journey.publish', 'journey.update', 'journey.new-version'],
    );
    assert.equal(journey[0]!.object?.name, 'Purchase Journey');
    assert.deepEqual(
      journey[0]!.changes.filter((c) => c.path.endsWith('.status')),
      [
        { path: 'v1.status', before: 'live', after: 'closed' },
        { path: 'v2.status', before: 'draft', after: 'live' },
      ],
    );
    assert.ok(
      journey[1]!.changes.some((c) => c.path.endsWith('.timeout.duration') && c.after === 'PT5M'),
      JSON.stringify(journey[1]!.changes),
    );
    assert.deepEqual(
      journey[2]!.changes.map((c) => c.path),
      ['v2'],
    );

    // A profile erased: named by its id, nothing personal kept.
    const profileId = (await w.request('GET', '/v1/profiles/Email/jean.dupont@luma.example')).body
      .id as string;
    assert.equal(
      (await w.request('DELETE', '/v1/profiles/Email/jean.dupont@luma.example')).status,
      200,
    );
    const [erased] = await log('?action=profile.erase');
    assert.deepEqual([erased?.object, erased?.changes], [{ kind: 'profile', key: profileId }, []]);
    assert.ok(!JSON.stringify(erased).includes('jean'), 'no identity in the entry');

    // A profile created through the API: its id once it exists, no attributes.
    assert.equal(
      (
        await w.request('PUT', '/v1/profiles/Email/new.shopper@luma.example', {
          attributes: { loyalty: { tier: 'gold' } },
        })
      ).status,
      200,
    );
    const newId = (await w.request('GET', '/v1/profiles/Email/new.shopper@luma.example')).body
      .id as string;
    const [profiled] = await log('?action=profile.update');
    assert.deepEqual([profiled?.object, profiled?.changes], [{ kind: 'profile', key: newId }, []]);
    assert.ok(
      !JSON.stringify(profiled).includes('gold') &&
        !JSON.stringify(profiled).includes('new.shopper'),
    );

    // A package applied: what it did, object by object.
    const pkg = {
      format: 'waymark.package/v1',
      name: 'audited',
      objects: [
        { kind: 'fragment', spec: { ...fragment, id: 'pkg-fragment', name: 'From a package' } },
      ],
    };
    assert.equal((await w.request('POST', '/v1/packages/apply', pkg)).status, 200);
    const [applied] = await log('?action=package.apply');
    assert.deepEqual((applied?.details as { objects: unknown[] }).objects, [
      { kind: 'fragment', key: 'pkg-fragment', status: 'created' },
    ]);

    // Read-only POSTs write nothing.
    const count = (await log('?limit=500')).length;
    assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/validate')).status, 200);
    assert.equal(
      (await w.request('POST', '/v1/expressions/validate', { expression: '1 + 1' })).status,
      200,
    );
    assert.equal((await log('?limit=500')).length, count);
    assert.equal(count, 11);
  } finally {
    await w.close();
  }
});

test('filters, pages newest first, the JSON-lines export; bad filters are 400 with issues', async () => {
  const w = await apiWorld();
  try {
    for (let i = 0; i < 5; i++) {
      w.clock.advance(60_000);
      assert.equal(
        (await w.request('POST', '/v1/fragments', { ...fragment, id: `f-${i}`, name: `F${i}` }))
          .status,
        201,
      );
    }
    const page1 = await w.request('GET', '/v1/audit-log?limit=2&action=object.*');
    assert.deepEqual(
      page1.body.items.map((e: AuditEntry) => e.object?.key),
      ['f-4', 'f-3'],
    );
    const page2 = await w.request(
      'GET',
      `/v1/audit-log?limit=2&action=object.*&before=${page1.body.next}`,
    );
    assert.deepEqual(
      page2.body.items.map((e: AuditEntry) => e.object?.key),
      ['f-2', 'f-1'],
    );
    const page3 = await w.request(
      'GET',
      `/v1/audit-log?limit=2&action=object.*&before=${page2.body.next}`,
    );
    assert.deepEqual(
      [page3.body.items.map((e: AuditEntry) => e.object?.key), page3.body.next],
      [['f-0'], null],
    );

    const t = (ms: number) => new Date(w.clock.now() - ms).toISOString();
    const ranged = await w.request('GET', `/v1/audit-log?since=${t(150_000)}&until=${t(30_000)}`);
    assert.deepEqual(
      ranged.body.items.map((e: AuditEntry) => e.object?.key),
      ['f-3', 'f-2'],
    );
    assert.equal((await w.request('GET', '/v1/audit-log?actor=admin')).body.items.length, 5);
    assert.equal((await w.request('GET', '/v1/audit-log?actor=someone-else')).body.items.length, 0);
    assert.equal((await w.request('GET', '/v1/audit-log?object=f-2')).body.items.length, 1);
    await w.app.access.audit.record({
      sandbox: 'elsewhere',
      actor: { kind: 'user', id: 'u9', name: 'eve@luma.example' },
      action: 'object.create',
      object: { kind: 'fragment', key: 'f-x' },
    });
    assert.equal(
      (await w.request('GET', '/v1/audit-log?object=f-x')).body.items.length,
      0,
      "another sandbox's entries are not the request sandbox's",
    );
    assert.equal(
      (await w.request('GET', '/v1/audit-log?object=f-x&sandbox=*')).body.items.length,
      1,
      'unless every sandbox is asked for, by someone who may',
    );

    const exported = await w.server.inject({
      method: 'GET',
      url: '/v1/audit-log/export?action=object.create',
      headers: { authorization: 'Bearer test-admin-key-0123456789' },
    });
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-type']), /^application\/x-ndjson/);
    const lines = exported.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(
      lines.map((e) => e.object?.key),
      ['f-4', 'f-3', 'f-2', 'f-1', 'f-0'],
    );

    for (const bad of [
      'limit=0',
      'since=yesterday',
      'action=Journey Publish',
      'before=zz',
      'colour=red',
    ]) {
      const r = await w.request('GET', `/v1/audit-log?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.ok(r.body.error.issues.length > 0, bad);
    }
  } finally {
    await w.close();
  }
});

test('a change whose entry cannot be written still succeeds', async () => {
  const w = await apiWorld();
  try {
    w.app.access.audit.record = async () => {
      throw new Error('the audit table is gone');
    };
    assert.equal((await w.request('POST', '/v1/fragments', fragment)).status, 201);
    assert.equal((await w.request('GET', '/v1/fragments/audit-footer')).status, 200);
  } finally {
    await w.close();
  }
});

test('a viewer key may not read the audit log', async () => {
  const w = await apiWorld();
  const viewer = await buildServer({
    app: w.app,
    keys: [apiKey('viewer', 'test-viewer-key-0123456789', ['*'], 'viewer')],
  });
  try {
    const r = await viewer.inject({
      method: 'GET',
      url: '/v1/audit-log',
      headers: { authorization: 'Bearer test-viewer-key-0123456789' },
    });
    assert.equal(r.statusCode, 403, r.body);
    const e = await viewer.inject({
      method: 'GET',
      url: '/v1/audit-log/export',
      headers: { authorization: 'Bearer test-viewer-key-0123456789' },
    });
    assert.equal(e.statusCode, 403, e.body);
  } finally {
    await viewer.close();
    await w.close();
  }
});

test('every POST, PUT, PATCH and DELETE route is either audited or listed as changing nothing', async () => {
  const w = await apiWorld();
  try {
    const unlisted: string[] = [];
    for (const r of w.server.routeTable) {
      if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)) continue;
      const key = `${r.method} ${r.url}`;
      if (AUDITED_ROUTES[key] || NOT_AUDITED[key] !== undefined || PUBLIC_NOT_AUDITED.has(key))
        continue;
      unlisted.push(key);
    }
    assert.deepEqual(
      unlisted,
      [],
      'add each to AUDITED_ROUTES or NOT_AUDITED (src/api/audit-routes.ts)',
    );
    // Listed read-only routes are never planned; a route added later without a listing is still recorded.
    assert.equal(auditPlanFor('POST', '/v1/render'), null);
    assert.equal(auditPlanFor('POST', '/v1/events'), null);
    assert.equal(auditPlanFor('GET', '/v1/journeys'), null);
    const derived = auditPlanFor('POST', '/v1/widgets/:id/polish');
    assert.equal(derived?.action, 'widget.polish');
  } finally {
    await w.close();
  }
});
