// Quick search (GET /v1/search) on a sandbox of 10,000 objects (fragments, content templates,
// audiences; one in ten labelled) and a profile: p50 and p95 of a search through the HTTP API
// (Fastify inject, the admin key: every kind, profiles by identity too), queries rotating over
// exact names, prefixes, words, misses and an email. Also how long the index takes to build (the
// first search, and again after a change in this process). Baseline in the same run: the same
// search without the index, scanning every kind's objects from the store each time.
// Target (issue 15): results in under 100 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { apiKey } from '../src/api/auth.ts';
import { buildServer } from '../src/api/server.ts';
import { createWaymark } from '../src/runtime/app.ts';
import { displayName } from '../src/runtime/search/display-name.ts';
import { rankEntry } from '../src/runtime/search/rank.ts';
import { objectKinds } from '../src/runtime/object-kinds.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { figure, percentile, type Figure } from './figures.ts';

export interface SearchBenchOptions {
  readonly objects: number;
  readonly queries: number;
  readonly log?: (line: string) => void;
}

const KEY = 'bench-search-admin-key-0123456789';
const EMAIL = 'tom.baker@luma.example';
const WORDS = [
  'Summer',
  'Winter',
  'Promo',
  'Loyalty',
  'Welcome',
  'Cart',
  'Receipt',
  'Footer',
  'Header',
  'Banner',
  'Offer',
  'Survey',
];

/** The i-th seeded object: a third each fragments, content templates and audiences. */
function seed(i: number): { kind: string; key: string; body: Record<string, unknown> } {
  const name = `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]!.toLowerCase()} ${i}`;
  const labels = i % 10 === 0 ? { labels: ['finance'] } : {};
  switch (i % 3) {
    case 0:
      return {
        kind: 'fragment',
        key: `frag-${i}`,
        body: {
          id: `frag-${i}`,
          name,
          status: 'live',
          channels: ['email'],
          version: 1,
          content: { type: 'expression', source: `<p>${name}</p>` },
          history: [],
          ...labels,
        },
      };
    case 1:
      return {
        kind: 'contentTemplate',
        key: `tmpl-${i}`,
        body: {
          id: `tmpl-${i}`,
          name,
          channel: 'sms',
          content: { channel: 'sms', text: name },
          ...labels,
        },
      };
    default:
      return {
        kind: 'audience',
        key: `Audience ${i}`,
        body: { name: `Audience ${i} ${name}`, origin: 'uploaded', namespace: 'Email', ...labels },
      };
  }
}

export async function benchSearch(opts: SearchBenchOptions): Promise<Figure[]> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'waymark-bench-search-'));
  const store = new SqliteStore(join(dir, 'bench.db'));
  const app = createWaymark({ store });
  const server = await buildServer({ app, keys: [apiKey('bench', KEY)] });
  try {
    const now = new Date().toISOString();
    for (let i = 0; i < opts.objects; i++) {
      const o = seed(i);
      await store.putObject('prod', o.kind, o.key, o.body, now);
    }
    const put = await server.inject({
      method: 'PUT',
      url: `/v1/profiles/Email/${EMAIL}`,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ attributes: { person: { name: { firstName: 'Tom' } } } }),
    });
    if (put.statusCode >= 300)
      throw new Error(`the profile was not stored: ${put.body.slice(0, 300)}`);
    log(`search: ${opts.objects} objects stored`);

    const queries = [
      'promo',
      'summer cart',
      `Welcome offer ${Math.min(opts.objects - 1, 42)}`,
      'ban',
      'receipt 1',
      'nothing like this',
      EMAIL,
      'offer 9',
      'tmpl-1',
    ];
    const search = async (q: string): Promise<number> => {
      const t = performance.now();
      const res = await server.inject({
        method: 'GET',
        url: `/v1/search?q=${encodeURIComponent(q)}&limit=20`,
        headers: { authorization: `Bearer ${KEY}` },
      });
      const ms = performance.now() - t;
      if (res.statusCode !== 200)
        throw new Error(`GET /v1/search answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return ms;
    };
    const build = await search('promo'); // builds the index
    const found = (
      await server.inject({
        method: 'GET',
        url: `/v1/search?q=${encodeURIComponent(EMAIL)}`,
        headers: { authorization: `Bearer ${KEY}` },
      })
    ).json() as { items: Array<{ kind: string }> };
    if (!found.items.some((h) => h.kind === 'profile'))
      throw new Error('the profile is not found by email');
    for (let i = 0; i < 20; i++) await search(queries[i % queries.length]!); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < opts.queries; i++) samples.push(await search(queries[i % queries.length]!));

    // A change in this process makes the next search build the index again.
    const rebuilds: number[] = [];
    for (let i = 0; i < 5; i++) {
      await app.objects.put('prod', 'fragment', {
        id: `changed-${i}`,
        name: `Changed ${i}`,
        status: 'draft',
        content: { type: 'expression', source: 'x' },
      });
      rebuilds.push(await search('changed'));
    }

    // Baseline: no index, every kind read from the store and matched on each search.
    const scans: number[] = [];
    for (let i = 0; i < Math.max(5, Math.min(30, Math.floor(opts.queries / 10))); i++) {
      const q = queries[i % queries.length]!.toLowerCase();
      const t = performance.now();
      let hits = 0;
      for (const k of objectKinds)
        for (const o of await store.listObjects(prodSandbox, k.kind))
          if (rankEntry(displayName(o.key, o.body).toLowerCase(), o.key.toLowerCase(), q) !== null)
            hits++;
      scans.push(performance.now() - t + hits * 0);
    }

    return [
      figure({
        name: 'search.p95',
        value: percentile(samples, 95),
        unit: 'ms',
        baseline: {
          name: 'the same match scanning the store on each search, no index (p95)',
          value: percentile(scans, 95),
          unit: 'ms',
        },
        targets: [{ op: '<=', value: 100, of: 'value' }],
        note: `${samples.length} searches through GET /v1/search (inject, admin: every kind and profiles by identity) over ${opts.objects} objects; p50 ${percentile(samples, 50).toFixed(2)} ms`,
      }),
      figure({
        name: 'search.p50',
        value: percentile(samples, 50),
        unit: 'ms',
        baseline: { name: 'scan without index (p50)', value: percentile(scans, 50), unit: 'ms' },
      }),
      figure({
        name: 'search.indexBuild',
        value: build,
        unit: 'ms',
        note: 'the first search of the sandbox: reads every journey and object into the index',
      }),
      figure({
        name: 'search.afterChange',
        value: percentile(rebuilds, 50),
        unit: 'ms',
        note: 'a search right after an object was saved in this process (the index is built again): median of 5',
      }),
    ];
  } finally {
    await server.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const prodSandbox = 'prod';
