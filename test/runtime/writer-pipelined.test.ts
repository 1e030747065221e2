// The single writer on a store whose commits do not hold its thread (PostgreSQL, the commit
// thread): the next group is prepared while a group commits, commits are sent in order (one at a
// time, or up to the depth the store allows), and a group that read what a commit in flight
// writes is prepared again on the committed state. Run on the embedded store with each commit
// held at a gate, so that a commit is "in flight" for as long as a test says.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { CommitBatch } from '../../src/store/ports.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { Writer, type UnitOfWork } from '../../src/runtime/unit-of-work/index.ts';

const T0 = Date.parse('2026-11-02T09:00:00Z');

interface World {
  readonly store: SqliteStore;
  readonly writer: Writer;
  /** What happened, in order: each piece's work, each commit's start and end (by the events it carries). */
  readonly log: string[];
  /** Resolves once the next commit has started (it then waits at its gate). */
  commitStarted(): Promise<void>;
  /** Lets the oldest held commit through. */
  release(): void;
}

function pipelinedWorld(o: { failing?: string; depth?: number } = {}): World {
  const store = new SqliteStore(':memory:');
  const log: string[] = [];
  const gates: Array<() => void> = [];
  let started: (() => void) | null = null;
  const commit = store.commit.bind(store);
  const names = (b: CommitBatch): string => (b.events ?? []).map((e) => e.eventId).join('+');
  store.commit = async (b) => {
    log.push(`commit ${names(b)} starts`);
    const gate = new Promise<void>((resolve) => gates.push(resolve));
    started?.();
    await gate;
    if (o.failing && names(b).includes(o.failing)) {
      log.push(`commit ${names(b)} fails`);
      throw new Error('the database went away');
    }
    await commit(b);
    log.push(`commit ${names(b)} ends`);
  };
  const writer = new Writer({
    store,
    clock: new ManualClock(T0),
    pipelined: true,
    pipelineDepth: o.depth ?? 1,
  });
  return {
    store,
    writer,
    log,
    commitStarted: () =>
      new Promise<void>((resolve) => {
        started = resolve;
      }),
    release: () => gates.shift()?.(),
  };
}

/** A shopper's checkout: the profile owning the email (created when there is none) and the event recorded on it. */
async function checkout(uow: UnitOfWork, log: string[], n: number, email: string): Promise<string> {
  log.push(`work evt-${n}`);
  let id = await uow.findProfileId('prod', 'Email', email);
  if (!id) {
    id = `p${n}`;
    const at = new Date(uow.now).toISOString();
    uow.createProfile('prod', {
      id,
      identities: [{ namespace: 'Email', id: email }],
      attributes: {},
      testProfile: false,
      createdAt: at,
      updatedAt: at,
    });
  }
  uow.recordEvent({
    sandbox: 'prod',
    eventId: `evt-${n}`,
    type: 'LumaCheckoutEvent_Email',
    profileId: id,
    payload: { n },
    receivedAt: uow.now,
  });
  return id;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a group says ahead of what it reads (the writer's `grouped`). */
type ReadAhead = Parameters<Writer['grouped']>[2];

/** Work sent to the writer as a group: `done` is its result, `started` resolves once its commit has started. */
function sendGroup(
  w: World,
  work: (uow: UnitOfWork) => Promise<string>,
  ahead?: ReadAhead,
): { done: Promise<string>; started: Promise<void> } {
  const started = w.commitStarted();
  return { done: w.writer.grouped(work, 1, ahead), started };
}

/** A shopper's checkout sent as a group (see `sendGroup`). */
function send(w: World, n: number, email: string, ahead?: ReadAhead) {
  return sendGroup(w, (uow) => checkout(uow, w.log, n, email), ahead);
}

test('the next group is prepared while a commit is in flight, and commits after it, in order', async () => {
  const w = pipelinedWorld();
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  const two = send(w, 2, 'ana@luma.example');
  await tick();
  assert.deepEqual(w.log, ['work evt-1', 'commit evt-1 starts', 'work evt-2']);
  w.release();
  await two.started;
  w.release();
  assert.deepEqual(await Promise.all([one.done, two.done]), ['p1', 'p2']);
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-1 ends',
    'commit evt-2 starts',
    'commit evt-2 ends',
  ]);
  await w.store.close();
});

test('with two commits allowed in flight, a third group is prepared behind them and sent once the oldest is done, in order', async () => {
  const w = pipelinedWorld({ depth: 2 });
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  const two = send(w, 2, 'ana@luma.example');
  await two.started;
  const three = send(w, 3, 'lea@luma.example');
  await tick();
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-2 starts',
    'work evt-3',
  ]);
  w.release();
  await three.started;
  w.release();
  w.release();
  assert.deepEqual(await Promise.all([one.done, two.done, three.done]), ['p1', 'p2', 'p3']);
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-2 starts',
    'work evt-3',
    'commit evt-1 ends',
    'commit evt-3 starts',
    'commit evt-2 ends',
    'commit evt-3 ends',
  ]);
  await w.store.close();
});

test('a group that read what the older of two commits in flight writes is prepared again once both are done', async () => {
  const w = pipelinedWorld({ depth: 2 });
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  const two = send(w, 2, 'ana@luma.example');
  await two.started;
  // Sarah's next event looks her email up while the commit that creates her is in flight.
  const three = send(w, 3, 'sarah@luma.example');
  await tick();
  w.release();
  w.release();
  await three.started;
  w.release();
  assert.deepEqual(await Promise.all([one.done, two.done, three.done]), ['p1', 'p2', 'p1']);
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-2 starts',
    'work evt-3',
    'commit evt-1 ends',
    'commit evt-2 ends',
    'work evt-3',
    'commit evt-3 starts',
    'commit evt-3 ends',
  ]);
  assert.equal(await w.store.getProfile('prod', 'p3'), null);
  await w.store.close();
});

test('a group that read what the commit in flight writes is prepared again: no second profile for one email', async () => {
  const w = pipelinedWorld();
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  // Sarah's next event looks her email up while the commit that creates her is in flight.
  const two = send(w, 2, 'sarah@luma.example');
  await tick();
  w.release();
  await two.started;
  w.release();
  assert.deepEqual(
    await Promise.all([one.done, two.done]),
    ['p1', 'p1'],
    'both events are on Sarah',
  );
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-1 ends',
    'work evt-2',
    'commit evt-2 starts',
    'commit evt-2 ends',
  ]);
  assert.equal(await w.store.getProfile('prod', 'p2'), null);
  assert.equal((await w.store.profileEvents('prod', 'p1', { types: null, since: null })).length, 2);
  await w.store.close();
});

test('a group whose read-ahead names what the commit in flight writes waits for it and is prepared once', async () => {
  const w = pipelinedWorld();
  const ahead = (n: number, email: string) => ({
    events: async () => ({
      sandbox: 'prod',
      eventIds: [`evt-${n}`],
      identities: [{ namespace: 'Email', value: email }],
    }),
  });
  const one = send(w, 1, 'sarah@luma.example', ahead(1, 'sarah@luma.example'));
  await one.started;
  // Sarah's purchase says ahead that it reads her email, which the commit in flight creates.
  const two = send(w, 2, 'sarah@luma.example', ahead(2, 'sarah@luma.example'));
  await tick();
  assert.deepEqual(w.log, ['work evt-1', 'commit evt-1 starts'], 'not prepared meanwhile');
  w.release();
  await two.started;
  // Ana's checkout names nothing Sarah's commit writes: it is prepared while that commit is in flight.
  const three = send(w, 3, 'ana@luma.example', ahead(3, 'ana@luma.example'));
  await tick();
  w.release();
  await three.started;
  w.release();
  assert.deepEqual(await Promise.all([one.done, two.done, three.done]), ['p1', 'p1', 'p3']);
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'commit evt-1 ends',
    'work evt-2',
    'commit evt-2 starts',
    'work evt-3',
    'commit evt-2 ends',
    'commit evt-3 starts',
    'commit evt-3 ends',
  ]);
  await w.store.close();
});

test('an event id taken by the commit in flight is seen as taken once that commit is done', async () => {
  const w = pipelinedWorld();
  const seen: Array<string | null> = [];
  const resend = (uow: UnitOfWork): Promise<string> =>
    uow.seenEvent('prod', 'evt-1').then(async (s) => {
      seen.push(s ? 'stored' : null);
      return s ? 'duplicate' : checkout(uow, w.log, 1, 'sarah@luma.example');
    });
  const one = sendGroup(w, resend);
  await one.started;
  const two = sendGroup(w, resend);
  await tick();
  w.release();
  await two.started;
  w.release();
  assert.deepEqual(await Promise.all([one.done, two.done]), ['p1', 'duplicate']);
  assert.deepEqual(seen, [null, null, 'stored'], 'read before the commit, then again after it');
  await w.store.close();
});

test('a commit that fails in flight fails only its callers: the group prepared meanwhile commits', async () => {
  const w = pipelinedWorld({ failing: 'evt-1' });
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  const two = send(w, 2, 'ana@luma.example');
  await tick();
  w.release();
  await assert.rejects(one.done, /the database went away/);
  await two.started;
  w.release();
  assert.equal(await two.done, 'p2');
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'work evt-2',
    'commit evt-1 fails',
    'commit evt-2 starts',
    'commit evt-2 ends',
  ]);
  assert.equal(await w.store.hasEvent('prod', 'evt-1'), false);
  await w.store.close();
});

test('work that is not a group starts on the committed state: it waits for the commit in flight', async () => {
  const w = pipelinedWorld();
  const one = send(w, 1, 'sarah@luma.example');
  await one.started;
  const turn = w.writer.exclusive(async (t) => {
    w.log.push('exclusive turn');
    return t.store.hasEvent('prod', 'evt-1');
  });
  const drained = w.writer.drain().then(() => w.log.push('drained'));
  await tick();
  assert.deepEqual(w.log, ['work evt-1', 'commit evt-1 starts']);
  w.release();
  assert.equal(await turn, true, 'the turn saw the event committed');
  await Promise.all([one.done, drained]);
  assert.deepEqual(w.log, [
    'work evt-1',
    'commit evt-1 starts',
    'commit evt-1 ends',
    'exclusive turn',
    'drained',
  ]);
  await w.store.close();
});
