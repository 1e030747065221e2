// Decisioning (offers), pure: no I/O. The runtime reads offers, counters and memberships, calls
// decide(), then records the propositions and increments the counters atomically.
export { decide, offersToScore } from './decide.ts';
export type { DecideInput } from './decide.ts';
export { OfferCatalog, catalogOf, compileRule } from './catalog.ts';
export { capKeys, capKeyString, capPeriodKey } from './caps.ts';
export type { CapKey } from './caps.ts';
export { describeExclusion } from './types.ts';
export type {
  DecisionInput,
  DecisionResult,
  Exclusion,
  ExclusionReason,
  Proposition,
  ScoringNote,
  ScoringOutcome,
} from './types.ts';
export { validateOfferExpressions, validatePolicyExpressions } from './validate.ts';
