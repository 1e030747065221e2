import { IssueList } from './errors.ts';
import { murmur3x86_32, utf8 } from './murmur3.ts';

// Deterministic assignment of an identity to a treatment, as AJO does it: MurmurHash3 (x86,
// 32-bit, seed 0) of the identity, salted per experiment, into 10,000 buckets. The holdout takes
// the first buckets; the arms split the rest in their order, by percent. The same identity and
// salt always land in the same bucket, so a profile keeps its treatment on every send and every
// engine; another salt (another experiment) buckets everyone afresh.

/** Buckets per experiment: a bucket is 0.01% of the identities. */
export const BUCKETS = 10_000;

export interface ArmSplit {
  readonly id: string;
  /** Share of the non-holdout identities, in percent; the arms' percents sum to 100. */
  readonly percent: number;
}

/** A validated split: buckets [start, end) per arm; buckets below `holdoutEnd` are held out. */
export interface SplitPlan {
  readonly holdoutEnd: number;
  readonly arms: readonly { readonly id: string; readonly start: number; readonly end: number }[];
}

/** The bucket (0..9999) of an identity: MurmurHash3_x86_32(UTF-8 of `${salt}:${identity}`, 0) mod 10,000. */
export function bucketOf(identity: string, salt: string): number {
  return murmur3x86_32(utf8(`${salt}:${identity}`), 0) % BUCKETS;
}

/** How far the arms' percents may be from 100 (decimal percents such as 33.33 + 33.33 + 33.34). */
const SUM_TOLERANCE = 1e-6;

/**
 * Checks a split and lays it over the buckets. Throws an ExperimentError (`invalid-split`) listing
 * every problem: no arm, an empty or repeated id, a percent that is not a finite number in 0..100,
 * percents not summing to 100, a holdout outside 0 (included) .. 100 (excluded).
 */
export function planSplit(arms: readonly ArmSplit[], holdoutPercent: number): SplitPlan {
  const issues = new IssueList();
  if (!Number.isFinite(holdoutPercent) || holdoutPercent < 0 || holdoutPercent >= 100)
    issues.add(
      'holdoutPercent',
      'the holdout must be a percent from 0 up to (not including) 100',
      'a number in [0, 100)',
      holdoutPercent,
    );
  if (arms.length === 0)
    issues.add('arms', 'an experiment needs at least one arm', 'one or more arms', arms.length);
  const seen = new Set<string>();
  let sum = 0;
  let percentsValid = true;
  arms.forEach((arm, i) => {
    if (typeof arm.id !== 'string' || arm.id === '')
      issues.add(`arms[${i}].id`, 'an arm needs an id', 'a non-empty string', arm.id);
    else if (seen.has(arm.id))
      issues.add(`arms[${i}].id`, 'arm ids must be unique', 'an id no other arm has', arm.id);
    seen.add(arm.id);
    if (!Number.isFinite(arm.percent) || arm.percent < 0 || arm.percent > 100) {
      percentsValid = false;
      issues.add(
        `arms[${i}].percent`,
        'a percent is a number from 0 to 100',
        'a number in [0, 100]',
        arm.percent,
      );
    } else sum += arm.percent;
  });
  if (arms.length > 0 && percentsValid && Math.abs(sum - 100) > SUM_TOLERANCE)
    issues.add(
      'arms',
      "the arms' percents must sum to 100",
      'percents summing to 100',
      `${arms.map((a) => a.percent).join(' + ')} = ${sum}`,
    );
  issues.throwIfAny('invalid-split', 'invalid experiment split');

  const holdoutEnd = Math.round(holdoutPercent * 100);
  const rest = BUCKETS - holdoutEnd;
  let cumulative = 0;
  let start = holdoutEnd;
  const laid = arms.map((arm, i) => {
    cumulative += arm.percent;
    const end =
      i === arms.length - 1 ? BUCKETS : holdoutEnd + Math.round((rest * cumulative) / 100);
    const slot = { id: arm.id, start, end: Math.max(start, end) };
    start = slot.end;
    return slot;
  });
  return { holdoutEnd, arms: laid };
}

/** The arm that owns a bucket, or null when the bucket is held out. */
export function treatmentForBucket(plan: SplitPlan, bucket: number): string | null {
  if (bucket < plan.holdoutEnd) return null;
  for (const arm of plan.arms) if (bucket < arm.end) return arm.id;
  return null;
}

/**
 * The treatment of an identity (null = holdout). Deterministic: the same identity, salt and split
 * give the same answer everywhere. Validates the split each call; for many identities, call
 * `planSplit` once and `treatmentForBucket(plan, bucketOf(identity, salt))`.
 */
export function assignTreatment(
  identity: string,
  salt: string,
  arms: readonly ArmSplit[],
  holdoutPercent: number,
): string | null {
  return treatmentForBucket(planSplit(arms, holdoutPercent), bucketOf(identity, salt));
}
