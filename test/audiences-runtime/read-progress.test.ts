// A version's read progress: its one job, or in fleet mode the sum of its partitions' shares. A
// fleet read is done only when every partition's share has finished a run and none reads.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  readJobId,
  readShareId,
  versionReadProgress,
  type ReadJobState,
} from '../../src/runtime/audiences/read-audience.ts';
import { PARTITIONS } from '../../src/shared/partition.ts';

const J = 'campaign-spring';
const V = 11;

function job(over: Partial<ReadJobState> = {}): ReadJobState {
  return {
    kind: 'read',
    journeyId: J,
    version: V,
    nextRunAt: null,
    run: null,
    lastRunStartedAt: 1000,
    runs: 1,
    entered: 2,
    ...over,
  };
}

/** Every partition's share, finished, two profiles entered each; `change` alters some. */
function shares(
  change: (p: number, s: ReadJobState) => ReadJobState | null = (_, s) => s,
): Map<string, ReadJobState> {
  const m = new Map<string, ReadJobState>();
  for (let p = 0; p < PARTITIONS; p++) {
    const s = change(p, job({ partition: p, lastRunStartedAt: 1000 + p }));
    if (s) m.set(readShareId(J, V, p), s);
  }
  return m;
}

describe('versionReadProgress', () => {
  test('no job yet: nothing read, not done', () => {
    const p = versionReadProgress(new Map(), J, V);
    assert.deepEqual(p, {
      shares: 0,
      expected: 1,
      runs: 0,
      reading: false,
      startedAt: null,
      read: 0,
      entered: 0,
      done: false,
    });
  });

  test('one job (one engine): its own progress', () => {
    const waiting = versionReadProgress(
      new Map([[readJobId(J, V), job({ runs: 0, lastRunStartedAt: null, nextRunAt: 5000 })]]),
      J,
      V,
    );
    assert.equal(waiting.done, false);
    assert.equal(waiting.startedAt, null);
    const reading = versionReadProgress(
      new Map([[readJobId(J, V), job({ runs: 0, run: { startedAt: 900, cursor: 'x', read: 7 } })]]),
      J,
      V,
    );
    assert.deepEqual(
      [reading.reading, reading.read, reading.startedAt, reading.done],
      [true, 7, 900, false],
    );
    const done = versionReadProgress(new Map([[readJobId(J, V), job({ entered: 40 })]]), J, V);
    assert.deepEqual([done.done, done.entered, done.runs, done.startedAt], [true, 40, 1, 1000]);
  });

  test('fleet: done once every partition has read, the entered summed over the shares', () => {
    const p = versionReadProgress(shares(), J, V);
    assert.equal(p.shares, PARTITIONS);
    assert.equal(p.expected, PARTITIONS);
    assert.equal(p.done, true);
    assert.equal(p.entered, 2 * PARTITIONS);
    assert.equal(p.startedAt, 1000, 'the earliest share start');
  });

  test('fleet: one share still reading keeps the read going', () => {
    const p = versionReadProgress(
      shares((i, s) =>
        i === 200 ? { ...s, runs: 0, run: { startedAt: 1200, cursor: 'a', read: 3 } } : s,
      ),
      J,
      V,
    );
    assert.deepEqual([p.done, p.reading, p.read, p.runs], [false, true, 3, 0]);
  });

  test('fleet: a partition whose share does not exist yet keeps the read undone', () => {
    const p = versionReadProgress(
      shares((i, s) => (i === 17 ? null : s)),
      J,
      V,
    );
    assert.equal(p.shares, PARTITIONS - 1);
    assert.equal(p.done, false);
    assert.equal(p.entered, 2 * (PARTITIONS - 1));
  });

  test('other versions and journeys are not counted', () => {
    const m = shares();
    m.set(readJobId(J, V + 1), job({ version: V + 1, entered: 99 }));
    m.set(readShareId('other', V, 0), job({ journeyId: 'other', entered: 99 }));
    assert.equal(versionReadProgress(m, J, V).entered, 2 * PARTITIONS);
    assert.equal(versionReadProgress(m, J, V + 1).entered, 99);
  });
});
