// The audit log of people and keys: sign-ins (with a key, with a password, and failed ones, whose
// password or key is never kept), sign-outs, users and keys created; these entries are outside any
// sandbox, so only a caller with audit.view in every sandbox reads them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEntry } from '../../src/access/api-types.ts';
import type { FastifyInstance } from 'fastify';
import { apiKey } from '../../src/api/auth.ts';
import { noteAudit } from '../../src/api/audit-note.ts';
import { buildServer } from '../../src/api/server.ts';
import { ADMIN_KEY, apiWorld, PROD_ONLY_KEY } from '../support/server.ts';

test('sign-ins, failed sign-ins, sign-outs, users and keys are recorded outside any sandbox, without passwords or keys', async () => {
  const w = await apiWorld();
  try {
    const inject = async (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const r = await w.server.inject({
        method,
        url,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return {
        status: r.statusCode,
        body: r.body ? JSON.parse(r.body) : null,
        cookie: String(r.headers['set-cookie'] ?? '').split(';')[0]!,
      };
    };
    const log = async (query: string, key = ADMIN_KEY): Promise<AuditEntry[]> => {
      const r = await inject('GET', `/v1/audit-log${query}`, undefined, {
        authorization: `Bearer ${key}`,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items;
    };

    // A person and a key, made by the admin.
    const user = await w.request('POST', '/v1/users', {
      email: 'ana@luma.example',
      name: 'Ana',
      password: 'correct horse battery',
      roles: [{ role: 'content-manager', sandboxes: ['prod'] }],
    });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const key = await w.request('POST', '/v1/api-keys', {
      name: 'ci',
      role: 'viewer',
      sandboxes: ['prod'],
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));

    // Ana signs in, fails once, signs out; someone tries a made-up key.
    assert.equal(
      (await inject('POST', '/v1/session', { email: 'ana@luma.example', password: 'wrong horse' }))
        .status,
      401,
    );
    const signedIn = await inject('POST', '/v1/session', {
      email: 'ana@luma.example',
      password: 'correct horse battery',
    });
    assert.equal(signedIn.status, 200);
    assert.equal(
      (await inject('POST', '/v1/session', { key: 'wmk_made-up-key-0123456789' })).status,
      401,
    );
    assert.equal(
      (
        await inject('DELETE', '/v1/session', undefined, {
          cookie: signedIn.cookie,
          'x-csrf-token': signedIn.body.csrfToken,
        })
      ).status,
      204,
    );

    const entries = await log('?limit=20');
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor.name, e.sandbox]),
      [
        ['session.sign-out', 'ana@luma.example', null],
        ['session.sign-in-failed', 'unknown key', null],
        ['session.sign-in', 'ana@luma.example', null],
        ['session.sign-in-failed', 'ana@luma.example', null],
        ['key.create', 'admin', null],
        ['user.create', 'admin', null],
      ],
    );
    assert.equal(entries[2]!.actor.id, user.body.id);
    assert.deepEqual(entries[4]!.object, { kind: 'apiKey', key: key.body.id, name: 'ci' });
    const text = JSON.stringify(entries);
    for (const secret of [
      'correct horse',
      'wrong horse',
      'wmk_made-up-key',
      key.body.key as string,
    ])
      assert.ok(!text.includes(secret), `${secret} is not in the log`);

    // An admin of prod alone sees prod's changes, not the entries outside any sandbox.
    assert.equal((await w.request('POST', '/v1/journeys/purchase-journey/pause')).status, 200);
    assert.deepEqual(
      (await log('?limit=20', PROD_ONLY_KEY)).map((e) => e.action),
      ['journey.pause'],
    );
    const everywhere = await inject('GET', '/v1/audit-log?sandbox=*', undefined, {
      authorization: `Bearer ${PROD_ONLY_KEY}`,
    });
    assert.equal(everywhere.status, 403);
  } finally {
    await w.close();
  }
});

test('a public route that notes an action and its actor is recorded, even when it answers with a redirect (single sign-on)', async () => {
  const w = await apiWorld();
  const callback = async (f: FastifyInstance): Promise<void> => {
    f.get('/test-sso-callback', { config: { permission: 'public' } }, async (req, reply) => {
      noteAudit(req, {
        action: 'session.sign-in',
        sandbox: null,
        actor: { kind: 'user', id: 'u-sso', name: 'sso@luma.example' },
        details: { via: 'sso' },
      });
      return reply.redirect('/');
    });
    f.get('/test-quiet', { config: { permission: 'public' } }, async () => ({ ok: true }));
  };
  const server = await buildServer({
    app: w.app,
    keys: [apiKey('admin', ADMIN_KEY)],
    plugins: [callback],
  });
  try {
    assert.equal(
      (await server.inject({ method: 'GET', url: '/v1/test-sso-callback' })).statusCode,
      302,
    );
    assert.equal((await server.inject({ method: 'GET', url: '/v1/test-quiet' })).statusCode, 200);
    const items = (await w.app.access.audit.query({ limit: 10 })).items;
    assert.deepEqual(
      items.map((e) => [e.action, e.actor.name, e.sandbox, e.details]),
      [['session.sign-in', 'sso@luma.example', null, { via: 'sso' }]],
    );
  } finally {
    await server.close();
    await w.close();
  }
});
