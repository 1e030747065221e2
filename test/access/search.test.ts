// Quick search (GET /v1/search): names of journeys and every object kind, best match first,
// filtered by what the caller may view, and profiles by an identity value for those who may read
// profiles; answered from an in-memory index that follows this process's changes at once and
// other processes' within seconds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rankName, Rank } from '../../src/runtime/search/rank.ts';
import { SearchIndex } from '../../src/runtime/search/search-index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { apiWorld, ROLE_KEYS, type ApiWorld } from '../support/server.ts';

const TOM = 'tom.baker@luma.example';
const as = (role: keyof typeof ROLE_KEYS) => ({ authorization: `Bearer ${ROLE_KEYS[role]}` });
type Hit = {
  kind: string;
  kindTitle: string;
  id: string;
  name: string;
  status?: string;
  path: string;
};

describe('ranking', () => {
  test('exact name, then the start of the name, then the start of a word, then anywhere', () => {
    assert.equal(rankName('promo', 'promo'), Rank.Exact);
    assert.equal(rankName('promo code', 'promo'), Rank.Prefix);
    assert.equal(rankName('summer promo', 'promo'), Rank.WordPrefix);
    assert.equal(rankName('luma - footer fragment', 'footer'), Rank.WordPrefix);
    assert.equal(rankName('autopromotion', 'promo'), Rank.Substring);
    assert.equal(
      rankName('autopromo promo', 'promo'),
      Rank.WordPrefix,
      'a later word start counts',
    );
    assert.equal(rankName('cart', 'promo'), null);
  });
});

describe('GET /v1/search', () => {
  let w: ApiWorld;
  before(async () => {
    w = await apiWorld();
    assert.equal(
      (
        await w.request('PUT', `/v1/profiles/Email/${TOM}`, {
          attributes: { person: { name: { firstName: 'Tom' } } },
        })
      ).status < 300,
      true,
    );
    for (const [id, name] of [
      ['p1', 'Autopromotion'],
      ['p2', 'Summer promo'],
      ['p3', 'Promo code'],
      ['p4', 'Promo'],
    ]) {
      assert.equal(
        (
          await w.request('POST', '/v1/fragments', {
            id,
            name,
            status: 'draft',
            content: { type: 'expression', source: 'x' },
          })
        ).status,
        201,
      );
    }
  });
  after(() => w.close());

  test('finds a fragment by its name, with its kind, status and console page', async () => {
    const r = await w.request('GET', `/v1/search?q=${encodeURIComponent('Luma - Footer')}`);
    assert.equal(r.status, 200);
    const hit = (r.body.items as Hit[]).find((h) => h.name === 'Luma - Footer Fragment');
    assert.ok(hit, JSON.stringify(r.body.items));
    assert.equal(hit.kind, 'fragment');
    assert.equal(hit.kindTitle, 'Fragment');
    assert.equal(hit.path, `/objects/fragments/${encodeURIComponent(hit.id)}`);
    assert.equal(typeof hit.status, 'string');
  });

  test('best matches first: exact, prefix, word prefix, substring', async () => {
    const r = await w.request('GET', '/v1/search?q=promo');
    const fragments = (r.body.items as Hit[])
      .filter((h) => ['p1', 'p2', 'p3', 'p4'].includes(h.id))
      .map((h) => h.name);
    assert.deepEqual(fragments, ['Promo', 'Promo code', 'Summer promo', 'Autopromotion']);
    assert.equal((await w.request('GET', '/v1/search?q=promo&limit=2')).body.items.length, 2);
  });

  test('finds journeys by name, with their status', async () => {
    const r = await w.request('GET', '/v1/search?q=purchase%20journey');
    const hit = (r.body.items as Hit[])[0];
    assert.deepEqual(
      hit && { kind: hit.kind, kindTitle: hit.kindTitle, path: hit.path, status: hit.status },
      { kind: 'journey', kindTitle: 'Journey', path: '/journeys/purchase-journey', status: 'live' },
    );
  });

  test('finds a profile by email (any case) for the admin; a viewer, who may not read profiles, does not', async () => {
    const r = await w.request('GET', `/v1/search?q=${encodeURIComponent(TOM.toUpperCase())}`);
    const profile = (r.body.items as Hit[]).find((h) => h.kind === 'profile');
    assert.ok(profile, JSON.stringify(r.body.items));
    assert.equal(profile.kindTitle, 'Profile');
    assert.equal(profile.name, TOM);
    assert.equal(profile.path, `/profiles?namespace=Email&id=${encodeURIComponent(TOM)}`);
    const viewer = await w.request(
      'GET',
      `/v1/search?q=${encodeURIComponent(TOM)}`,
      undefined,
      as('viewer'),
    );
    assert.equal(viewer.status, 200);
    assert.deepEqual(viewer.body.items, []);
    // The viewer finds objects all the same.
    assert.ok(
      (await w.request('GET', '/v1/search?q=promo', undefined, as('viewer'))).body.items.length >=
        4,
    );
  });

  test('only kinds the caller may view: a data-ingest key finds nothing', async () => {
    const r = await w.request('GET', '/v1/search?q=promo', undefined, as('data-ingest'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.items, []);
  });

  test('an object created or deleted is found, or not, at once', async () => {
    assert.deepEqual((await w.request('GET', '/v1/search?q=zebra')).body.items, []);
    assert.equal(
      (
        await w.request('POST', '/v1/audiences', {
          name: 'Zebra lovers',
          origin: 'uploaded',
          namespace: 'Email',
        })
      ).status,
      201,
    );
    const found = (await w.request('GET', '/v1/search?q=zebra')).body.items as Hit[];
    assert.deepEqual(
      found.map((h) => [h.kind, h.name, h.path]),
      [['audience', 'Zebra lovers', '/objects/audiences/Zebra%20lovers']],
    );
    assert.equal((await w.request('DELETE', '/v1/audiences/Zebra%20lovers')).status, 204);
    assert.deepEqual((await w.request('GET', '/v1/search?q=zebra')).body.items, []);
  });

  test('an empty query finds nothing; a bad limit is refused', async () => {
    assert.deepEqual((await w.request('GET', '/v1/search?q=%20')).body.items, []);
    const bad = await w.request('GET', '/v1/search?q=promo&limit=0');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.issues.some((i: { path: string }) => i.path === 'limit'));
  });
});

describe('the index', () => {
  test("another process's change shows once the index is older than its age", async () => {
    const store = new SqliteStore(':memory:');
    try {
      let now = 1_000;
      const index = new SearchIndex(store, { maxAgeMs: 5_000, now: () => now });
      assert.equal((await index.get('prod')).size, 0);
      // Written behind the index's back, as another server would.
      await store.putObject(
        'prod',
        'fragment',
        'late',
        {
          id: 'late',
          name: 'Late arrival',
          status: 'draft',
          content: { type: 'expression', source: 'x' },
        },
        new Date().toISOString(),
      );
      assert.equal((await index.get('prod')).size, 0, 'still the index as built');
      now += 6_000;
      await index.get('prod'); // refreshes in the background
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await index.get('prod')).byKind.get('fragment')?.[0]?.name, 'Late arrival');
      // A change in this process: the next read builds again.
      await store.deleteObject('prod', 'fragment', 'late');
      index.invalidate('prod');
      assert.equal((await index.get('prod')).size, 0);
    } finally {
      await store.close();
    }
  });
});
