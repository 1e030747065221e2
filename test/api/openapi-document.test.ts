// GET /openapi.json is a document OpenAPI readers can follow: every `$ref` in it resolves from the
// document's root (zod's `$defs` of recursive schemas are moved to components.schemas).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portableOpenApi } from '../../src/api/openapi-portable.ts';
import type { OpenApiDocument } from '../../src/api/openapi-portable.ts';
import { buildServer } from '../../src/api/server.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/** Every `$ref` of `doc` that does not lead to a value from the root. */
function unresolved(doc: unknown): string[] {
  const refs = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (node && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.add(v);
        else collect(v);
      }
  };
  collect(doc);
  return [...refs].filter((ref) => {
    if (!ref.startsWith('#/')) return true;
    let at: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
    }
    return at === undefined;
  });
}

test('every reference of the served /openapi.json resolves from the document root', async () => {
  const app = createWaymark({ store: new SqliteStore(':memory:') });
  const server = await buildServer({ app, keys: [], logger: false });
  try {
    const res = await server.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { paths: Record<string, unknown>; components: { schemas: object } };
    assert.ok(doc.paths['/v1/content-templates'], 'a route with a recursive schema is there');
    assert.ok(Object.keys(doc.components.schemas).length > 0, 'its definitions are components');
    assert.deepEqual(unresolved(doc), [], 'no dangling reference');
  } finally {
    await server.close();
    await app.close();
  }
});

test('routes that take a JSON body describe it, so clients can be generated from the document', async () => {
  const app = createWaymark({ store: new SqliteStore(':memory:') });
  const server = await buildServer({ app, keys: [], logger: false });
  try {
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: unknown; summary?: string }>>;
    };
    for (const [method, path] of [
      ['post', '/v1/assistant/chat'],
      ['post', '/v1/assistant/feedback'],
      ['post', '/v1/journeys/{id}/test-mode'],
      ['put', '/v1/profiles/{namespace}/{id}'],
      ['put', '/v1/audiences/{name}/schedule'],
      ['post', '/v1/audiences/from-feedback'],
      ['put', '/v1/profile-settings'],
      ['post', '/v1/landing-pages/{key}/preview'],
      ['post', '/v1/decisions'],
    ] as const)
      assert.ok(
        doc.paths[path]?.[method]?.requestBody,
        `${method.toUpperCase()} ${path} has a body`,
      );
    assert.equal(
      doc.paths['/v1/offers/{key}/archive']?.['post']?.summary?.startsWith('Archive an offer'),
      true,
      'summaries name a kind with its article',
    );
  } finally {
    await server.close();
    await app.close();
  }
});

test('local definitions, nested ones too, move to components with unique names', () => {
  const tree = (name: string): OpenApiDocument => ({
    type: 'object',
    properties: { children: { type: 'array', items: { $ref: '#/$defs/node' } } },
    $defs: {
      node: {
        type: 'object',
        properties: { name: { const: name }, next: { $ref: '#/$defs/node' } },
        $defs: { inner: { type: 'string' } },
      },
    },
  });
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    paths: { '/a': { post: { body: tree('a') } }, '/b': { post: { body: tree('b') } } },
    components: { securitySchemes: { apiKey: { type: 'http' } } },
  };
  const out = portableOpenApi(doc);
  assert.deepEqual(unresolved(out), []);
  const schemas = (out['components'] as { schemas: Record<string, unknown> }).schemas;
  assert.equal(Object.keys(schemas).length, 4, 'each schema keeps its own definitions');
  assert.ok((out['components'] as Record<string, unknown>)['securitySchemes'], 'the rest is kept');
  assert.ok(JSON.stringify(doc).includes('#/$defs/node'), 'the input is left as it is');
  const untouched: OpenApiDocument = { openapi: '3.1.0', paths: { '/x': { get: {} } } };
  assert.equal(portableOpenApi(untouched), untouched, 'a document without $defs is answered as is');
});
