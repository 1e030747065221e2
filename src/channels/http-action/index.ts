export { callAction } from './client.ts';
export type {
  ActionCallResult,
  ActionStatusCode,
  ActionLogEntry,
  CallActionOptions,
} from './client.ts';
export { SlidingWindowCapper } from './capper.ts';
export type { CapperOptions } from './capper.ts';
export { checkHost, isPrivateAddress, systemLookup } from './host-guard.ts';
export type { HostCheck, Lookup } from './host-guard.ts';
export { TokenCache } from './token-cache.ts';
export { createGuardedFetch, PrivateAddressError } from './guarded-fetch.ts';
export type { GuardedFetchOptions } from './guarded-fetch.ts';
export { ActionThrottle } from './throttle.ts';
export { DEFAULT_CAP, limiterCapper, limiterThrottle } from './rate-limited.ts';
export type { ActionCapper, ActionThrottler, ThrottleOptions } from './throttle.ts';
export {
  buildActionRequest,
  actionValuesFromParameters,
  customActionSchema,
  DYNAMIC_PATH_PARAMETER,
} from '../../model/custom-action.ts';
export type { ActionRequest, ActionValues, CustomAction } from '../../model/custom-action.ts';
