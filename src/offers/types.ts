// What a decision reads and answers. Pure data.
import type { Representation } from '../model/offer.ts';
import type { CapKey } from './caps.ts';

export interface DecisionInput {
  readonly profileId: string;
  /** Profile attributes, as expressions read them. */
  readonly profile: unknown;
  /** Request context: `@event{context.k}` in rules and formulas. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Audience memberships of the profile. */
  readonly audiences: Readonly<Record<string, 'realized' | 'exited'>>;
  /** Epoch milliseconds. */
  readonly now: number;
  /** The current value of a cap counter (0 when never counted). */
  readonly counts: (key: CapKey) => number;
  /** Offers already proposed in the same request (another placement): skipped as duplicates. */
  readonly alreadyProposed?: ReadonlySet<string>;
  /** Report every excluded offer with its reason (simulation); otherwise stop at the count. */
  readonly explain?: boolean;
  /**
   * What each scoring endpoint answered, by strategy index (strategies ranked by a scoring
   * action). A strategy without an entry, or whose call failed, ranks by priority.
   */
  readonly scores?: ReadonlyMap<number, ScoringOutcome>;
}

/** A scoring endpoint's answer for one strategy: a score per offer id, or why there is none. */
export type ScoringOutcome =
  | { readonly ok: true; readonly scores: ReadonlyMap<string, number> }
  | { readonly ok: false; readonly message: string };

/** How a strategy ranked by a scoring endpoint was ranked in this decision. */
export interface ScoringNote {
  readonly strategy: number;
  readonly action: string;
  /** 'endpoint': by the scores it answered; 'priority': the call failed, ranked by priority. */
  readonly rankedBy: 'endpoint' | 'priority';
  /** Why the endpoint's scores were not used. */
  readonly message?: string;
}

export interface Proposition {
  readonly offerId: string;
  readonly name: string;
  readonly score: number;
  readonly rank: number;
  /** Index of the strategy that picked it, or 'fallback'. */
  readonly strategy: number | 'fallback';
  readonly representation: Representation;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** The counters a proposition increments (capped offers only). */
  readonly capKeys: readonly CapKey[];
}

export type ExclusionReason =
  | { readonly kind: 'status'; readonly status: string }
  | { readonly kind: 'notStarted'; readonly startDate: string }
  | { readonly kind: 'expired'; readonly endDate: string }
  | { readonly kind: 'noRepresentation'; readonly placement: string }
  | {
      readonly kind: 'audience';
      readonly condition: 'all' | 'any';
      readonly audiences: readonly string[];
    }
  | { readonly kind: 'rule'; readonly rule: string }
  | { readonly kind: 'ruleError'; readonly message: string }
  | { readonly kind: 'formulaError'; readonly message: string }
  | { readonly kind: 'notScored'; readonly action: string }
  | {
      readonly kind: 'capReached';
      readonly scope: 'total' | 'profile';
      readonly count: number;
      readonly limit: number;
    }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'outranked'; readonly score: number }
  | { readonly kind: 'notInStrategy' }
  | { readonly kind: 'fallbackOnly' };

export interface Exclusion {
  readonly offerId: string;
  readonly name: string;
  readonly reason: ExclusionReason;
}

export interface DecisionResult {
  readonly policyId: string;
  readonly placement: string;
  readonly propositions: readonly Proposition[];
  readonly fallbackUsed: boolean;
  /** Filled when `explain` was asked: every other offer and why it was not proposed. */
  readonly excluded: readonly Exclusion[];
  /** One note per strategy ranked by a scoring endpoint that ran. */
  readonly scoring: readonly ScoringNote[];
}

export function describeExclusion(r: ExclusionReason): string {
  switch (r.kind) {
    case 'status':
      return `status is ${r.status}, not approved`;
    case 'notStarted':
      return `starts at ${r.startDate}`;
    case 'expired':
      return `ended at ${r.endDate}`;
    case 'noRepresentation':
      return `no representation for placement "${r.placement}"`;
    case 'audience':
      return `not in ${r.condition} of the audiences ${r.audiences.join(', ')}`;
    case 'rule':
      return `decision rule is false: ${r.rule}`;
    case 'ruleError':
      return `decision rule failed: ${r.message}`;
    case 'formulaError':
      return `ranking formula failed: ${r.message}`;
    case 'notScored':
      return `the scoring endpoint "${r.action}" gave it no score`;
    case 'capReached':
      return `${r.scope === 'total' ? 'total' : 'per-profile'} cap reached (${r.count} of ${r.limit})`;
    case 'duplicate':
      return 'already proposed in this request';
    case 'outranked':
      return `eligible, outranked (score ${r.score})`;
    case 'notInStrategy':
      return "in none of the policy's strategies";
    case 'fallbackOnly':
      return 'a fallback offer (proposed only as the fallback)';
    default: {
      const never: never = r;
      return never;
    }
  }
}
