// The stores as compositions of repositories (src/store/compose.ts) and the batch plan both
// adapters execute (src/store/batch/plan.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planBatch } from '../../src/store/batch/plan.ts';
import { Composition } from '../../src/store/compose.ts';
import type { CommitBatch, TimerRow } from '../../src/store/ports.ts';
import { jobTimer, jobTimerId } from '../../src/store/records/index.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

/** The methods an object answers, own or inherited. */
function methods(o: object): Set<string> {
  const names = new Set<string>();
  for (let p = o; p !== Object.prototype; p = Object.getPrototypeOf(p) as object)
    for (const n of Object.getOwnPropertyNames(p))
      if (n !== 'constructor' && typeof (o as Record<string, unknown>)[n] === 'function')
        names.add(n);
  return names;
}

test('both stores answer the same methods of the port (each composes a repository per area)', async () => {
  const sqlite = new SqliteStore(':memory:');
  const postgres = await openPostgresTestStore('waymark_compose');
  try {
    const fleetOnly = new Set(['blobStore', 'attemptsInFlight', 'setOwnership']);
    const onPostgres = [...methods(postgres)].filter((n) => !fleetOnly.has(n)).sort();
    assert.deepEqual([...methods(sqlite)].sort(), onPostgres);
    assert.ok(onPostgres.includes('commit') && onPostgres.includes('getProfile'));
  } finally {
    await sqlite.close();
    await postgres.close();
  }
});

interface Greeter {
  greet(name: string): Promise<string>;
}
interface Counter {
  count(): number;
}
class Hello implements Greeter {
  readonly #greeting = 'hello';
  async greet(name: string): Promise<string> {
    return `${this.#greeting} ${name}`;
  }
}
class Tally implements Counter {
  #n = 0;
  count(): number {
    return ++this.#n;
  }
}

test('a composition answers with each repository, a subclass may override and call super, a test may replace a method', async () => {
  class Both extends Composition<[Greeter, Counter]>() {
    constructor() {
      super([new Hello(), new Tally()]);
    }
  }
  class Loud extends Both {
    override async greet(name: string): Promise<string> {
      return (await super.greet(name)).toUpperCase();
    }
  }
  const both = new Both();
  assert.equal(await both.greet('ada'), 'hello ada');
  assert.equal(both.count(), 1);
  assert.equal(both.count(), 2);
  assert.equal(await new Loud().greet('ada'), 'HELLO ADA');
  both.greet = async () => 'replaced';
  assert.equal(await both.greet('ada'), 'replaced');
  assert.equal(await new Both().greet('bo'), 'hello bo', 'the replacement is the instance’s only');
});

test('a method offered by two repositories is refused when the store is made', () => {
  class Twice extends Composition<[Greeter, Greeter]>() {
    constructor() {
      super([new Hello(), new Hello()]);
    }
  }
  assert.throws(() => new Twice(), /greet is offered twice/);
});

const timer = (jobId: string, dueAt: number): TimerRow => jobTimer('prod', jobId, dueAt);

test('the plan: groups in order; a grouped plan folds rows written twice and orders only the writes that depend on earlier ones', () => {
  const batch: CommitBatch = {
    counters: [
      { sandbox: 'prod', journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 1 },
      { sandbox: 'prod', journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 2 },
    ],
    timersRemove: [jobTimerId('prod', 't1')],
    timersAdd: [timer('t2', 5), timer('t2', 7)],
    audienceJobs: [
      { sandbox: 'prod', id: 'a', state: { step: 1 } },
      { sandbox: 'prod', id: 'a', state: null },
    ],
  };
  const grouped = planBatch(batch, { grouped: true });
  assert.deepEqual(
    grouped.map((w) => [w.kind, w.ordered]),
    [
      ['timersRemove', false],
      ['timersAdd', false],
      ['counters', false],
      ['audienceJobs', false],
    ],
  );
  const byKind = new Map(grouped.map((w) => [w.kind, w]));
  const counters = byKind.get('counters');
  assert.ok(counters?.kind === 'counters');
  assert.deepEqual(
    counters.rows.map((c) => [c.node, c.delta]),
    [['', 3]],
    'counters add up; a journey-level node is ""',
  );
  const timers = byKind.get('timersAdd');
  assert.ok(timers?.kind === 'timersAdd');
  assert.deepEqual(
    timers.rows.map((t) => t.dueAt),
    [7],
    'a timer written twice ends as its last write',
  );
  const jobs = byKind.get('audienceJobs');
  assert.ok(jobs?.kind === 'audienceJobs');
  assert.deepEqual(
    jobs.rows.map((j) => j.state),
    [null],
    'the last write of a job decides (null deletes)',
  );

  // A timer removed and added again: the removal must run first, on its own.
  const again = planBatch(
    { timersRemove: [jobTimerId('prod', 't2')], timersAdd: [timer('t2', 9)] },
    { grouped: true },
  );
  assert.deepEqual(
    again.map((w) => [w.kind, w.ordered]),
    [
      ['timersRemove', true],
      ['timersAdd', true],
    ],
  );

  // Ungrouped (a statement per row, in order): rows as given, every write in sequence.
  const ungrouped = planBatch(batch, { grouped: false });
  assert.ok(ungrouped.every((w) => w.ordered));
  const raw = ungrouped.find((w) => w.kind === 'timersAdd');
  assert.ok(raw?.kind === 'timersAdd');
  assert.equal(raw.rows.length, 2);
});
