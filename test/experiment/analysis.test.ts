import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ExperimentError,
  analyzeExperiment,
  probabilityToBeBest,
} from '../../src/experiment/index.ts';
import type { ArmCounts, ExperimentAnalysis } from '../../src/experiment/index.ts';
import { exactProbabilityToBeBest } from './exact-beta.ts';

const close = (actual: number | null | undefined, expected: number, tolerance = 1e-9): void => {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );
};
const arm = (id: string, exposures: number, successes: number, control = false): ArmCounts => ({
  id,
  control,
  exposures,
  successes,
});
const byId = (analysis: ExperimentAnalysis, id: string) => analysis.arms.find((a) => a.id === id)!;
const posterior = (a: ArmCounts) => ({ a: 1 + a.successes, b: 1 + a.exposures - a.successes });

describe('the report of a two-subject email test (known dataset)', () => {
  // "Spring Sale" subject lines: control opened by 100 of 1,000, the new subject by 130 of 1,000.
  const analysis = analyzeExperiment({
    arms: [arm('control-subject', 1000, 100, true), arm('new-subject', 1000, 130)],
  });
  const control = byId(analysis, 'control-subject');
  const variant = byId(analysis, 'new-subject');

  test('rates and the lift against the control', () => {
    close(control.rate, 0.1);
    close(variant.rate, 0.13);
    assert.equal(control.lift, null);
    close(variant.lift, 0.3);
  });

  test('the 95% interval of the lift is the delta-method interval of the log rate ratio', () => {
    // By hand: ln(0.13 / 0.10) = 0.262364…; se = √(1/130 − 1/1000 + 1/100 − 1/1000) = 0.1252689…;
    // z = Φ⁻¹(0.975) = 1.959963984540054; lift bounds = 1.3·exp(∓z·se) − 1. Evaluated with
    // Python's math and scipy.stats.norm.ppf: 0.01698427097104549 and 0.6617759470226026.
    close(variant.liftInterval?.lower, 0.01698427097104549);
    close(variant.liftInterval?.upper, 0.6617759470226026);
    assert.equal(control.liftInterval, null);
  });

  test('the probability to be best matches the exact beta-binomial figure', () => {
    // Beta(131, 871) against Beta(101, 901): P(new subject is better) = 0.98216506611635…, by the
    // exact rational computation of exact-beta.ts and, independently, by scipy.integrate.quad of
    // pdf_B·cdf_A (0.9821650661163509).
    const [pControl, pVariant] = exactProbabilityToBeBest([
      posterior(arm('c', 1000, 100)),
      posterior(arm('v', 1000, 130)),
    ]);
    close(variant.probabilityToBeBest, pVariant!);
    close(control.probabilityToBeBest, pControl!);
    close(variant.probabilityToBeBest, 0.9821650661163509);
  });

  test('the new subject is called the winner at 95% confidence', () => {
    assert.equal(analysis.status, 'winner');
    assert.equal(analysis.winner, 'new-subject');
    assert.equal(analysis.reason, 'confident');
    assert.equal(analysis.leader, 'new-subject');
    assert.equal(analysis.confidence, 0.95);
    assert.equal(analysis.minSamplePerArm, 100);
  });

  test('at 99% confidence the same counts are inconclusive, with a wider interval', () => {
    const strict = analyzeExperiment({
      arms: [arm('control-subject', 1000, 100, true), arm('new-subject', 1000, 130)],
      confidence: 0.99,
    });
    assert.equal(strict.status, 'inconclusive');
    assert.equal(strict.winner, null);
    assert.equal(strict.reason, 'not-confident');
    assert.equal(strict.leader, 'new-subject');
    const wider = byId(strict, 'new-subject').liftInterval!;
    assert.ok(wider.lower < 0 && wider.upper > 0.6617759470226026);
  });

  test('the same counts always give the same report', () => {
    const again = analyzeExperiment({
      arms: [arm('control-subject', 1000, 100, true), arm('new-subject', 1000, 130)],
    });
    assert.deepEqual(again, analysis);
  });
});

describe('the probability to be best agrees with exact figures for several arms', () => {
  test('three arms with small samples', () => {
    const arms = [arm('A', 20, 3, true), arm('B', 20, 6), arm('C', 20, 1)];
    const analysis = analyzeExperiment({ arms, minSamplePerArm: 20 });
    const exact = exactProbabilityToBeBest(arms.map(posterior));
    analysis.arms.forEach((a, i) => close(a.probabilityToBeBest, exact[i]!, 1e-10));
    assert.equal(analysis.status, 'inconclusive');
    assert.equal(analysis.leader, 'B');
  });

  test('five arms: one clearly ahead, one clearly behind', () => {
    const arms = [
      arm('A', 30, 2, true),
      arm('B', 30, 4),
      arm('C', 30, 7),
      arm('D', 30, 5),
      arm('E', 30, 0),
    ];
    const analysis = analyzeExperiment({ arms, minSamplePerArm: 30, confidence: 0.6 });
    const exact = exactProbabilityToBeBest(arms.map(posterior));
    analysis.arms.forEach((a, i) => close(a.probabilityToBeBest, exact[i]!, 1e-10));
    close(
      analysis.arms.reduce((s, a) => s + a.probabilityToBeBest, 0),
      1,
      1e-10,
    );
    // C is best with probability 0.6476…, above the 0.6 asked for.
    assert.equal(analysis.status, 'winner');
    assert.equal(analysis.winner, 'C');
  });

  test('five identical arms are each best one time in five, and no winner is called', () => {
    const analysis = analyzeExperiment({
      arms: ['A', 'B', 'C', 'D', 'E'].map((id, i) => arm(id, 5000, 400, i === 0)),
    });
    for (const a of analysis.arms) close(a.probabilityToBeBest, 0.2, 1e-10);
    for (const a of analysis.arms.slice(1)) close(a.lift, 0, 1e-12);
    assert.equal(analysis.status, 'inconclusive');
    assert.equal(analysis.leader, 'A');
  });

  test('a million exposures per arm agree with the normal approximation', () => {
    // With so much data the posteriors are nearly normal: P(B > A) ≈ Φ((μB − μA)/√(σA² + σB²)),
    // with μ = a/(a+b) and σ² = ab/((a+b)²(a+b+1)). Here (μB − μA)/√(σA² + σB²) = 1.18216…, so
    // P ≈ 0.88143, computed with scipy.stats.norm.cdf; the posteriors' slight skew is within 1e-3.
    const [pA, pB] = probabilityToBeBest([
      posterior(arm('A', 1_000_000, 50_000)),
      posterior(arm('B', 1_000_000, 50_365)),
    ]);
    close(pB, 0.8814297662403855, 1e-3);
    close(pA! + pB!, 1, 1e-10);
  });
});

describe('edge cases', () => {
  test('no exposures yet: no rates, no lifts, even odds, still collecting', () => {
    const analysis = analyzeExperiment({ arms: [arm('A', 0, 0, true), arm('B', 0, 0)] });
    for (const a of analysis.arms) {
      assert.equal(a.rate, null);
      assert.equal(a.lift, null);
      assert.equal(a.liftInterval, null);
      close(a.probabilityToBeBest, 0.5, 1e-12);
      assert.equal(a.hasMinimumSample, false);
    }
    assert.equal(analysis.status, 'collecting');
    assert.equal(analysis.winner, null);
    assert.equal(analysis.reason, 'below-minimum-sample');
  });

  test('a confident leader is not called a winner before every arm has the minimum sample', () => {
    const analysis = analyzeExperiment({ arms: [arm('A', 5000, 100, true), arm('B', 99, 60)] });
    assert.ok(byId(analysis, 'B').probabilityToBeBest > 0.999);
    assert.equal(byId(analysis, 'B').hasMinimumSample, false);
    assert.equal(analysis.status, 'collecting');
    assert.equal(analysis.leader, 'B');
    assert.equal(
      analyzeExperiment({
        arms: [arm('A', 5000, 100, true), arm('B', 99, 60)],
        minSamplePerArm: 99,
      }).winner,
      'B',
    );
  });

  test('a control with no successes has no lift to measure against', () => {
    const analysis = analyzeExperiment({ arms: [arm('A', 500, 0, true), arm('B', 500, 10)] });
    assert.equal(byId(analysis, 'B').lift, null);
    assert.equal(byId(analysis, 'B').liftInterval, null);
    assert.equal(analysis.winner, 'B');
  });

  test('all successes: the interval stays finite (0.5 added to each cell)', () => {
    // Control 200 of 200, variant 180 of 200: lift = 0.9 − 1 = −10%. With 0.5 added to successes
    // and failures: ln((180.5/201)/(200.5/201)) ± z·√(1/180.5 − 1/201 + 1/200.5 − 1/201), mapped by
    // exp(·) − 1, evaluated with Python: −0.1411677990439404 and −0.056336104896910766.
    const analysis = analyzeExperiment({ arms: [arm('A', 200, 200, true), arm('B', 200, 180)] });
    const b = byId(analysis, 'B');
    close(b.rate, 0.9);
    close(b.lift, -0.1);
    close(b.liftInterval?.lower, -0.1411677990439404);
    close(b.liftInterval?.upper, -0.056336104896910766);
    assert.equal(analysis.winner, 'A');
    close(byId(analysis, 'A').rate, 1);
  });

  test('a variant with no successes has a lift of −100% and a finite interval', () => {
    const b = byId(analyzeExperiment({ arms: [arm('A', 300, 30, true), arm('B', 300, 0)] }), 'B');
    close(b.lift, -1);
    assert.ok(b.liftInterval!.lower > -1 && b.liftInterval!.upper < 0);
  });

  test('one arm: nothing to compare, so never a winner', () => {
    const analysis = analyzeExperiment({ arms: [arm('only', 1000, 42, true)] });
    assert.equal(analysis.arms[0]!.probabilityToBeBest, 1);
    assert.equal(analysis.arms[0]!.lift, null);
    assert.equal(analysis.status, 'inconclusive');
    assert.equal(analysis.reason, 'single-arm');
    assert.equal(analysis.winner, null);
  });
});

describe('bad counts are refused with where, what was expected and what came', () => {
  function refusal(input: Parameters<typeof analyzeExperiment>[0]): ExperimentError {
    try {
      analyzeExperiment(input);
    } catch (e) {
      assert.ok(e instanceof ExperimentError);
      assert.equal(e.code, 'validation_failed');
      assert.equal(e.kind, 'invalid-analysis-input');
      return e;
    }
    assert.fail('the input was accepted');
  }

  test('no control, or two', () => {
    assert.deepEqual(refusal({ arms: [arm('A', 1, 0), arm('B', 1, 0)] }).issues, [
      {
        path: 'arms',
        message: 'exactly one arm must be the control',
        expected: 'one arm with control: true',
        received: '"0 controls"',
      },
    ]);
    assert.equal(refusal({ arms: [arm('A', 1, 0, true), arm('B', 1, 0, true)] }).issues.length, 1);
  });

  test('counts that are not counts, more successes than exposures, repeated ids', () => {
    const e = refusal({
      arms: [arm('A', 10, 11, true), arm('A', -1, 0), arm('C', 1.5, Number.NaN)],
      minSamplePerArm: -5,
      confidence: 1,
    });
    assert.deepEqual(
      e.issues.map((i) => i.path),
      [
        'arms[0].successes',
        'arms[1].id',
        'arms[1].exposures',
        'arms[2].exposures',
        'arms[2].successes',
        'minSamplePerArm',
        'confidence',
      ],
    );
    assert.equal(e.issues[0]!.expected, 'at most 10');
    assert.equal(e.issues[0]!.received, '11');
  });

  test('no arm at all', () => {
    assert.deepEqual(
      refusal({ arms: [] }).issues.map((i) => i.path),
      ['arms'],
    );
  });
});
