export { windowAt } from './windows.ts';
export type { Window } from './windows.ts';
export {
  checkFrequencyCap,
  cappingCounters,
  decideFromCounters,
  checkJourneyCap,
  CAPPED_EXCLUSION_CODE,
} from './frequency-capping.ts';
export type {
  CappingDecision,
  CappingInput,
  CappingCounter,
  DeliveryLogEntry,
  JourneyCapInput,
  JourneyCapDecision,
} from './frequency-capping.ts';
