// The designer's asset selector: search the Luma collection by name, tag and collection, load the
// thumbnails (real images on the public route), pick renditions, and upload a new image from the console.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { apiWorld, ADMIN_KEY, type ApiWorld } from '../support/server.ts';

interface Item {
  id: string;
  name: string;
  collection: string;
  tags: string[];
  mimeType: string;
  width?: number;
  version: number;
  url: string;
  thumbnailUrl: string;
}
interface Page {
  collections: Array<{ name: string; count: number }>;
  tags: Array<{ name: string; count: number }>;
  items: Item[];
  total: number;
}

const search = async (w: ApiWorld, query: string): Promise<Page> => {
  const r = await w.request('GET', `/v1/asset-library${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as Page;
};
const ids = (p: Page): string[] => p.items.map((i) => i.id);

test('the Luma collection is searched by name words, id, tag and collection, with facets and paging', async () => {
  const w = await apiWorld();
  try {
    const all = await search(w, '');
    assert.deepEqual(all.collections, [{ name: 'Luma', count: 3 }]);
    assert.deepEqual(
      all.tags.find((t) => t.name === 'banner'),
      { name: 'banner', count: 2 },
    );
    assert.deepEqual(ids(all), ['luma-logo', 'luma-loyalty-plus', 'luma-mobile-app']);
    assert.equal(all.total, 3);

    assert.deepEqual(ids(await search(w, '?q=LOGO')), ['luma-logo'], 'any case');
    assert.deepEqual(
      ids(await search(w, '?q=luma%20loyalty')),
      ['luma-loyalty-plus'],
      'every word must match',
    );
    assert.deepEqual(ids(await search(w, '?q=mobile-app')), ['luma-mobile-app'], 'the id matches');
    assert.deepEqual(ids(await search(w, '?tag=banner')), ['luma-loyalty-plus', 'luma-mobile-app']);
    assert.deepEqual(ids(await search(w, '?tag=bann')), [], 'a tag filters exactly');
    assert.deepEqual(ids(await search(w, '?collection=Luma&tag=app')), ['luma-mobile-app']);
    const none = await search(w, '?collection=luma');
    assert.equal(none.total, 0, 'a collection filters exactly');
    assert.deepEqual(none.collections, [{ name: 'Luma', count: 3 }], 'the collections stay listed');
    const page = await search(w, '?limit=2&offset=2');
    assert.deepEqual([ids(page), page.total], [['luma-mobile-app'], 3]);

    const logo = all.items[0]!;
    assert.deepEqual(
      [logo.name, logo.collection, logo.mimeType, logo.width, logo.version],
      ['Luma logo', 'Luma', 'image/png', 400, 1],
    );

    const bad = await w.request('GET', '/v1/asset-library?limit=0');
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body.error.issues[0]).sort(), [
      'expected',
      'message',
      'path',
      'received',
    ]);
    assert.equal(bad.body.error.issues[0].path, 'query.limit');
    assert.equal(bad.body.error.issues[0].received, '0');
    assert.equal(
      (await w.request('GET', '/v1/asset-library', undefined, { authorization: '' })).status,
      401,
    );
  } finally {
    await w.close();
  }
});

test('thumbnails are WebP renditions on the public route; renditions are offered with their URLs', async () => {
  const w = await apiWorld();
  try {
    const { items } = await search(w, '');
    for (const item of items) {
      assert.match(item.thumbnailUrl, /^\/assets\/prod\/[\w-]+\?v=1&w=200&format=webp$/);
      const img = await w.server.inject({ method: 'GET', url: item.thumbnailUrl });
      assert.equal(img.statusCode, 200, item.id);
      assert.equal(img.headers['content-type'], 'image/webp');
      const meta = await sharp(img.rawPayload).metadata();
      assert.deepEqual([meta.format, meta.width], ['webp', 200], item.id);
    }

    const r = await w.request('GET', '/v1/asset-library/luma-loyalty-plus/renditions');
    assert.equal(r.status, 200);
    const byLabel = Object.fromEntries(
      (
        r.body.items as Array<{
          label: string;
          spec: Record<string, unknown>;
          url: string;
          previewUrl: string;
        }>
      ).map((i) => [i.label, i]),
    );
    assert.deepEqual(Object.keys(byLabel), [
      'Original',
      'Email 600 px',
      'Retina 1200 px',
      'Thumbnail',
    ]);
    assert.deepEqual(byLabel['Email 600 px']!.spec, { width: 600 });
    assert.equal(
      byLabel['Email 600 px']!.url,
      'http://waymark.test/assets/prod/luma-loyalty-plus?v=1&w=600',
    );
    assert.deepEqual(byLabel['Thumbnail']!.spec, { width: 200, format: 'webp' });
    const email = await w.server.inject({
      method: 'GET',
      url: byLabel['Email 600 px']!.previewUrl,
    });
    assert.equal((await sharp(email.rawPayload).metadata()).width, 600);
    assert.equal((await w.request('GET', '/v1/asset-library/nope/renditions')).status, 404);
  } finally {
    await w.close();
  }
});

test('an asset with a remote URL: served by Waymark when its image is stored, else shown from its URL', async () => {
  const w = await apiWorld();
  try {
    const put = async (id: string): Promise<void> => {
      const r = await w.request('POST', '/v1/assets', {
        id,
        name: `Remote ${id}`,
        collection: 'Remote',
        url: `https://assets.luma.example/${id}.png`,
        mimeType: 'image/png',
      });
      assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
    };
    await put('with-bytes');
    await put('without-bytes');
    const png = await sharp({
      create: { width: 300, height: 100, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer();
    await w.app.assets.storeImage('prod', 'with-bytes', 1, png);
    const page = await search(w, '?collection=Remote');
    const by = Object.fromEntries(page.items.map((i) => [i.id, i]));
    assert.equal(
      by['without-bytes']!.thumbnailUrl,
      'https://assets.luma.example/without-bytes.png',
    );
    assert.equal(by['with-bytes']!.thumbnailUrl, '/assets/prod/with-bytes?v=1&w=200&format=webp');
    const img = await w.server.inject({ method: 'GET', url: by['with-bytes']!.thumbnailUrl });
    assert.equal((await sharp(img.rawPayload).metadata()).width, 200);
  } finally {
    await w.close();
  }
});

test('an image uploaded from the console under a new id creates the asset, found by search', async () => {
  const w = await apiWorld();
  try {
    const png = await sharp({
      create: { width: 640, height: 320, channels: 3, background: '#ff8800' },
    })
      .png()
      .toBuffer();
    const up = await w.server.inject({
      method: 'PUT',
      url: '/v1/assets/summer-banner/content?name=Summer%20Banner&collection=Campaigns&tags=banner,summer',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'image/png' },
      payload: png,
    });
    assert.equal(up.statusCode, 200, up.body);
    const asset = JSON.parse(up.body);
    assert.deepEqual(
      [
        asset.id,
        asset.name,
        asset.collection,
        asset.tags,
        asset.version,
        asset.mimeType,
        asset.width,
        asset.height,
      ],
      [
        'summer-banner',
        'Summer Banner',
        'Campaigns',
        ['banner', 'summer'],
        1,
        'image/png',
        640,
        320,
      ],
    );
    assert.equal(asset.url, 'http://waymark.test/assets/prod/summer-banner?v=1');

    const found = await search(w, '?q=summer');
    assert.deepEqual(ids(found), ['summer-banner']);
    assert.deepEqual(
      (await search(w, '?tag=banner')).items.map((i) => i.id),
      ['summer-banner', 'luma-loyalty-plus', 'luma-mobile-app'],
    );
    assert.deepEqual((await search(w, '')).collections, [
      { name: 'Campaigns', count: 1 },
      { name: 'Luma', count: 3 },
    ]);
    const thumb = await w.server.inject({ method: 'GET', url: found.items[0]!.thumbnailUrl });
    assert.equal(thumb.headers['content-type'], 'image/webp');
    assert.equal((await sharp(thumb.rawPayload).metadata()).width, 200);
  } finally {
    await w.close();
  }
});
