import { IssueList } from './errors.ts';
import { probabilityToBeBest } from './probability-best.ts';
import { normalQuantile } from './special-functions.ts';

// The report of a content experiment, computed from counts: per arm its rate, its lift against the
// control with a confidence interval, and its probability to be best; and whether a winner can be
// called. Methods (docs/experiments.md says the same for a reader):
// - rate = successes / exposures;
// - lift = rate / control rate - 1;
// - lift interval: the delta method on the log of the rate ratio (Katz et al. 1978):
//   ln(r̂) ± z·√(1/s₁ − 1/n₁ + 1/s₀ − 1/n₀), z the normal quantile of (1 + confidence) / 2, mapped
//   back by exp(·) − 1; when an arm has no successes or no failures, 0.5 is added to the successes
//   and to the failures of both arms first (Haldane–Anscombe), so the interval stays finite;
// - probability to be best: Beta(1 + s, 1 + n − s) posteriors (uniform Beta(1, 1) priors),
//   integrated numerically (probability-best.ts): deterministic, no sampling.
// A winner is called when every arm has the minimum sample and the most probable best arm's
// probability is at least the confidence level.

export interface ArmCounts {
  readonly id: string;
  /** The reference the others' lifts are measured against; exactly one arm is the control. */
  readonly control: boolean;
  /** Profiles that got this arm (sent, or entered, as the metric defines it). */
  readonly exposures: number;
  /** Of those, the profiles that did the metric (opened, clicked, converted). */
  readonly successes: number;
}

export interface AnalysisInput {
  readonly arms: readonly ArmCounts[];
  /** Exposures every arm needs before a winner may be called (default 100). */
  readonly minSamplePerArm?: number;
  /** Confidence level for the interval and for calling a winner, in [0.5, 1) (default 0.95). */
  readonly confidence?: number;
}

export interface LiftInterval {
  readonly lower: number;
  readonly upper: number;
}

export interface ArmAnalysis {
  readonly id: string;
  readonly control: boolean;
  readonly exposures: number;
  readonly successes: number;
  /** successes / exposures; null with no exposures. */
  readonly rate: number | null;
  /** rate / control rate − 1 (0.12 = +12%); null for the control itself, or without a control rate (no exposures or no successes). */
  readonly lift: number | null;
  /** The confidence interval of the lift (same level as `confidence`); null when `lift` is. */
  readonly liftInterval: LiftInterval | null;
  /** P(this arm's true rate is the highest), Bayesian beta-binomial; the arms' values sum to 1. */
  readonly probabilityToBeBest: number;
  readonly hasMinimumSample: boolean;
}

/** Why the status is what it is. */
export type AnalysisReason = 'below-minimum-sample' | 'single-arm' | 'not-confident' | 'confident';

interface AnalysisBase {
  readonly arms: readonly ArmAnalysis[];
  readonly confidence: number;
  readonly minSamplePerArm: number;
  /** The arm most likely to be best (the first one on a tie), whether or not it is a winner yet. */
  readonly leader: string;
}

export type ExperimentAnalysis = AnalysisBase &
  (
    | {
        readonly status: 'collecting';
        readonly winner: null;
        readonly reason: 'below-minimum-sample';
      }
    | {
        readonly status: 'inconclusive';
        readonly winner: null;
        readonly reason: 'single-arm' | 'not-confident';
      }
    | { readonly status: 'winner'; readonly winner: string; readonly reason: 'confident' }
  );

export const DEFAULT_MIN_SAMPLE_PER_ARM = 100;
export const DEFAULT_CONFIDENCE = 0.95;

/** Analyzes an experiment's counts; throws an ExperimentError (`invalid-analysis-input`) on bad counts. */
export function analyzeExperiment(input: AnalysisInput): ExperimentAnalysis {
  const minSamplePerArm = input.minSamplePerArm ?? DEFAULT_MIN_SAMPLE_PER_ARM;
  const confidence = input.confidence ?? DEFAULT_CONFIDENCE;
  validate(input.arms, minSamplePerArm, confidence);

  const control = input.arms.find((a) => a.control)!;
  const z = normalQuantile((1 + confidence) / 2);
  const best = probabilityToBeBest(
    input.arms.map((a) => ({ a: 1 + a.successes, b: 1 + a.exposures - a.successes })),
  );
  const arms = input.arms.map((arm, i): ArmAnalysis => {
    const lift = arm.control ? null : liftOf(arm, control, z);
    return {
      id: arm.id,
      control: arm.control,
      exposures: arm.exposures,
      successes: arm.successes,
      rate: arm.exposures === 0 ? null : arm.successes / arm.exposures,
      lift: lift?.lift ?? null,
      liftInterval: lift?.interval ?? null,
      probabilityToBeBest: best[i]!,
      hasMinimumSample: arm.exposures >= minSamplePerArm,
    };
  });

  let leaderIndex = 0;
  best.forEach((p, i) => {
    if (p > best[leaderIndex]!) leaderIndex = i;
  });
  const leader = arms[leaderIndex]!;
  const base: AnalysisBase = { arms, confidence, minSamplePerArm, leader: leader.id };
  if (!arms.every((a) => a.hasMinimumSample))
    return { ...base, status: 'collecting', winner: null, reason: 'below-minimum-sample' };
  if (arms.length === 1)
    return { ...base, status: 'inconclusive', winner: null, reason: 'single-arm' };
  if (leader.probabilityToBeBest >= confidence)
    return { ...base, status: 'winner', winner: leader.id, reason: 'confident' };
  return { ...base, status: 'inconclusive', winner: null, reason: 'not-confident' };
}

function liftOf(
  arm: ArmCounts,
  control: ArmCounts,
  z: number,
): { lift: number; interval: LiftInterval } | null {
  if (arm.exposures === 0 || control.exposures === 0 || control.successes === 0) return null;
  const lift = arm.successes / arm.exposures / (control.successes / control.exposures) - 1;
  const degenerate = [arm, control].some((a) => a.successes === 0 || a.successes === a.exposures);
  const add = degenerate ? 0.5 : 0;
  const s1 = arm.successes + add;
  const n1 = arm.exposures + 2 * add;
  const s0 = control.successes + add;
  const n0 = control.exposures + 2 * add;
  const logRatio = Math.log(s1 / n1 / (s0 / n0));
  const se = Math.sqrt(1 / s1 - 1 / n1 + 1 / s0 - 1 / n0);
  return {
    lift,
    interval: { lower: Math.exp(logRatio - z * se) - 1, upper: Math.exp(logRatio + z * se) - 1 },
  };
}

function validate(arms: readonly ArmCounts[], minSample: number, confidence: number): void {
  const issues = new IssueList();
  if (arms.length === 0)
    issues.add('arms', 'an analysis needs at least one arm', 'one or more arms', arms.length);
  const controls = arms.filter((a) => a.control).length;
  if (arms.length > 0 && controls !== 1)
    issues.add(
      'arms',
      'exactly one arm must be the control',
      'one arm with control: true',
      `${controls} controls`,
    );
  const seen = new Set<string>();
  arms.forEach((arm, i) => {
    if (typeof arm.id !== 'string' || arm.id === '')
      issues.add(`arms[${i}].id`, 'an arm needs an id', 'a non-empty string', arm.id);
    else if (seen.has(arm.id))
      issues.add(`arms[${i}].id`, 'arm ids must be unique', 'an id no other arm has', arm.id);
    seen.add(arm.id);
    if (!Number.isSafeInteger(arm.exposures) || arm.exposures < 0)
      issues.add(`arms[${i}].exposures`, 'exposures are a count', 'an integer ≥ 0', arm.exposures);
    if (!Number.isSafeInteger(arm.successes) || arm.successes < 0)
      issues.add(`arms[${i}].successes`, 'successes are a count', 'an integer ≥ 0', arm.successes);
    else if (
      Number.isSafeInteger(arm.exposures) &&
      arm.exposures >= 0 &&
      arm.successes > arm.exposures
    )
      issues.add(
        `arms[${i}].successes`,
        'an arm cannot have more successes than exposures',
        `at most ${arm.exposures}`,
        arm.successes,
      );
  });
  if (!Number.isSafeInteger(minSample) || minSample < 0)
    issues.add('minSamplePerArm', 'the minimum sample is a count', 'an integer ≥ 0', minSample);
  if (!Number.isFinite(confidence) || confidence < 0.5 || confidence >= 1)
    issues.add(
      'confidence',
      'the confidence level is a probability',
      'a number in [0.5, 1)',
      confidence,
    );
  issues.throwIfAny('invalid-analysis-input', 'invalid experiment analysis input');
}
