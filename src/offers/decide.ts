// decide(policy, offers, input): the offers a decision policy proposes to one profile, in order, with
// their scores (AJO semantics). Strategies run in sequence until the count is filled; an offer picked
// by an earlier strategy is skipped; when no strategy proposed anything, the policy's fallback offer
// (which ignores dates and eligibility) is proposed. With `explain`, every other offer comes back with
// why it was not proposed (simulation). Pure: counts, audiences and the clock come in the input.
import type { EvaluationContext } from '../expr/index.ts';
import type { DecisionPolicy, Ranking } from '../model/decision-policy.ts';
import type { Offer, Representation } from '../model/offer.ts';
import type { CapKey } from './caps.ts';
import { capKeys } from './caps.ts';
import type { CompiledOffer, OfferCatalog } from './catalog.ts';
import { catalogOf } from './catalog.ts';
import type {
  DecisionInput,
  DecisionResult,
  Exclusion,
  ExclusionReason,
  Proposition,
  ScoringNote,
  ScoringOutcome,
} from './types.ts';

const zero = (): number => 0;

function pickRepresentation(
  o: CompiledOffer,
  placement: string,
  language: string | undefined,
): Representation | undefined {
  const list = o.representations.get(placement);
  if (list === undefined) return undefined;
  if (language !== undefined) {
    const exact = list.find((r) => r.language === language);
    if (exact) return exact;
  }
  return list.find((r) => r.language === undefined) ?? list[0];
}

class Decision {
  private readonly checked = new Map<string, ExclusionReason | null>();
  private readonly ruleMemo = new Map<string, boolean | string>();
  private readonly baseCtx: EvaluationContext;

  constructor(
    private readonly policy: DecisionPolicy,
    private readonly input: DecisionInput & { readonly language?: string },
  ) {
    this.baseCtx = {
      events: { context: input.context },
      profile: input.profile,
      actions: {},
      audiences: input.audiences,
      now: input.now,
      random: zero,
    };
  }

  private ctxFor(o: CompiledOffer): EvaluationContext {
    return { ...this.baseCtx, events: { context: this.input.context, offer: o.view } };
  }

  /** Why the offer cannot be proposed now, or null when it can. */
  check(o: CompiledOffer): ExclusionReason | null {
    const id = o.offer.id;
    const hit = this.checked.get(id);
    if (hit !== undefined) return hit;
    const r = this.evaluate(o);
    this.checked.set(id, r);
    return r;
  }

  private evaluate(o: CompiledOffer): ExclusionReason | null {
    const { offer } = o;
    const now = this.input.now;
    if (offer.fallback) return { kind: 'fallbackOnly' };
    if (offer.status !== 'approved') return { kind: 'status', status: offer.status };
    if (o.start !== null && now < o.start)
      return { kind: 'notStarted', startDate: offer.startDate ?? '' };
    if (o.end !== null && now >= o.end) return { kind: 'expired', endDate: offer.endDate ?? '' };
    if (!o.representations.has(this.policy.placement))
      return { kind: 'noRepresentation', placement: this.policy.placement };
    if (this.input.alreadyProposed?.has(offer.id)) return { kind: 'duplicate' };
    const aud = offer.eligibility?.audiences;
    if (aud !== undefined) {
      const memberships = this.input.audiences;
      if ('all' in aud) {
        for (const n of aud.all)
          if (memberships[n] !== 'realized')
            return { kind: 'audience', condition: 'all', audiences: aud.all };
      } else {
        let found = false;
        for (const n of aud.any)
          if (memberships[n] === 'realized') {
            found = true;
            break;
          }
        if (!found) return { kind: 'audience', condition: 'any', audiences: aud.any };
      }
    }
    if (o.rule !== null) {
      const rule = o.rule;
      if (!rule.ok) return { kind: 'ruleError', message: rule.message };
      const source = rule.expression.source;
      // A rule several offers share (and that reads no offer field) runs once per decision.
      const memo = o.sharedRule && !rule.readsOffer;
      let verdict = memo ? this.ruleMemo.get(source) : undefined;
      if (verdict === undefined) {
        const out = rule.expression.evaluate(rule.readsOffer ? this.ctxFor(o) : this.baseCtx);
        verdict = out.ok
          ? out.value === true
          : `line ${out.error.line}, column ${out.error.column}: ${out.error.message}`;
        if (memo) this.ruleMemo.set(source, verdict);
      }
      if (typeof verdict === 'string') return { kind: 'ruleError', message: verdict };
      if (!verdict) return { kind: 'rule', rule: source };
    }
    if (offer.caps.length > 0) {
      for (const k of capKeys(offer, this.input.profileId, now)) {
        const count = this.input.counts(k);
        if (count >= k.limit) return { kind: 'capReached', scope: k.scope, count, limit: k.limit };
      }
    }
    return null;
  }

  score(
    o: CompiledOffer,
    ranking: Ranking,
    catalog: OfferCatalog,
    scored: ScoringOutcome | undefined,
  ): number | ExclusionReason {
    if (ranking === 'priority') return o.offer.priority;
    if ('scoringAction' in ranking) {
      if (scored === undefined || !scored.ok) return o.offer.priority;
      return scored.scores.get(o.offer.id) ?? { kind: 'notScored', action: ranking.scoringAction };
    }
    const f = catalog.formula(ranking.formula);
    if (!f.ok) return { kind: 'formulaError', message: f.message };
    const out = f.expression.evaluate(this.ctxFor(o));
    if (!out.ok)
      return {
        kind: 'formulaError',
        message: `line ${out.error.line}, column ${out.error.column}: ${out.error.message}`,
      };
    const v = out.value;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    return {
      kind: 'formulaError',
      message: `the formula gave ${v === null ? 'null' : typeof v}, not a number`,
    };
  }

  proposition(
    o: CompiledOffer,
    score: number,
    rank: number,
    strategy: number | 'fallback',
  ): Proposition {
    const representation = pickRepresentation(o, this.policy.placement, this.input.language);
    const keys: readonly CapKey[] =
      strategy === 'fallback' || o.offer.caps.length === 0
        ? []
        : capKeys(o.offer, this.input.profileId, this.input.now);
    return {
      offerId: o.offer.id,
      name: o.offer.name,
      score,
      rank,
      strategy,
      representation: representation ?? { placement: this.policy.placement },
      attributes: o.offer.attributes,
      capKeys: keys,
    };
  }
}

export interface DecideInput extends DecisionInput {
  /** Preferred representation language. */
  readonly language?: string;
}

export function decide(
  policy: DecisionPolicy,
  offers: readonly Offer[] | OfferCatalog,
  input: DecideInput,
): DecisionResult {
  const catalog = catalogOf(offers);
  const d = new Decision(policy, input);
  const explain = input.explain === true;
  const chosen: Proposition[] = [];
  const chosenIds = new Set<string>();
  const excluded = new Map<string, ExclusionReason>();
  const exclude = (o: CompiledOffer, r: ExclusionReason): void => {
    if (explain && !excluded.has(o.offer.id)) excluded.set(o.offer.id, r);
  };
  const scoring: ScoringNote[] = [];

  policy.strategies.forEach((strategy, index) => {
    const full = chosen.length >= policy.count;
    if (full && !explain) return;
    const candidates = catalog.candidates(strategy);
    const ranking = strategy.ranking;
    const scored =
      typeof ranking === 'object' && 'scoringAction' in ranking
        ? input.scores?.get(index)
        : undefined;
    if (typeof ranking === 'object' && 'scoringAction' in ranking) {
      scoring.push({
        strategy: index,
        action: ranking.scoringAction,
        rankedBy: scored?.ok === true ? 'endpoint' : 'priority',
        ...(scored === undefined
          ? { message: 'the scoring endpoint was not called' }
          : scored.ok
            ? {}
            : { message: scored.message }),
      });
    }
    if (ranking === 'priority' && !explain) {
      // Candidates are sorted by priority: stop at the first ones that qualify.
      for (const o of candidates) {
        if (chosen.length >= policy.count) break;
        if (chosenIds.has(o.offer.id)) continue;
        if (d.check(o) !== null) continue;
        chosen.push(d.proposition(o, o.offer.priority, chosen.length + 1, index));
        chosenIds.add(o.offer.id);
      }
      return;
    }
    const ranked: { o: CompiledOffer; score: number }[] = [];
    for (const o of candidates) {
      if (chosenIds.has(o.offer.id)) continue;
      const why = d.check(o);
      if (why !== null) {
        exclude(o, why);
        continue;
      }
      const s = d.score(o, ranking, catalog, scored);
      if (typeof s !== 'number') exclude(o, s);
      else ranked.push({ o, score: s });
    }
    // Stable: ties keep the candidates' order (priority, then id).
    ranked.sort((a, b) => b.score - a.score);
    for (const { o, score } of ranked) {
      if (chosen.length < policy.count) {
        chosen.push(d.proposition(o, score, chosen.length + 1, index));
        chosenIds.add(o.offer.id);
        excluded.delete(o.offer.id);
      } else exclude(o, { kind: 'outranked', score });
    }
  });

  let fallbackUsed = false;
  if (chosen.length === 0 && policy.fallback !== undefined) {
    const fb = catalog.byId.get(policy.fallback);
    if (
      fb !== undefined &&
      fb.offer.status === 'approved' &&
      fb.representations.has(policy.placement)
    ) {
      chosen.push(d.proposition(fb, fb.offer.priority, 1, 'fallback'));
      chosenIds.add(fb.offer.id);
      fallbackUsed = true;
    } else if (fb !== undefined) {
      exclude(
        fb,
        fb.offer.status !== 'approved'
          ? { kind: 'status', status: fb.offer.status }
          : { kind: 'noRepresentation', placement: policy.placement },
      );
    }
  }

  const exclusions: Exclusion[] = [];
  if (explain) {
    for (const o of catalog.offers) {
      if (chosenIds.has(o.offer.id)) continue;
      const reason =
        excluded.get(o.offer.id) ??
        (o.offer.fallback ? { kind: 'fallbackOnly' as const } : { kind: 'notInStrategy' as const });
      exclusions.push({ offerId: o.offer.id, name: o.offer.name, reason });
    }
  }
  return {
    policyId: policy.id,
    placement: policy.placement,
    propositions: chosen,
    fallbackUsed,
    excluded: exclusions,
    scoring,
  };
}

/**
 * The offers each strategy ranked by a scoring endpoint would score: its eligible candidates (before
 * the count and the other strategies' picks), by strategy index. The runtime sends them to the
 * endpoint, then passes the answers to `decide` as `scores`.
 */
export function offersToScore(
  policy: DecisionPolicy,
  offers: readonly Offer[] | OfferCatalog,
  input: DecideInput,
): Map<number, { readonly action: string; readonly offers: readonly Offer[] }> {
  const catalog = catalogOf(offers);
  const d = new Decision(policy, input);
  const out = new Map<number, { action: string; offers: Offer[] }>();
  policy.strategies.forEach((strategy, index) => {
    const ranking = strategy.ranking;
    if (typeof ranking !== 'object' || !('scoringAction' in ranking)) return;
    const eligible = catalog
      .candidates(strategy)
      .filter((o) => d.check(o) === null)
      .map((o) => o.offer);
    out.set(index, { action: ranking.scoringAction, offers: eligible });
  });
  return out;
}
