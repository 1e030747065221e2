// The audit log's table, held to the same contract on the embedded store and on PostgreSQL:
// newest first, each filter, keyset pages by id, purge by age; the body comes back as written.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditRow, Store } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

const row = (n: number, over: Partial<AuditRow> = {}): AuditRow => ({
  id: `0000${n}`.slice(-5),
  at: n * 1000,
  sandbox: 'prod',
  actorKind: 'user',
  actorId: 'u1',
  actorName: 'ana@luma.example',
  action: 'object.update',
  objectKind: 'fragment',
  objectKey: 'footer',
  objectName: 'Footer',
  body: { changes: [{ path: 'name', before: 'a', after: 'b' }] },
  ...over,
});

function contract(name: string, open: () => Promise<Store>): void {
  describe(`audit log store contract: ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await open();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };
    const ids = (rows: AuditRow[]) => rows.map((r) => r.id);

    test(
      'appended entries come back newest first, whole, with their JSON body as written',
      withStore(async (s) => {
        const body = JSON.parse(
          '{"changes": [{"path": "spec.auth.secret", "before": "[redacted]", "after": "[redacted]"}], "details": {"é": "😀", "n": null}}',
        ) as unknown;
        await s.appendAudit(row(1));
        await s.appendAudit(
          row(2, {
            sandbox: null,
            objectKind: null,
            objectKey: null,
            objectName: null,
            action: 'key.create',
            body,
          }),
        );
        const all = await s.queryAudit({ limit: 10 });
        assert.deepEqual(ids(all), ['00002', '00001']);
        assert.deepEqual(
          all[0],
          row(2, {
            sandbox: null,
            objectKind: null,
            objectKey: null,
            objectName: null,
            action: 'key.create',
            body,
          }),
        );
        assert.equal(JSON.stringify(all[0]?.body), JSON.stringify(body));
        assert.deepEqual(all[1], row(1));
      }),
    );

    test(
      'filters: sandbox (with or without the entries outside any sandbox), object, actor by id or name, action or area, time range',
      withStore(async (s) => {
        await s.appendAudit(row(1));
        await s.appendAudit(row(2, { sandbox: 'dev' }));
        await s.appendAudit(
          row(3, {
            sandbox: null,
            action: 'user.create',
            objectKind: 'user',
            objectKey: 'u2',
            actorId: 'k1',
            actorName: 'ci key',
            actorKind: 'key',
          }),
        );
        await s.appendAudit(
          row(4, { action: 'journey.publish', objectKind: 'journey', objectKey: 'purchase' }),
        );
        await s.appendAudit(
          row(5, { action: 'journey_x', objectKind: 'journey', objectKey: 'footer' }),
        );
        assert.deepEqual(ids(await s.queryAudit({ sandbox: 'prod', limit: 10 })), [
          '00005',
          '00004',
          '00001',
        ]);
        assert.deepEqual(
          ids(await s.queryAudit({ sandbox: 'prod', withGlobal: true, limit: 10 })),
          ['00005', '00004', '00003', '00001'],
        );
        assert.deepEqual(ids(await s.queryAudit({ sandbox: null, limit: 10 })), ['00003']);
        assert.deepEqual(ids(await s.queryAudit({ objectKey: 'footer', limit: 10 })), [
          '00005',
          '00002',
          '00001',
        ]);
        assert.deepEqual(
          ids(await s.queryAudit({ objectKind: 'fragment', objectKey: 'footer', limit: 10 })),
          ['00002', '00001'],
        );
        assert.deepEqual(ids(await s.queryAudit({ actor: 'k1', limit: 10 })), ['00003']);
        assert.deepEqual(ids(await s.queryAudit({ actor: 'ci key', limit: 10 })), ['00003']);
        assert.deepEqual(
          ids(await s.queryAudit({ actor: 'ana@luma.example', sandbox: 'prod', limit: 10 })),
          ['00005', '00004', '00001'],
        );
        assert.deepEqual(ids(await s.queryAudit({ action: 'journey.publish', limit: 10 })), [
          '00004',
        ]);
        assert.deepEqual(
          ids(await s.queryAudit({ action: 'journey.*', limit: 10 })),
          ['00004'],
          "an area's actions; LIKE's _ is taken literally",
        );
        assert.deepEqual(
          ids(await s.queryAudit({ since: 2000, until: 4000, limit: 10 })),
          ['00003', '00002'],
          'since inclusive, until exclusive',
        );
      }),
    );

    test(
      'pages: newest first, each page after the last id of the previous one',
      withStore(async (s) => {
        for (let n = 1; n <= 7; n++) await s.appendAudit(row(n));
        const first = await s.queryAudit({ sandbox: 'prod', limit: 3 });
        assert.deepEqual(ids(first), ['00007', '00006', '00005']);
        const second = await s.queryAudit({ sandbox: 'prod', limit: 3, before: '00005' });
        assert.deepEqual(ids(second), ['00004', '00003', '00002']);
        assert.deepEqual(ids(await s.queryAudit({ sandbox: 'prod', limit: 3, before: '00002' })), [
          '00001',
        ]);
      }),
    );

    test(
      'purge deletes the entries older than the cut-off and says how many',
      withStore(async (s) => {
        for (let n = 1; n <= 5; n++) await s.appendAudit(row(n));
        assert.equal(await s.purgeAudit(3000), 2);
        assert.deepEqual(ids(await s.queryAudit({ limit: 10 })), ['00005', '00004', '00003']);
        assert.equal(await s.purgeAudit(3000), 0);
      }),
    );
  });
}

contract('sqlite in memory', async () => new SqliteStore(':memory:'));
contract('postgresql', () => openPostgresTestStore());
