// A file store can run its commits on a thread with a connection of its own (write-channel.ts): the
// writer then prepares its next group while a commit runs. What the thread commits, the store's own
// connection reads right after; a commit that fails fails alone and leaves nothing behind; and a
// thread that cannot run hands the writes back to the store's connection instead of losing them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import type { CommitBatch } from '../../src/store/ports.ts';
import { sqlitePragmas } from '../../src/store/sqlite/pragmas.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import {
  InProcessWrites,
  THREAD_MIN_STATEMENTS,
  ThreadWrites,
} from '../../src/store/sqlite/write-channel.ts';

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});
const freshPath = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-thread-'));
  folders.push(dir);
  return join(dir, 'waymark.db');
};

/** `n` identity writes, named `prefix` and a number. */
const identities = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    s: 'putIdentity' as const,
    a: ['prod', 'Email', `${prefix}${i}@luma.example`, `${prefix}${i}`],
  }));
const identitiesLike = (db: Database.Database, prefix: string): number =>
  (
    db.prepare('SELECT count(*) AS n FROM identities WHERE value LIKE ?').get(`${prefix}%`) as {
      n: number;
    }
  ).n;

/** A new store's file, with a commit thread on it and the store's connection as its fallback. */
async function threadOnFreshStore(): Promise<{
  db: Database.Database;
  writes: ThreadWrites;
  count: (prefix: string) => number;
}> {
  const path = freshPath();
  await new SqliteStore(path).close();
  const db = new Database(path);
  const writes = new ThreadWrites(path, sqlitePragmas, new InProcessWrites(db), () => {});
  return { db, writes, count: (prefix) => identitiesLike(db, prefix) };
}

const profileBatch = (ids: readonly string[]): CommitBatch => ({
  profiles: ids.map((id) => ({
    sandbox: 'prod',
    id,
    attributes: { note: 'a "quoted" note\nwith a line break', tier: 'gold' },
    testProfile: false,
    identities: [{ namespace: 'Email', id: `${id}@luma.example` }],
    createdAt: '2026-12-05T00:00:00Z',
    updatedAt: '2026-12-05T00:00:00Z',
  })),
});

test('commits on the thread are read back by the store at once, in the order they were sent', async () => {
  const store = new SqliteStore(freshPath(), { commitThread: { minStatements: 0 } });
  try {
    assert.equal(store.asyncCommits?.(), true, 'the writer is told it may prepare meanwhile');
    // Sent without waiting: the thread runs them in order, each in its own transaction.
    await Promise.all(
      Array.from({ length: 20 }, (_, b) =>
        store.commit(profileBatch(Array.from({ length: 25 }, (_, i) => `p${b}-${i}`))),
      ),
    );
    const p = await store.getProfile('prod', 'p19-24');
    assert.equal(p?.attributes['note'], 'a "quoted" note\nwith a line break');
    assert.equal(await store.findProfileId('prod', 'Email', 'p0-0@luma.example'), 'p0-0');
  } finally {
    await store.close();
  }
});

test('a commit that fails on the thread fails alone, with SQLite’s reason, and writes none of its rows', async () => {
  const path = freshPath();
  const store = new SqliteStore(path, { commitThread: { minStatements: 0 } });
  try {
    await store.commit(profileBatch(['kept']));
    const event = {
      sandbox: 'prod',
      eventId: 'e1',
      type: 'LumaCheckoutEvent_Email',
      profileId: 'kept',
      payload: { a: 1 },
      receivedAt: 1_796_000_000_000,
    };
    await store.commit({ events: [event] });
    // The same event id again breaks the events' key: the whole batch rolls back, its profile too.
    await assert.rejects(
      store.commit({ ...profileBatch(['rolled-back']), events: [event] }),
      (e: Error & { code?: string }) =>
        /UNIQUE constraint failed/.test(e.message) && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    );
    assert.equal(await store.getProfile('prod', 'rolled-back'), null);
    await store.commit(profileBatch(['after']));
    assert.ok(await store.getProfile('prod', 'after'), 'the thread goes on after a failed commit');
  } finally {
    await store.close();
  }
});

test('a thread that cannot open the database fails the writes sent to it, and later writes run on the store’s connection', async () => {
  const path = freshPath();
  const store = new SqliteStore(path);
  await store.close();
  const db = new Database(path);
  const warnings: string[] = [];
  const writes = new ThreadWrites(
    join(tmpdir(), 'waymark-no-such-folder', 'waymark.db'),
    sqlitePragmas,
    new InProcessWrites(db),
    (m) => warnings.push(m),
    0,
  );
  const op = (id: string) => ({ s: 'eraseProfile' as const, a: ['prod', id] });
  try {
    await assert.rejects(writes.write([op('x')]), /the commit thread failed before answering/);
    assert.equal(writes.threaded(), false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /back on the writer's thread/);
    await writes.write([op('y')]);
  } finally {
    await writes.close();
    db.close();
  }
});

test('a closed store refuses commits on its thread, rather than leaving them unanswered', async () => {
  const store = new SqliteStore(freshPath(), { commitThread: { minStatements: 0 } });
  const sent = store.commit(profileBatch(['before-close']));
  await store.close();
  await sent;
  await assert.rejects(store.commit(profileBatch(['after-close'])), /the store is closed/);
});

test('small commits run on the store’s connection while the thread is idle; large ones, and any sent meanwhile, on the thread', async () => {
  const { db, writes, count } = await threadOnFreshStore();
  try {
    await writes.write(identities('one-', 1));
    assert.equal(writes.sentToThread, 0, 'a single event’s commit stays on the connection');
    assert.equal(count('one-'), 1);
    // A large group goes to the thread; a small write sent before it is answered follows it there.
    const large = writes.write(identities('large-', THREAD_MIN_STATEMENTS));
    const small = writes.write(identities('after-', 2));
    await Promise.all([large, small]);
    assert.equal(writes.sentToThread, 2);
    assert.deepEqual([count('large-'), count('after-')], [THREAD_MIN_STATEMENTS, 2]);
  } finally {
    await writes.close();
    db.close();
  }
});

test('a large commit its caller waits for runs on the store’s connection while the thread is idle, and behind the thread’s writes when they wait', async () => {
  const { db, writes, count } = await threadOnFreshStore();
  try {
    // A timer batch: nothing is prepared while it commits, so the copy to the thread buys nothing.
    await writes.write(identities('waited-', THREAD_MIN_STATEMENTS), true);
    assert.equal(writes.sentToThread, 0);
    assert.equal(count('waited-'), THREAD_MIN_STATEMENTS);
    // While a group's commit is on the thread, a waited commit follows it there, in order.
    const group = writes.write(identities('group-', THREAD_MIN_STATEMENTS));
    const waited = writes.write(identities('then-', THREAD_MIN_STATEMENTS), true);
    await Promise.all([group, waited]);
    assert.equal(writes.sentToThread, 2);
    assert.deepEqual(
      [count('group-'), count('then-')],
      [THREAD_MIN_STATEMENTS, THREAD_MIN_STATEMENTS],
    );
  } finally {
    await writes.close();
    db.close();
  }
});
