// Save-time checks of the expressions an offer or a policy holds: an error names where and what.
import type { DecisionPolicy } from '../model/decision-policy.ts';
import type { Offer } from '../model/offer.ts';
import { compileRule } from './catalog.ts';

export interface ExpressionIssue {
  readonly path: string;
  readonly message: string;
}

export function validateOfferExpressions(offer: Offer): readonly ExpressionIssue[] {
  const rule = offer.eligibility?.rule;
  if (rule === undefined) return [];
  const c = compileRule(rule, 'boolean');
  return c.ok ? [] : [{ path: 'eligibility.rule', message: c.message }];
}

export function validatePolicyExpressions(policy: DecisionPolicy): readonly ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  policy.strategies.forEach((s, i) => {
    if (s.ranking === 'priority' || 'scoringAction' in s.ranking) return;
    const c = compileRule(s.ranking.formula, 'any');
    if (!c.ok) issues.push({ path: `strategies.${i}.ranking.formula`, message: c.message });
  });
  return issues;
}
