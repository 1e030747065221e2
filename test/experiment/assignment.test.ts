import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUCKETS,
  ExperimentError,
  assignTreatment,
  bucketOf,
  planSplit,
  treatmentForBucket,
} from '../../src/experiment/index.ts';
import type { ArmSplit } from '../../src/experiment/index.ts';
import { WaymarkError } from '../../src/errors.ts';

const profiles = Array.from({ length: 10_000 }, (_, i) => `shopper${i}@luma.example`);

function shares(
  salt: string,
  arms: readonly ArmSplit[],
  holdout: number,
): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const p of profiles) {
    const arm = assignTreatment(p, salt, arms, holdout);
    counts.set(arm, (counts.get(arm) ?? 0) + 1);
  }
  return new Map([...counts].map(([arm, n]) => [arm, (100 * n) / profiles.length]));
}

describe('an identity falls in one of 10,000 buckets', () => {
  test('the bucket is MurmurHash3_x86_32 of "salt:identity" modulo 10,000', () => {
    // Expected values from an independent implementation (the imurmurhash package, which hashes
    // ASCII strings byte for byte): e.g. murmur3("spring-sale:alice@example.com") = 578010346.
    assert.equal(bucketOf('alice@example.com', 'spring-sale'), 346);
    assert.equal(bucketOf('bob@example.com', 'spring-sale'), 7898);
    assert.equal(bucketOf('alice@example.com', 'order-shipped'), 6852);
    assert.equal(bucketOf('42', 'x'), 6408);
  });
  test('buckets cover 0..9999 evenly', () => {
    const perDecile = new Array<number>(10).fill(0);
    for (const p of profiles) {
      const b = bucketOf(p, 'spring-sale');
      assert.ok(Number.isInteger(b) && b >= 0 && b < BUCKETS);
      perDecile[Math.floor(b / 1000)]! += 1;
    }
    for (const n of perDecile) assert.ok(n > 900 && n < 1100, `decile with ${n} of 10,000`);
  });
});

describe('a split assigns treatments deterministically', () => {
  test('10,000 profiles split within ±2 points of 10% holdout, then 50/30/20 of the rest', () => {
    const arms = [
      { id: 'subject-a', percent: 50 },
      { id: 'subject-b', percent: 30 },
      { id: 'subject-c', percent: 20 },
    ];
    const got = shares('spring-sale', arms, 10);
    const expected = new Map<string | null, number>([
      [null, 10],
      ['subject-a', 45],
      ['subject-b', 27],
      ['subject-c', 18],
    ]);
    assert.deepEqual(new Set(got.keys()), new Set(expected.keys()));
    for (const [arm, share] of expected)
      assert.ok(Math.abs(got.get(arm)! - share) <= 2, `${arm}: ${got.get(arm)}% for ${share}%`);
  });

  test('an even two-way split with no holdout is within ±2 points of 50/50', () => {
    const got = shares(
      'order-shipped',
      [
        { id: 'A', percent: 50 },
        { id: 'B', percent: 50 },
      ],
      0,
    );
    assert.equal(got.get(null), undefined);
    assert.ok(Math.abs(got.get('A')! - 50) <= 2 && Math.abs(got.get('B')! - 50) <= 2);
  });

  test('the same profile always gets the same treatment, whatever the order it is asked in', () => {
    const arms = [
      { id: 'A', percent: 34 },
      { id: 'B', percent: 33 },
      { id: 'C', percent: 33 },
    ];
    const first = profiles.map((p) => assignTreatment(p, 'spring-sale', arms, 10));
    const again = [...profiles].reverse().map((p) => assignTreatment(p, 'spring-sale', arms, 10));
    assert.deepEqual(again.reverse(), first);
    const plan = planSplit(arms, 10);
    assert.deepEqual(
      profiles.map((p) => treatmentForBucket(plan, bucketOf(p, 'spring-sale'))),
      first,
    );
  });

  test('another salt buckets everyone afresh', () => {
    const arms = [
      { id: 'A', percent: 50 },
      { id: 'B', percent: 50 },
    ];
    let movedBucket = 0;
    let changedArm = 0;
    for (const p of profiles) {
      if (bucketOf(p, 'experiment-1') !== bucketOf(p, 'experiment-2')) movedBucket++;
      if (
        assignTreatment(p, 'experiment-1', arms, 0) !== assignTreatment(p, 'experiment-2', arms, 0)
      )
        changedArm++;
    }
    assert.ok(movedBucket > 9_950, `${movedBucket} of 10,000 moved bucket`);
    // Independent 50/50 draws disagree half of the time.
    assert.ok(Math.abs(changedArm / 100 - 50) <= 2, `${changedArm} of 10,000 changed arm`);
  });

  test('the holdout takes the first buckets and the arms follow in order', () => {
    const plan = planSplit(
      [
        { id: 'A', percent: 50 },
        { id: 'B', percent: 50 },
      ],
      10,
    );
    assert.deepEqual(plan, {
      holdoutEnd: 1000,
      arms: [
        { id: 'A', start: 1000, end: 5500 },
        { id: 'B', start: 5500, end: 10000 },
      ],
    });
    assert.equal(treatmentForBucket(plan, 0), null);
    assert.equal(treatmentForBucket(plan, 999), null);
    assert.equal(treatmentForBucket(plan, 1000), 'A');
    assert.equal(treatmentForBucket(plan, 5499), 'A');
    assert.equal(treatmentForBucket(plan, 5500), 'B');
    assert.equal(treatmentForBucket(plan, 9999), 'B');
  });

  test('decimal percents that sum to 100 are accepted and cover every bucket', () => {
    const plan = planSplit(
      [
        { id: 'A', percent: 33.33 },
        { id: 'B', percent: 33.33 },
        { id: 'C', percent: 33.34 },
      ],
      12.5,
    );
    // 8,750 buckets after the holdout: 8750 × 33.33% = 2916.4 → 2916; 8750 × 66.66% = 5832.75 → 5833.
    assert.equal(plan.holdoutEnd, 1250);
    assert.deepEqual(
      plan.arms.map((a) => [a.start, a.end]),
      [
        [1250, 4166],
        [4166, 7083],
        [7083, 10000],
      ],
    );
  });

  test('an arm at 0% gets nobody', () => {
    const arms = [
      { id: 'A', percent: 100 },
      { id: 'paused', percent: 0 },
    ];
    assert.ok(profiles.every((p) => assignTreatment(p, 's', arms, 0) === 'A'));
  });
});

describe('a bad split is refused with every problem named', () => {
  function refusal(arms: readonly ArmSplit[], holdout: number): ExperimentError {
    try {
      planSplit(arms, holdout);
    } catch (e) {
      assert.ok(e instanceof ExperimentError);
      assert.ok(e instanceof WaymarkError);
      assert.equal(e.code, 'validation_failed');
      assert.equal(e.kind, 'invalid-split');
      return e;
    }
    assert.fail('the split was accepted');
  }

  test('percents that do not sum to 100', () => {
    const e = refusal(
      [
        { id: 'A', percent: 50 },
        { id: 'B', percent: 40 },
      ],
      0,
    );
    assert.deepEqual(e.issues, [
      {
        path: 'arms',
        message: "the arms' percents must sum to 100",
        expected: 'percents summing to 100',
        received: '"50 + 40 = 90"',
      },
    ]);
    assert.match(e.message, /arms: the arms' percents must sum to 100/);
  });

  test('no arm, a holdout of 100%, repeated or empty ids, percents out of range', () => {
    assert.deepEqual(
      refusal([], 100).issues.map((i) => i.path),
      ['holdoutPercent', 'arms'],
    );
    const e = refusal(
      [
        { id: 'A', percent: 120 },
        { id: 'A', percent: -20 },
        { id: '', percent: Number.NaN },
      ],
      -1,
    );
    assert.deepEqual(
      e.issues.map((i) => i.path),
      [
        'holdoutPercent',
        'arms[0].percent',
        'arms[1].id',
        'arms[1].percent',
        'arms[2].id',
        'arms[2].percent',
      ],
    );
  });

  test('assignTreatment validates too', () => {
    assert.throws(
      () => assignTreatment('alice', 's', [{ id: 'A', percent: 99 }], 0),
      ExperimentError,
    );
  });
});
