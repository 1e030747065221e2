// registerStaticUi: the console at /, index.html for the app's own paths, long cache on hashed
// assets, the API's JSON 404 under /v1, and a helpful page when the console is not built.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { registerStaticUi } from '../../src/api/static.ts';

describe('registerStaticUi', () => {
  let root: string;
  let f: FastifyInstance;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'waymark-static-'));
    mkdirSync(join(root, 'static'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'static', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(join(tmpdir(), 'waymark-secret.txt'), 'secret');
    f = Fastify();
    f.get('/healthz', async () => ({ ok: true }));
    f.get('/v1/journeys', async () => ({ items: [] }));
    await registerStaticUi(f, { root });
    await f.ready();
  });
  after(async () => {
    await f.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('serves index.html at / and for the console paths, never cached', async () => {
    for (const url of [
      '/',
      '/journeys/purchase-journey',
      '/objects/event-types/LumaCheckoutEvent_Email',
    ]) {
      const r = await f.inject({ url });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.body, /<div id="root">/);
      assert.match(String(r.headers['content-type']), /text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache');
    }
  });

  test('serves hashed assets with a year of immutable cache, other files uncached', async () => {
    const r = await f.inject({ url: '/static/index-abc123.js' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, 'console.log(1)');
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
    const icon = await f.inject({ url: '/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'public, max-age=0');
    assert.equal((await f.inject({ url: '/static/missing.js' })).statusCode, 404);
  });

  test('leaves the API alone: its routes win, unknown /v1 paths get the JSON 404', async () => {
    assert.deepEqual((await f.inject({ url: '/v1/journeys' })).json(), { items: [] });
    assert.deepEqual((await f.inject({ url: '/healthz' })).json(), { ok: true });
    const r = await f.inject({ url: '/v1/nothing-here' });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().error.code, 'not_found');
  });

  test('does not serve files outside the root', async () => {
    const r = await f.inject({ url: '/../waymark-secret.txt' });
    assert.doesNotMatch(r.body, /secret/);
    const encoded = await f.inject({ url: '/%2e%2e/waymark-secret.txt' });
    assert.doesNotMatch(encoded.body, /secret/);
  });

  test('says how to build the console when it is missing', async () => {
    const g = Fastify();
    await registerStaticUi(g, { root: join(root, 'nope') });
    const r = await g.inject({ url: '/journeys' });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build:ui/);
    await g.close();
  });
});
