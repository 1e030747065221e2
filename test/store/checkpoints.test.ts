// A file store checkpoints its WAL on a background thread: what commits write reaches the database
// file while the writer goes on, without any commit doing the copy (SQLite's own checkpoint, on the
// writer, waits for 10,000 pages). Without the thread, the database file stays as it was. The
// thread checkpoints more often while commits are small (requests one by one), not during bulk loads.
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CommitPace, SMALL_COMMIT_STATEMENTS } from '../../src/store/sqlite/checkpointer.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

async function writeAndWait(
  checkpointIntervalMs: number | null,
): Promise<{ before: number; after: number; store: SqliteStore; path: string }> {
  const path = join(mkdtempSync(join(tmpdir(), 'waymark-ckpt-')), 'waymark.db');
  const store = new SqliteStore(path, { checkpointIntervalMs });
  const before = statSync(path).size;
  for (let b = 0; b < 40; b++) {
    const profiles = Array.from({ length: 50 }, (_, i) => ({
      sandbox: 'prod',
      id: `p${b}-${i}`,
      attributes: { note: 'x'.repeat(200), i },
      testProfile: false,
      identities: [{ namespace: 'Email', id: `p${b}-${i}@luma.example` }],
      createdAt: 't',
      updatedAt: 't',
    }));
    await store.commit({ profiles });
  }
  const walPages = statSync(`${path}-wal`).size / 8192;
  assert.ok(
    walPages > 100 && walPages < 10_000,
    `the WAL holds the commits (${walPages} pages), below the writer's own threshold`,
  );
  await new Promise((r) => setTimeout(r, 400));
  return { before, after: statSync(path).size, store, path };
}

test('the background thread copies committed pages into the database file; the store reads them back after a reopen', async () => {
  const on = await writeAndWait(50);
  assert.ok(
    on.after > on.before + 500_000,
    `the database file grew from ${on.before} to ${on.after} bytes`,
  );
  await on.store.close();
  const reopened = new SqliteStore(on.path);
  try {
    assert.equal((await reopened.scanAttributes('prod', { limit: 5000 })).length, 2000);
  } finally {
    await reopened.close();
  }

  const off = await writeAndWait(null);
  assert.equal(off.after, off.before, 'no thread: the pages wait in the WAL');
  await off.store.close();
});

test('checkpoints speed up while commits are small, and not for one large commit among them', () => {
  const pace = new CommitPace();
  assert.equal(pace.small, false, 'a new store starts at the normal cadence');
  const flips: string[] = [];
  const see = (statements: number, times: number): void => {
    for (let i = 0; i < times; i++)
      if (pace.saw(statements)) flips.push(pace.small ? 'small' : 'large');
  };
  see(12, 40); // single-event requests, one by one
  assert.deepEqual(flips, ['small'], 'requests one by one: small commits, told once');
  see(SMALL_COMMIT_STATEMENTS * 10, 1); // one bulk group among them
  assert.deepEqual(flips, ['small'], 'one large commit does not change the pace');
  see(4_000, 20); // a bulk load of 100-event calls
  assert.deepEqual(flips, ['small', 'large'], 'a bulk load: large commits, told once');
});
