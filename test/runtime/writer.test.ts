// The single writer (src/runtime/unit-of-work): work that arrives while it is busy shares one
// transaction, in the order it came; a failing piece fails only its own caller; nothing commits
// outside it. Run on the embedded store, observed through the writer's own commit hooks.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { Writer, type StoreReads, type UnitOfWork } from '../../src/runtime/unit-of-work/index.ts';

const T0 = Date.parse('2026-11-02T09:00:00Z');

/** A writer over a fresh store, with a hook that notes the events each commit carried. */
function writerWorld(): {
  store: SqliteStore;
  writer: Writer;
  commits: string[][];
  woken: () => number;
} {
  const store = new SqliteStore(':memory:');
  const commits: string[][] = [];
  let wakes = 0;
  const writer = new Writer({
    store,
    clock: new ManualClock(T0),
    hooks: [
      {
        before: async () => undefined,
        after: (uow) => {
          commits.push(uow.recordedEvents().map((e) => e.eventId));
        },
      },
    ],
    wake: () => {
      wakes++;
    },
  });
  return { store, writer, commits, woken: () => wakes };
}

/** One shopper's event: a profile created and its event recorded, in the unit of work given. */
function shopperEvent(uow: UnitOfWork, n: number): string {
  const at = new Date(uow.now).toISOString();
  uow.createProfile('prod', {
    id: `p${n}`,
    identities: [{ namespace: 'Email', id: `shopper${n}@luma.example` }],
    attributes: {},
    testProfile: false,
    createdAt: at,
    updatedAt: at,
  });
  uow.recordEvent({
    sandbox: 'prod',
    eventId: `evt-${n}`,
    type: 'LumaCheckoutEvent_Email',
    profileId: `p${n}`,
    payload: { n },
    receivedAt: uow.now,
  });
  return `evt-${n}`;
}

/** Holds the writer busy until release() is called. */
function busy(writer: Writer): { release: () => void; done: Promise<void> } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { release, done: writer.exclusive(() => gate) };
}

test('three requests arriving while the writer is busy share one transaction, and each gets its own answer', async () => {
  const { store, writer, commits } = writerWorld();
  const hold = busy(writer);
  const answers = [1, 2, 3].map((n) => writer.grouped(async (uow) => shopperEvent(uow, n)));
  hold.release();
  await hold.done;
  assert.deepEqual(await Promise.all(answers), ['evt-1', 'evt-2', 'evt-3']);
  assert.deepEqual(commits, [['evt-1', 'evt-2', 'evt-3']], 'one commit carried all three');
  for (const id of ['evt-1', 'evt-2', 'evt-3'])
    assert.equal(await store.hasEvent('prod', id), true);
  await store.close();
});

test('work queued in between splits the group: commits keep the order requests came in', async () => {
  const { writer, commits, store } = writerWorld();
  const hold = busy(writer);
  const first = writer.grouped(async (uow) => shopperEvent(uow, 1));
  const alone = writer.run(async (uow) => shopperEvent(uow, 2));
  const after = [3, 4].map((n) => writer.grouped(async (uow) => shopperEvent(uow, n)));
  hold.release();
  await Promise.all([first, alone, ...after]);
  assert.deepEqual(commits, [['evt-1'], ['evt-2'], ['evt-3', 'evt-4']]);
  await store.close();
});

test('a piece that throws fails only its caller: the others of its group commit, each alone', async () => {
  const { writer, commits, store } = writerWorld();
  const hold = busy(writer);
  const ok1 = writer.grouped(async (uow) => shopperEvent(uow, 1));
  const bad = writer.grouped(async (uow) => {
    shopperEvent(uow, 2);
    throw new Error('the payload was refused');
  });
  const ok3 = writer.grouped(async (uow) => shopperEvent(uow, 3));
  hold.release();
  assert.equal(await ok1, 'evt-1');
  await assert.rejects(bad, /the payload was refused/);
  assert.equal(await ok3, 'evt-3');
  assert.deepEqual(commits, [['evt-1'], ['evt-3']], 'the failed piece committed nothing');
  assert.equal(await store.hasEvent('prod', 'evt-2'), false);
  await store.close();
});

test('a group reads ahead what its pieces announced in one read, and a piece that cannot say fails alone', async () => {
  const { writer, commits, store } = writerWorld();
  const reads: string[][] = [];
  const fingerprints = store.eventFingerprints.bind(store);
  store.eventFingerprints = async (sandbox, ids) => {
    reads.push([...ids]);
    return fingerprints(sandbox, ids);
  };
  const ahead = (n: number) => ({
    events: async () => ({
      sandbox: 'prod',
      eventIds: [`evt-${n}`],
      identities: [{ namespace: 'Email', value: `shopper${n}@luma.example` }],
    }),
  });
  const hold = busy(writer);
  const answers = [1, 2, 3].map((n) =>
    writer.grouped(
      async (uow) => {
        // The piece's own read-ahead finds everything read already.
        await uow.prefetchEvents('prod', [`evt-${n}`], []);
        return shopperEvent(uow, n);
      },
      1,
      ahead(n),
    ),
  );
  hold.release();
  assert.deepEqual(await Promise.all(answers), ['evt-1', 'evt-2', 'evt-3']);
  assert.deepEqual(reads, [['evt-1', 'evt-2', 'evt-3']], 'one read for the group');
  assert.deepEqual(commits, [['evt-1', 'evt-2', 'evt-3']]);

  const again = busy(writer);
  const ok = writer.grouped(async (uow) => shopperEvent(uow, 4), 1, ahead(4));
  const unsure = writer.grouped(async (uow) => shopperEvent(uow, 5), 1, {
    events: () => Promise.reject(new Error('the catalog could not be read')),
  });
  again.release();
  assert.equal(await ok, 'evt-4');
  // Its announcement failed but the piece itself did not: it ran alone, after the group gave up.
  assert.equal(await unsure, 'evt-5');
  assert.deepEqual(commits.slice(1), [['evt-4'], ['evt-5']]);
  await store.close();
});

test('a commit that queued no outbox item does not wake the loop; an exclusive turn commits several units in order', async () => {
  const { writer, commits, woken, store } = writerWorld();
  const n = await writer.exclusive(async (turn) => {
    for (const i of [1, 2]) {
      const uow = turn.unit();
      shopperEvent(uow, i);
      await turn.commit(uow);
    }
    return 2;
  });
  assert.equal(n, 2);
  assert.deepEqual(commits, [['evt-1'], ['evt-2']]);
  assert.equal(woken(), 0);
  await store.close();
});

test('the types leave no way to commit but the writer', () => {
  const store = new SqliteStore(':memory:');
  const reads: StoreReads = store;
  assert.equal(
    // @ts-expect-error a read view has no commit
    typeof reads.commit,
    'function',
    'the object has it; the type does not let a route call it',
  );
  // @ts-expect-error nor outbox marks
  void reads.markOutboxSent;
  // @ts-expect-error nor catalog writes: a route changes objects through their service
  void reads.putObject;
  const writer = new Writer({ store, clock: new ManualClock(T0) });
  void writer
    .run(async (uow) => {
      // @ts-expect-error a unit of work cannot commit itself
      void uow.commit;
      // @ts-expect-error its batch is private
      void uow.batch;
    })
    .finally(() => store.close());
});
