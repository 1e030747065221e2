// The browser SDK's files at /sdk/ (public, cacheable, loadable from other origins; a clear 503
// before the SDK is built) and the demo storefront's files at /demo/luma/ (its page with the write
// key, its static files and the Luma images; nothing outside its folders).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { STOREFRONT_ROOT } from '../../src/package-files.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

test('the SDK files and the storefront are served, and nothing else from their folders', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-sdk-files-'));
  const sdk = join(dir, 'sdk');
  mkdirSync(sdk);
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  const app = createWaymark({ store: new SqliteStore(':memory:') });
  const server = await buildServer({
    app,
    keys: [apiKey('admin', 'test-admin-key-0123456789')],
    sdkRoot: sdk,
    storefront: {
      root: STOREFRONT_ROOT,
      images: join(STOREFRONT_ROOT, '..', 'assets'),
      writeKey: 'wmk_"<demo>',
    },
  });
  try {
    const get = (url: string) => server.inject({ method: 'GET', url });
    const missing = await get('/sdk/waymark-web.js');
    assert.equal(missing.statusCode, 503);
    assert.match(missing.json().error.message, /not built: run node scripts\/build-sdk\.mjs/);
    writeFileSync(join(sdk, 'waymark-web.js'), 'export const createWaymark = 1;');
    const js = await get('/sdk/waymark-web.js');
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=300');
    assert.equal(js.headers['access-control-allow-origin'], '*');
    assert.equal(js.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(js.body, 'export const createWaymark = 1;');
    assert.equal((await get('/sdk/secret.txt')).statusCode, 404);
    assert.equal((await get('/sdk/..%2fsecret.txt')).statusCode, 404);

    const redirect = await get('/demo/luma');
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers['location'], '/demo/luma/');
    for (const page of ['/demo/luma/', '/demo/luma/cart']) {
      const r = await get(page);
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.match(
        r.body,
        /<meta name="waymark-write-key" content="wmk_&#34;&#60;demo&#62;" \/>/,
        'the key, escaped for the attribute',
      );
    }
    assert.equal((await get('/demo/luma/storefront.js')).statusCode, 200);
    assert.match(String((await get('/demo/luma/style.css')).headers['content-type']), /text\/css/);
    const logo = await get('/demo/luma/images/luma-logo.png');
    assert.equal(logo.statusCode, 200);
    assert.equal(logo.headers['content-type'], 'image/png');
    for (const bad of [
      '/demo/luma/index.html',
      '/demo/luma/..%2f..%2f..%2fpackage.json',
      '/demo/luma/images/..%2fluma.yaml',
      '/demo/luma/nothing.js',
    ])
      assert.equal((await get(bad)).statusCode, 404, bad);
  } finally {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
