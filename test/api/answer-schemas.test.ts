// The console's API types are inferred from zod schemas (src/access/api-schemas.ts), not written by
// hand. Here a real server answers the access routes, and every answer must parse with its schema,
// strictly (no field missing, none the schema does not name): a route and its type cannot drift.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Body } from '../../src/access/api-types.ts';
import {
  apiKeyCreatedSchema,
  apiKeyListAnswer,
  apiKeyViewSchema,
  meViewSchema,
  type roleBody,
  roleListAnswer,
  roleViewSchema,
  sandboxListAnswer,
  sandboxViewSchema,
  userListAnswer,
  userViewSchema,
} from '../../src/access/api-schemas.ts';
import { journeyListAnswer, journeySummaryListAnswer } from '../../src/isomorphic/api/journeys.ts';
import { objectListAnswer } from '../../src/isomorphic/api/objects.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

test('an administrator invites a person, makes a role, a key and a sandbox: every answer matches the schema the console types come from', async () => {
  const w = await apiWorld();
  try {
    conforms(meViewSchema, await w.request('GET', '/v1/me'), 'GET /v1/me');

    const role = await w.request('PUT', '/v1/roles/report-reader', {
      title: 'Report reader',
      description: 'Reads reports',
      permissions: ['journeys.view'],
      labels: [],
    } satisfies Body<typeof roleBody>);
    conforms(roleViewSchema, role, 'PUT /v1/roles/:name');
    conforms(roleListAnswer, await w.request('GET', '/v1/roles'), 'GET /v1/roles');

    const invited = await w.request('POST', '/v1/users/invitations', {
      email: 'grace@example.com',
      name: 'Grace',
      roles: [{ role: 'report-reader', sandboxes: ['prod'] }],
    });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    conforms(
      userViewSchema,
      { status: 200, body: invited.body.user },
      'POST /v1/users/invitations (user)',
    );
    conforms(userListAnswer, await w.request('GET', '/v1/users'), 'GET /v1/users');

    const key = await w.request('POST', '/v1/api-keys', {
      name: 'Reports',
      role: 'report-reader',
      sandboxes: ['prod'],
      expiresAt: null,
    });
    conforms(apiKeyCreatedSchema, key, 'POST /v1/api-keys');
    conforms(
      apiKeyCreatedSchema,
      await w.request('POST', `/v1/api-keys/${key.body.id as string}/rotate`, {
        overlapSeconds: 60,
      }),
      'POST /v1/api-keys/:id/rotate',
    );
    conforms(apiKeyListAnswer, await w.request('GET', '/v1/api-keys'), 'GET /v1/api-keys');
    conforms(
      apiKeyViewSchema,
      { status: 200, body: (await w.request('GET', '/v1/api-keys')).body.items[0] },
      'an API key',
    );

    const sandbox = await w.request('POST', '/v1/sandboxes', {
      name: 'staging-answers',
      title: 'Staging',
      type: 'development',
    });
    conforms(sandboxViewSchema, sandbox, 'POST /v1/sandboxes');
    conforms(sandboxListAnswer, await w.request('GET', '/v1/sandboxes'), 'GET /v1/sandboxes');
  } finally {
    await w.close();
  }
});

test("the Luma lab's journeys and objects, listed, match the schemas of the journeys and objects lists", async () => {
  const w = await apiWorld();
  try {
    const plain = await w.request('GET', '/v1/journeys');
    conforms(journeySummaryListAnswer, plain, 'GET /v1/journeys');
    assert.ok(plain.body.items.length > 0, 'the lab has journeys');
    const counted = await w.request('GET', '/v1/journeys?include=counts');
    conforms(journeyListAnswer, counted, 'GET /v1/journeys?include=counts');
    assert.ok(counted.body.items.every((j: { counts?: unknown }) => j.counts !== undefined));
    for (const route of [
      'event-types',
      'actions',
      'fragments',
      'audiences',
      'channel-configurations',
    ]) {
      const listed = await w.request('GET', `/v1/${route}`);
      conforms(objectListAnswer, listed, `GET /v1/${route}`);
    }
  } finally {
    await w.close();
  }
});
