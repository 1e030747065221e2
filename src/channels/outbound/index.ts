// The one guarded path for every connection the server opens to the outside (see policy.ts).
export { canonicalAddress, embeddedIPv4, isPrivateAddress } from './addresses.ts';
export {
  addressAllowed,
  checkDestination,
  checkUrl,
  guardedLookup,
  OutboundRefusedError,
  policyKey,
  portOf,
  PROVIDER_HOSTS,
  sandboxPolicy,
} from './policy.ts';
export type { GuardedLookup, OutboundPolicy, Resolve } from './policy.ts';
export { createOutboundFetch, outboundFetch } from './fetch.ts';
export type { OutboundFetchOptions } from './fetch.ts';
export { connectGuarded } from './socket.ts';
export { isOutboundRefusal, publicReason } from './errors.ts';
