// The translation projects table, held to the same contract on the embedded store and on PostgreSQL:
// upsert keeps the creation time, per-sandbox reads, newest first, the restart's read by status.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store, TranslationProjectRow } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

const row = (id: string, over: Partial<TranslationProjectRow> = {}): TranslationProjectRow => ({
  sandbox: 'prod',
  id,
  status: 'in_progress',
  createdAt: 1000,
  updatedAt: 1000,
  body: { id, targets: [{ locale: 'es_ES', status: 'in_progress' }] },
  ...over,
});

function contract(name: string, open: () => Promise<Store>): void {
  describe(`translation projects store contract: ${name}`, () => {
    test('put creates then replaces (creation time kept), get is per sandbox, JSON comes back as written', async () => {
      const s = await open();
      try {
        await s.putTranslationProject(row('tp-1'));
        const body = JSON.parse(
          '{"z": 1, "a": {"text": "<span class=\\"notranslate\\">{{x}}</span> é😀"}, "targets": []}',
        ) as unknown;
        await s.putTranslationProject(
          row('tp-1', { status: 'completed', createdAt: 5000, updatedAt: 2000, body }),
        );
        const got = await s.getTranslationProject('prod', 'tp-1');
        assert.deepEqual([got?.status, got?.createdAt, got?.updatedAt], ['completed', 1000, 2000]);
        assert.equal(JSON.stringify(got?.body), JSON.stringify(body));
        assert.equal(await s.getTranslationProject('dev', 'tp-1'), null, 'sandboxed');
        assert.equal(await s.getTranslationProject('prod', 'nope'), null);
      } finally {
        await s.close();
      }
    });

    test('list: newest first, per sandbox, limited; by status across sandboxes, oldest first', async () => {
      const s = await open();
      try {
        await s.putTranslationProject(row('a', { createdAt: 1000 }));
        await s.putTranslationProject(row('c', { createdAt: 3000, status: 'completed' }));
        await s.putTranslationProject(row('b', { createdAt: 2000 }));
        await s.putTranslationProject(row('b2', { createdAt: 2000, status: 'failed' }));
        await s.putTranslationProject(row('d', { sandbox: 'dev', createdAt: 500 }));
        assert.deepEqual(
          (await s.listTranslationProjects('prod', { limit: 10 })).map((r) => r.id),
          ['c', 'b2', 'b', 'a'],
        );
        assert.deepEqual(
          (await s.listTranslationProjects('prod', { limit: 2 })).map((r) => r.id),
          ['c', 'b2'],
        );
        assert.deepEqual(
          (await s.listTranslationProjects('dev', { limit: 10 })).map((r) => r.id),
          ['d'],
        );
        assert.deepEqual(
          (await s.translationProjectsWithStatus('in_progress')).map((r) => `${r.sandbox}/${r.id}`),
          ['dev/d', 'prod/a', 'prod/b'],
        );
        assert.deepEqual(
          (await s.translationProjectsWithStatus('failed')).map((r) => r.id),
          ['b2'],
        );
      } finally {
        await s.close();
      }
    });
  });
}

contract('sqlite in memory', async () => new SqliteStore(':memory:'));
contract('postgresql', () => openPostgresTestStore());
