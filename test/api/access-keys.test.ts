// API keys at the API: a key is answered once and works at once; revoked or expired it is refused on
// the very next request; a rotated key overlaps its successor, then stops; and nobody mints a key
// more powerful than themselves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiWorld, ROLE_KEYS, type ApiWorld } from '../support/server.ts';

const as =
  (w: ApiWorld, key: string) =>
  (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    w.request(method, url, body, { authorization: `Bearer ${key}` });

test('a viewer key: created once, reads journeys, changes nothing, and is refused at once when revoked', async () => {
  const w = await apiWorld();
  try {
    const created = await w.request('POST', '/v1/api-keys', {
      name: 'Agency reports',
      role: 'viewer',
      sandboxes: ['prod'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.key, /^wmk_[A-Za-z0-9_-]{32,}$/);
    assert.equal(created.body.prefix, created.body.key.slice(0, 10));
    assert.deepEqual(created.body.createdBy, { kind: 'operator', id: 'admin', name: 'admin' });
    const viewer = as(w, created.body.key);

    assert.equal((await viewer('GET', '/v1/journeys')).status, 200);
    const refused = await viewer('POST', '/v1/api-keys', {
      name: 'x',
      role: 'viewer',
      sandboxes: ['prod'],
    });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /keys\.manage/);

    const list = await w.request('GET', '/v1/api-keys');
    const listed = list.body.items.find((k: { id: string }) => k.id === created.body.id);
    assert.equal(listed.name, 'Agency reports');
    assert.ok(listed.lastUsedAt, 'its use is recorded');
    assert.equal(
      JSON.stringify(list.body).includes(created.body.key),
      false,
      'the key is never listed',
    );

    const revoked = await w.request('DELETE', `/v1/api-keys/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    const audit = (await w.request('GET', '/v1/audit-log?limit=50')).body.items as Array<{
      action: string;
      sandbox: string | null;
      object: { kind: string; key: string; name?: string };
    }>;
    for (const action of ['key.create', 'key.revoke']) {
      const e = audit.find((x) => x.action === action);
      assert.deepEqual(
        [e?.sandbox, e?.object.kind, e?.object.key, e?.object.name],
        [null, 'apiKey', created.body.id, 'Agency reports'],
        action,
      );
    }
    assert.equal(
      JSON.stringify(audit).includes(created.body.key),
      false,
      'never the key in the audit log',
    );
    const after = await viewer('GET', '/v1/journeys');
    assert.equal(after.status, 401);
    assert.equal(after.body.error.details.reason, 'revoked');
  } finally {
    await w.close();
  }
});

test('an expired key is refused; an expiry in the past or a role or sandbox that does not exist is a 400 naming the field', async () => {
  const w = await apiWorld();
  try {
    const soon = new Date(w.clock.now() + 3600_000).toISOString();
    const k = await w.request('POST', '/v1/api-keys', {
      name: 'Short-lived',
      role: 'data-ingest',
      sandboxes: ['prod'],
      expiresAt: soon,
    });
    assert.equal(k.status, 201);
    assert.equal((await as(w, k.body.key)('GET', '/v1/me')).status, 200);
    w.clock.advance(3600_000);
    const expired = await as(w, k.body.key)('GET', '/v1/me');
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.details.reason, 'expired');

    const past = await w.request('POST', '/v1/api-keys', {
      name: 'Past',
      role: 'viewer',
      sandboxes: ['prod'],
      expiresAt: new Date(w.clock.now() - 1000).toISOString(),
    });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.issues[0].path, 'body.expiresAt');
    const noRole = await w.request('POST', '/v1/api-keys', {
      name: 'X',
      role: 'superuser',
      sandboxes: ['prod'],
    });
    assert.equal(noRole.status, 400);
    assert.equal(noRole.body.error.issues[0].path, 'body.role');
    const noSandbox = await w.request('POST', '/v1/api-keys', {
      name: 'X',
      role: 'viewer',
      sandboxes: ['nowhere'],
    });
    assert.equal(noSandbox.status, 400);
    assert.equal(noSandbox.body.error.issues[0].path, 'body.sandboxes');
    const missing = await w.request('POST', '/v1/api-keys', { role: 'viewer' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.issues.map((i: { path: string }) => i.path).sort(), [
      'body.name',
      'body.sandboxes',
    ]);
  } finally {
    await w.close();
  }
});

test('rotation: the old key and its successor both work during the overlap; after it only the successor does', async () => {
  const w = await apiWorld();
  try {
    const old = (
      await w.request('POST', '/v1/api-keys', {
        name: 'Website events',
        role: 'data-ingest',
        sandboxes: ['prod'],
      })
    ).body;
    const rotated = await w.request('POST', `/v1/api-keys/${old.id}/rotate`, {
      overlapSeconds: 600,
    });
    assert.equal(rotated.status, 201);
    const next = rotated.body;
    assert.deepEqual(
      [next.name, next.role, next.sandboxes],
      ['Website events', 'data-ingest', ['prod']],
    );
    assert.equal((await as(w, old.key)('GET', '/v1/me')).status, 200);
    assert.equal((await as(w, next.key)('GET', '/v1/me')).status, 200);
    const listed = (await w.request('GET', '/v1/api-keys')).body.items.find(
      (k: { id: string }) => k.id === old.id,
    );
    assert.equal(listed.rotatedTo, next.id);
    w.clock.advance(600_000);
    assert.equal((await as(w, old.key)('GET', '/v1/me')).status, 401);
    assert.equal((await as(w, next.key)('GET', '/v1/me')).status, 200);
    assert.equal(
      (await w.request('POST', `/v1/api-keys/${old.id}/rotate`, {})).status,
      409,
      'an expired key is not rotated',
    );
    assert.equal((await w.request('POST', '/v1/api-keys/key_nope/rotate', {})).status, 404);
  } finally {
    await w.close();
  }
});

test('no escalation: a key manager without admin rights cannot mint an admin key, nor one for a sandbox it lacks', async () => {
  const w = await apiWorld();
  try {
    // A custom role: a journey manager who may also manage API keys, in prod only.
    const jm = (await w.request('GET', '/v1/roles/journey-manager')).body;
    const put = await w.request('PUT', '/v1/roles/journey-key-manager', {
      title: 'Journey key manager',
      description: 'Journeys and their keys',
      permissions: [...jm.permissions, 'keys.manage'],
      labels: ['*'],
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const mgr = (
      await w.request('POST', '/v1/api-keys', {
        name: 'Key manager',
        role: 'journey-key-manager',
        sandboxes: ['prod'],
      })
    ).body;
    const asMgr = as(w, mgr.key);

    const admin = await asMgr('POST', '/v1/api-keys', {
      name: 'Sneaky',
      role: 'admin',
      sandboxes: ['prod'],
    });
    assert.equal(admin.status, 403);
    assert.match(admin.body.error.message, /cannot give a key the role "admin"/);
    assert.ok(admin.body.error.details.missing.includes('users.manage in prod'));
    const everywhere = await asMgr('POST', '/v1/api-keys', {
      name: 'Everywhere',
      role: 'viewer',
      sandboxes: ['*'],
    });
    assert.equal(
      everywhere.status,
      403,
      'a grant in every sandbox needs the permissions everywhere',
    );
    const viewer = await asMgr('POST', '/v1/api-keys', {
      name: 'Reports',
      role: 'viewer',
      sandboxes: ['prod'],
    });
    assert.equal(viewer.status, 201, 'what it holds itself it may give');
    assert.deepEqual(viewer.body.createdBy, { kind: 'key', id: mgr.id, name: 'Key manager' });

    // Nor may it revoke or rotate a key above it.
    const top = (
      await w.request('POST', '/v1/api-keys', {
        name: 'Automation',
        role: 'admin',
        sandboxes: ['*'],
      })
    ).body;
    assert.equal((await asMgr('DELETE', `/v1/api-keys/${top.id}`)).status, 403);
    assert.equal((await asMgr('POST', `/v1/api-keys/${top.id}/rotate`, {})).status, 403);
    // A role may not be defined with permissions one lacks either.
    const roleMgr = await as(w, ROLE_KEYS['journey-manager'])('PUT', '/v1/roles/x', {
      title: 'X',
      permissions: ['users.manage'],
    });
    assert.equal(roleMgr.status, 403);
  } finally {
    await w.close();
  }
});
