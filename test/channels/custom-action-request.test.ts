import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  customActionSchema,
  buildActionRequest,
  actionValuesFromParameters,
  inferSampleSchema,
  lockedFieldChanges,
} from '../../src/model/custom-action.ts';
import { WaymarkError } from '../../src/errors.ts';

const loyalty = customActionSchema.parse({
  name: 'ActionLoyalty',
  url: 'https://api.loyalty.example/v1?source=waymark',
  method: 'POST',
  headers: [
    { kind: 'constant', name: 'X-Api-Key', value: 'k-123' },
    { kind: 'variable', name: 'X-Request-Id' },
    { kind: 'variable', name: 'X-Trace', optional: true },
  ],
  queryParameters: [
    { kind: 'variable', name: 'locale' },
    { kind: 'constant', name: 'v', value: '2' },
  ],
  payload: [
    { path: 'customer.id', type: 'string', kind: 'variable' },
    { path: 'customer.points', type: 'integer', kind: 'variable' },
    { path: 'customer.since', type: 'dateTime', kind: 'variable', optional: true },
    { path: 'tags', type: 'listString', kind: 'variable', allowNull: true },
    { path: 'channel', type: 'string', kind: 'constant', value: 'journey' },
    { path: 'note', type: 'string', kind: 'variable', optional: true, allowNull: true },
  ],
  auth: { kind: 'basic', username: 'svc', password: 's3cret' },
});

describe('custom action definition', () => {
  test('name rules, method and timeout range', () => {
    const base = { url: 'https://x.example/', method: 'GET' };
    assert.equal(customActionSchema.safeParse({ ...base, name: 'Action_Loyalty_1' }).success, true);
    assert.equal(customActionSchema.safeParse({ ...base, name: 'has-dash' }).success, false);
    assert.equal(customActionSchema.safeParse({ ...base, name: 'a'.repeat(31) }).success, false);
    assert.equal(
      customActionSchema.safeParse({ ...base, name: 'A', method: 'DELETE' }).success,
      false,
    );
    assert.equal(
      customActionSchema.safeParse({ ...base, name: 'A', timeoutMs: 500 }).success,
      false,
    );
    assert.equal(
      customActionSchema.safeParse({ ...base, name: 'A', timeoutMs: 31_000 }).success,
      false,
    );
    assert.equal(customActionSchema.parse({ ...base, name: 'A' }).timeoutMs, 30_000);
    assert.equal(
      customActionSchema.safeParse({ ...base, name: 'A', url: 'https://x.example/{id}' }).success,
      false,
    );
    assert.equal(
      customActionSchema.safeParse({
        ...base,
        name: 'A',
        headers: [{ kind: 'constant', name: '$x', value: '1' }],
      }).success,
      false,
    );
    assert.equal(
      customActionSchema.safeParse({
        ...base,
        name: 'A',
        queryParameters: [{ kind: 'variable', name: '.q' }],
      }).success,
      false,
    );
    assert.equal(
      customActionSchema.safeParse({
        ...base,
        name: 'A',
        payload: [{ path: 'a', type: 'string', kind: 'variable' }],
      }).success,
      false,
      'GET has no payload',
    );
    assert.equal(
      customActionSchema.safeParse({
        ...base,
        method: 'POST',
        name: 'A',
        payload: [{ path: 'a.$b', type: 'string', kind: 'variable' }],
      }).success,
      false,
    );
  });
});

describe('buildActionRequest', () => {
  test('dynamic path, headers, query, typed nested JSON body, auth', () => {
    const r = buildActionRequest(loyalty, {
      path: '/members/42/points',
      headers: { 'X-Request-Id': 'req-1' },
      query: { locale: 'fr_FR' },
      payload: { 'customer.id': 'C42', 'customer.points': 10, tags: ['a', null, 'b'], note: null },
    });
    assert.equal(r.method, 'POST');
    assert.equal(
      r.url,
      'https://api.loyalty.example/v1/members/42/points?source=waymark&locale=fr_FR&v=2',
    );
    assert.deepEqual(r.headers, {
      'content-type': 'application/json',
      'x-api-key': 'k-123',
      'x-request-id': 'req-1',
      authorization: `Basic ${Buffer.from('svc:s3cret').toString('base64')}`,
    });
    assert.deepEqual(JSON.parse(r.body ?? ''), {
      customer: { id: 'C42', points: 10 },
      tags: ['a', 'b'],
      channel: 'journey',
      note: null,
    });
    assert.deepEqual([...r.secretHeaders].sort(), ['authorization', 'x-api-key']);
  });

  test('allowNull: a null list is sent as []', () => {
    const r = buildActionRequest(loyalty, {
      headers: { 'X-Request-Id': 1 },
      query: { locale: 'en' },
      payload: { 'customer.id': 'C', 'customer.points': 1, tags: null },
    });
    assert.deepEqual(JSON.parse(r.body ?? '').tags, []);
  });

  test('every missing or mistyped value is reported with its path', () => {
    assert.throws(
      () =>
        buildActionRequest(loyalty, {
          payload: { 'customer.points': 1.5, tags: 'x', 'customer.since': 'not a date' },
        }),
      (e: unknown) => {
        assert.ok(e instanceof WaymarkError);
        assert.equal(e.code, 'validation_failed');
        assert.deepEqual(
          e.issues.map((i) => i.path),
          [
            'headers.X-Request-Id',
            'query.locale',
            'payload.customer.id',
            'payload.customer.points',
            'payload.customer.since',
            'payload.tags',
          ],
        );
        assert.equal(
          e.issues.find((i) => i.path === 'payload.customer.points')?.expected,
          'integer',
        );
        return true;
      },
    );
  });

  test('the dynamic path cannot change the host or escape the base path', () => {
    const get = customActionSchema.parse({
      name: 'G',
      url: 'https://api.example/base',
      method: 'GET',
    });
    assert.equal(
      buildActionRequest(get, { path: 'items/1' }).url,
      'https://api.example/base/items/1',
    );
    assert.equal(buildActionRequest(get, {}).body, undefined);
    for (const path of ['//evil.example/x', 'https://evil.example', '/../admin', '/a?b=1']) {
      assert.throws(() => buildActionRequest(get, { path }), WaymarkError, path);
    }
  });

  test('journey node parameters map to values', () => {
    assert.deepEqual(
      actionValuesFromParameters({
        $path: '/x',
        'header:X-A': 'a',
        'query:q': 1,
        'customer.id': 'C',
      }),
      { path: '/x', headers: { 'X-A': 'a' }, query: { q: 1 }, payload: { 'customer.id': 'C' } },
    );
  });
});

describe('response samples and locked fields', () => {
  test('a sample types the response; heterogeneous arrays are refused', () => {
    assert.deepEqual(
      inferSampleSchema({
        status: 'gold',
        points: 1200,
        rate: 1.5,
        tags: ['a'],
        history: [{ at: '2026-01-01' }],
        scores: [1, 2.5],
      }),
      {
        ok: true,
        schema: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            points: { type: 'integer' },
            rate: { type: 'number' },
            tags: { type: 'array', items: { type: 'string' } },
            history: {
              type: 'array',
              items: { type: 'object', properties: { at: { type: 'string' } } },
            },
            scores: { type: 'array', items: { type: 'number' } },
          },
        },
      },
    );
    assert.deepEqual(inferSampleSchema({ mixed: [1, 'a'] }), {
      ok: false,
      path: '$.mixed',
      message: 'heterogeneous arrays are not allowed',
    });
    const bad = customActionSchema.safeParse({
      name: 'A',
      url: 'https://x.example/',
      method: 'GET',
      responseSample: { kind: 'sample', sample: { a: [true, 1] } },
    });
    assert.equal(bad.success, false);
  });

  test('once used, only name, description, URL and auth may change', () => {
    const changed = customActionSchema.parse({
      ...loyalty,
      url: 'https://api2.loyalty.example/v1',
      method: 'PUT',
      timeoutMs: 5000,
    });
    assert.deepEqual(lockedFieldChanges(loyalty, changed), ['method', 'timeoutMs']);
    assert.deepEqual(lockedFieldChanges(loyalty, { ...loyalty, description: 'new' }), []);
  });
});
