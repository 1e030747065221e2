// The designer's asset library and personalization editor take their types from
// src/isomorphic/api/asset-library.ts and personalization.ts. A real server searches the lab's
// assets, lists a logo's renditions, builds the tree of an activity's scope, lists the helpers,
// validates a good and a bad template and completes a path, and checks and completes a journey
// expression: every answer parses strictly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { libraryPageAnswer, renditionListAnswer } from '../../src/isomorphic/api/asset-library.ts';
import {
  expressionCompleteAnswer,
  expressionValidateAnswer,
} from '../../src/isomorphic/api/expressions.ts';
import {
  helperListAnswer,
  personalizationCheckAnswer,
  personalizationCompleteAnswer,
  personalizationTreeAnswer,
} from '../../src/isomorphic/api/personalization.ts';
import { conforms } from '../support/conforms.ts';
import { apiWorld } from '../support/server.ts';

const place = { journeyId: 'purchase-journey', nodeId: 'confirmation' };

test('the asset library and the personalization editor answer as their schemas say', async () => {
  const w = await apiWorld();
  try {
    const page = await w.request('GET', '/v1/asset-library?limit=5');
    conforms(libraryPageAnswer, page, 'GET /v1/asset-library');
    assert.ok(page.body.items.length > 0 && page.body.collections.length > 0);
    conforms(
      libraryPageAnswer,
      await w.request('GET', '/v1/asset-library?q=logo&tag=nothing-has-this'),
      'GET /v1/asset-library (nothing found)',
    );
    conforms(
      renditionListAnswer,
      await w.request('GET', '/v1/asset-library/luma-logo/renditions'),
      'GET /v1/asset-library/:id/renditions',
    );

    const tree = await w.request(
      'GET',
      `/v1/personalization/tree?journeyId=${place.journeyId}&nodeId=${place.nodeId}`,
    );
    conforms(personalizationTreeAnswer, tree, 'GET /v1/personalization/tree (an activity)');
    conforms(
      personalizationTreeAnswer,
      await w.request('GET', '/v1/personalization/tree'),
      'GET /v1/personalization/tree',
    );
    conforms(
      helperListAnswer,
      await w.request('GET', '/v1/personalization/helpers'),
      'GET /v1/personalization/helpers',
    );
    conforms(
      personalizationCheckAnswer,
      await w.request('POST', '/v1/personalization/validate', {
        source: 'Hi {{profile.person.name.firstName}}',
        ...place,
      }),
      'POST /v1/personalization/validate',
    );
    const bad = await w.request('POST', '/v1/personalization/validate', {
      source: 'Hi {{profile.nope.nothing}} {{#if}}',
      ...place,
    });
    conforms(personalizationCheckAnswer, bad, 'POST /v1/personalization/validate (findings)');
    assert.equal(bad.body.valid, false);
    const source = 'Hi {{profile.person.na';
    conforms(
      personalizationCompleteAnswer,
      await w.request('POST', '/v1/personalization/complete', {
        source,
        cursor: source.length,
        ...place,
      }),
      'POST /v1/personalization/complete',
    );
  } finally {
    await w.close();
  }
});

test('the expression editor answers as its schemas say', async () => {
  const w = await apiWorld();
  try {
    const good = await w.request('POST', '/v1/expressions/validate', {
      expression: 'inAudience("Luma - Mobile App Users") and 1 + 2 > 2',
    });
    assert.equal(good.body.valid, true, JSON.stringify(good.body));
    conforms(expressionValidateAnswer, good, 'POST /v1/expressions/validate');
    const bad = await w.request('POST', '/v1/expressions/validate', { expression: '1 +' });
    assert.equal(bad.body.valid, false);
    conforms(expressionValidateAnswer, bad, 'POST /v1/expressions/validate (findings)');
    conforms(
      expressionCompleteAnswer,
      await w.request('POST', '/v1/expressions/complete', { expression: 'to', cursor: 2 }),
      'POST /v1/expressions/complete',
    );
  } finally {
    await w.close();
  }
});
