// A landing page's counters are committed with the profile write of the submission (one batch, one
// transaction) on both stores: counted together, and when the batch fails, neither is kept.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { CommitBatch, Store } from '../../src/store/ports.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

const at = '2026-03-01T10:00:00.000Z';
const profile = (id: string) => ({
  sandbox: 'prod',
  id,
  attributes: { consents: { marketing: { email: 'n' } } },
  testProfile: false,
  identities: [{ namespace: 'Email', id: `${id}@luma.example` }],
  createdAt: at,
  updatedAt: at,
});
type Counter = NonNullable<CommitBatch['landingPageCounters']>[number];
const counter = (metric: Counter['metric']): Counter => ({
  sandbox: 'prod',
  slug: 'spring-sale',
  subPage: '',
  metric,
  delta: 1,
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`landing page counters on ${kind}`, () => {
    test('committed with the profile write, or not at all', async () => {
      const store: Store =
        kind === 'sqlite' ? new SqliteStore(':memory:') : await openPostgresTestStore('waymark_lp');
      try {
        await store.commit({
          profiles: [profile('p1')],
          landingPageCounters: [
            counter('submissions'),
            counter('conversions'),
            counter('submissions'),
          ],
        });
        assert.ok(await store.getProfile('prod', 'p1'));
        const counts = await store.landingPageCounts('prod', 'spring-sale');
        assert.deepEqual(counts.map((c) => [c.metric, c.count]).sort(), [
          ['conversions', 1],
          ['submissions', 2],
        ]);
        // A batch that fails (a counter row the table refuses) keeps neither the profile nor a count.
        const broken = { ...counter('conversions'), slug: null } as unknown as Counter;
        await assert.rejects(
          store.commit({
            profiles: [profile('p2')],
            landingPageCounters: [counter('conversions'), broken],
          }),
        );
        assert.equal(await store.getProfile('prod', 'p2'), null);
        const after = await store.landingPageCounts('prod', 'spring-sale');
        assert.equal(after.find((c) => c.metric === 'conversions')?.count, 1);
      } finally {
        await store.close();
      }
    });
  });
}
