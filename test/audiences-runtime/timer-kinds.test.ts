// Audience window and job timers are their own kinds (src/store/records/timer-record.ts): the
// runtime writes them as such, and timers an older Waymark stored (prefixed instance ids, no
// record) still fire as the kind they were.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { cart, lumaEvent, lumaWorld, T0, type LumaWorld } from '../support/luma.ts';

const RECENT = 'Checked out in the last hour';
const HOUR = 3_600_000;

async function withWorld(
  fn: (w: LumaWorld, db: Database.Database) => Promise<void>,
): Promise<void> {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'waymark-timer-kinds-')), 'waymark.db');
  const w = await lumaWorld({ store: 'sqlite', dbPath });
  const db = new Database(dbPath);
  try {
    await w.app.objects.put('prod', 'audience', {
      name: RECENT,
      origin: 'streaming',
      namespace: 'Email',
      definition: {
        kind: 'event',
        eventType: 'LumaCheckoutEvent_Email',
        count: { op: 'atLeast', value: 1 },
        within: { amount: 1, unit: 'hours' },
      },
    });
    await fn(w, db);
  } finally {
    db.close();
    await w.close();
  }
}

const timerRows = (db: Database.Database) =>
  db
    .prepare(
      "SELECT id, instance_id, record FROM timers WHERE id LIKE 'audience:%' OR id LIKE 'job:%' ORDER BY id",
    )
    .all() as Array<{ id: string; instance_id: string; record: string | null }>;

describe('audience and job timers by kind', () => {
  test('a checkout starts an audience window timer and a retention setting a job timer, each stored with its kind', async () => {
    await withWorld(async (w, db) => {
      const [r] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      ]);
      const profileId = r?.status === 'accepted' ? r.profileId : '';
      await w.app.profileAdmin.setRetention('prod', 30);
      assert.deepEqual(
        timerRows(db).map((t) => [t.id, JSON.parse(t.record ?? 'null') as unknown]),
        [
          [`audience:${profileId}`, { kind: 'audience', v: 1, profileId }],
          ['job:prod:retention', { kind: 'job', v: 1, jobId: 'retention' }],
        ],
      );
      const due = await w.app.reads.dueTimers(T0 + 2 * HOUR, 100);
      assert.deepEqual(
        due
          .filter((t) => t.kind !== 'instance')
          .map((t) =>
            t.kind === 'audience'
              ? ['audience', t.profileId]
              : t.kind === 'job'
                ? ['job', t.jobId]
                : [],
          ),
        [
          ['job', 'retention'],
          ['audience', profileId],
        ],
      );
    });
  });

  test('timers stored before kinds existed (prefixed ids, no record) fire as what they were', async () => {
    await withWorld(async (w, db) => {
      const [r] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      ]);
      const profileId = r?.status === 'accepted' ? r.profileId : '';
      await w.app.profileAdmin.setRetention('prod', 30);
      // As an older Waymark left them.
      db.prepare(
        "UPDATE timers SET record = NULL WHERE id LIKE 'audience:%' OR id LIKE 'job:%'",
      ).run();
      assert.deepEqual(
        timerRows(db).map((t) => [t.id, t.instance_id, t.record]),
        [
          [`audience:${profileId}`, `audience:${profileId}`, null],
          ['job:prod:retention', 'job:prod:retention', null],
        ],
      );

      w.clock.set(T0 + HOUR + 1);
      await w.app.engine.settle();
      const row = (await w.app.reads.profileMemberships('prod', profileId)).find(
        (m) => m.audience === RECENT,
      );
      assert.deepEqual(
        [row?.status, row?.exitedAt],
        ['exited', T0 + HOUR + 1],
        'the old audience timer fired: the window closed',
      );
      const job = (await w.app.reads.audienceJobs('prod')).find((j) => j.id === 'retention');
      assert.equal(
        (job?.state as { nextRunAt: number }).nextRunAt,
        T0 + HOUR + 1 + HOUR,
        'the old job timer fired: the next run is an hour on',
      );
      assert.deepEqual(
        timerRows(db).map((t) => [t.id, JSON.parse(t.record ?? 'null') as unknown]),
        [['job:prod:retention', { kind: 'job', v: 1, jobId: 'retention' }]],
        'rescheduled in the current format',
      );
    });
  });
});
