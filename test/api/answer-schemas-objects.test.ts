// The console's object pages take their reference, archive, dependency and action-test types from
// src/isomorphic/api/references.ts and actions.ts. A real server lists who uses the lab's order
// fragment, archives and unarchives it, lists what the Purchase Journey uses, and test-calls the
// LoyaltyService (answered, and refused for a missing parameter): every answer parses strictly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionTestAnswer } from '../../src/isomorphic/api/actions.ts';
import {
  archiveAnswer,
  dependenciesAnswer,
  referencesAnswer,
} from '../../src/isomorphic/api/references.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

test('references, archive marks, dependencies and action tests answer as their schemas say', async () => {
  const w = await apiWorld();
  try {
    const refs = await w.request('GET', '/v1/fragments/order-content/references');
    conforms(referencesAnswer, refs, 'GET /v1/fragments/:key/references');
    assert.ok(
      refs.body.items.some((r: { version?: number }) => r.version !== undefined),
      'a journey version',
    );
    conforms(
      referencesAnswer,
      await w.request(
        'GET',
        `/v1/audiences/${encodeURIComponent('Luma - Mobile App Users')}/references`,
      ),
      'GET /v1/audiences/:key/references',
    );
    conforms(
      archiveAnswer,
      await w.request('POST', '/v1/fragments/order-content/archive'),
      'POST /v1/fragments/:key/archive',
    );
    conforms(
      archiveAnswer,
      await w.request('POST', '/v1/fragments/order-content/unarchive'),
      'POST /v1/fragments/:key/unarchive',
    );
    conforms(
      dependenciesAnswer,
      await w.request('GET', '/v1/journeys/purchase-journey/dependencies'),
      'GET /v1/journeys/:id/dependencies',
    );

    const called = await w.request('POST', '/v1/actions/LoyaltyService/test', {
      parameters: { loyaltyId: 'ana.garcia@luma.example', orderValue: 180 },
    });
    assert.equal(called.body.ok, true, JSON.stringify(called.body));
    conforms(actionTestAnswer, called, 'POST /v1/actions/:name/test');
    const refused = await w.request('POST', '/v1/actions/LoyaltyService/test', { parameters: {} });
    assert.equal(refused.body.ok, false);
    conforms(actionTestAnswer, refused, 'POST /v1/actions/:name/test (refused)');
  } finally {
    await w.close();
  }
});
