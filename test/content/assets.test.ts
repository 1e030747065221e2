// Assets: versions, collections and tags, rendition requests, cache headers, and real renditions with sharp.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import {
  addAssetVersion,
  findAssets,
  parseRenditionQuery,
  renditionHeaders,
  renditionKey,
} from '../../src/content/assets/assets.ts';
import { sharpRenditions } from '../../src/channels/assets/sharp-renditions.ts';
import { assetSchema } from '../../src/model/asset.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import { compileMessage } from '../../src/content/index.ts';
import { input } from './helpers.ts';

const logo = assetSchema.parse({
  id: 'luma-logo',
  name: 'Luma logo',
  collection: 'Luma',
  tags: ['logo'],
  url: 'https://assets.luma.example/luma-logo.png',
  mimeType: 'image/png',
  width: 400,
  height: 120,
});

describe('assets', () => {
  test('a new upload is a new version; the old one stays in the history', () => {
    const v2 = addAssetVersion(logo, {
      url: 'https://assets.luma.example/luma-logo-v2.png',
      mimeType: 'image/png',
      width: 800,
      height: 240,
    });
    assert.deepEqual(
      [v2.version, v2.url, v2.width, v2.history],
      [
        2,
        'https://assets.luma.example/luma-logo-v2.png',
        800,
        [
          {
            version: 1,
            url: 'https://assets.luma.example/luma-logo.png',
            mimeType: 'image/png',
            width: 400,
            height: 120,
          },
        ],
      ],
    );
    assert.equal(v2.id, 'luma-logo');
  });

  test('collections and tags select assets', () => {
    const { library } = loadLumaContent();
    assert.deepEqual(
      findAssets(library.assets.values(), { collection: 'Luma', tags: ['banner'] }).map(
        (a) => a.id,
      ),
      ['luma-loyalty-plus', 'luma-mobile-app'],
    );
  });

  test('rendition requests: parsed with defaults, refused with the parameter named', () => {
    assert.deepEqual(parseRenditionQuery({ w: '300', format: 'jpg', q: '80' }), {
      ok: true,
      spec: { width: 300, fit: 'inside', format: 'jpeg', quality: 80 },
    });
    const bad = parseRenditionQuery({ w: '-3', format: 'bmp' });
    assert.ok(!bad.ok);
    if (!bad.ok)
      assert.deepEqual(
        bad.issues.map((i) => i.path),
        ['query.w', 'query.format'],
      );
  });

  test('cache headers: versioned URLs are immutable, keys follow the version', () => {
    const spec = { width: 200, fit: 'inside' as const, format: 'webp' as const };
    assert.equal(renditionKey(logo, spec), 'luma-logo@v1/w200-h0-inside-q0.webp');
    assert.deepEqual(renditionHeaders(logo, spec, true), {
      'Content-Type': 'image/webp',
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: '"luma-logo@v1/w200-h0-inside-q0.webp"',
    });
    assert.match(renditionHeaders(logo, spec, false)['Cache-Control'] ?? '', /must-revalidate/);
    assert.notEqual(
      renditionKey(addAssetVersion(logo, { url: 'x', mimeType: 'image/png' }), spec),
      renditionKey(logo, spec),
    );
  });

  test("image blocks reference assets, and renditions through the library's URL scheme", async () => {
    const { library } = loadLumaContent();
    library.renditionUrl = (a, r) =>
      `https://cdn.luma.example/v1/assets/${a.id}/rendition?w=${r.width ?? ''}&format=${r.format ?? ''}&v=${a.version}`;
    const doc = {
      body: [
        {
          kind: 'structure' as const,
          id: 's',
          columns: [
            {
              id: 'c',
              blocks: [
                { kind: 'image' as const, id: 'i1', assetId: 'luma-logo', alt: 'Luma' },
                {
                  kind: 'image' as const,
                  id: 'i2',
                  assetId: 'luma-mobile-app',
                  rendition: { width: 300, format: 'webp' as const },
                  alt: 'App',
                },
              ],
            },
          ],
        },
      ],
    };
    const r = await compileMessage({ channel: 'email', subject: 's', document: doc }, library);
    if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
    const o = r.message.render(input({}));
    assert.ok(o.ok && o.channel === 'email');
    assert.match(o.html, /src="https:\/\/assets\.luma\.example\/luma-logo\.png"/);
    assert.match(
      o.html,
      /src="https:\/\/cdn\.luma\.example\/v1\/assets\/luma-mobile-app\/rendition\?w=300&amp;format=webp&amp;v=1"/,
    );
    const missing = await compileMessage(
      {
        channel: 'email',
        subject: 's',
        document: {
          body: [
            {
              kind: 'structure',
              id: 's',
              columns: [{ id: 'c', blocks: [{ kind: 'image', id: 'x', assetId: 'nope' }] }],
            },
          ],
        },
      },
      library,
    );
    assert.ok(
      !missing.ok &&
        missing.diagnostics[0]?.code === 'unknown_asset' &&
        missing.diagnostics[0].block === 'x',
    );
  });

  test('sharp renditions resize and re-encode real images, never enlarging', async () => {
    const png = await sharp({
      create: {
        width: 400,
        height: 120,
        channels: 4,
        background: { r: 228, g: 87, b: 46, alpha: 1 },
      },
    })
      .png()
      .toBuffer();
    const r = sharpRenditions();
    const small = await r.render(png, { width: 200, fit: 'inside', format: 'webp', quality: 80 });
    assert.deepEqual([small.mimeType, small.width, small.height], ['image/webp', 200, 60]);
    assert.equal((await sharp(Buffer.from(small.bytes)).metadata()).format, 'webp');
    const jpeg = await r.render(png, { width: 100, height: 100, fit: 'cover', format: 'jpeg' });
    assert.deepEqual([jpeg.width, jpeg.height, jpeg.mimeType], [100, 100, 'image/jpeg']);
    const same = await r.render(png, { width: 1000, fit: 'inside' });
    assert.deepEqual([same.width, same.height, same.mimeType], [400, 120, 'image/png']);
    await assert.rejects(r.render(new Uint8Array([1, 2, 3]), { fit: 'inside' }));
  });
});
