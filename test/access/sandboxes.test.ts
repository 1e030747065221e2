// Sandboxes: they exist once created (prod always), are listed to those who may enter them, and are
// reset or deleted only with their name typed as confirmation; a production sandbox is never deleted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { SYSTEM_ACTOR } from '../../src/access/policy.ts';
import { createSandboxRegistry } from '../../src/runtime/access/sandbox-registry.ts';
import { lumaEvent, cart } from '../support/luma.ts';
import { ADMIN_KEY, apiWorld } from '../support/server.ts';

const DEV = { 'x-sandbox-name': 'dev' };

describe('sandbox registry', () => {
  test('prod always exists; another name only once created, as any process sees it; names are checked', async () => {
    const w = await apiWorld();
    try {
      const store = w.store;
      const here = w.app.access.sandboxes;
      const elsewhere = createSandboxRegistry({ store, clock: w.clock });
      assert.equal(await here.exists('prod'), true);
      assert.equal((await here.get('prod')).type, 'production');
      assert.equal(await here.exists('agency'), false);
      assert.equal(await elsewhere.exists('agency'), false, 'a miss is not remembered');
      const created = await here.create(
        { name: 'agency', title: 'Agency', type: 'development' },
        SYSTEM_ACTOR,
      );
      assert.deepEqual(
        {
          name: created.name,
          title: created.title,
          type: created.type,
          settings: created.settings,
        },
        {
          name: 'agency',
          title: 'Agency',
          type: 'development',
          settings: {
            retentionDays: null,
            retention: { messages: null, deadLetters: null, audit: null },
            approvals: {
              journeyPublish: false,
              journeyApprovers: { users: [], roles: [] },
              campaigns: [],
            },
            assistant: { model: true, personalData: false },
          },
        },
      );
      assert.equal(await here.exists('agency'), true);
      assert.equal(
        await elsewhere.exists('agency'),
        true,
        "another process's registry reads the store on a miss",
      );
      await assert.rejects(
        here.create({ name: 'agency', type: 'development' }, SYSTEM_ACTOR),
        /already exists/,
      );
      for (const bad of ['_access', 'Agency', '1st', '-x', 'a'.repeat(64), '']) {
        await assert.rejects(
          here.create({ name: bad, type: 'development' }, SYSTEM_ACTOR),
          /sandbox name is invalid/,
          bad,
        );
      }
      assert.equal(await here.exists('_access'), false, 'the reserved space is no sandbox');
      assert.deepEqual(
        (await here.list()).map((s) => s.name),
        ['prod', 'agency'],
      );
    } finally {
      await w.close();
    }
  });

  test('an upgrade loses nothing: sandboxes holding data before the registry are registered as development', async () => {
    const w = await apiWorld();
    try {
      const store = w.store;
      await store.putObject('legacy', 'eventType', 'X', { name: 'X' }, new Date().toISOString());
      const fresh = createSandboxRegistry({ store, clock: w.clock });
      assert.equal(await fresh.exists('legacy'), true);
      assert.equal((await fresh.get('legacy')).type, 'development');
      assert.equal((await fresh.get('prod')).type, 'production');
      assert.ok(
        !(await fresh.list()).some((s) => s.name.startsWith('_')),
        'the reserved space is not listed',
      );
    } finally {
      await w.close();
    }
  });
});

describe('sandboxes API', () => {
  test('create a development sandbox; the list shows only the sandboxes the caller may enter', async () => {
    const w = await apiWorld();
    try {
      const created = await w.request('POST', '/v1/sandboxes', {
        name: 'dev',
        title: 'Development',
        type: 'development',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.createdBy.name, 'admin');
      assert.equal(
        (await w.request('POST', '/v1/sandboxes', { name: 'dev', type: 'development' })).status,
        409,
      );
      const bad = await w.request('POST', '/v1/sandboxes', {
        name: 'Dev Sandbox',
        type: 'development',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.issues[0].path, 'name');
      const all = await w.request('GET', '/v1/sandboxes');
      assert.deepEqual(
        all.body.items.map((s: { name: string; type: string }) => `${s.name}:${s.type}`),
        ['prod:production', 'dev:development'],
      );
      assert.equal((await w.request('GET', '/v1/sandboxes/dev')).body.title, 'Development');
      assert.equal((await w.request('GET', '/v1/sandboxes/nope')).status, 404);

      // A key held in prod only sees prod.
      const server = await buildServer({
        app: w.app,
        keys: [
          apiKey('admin', ADMIN_KEY),
          apiKey('prod-reader', 'test-prod-viewer-key-0123456789', ['prod'], 'viewer'),
        ],
      });
      try {
        const seen = await server.inject({
          method: 'GET',
          url: '/v1/sandboxes',
          headers: { authorization: 'Bearer test-prod-viewer-key-0123456789' },
        });
        assert.deepEqual(
          JSON.parse(seen.body).items.map((s: { name: string }) => s.name),
          ['prod'],
        );
        const create = await server.inject({
          method: 'POST',
          url: '/v1/sandboxes',
          headers: {
            authorization: 'Bearer test-prod-viewer-key-0123456789',
            'content-type': 'application/json',
          },
          payload: { name: 'mine', type: 'development' },
        });
        assert.equal(
          create.statusCode,
          403,
          'creating a sandbox needs sandboxes.manage everywhere',
        );
      } finally {
        await server.close();
      }
    } finally {
      await w.close();
    }
  });

  test('reset empties objects, journeys and profiles and keeps the name and settings; only with the typed name', async () => {
    const w = await apiWorld();
    try {
      assert.equal(
        (await w.request('POST', '/v1/sandboxes', { name: 'dev', type: 'development' })).status,
        201,
      );
      const exported = await w.request('GET', '/v1/packages/export');
      assert.equal((await w.request('POST', '/v1/packages/apply', exported.body, DEV)).status, 200);
      assert.equal(
        (
          await w.request(
            'PUT',
            '/v1/profiles/Email/nina@luma.example',
            { attributes: { person: { name: { firstName: 'Nina' } } } },
            DEV,
          )
        ).status,
        200,
      );
      await w.request(
        'POST',
        '/v1/events',
        lumaEvent('LumaCheckoutEvent_Email', 'nina@luma.example', cart),
        DEV,
      );
      const settings = await w.request('PUT', '/v1/sandboxes/dev/settings', {
        retentionDays: 30,
        retention: { messages: 90, deadLetters: 14 },
        approvals: {
          journeyPublish: true,
          campaigns: [{ name: 'Email review', channels: ['email'] }],
        },
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      assert.ok((await w.request('GET', '/v1/journeys', undefined, DEV)).body.items.length > 0);
      assert.ok((await w.request('GET', '/v1/event-types', undefined, DEV)).body.items.length > 0);
      assert.equal(
        (await w.request('POST', '/v1/allowed-hosts', { host: 'api.example.com' }, DEV)).status,
        200,
      );
      await w.app.assets.storeImage('dev', 'logo', 1, new Uint8Array([1, 2, 3]));
      await w.app.assets.storeImage('prod', 'logo', 1, new Uint8Array([4, 5, 6]));
      assert.ok(
        (await w.request('GET', '/v1/audience-jobs', undefined, DEV)).body.items.some(
          (j: { id: string }) => j.id === 'retention',
        ),
        'retention runs every hour',
      );

      const unconfirmed = await w.request('POST', '/v1/sandboxes/dev/reset', { confirm: 'prod' });
      assert.equal(unconfirmed.status, 400);
      assert.equal(unconfirmed.body.error.issues[0].path, 'confirm');
      assert.ok(
        (await w.request('GET', '/v1/journeys', undefined, DEV)).body.items.length > 0,
        'nothing erased without the confirmation',
      );

      const reset = await w.request('POST', '/v1/sandboxes/dev/reset', { confirm: 'dev' });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.deepEqual((await w.request('GET', '/v1/journeys', undefined, DEV)).body.items, []);
      assert.deepEqual((await w.request('GET', '/v1/event-types', undefined, DEV)).body.items, []);
      assert.equal(
        (await w.request('GET', '/v1/profiles/Email/nina@luma.example', undefined, DEV)).status,
        404,
      );
      assert.deepEqual((await w.request('GET', '/v1/sandboxes/dev/settings')).body, {
        retentionDays: 30,
        retention: { messages: 90, deadLetters: 14, audit: null },
        approvals: {
          journeyPublish: true,
          journeyApprovers: { users: [], roles: [] },
          campaigns: [{ name: 'Email review', channels: ['email'], allowSelfApproval: false }],
        },
        assistant: { model: true, personalData: false },
      });
      assert.deepEqual(
        (await w.request('GET', '/v1/allowed-hosts', undefined, DEV)).body.sandbox,
        [],
        'what this process kept of the sandbox is forgotten',
      );
      assert.ok(
        (await w.request('GET', '/v1/audience-jobs', undefined, DEV)).body.items.some(
          (j: { id: string }) => j.id === 'retention',
        ),
        'the retention job runs again',
      );
      assert.ok((await w.request('GET', '/v1/journeys')).body.items.length > 0, 'prod untouched');
      assert.equal(
        await w.app.assets.readImage('dev', 'logo', 1),
        null,
        "the sandbox's image files are gone",
      );
      assert.deepEqual(
        [...((await w.app.assets.readImage('prod', 'logo', 1)) ?? [])],
        [4, 5, 6],
        "prod's are kept",
      );

      // prod is reset only when its name is typed.
      assert.equal(
        (await w.request('POST', '/v1/sandboxes/prod/reset', { confirm: '' })).status,
        400,
      );
      assert.ok((await w.request('GET', '/v1/journeys')).body.items.length > 0);
    } finally {
      await w.close();
    }
  });

  test('delete needs the typed name; a production sandbox cannot be deleted at all', async () => {
    const w = await apiWorld();
    try {
      assert.equal(
        (await w.request('POST', '/v1/sandboxes', { name: 'dev', type: 'development' })).status,
        201,
      );
      assert.equal(
        (await w.request('POST', '/v1/sandboxes', { name: 'eu', type: 'production' })).status,
        201,
      );
      await w.request(
        'PUT',
        '/v1/profiles/Email/nina@luma.example',
        { attributes: { person: { name: { firstName: 'Nina' } } } },
        DEV,
      );
      assert.equal((await w.request('DELETE', '/v1/sandboxes/dev')).status, 400, 'no confirmation');
      assert.equal((await w.request('DELETE', '/v1/sandboxes/dev?confirm=de')).status, 400);
      assert.equal((await w.request('DELETE', '/v1/sandboxes/prod?confirm=prod')).status, 409);
      assert.equal((await w.request('DELETE', '/v1/sandboxes/eu?confirm=eu')).status, 409);
      assert.equal((await w.request('DELETE', '/v1/sandboxes/dev?confirm=dev')).status, 204);
      assert.deepEqual(
        (await w.request('GET', '/v1/sandboxes')).body.items.map((s: { name: string }) => s.name),
        ['prod', 'eu'],
      );
      assert.equal(await w.app.access.sandboxes.exists('dev'), false);
      assert.equal(await w.app.reads.getProfile('dev', 'x'), null);
      assert.equal((await w.request('DELETE', '/v1/sandboxes/dev?confirm=dev')).status, 404);
    } finally {
      await w.close();
    }
  });

  test('an unknown x-sandbox-name is refused, a created one is not', async () => {
    const w = await apiWorld();
    try {
      const unknown = await w.request('GET', '/v1/journeys', undefined, {
        'x-sandbox-name': 'nowhere',
      });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'unknown_sandbox');
      assert.equal(
        (await w.request('POST', '/v1/sandboxes', { name: 'nowhere', type: 'development' })).status,
        201,
      );
      assert.equal(
        (await w.request('GET', '/v1/journeys', undefined, { 'x-sandbox-name': 'nowhere' })).status,
        200,
      );
    } finally {
      await w.close();
    }
  });
});
