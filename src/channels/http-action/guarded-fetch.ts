import type { LookupAddress } from 'node:dns';
import { createOutboundFetch, OutboundRefusedError } from '../outbound/index.ts';

// A fetch for custom actions whose connections only reach public addresses (or the IPs listed
// explicitly): the address is checked when the socket connects, after DNS (../outbound/fetch.ts).
// It does not follow redirects (the action client follows them, checking each hop's host).

export interface GuardedFetchOptions {
  /** Addresses allowed even though private (the IP literals of the sandbox's allowed hosts). */
  readonly allowAddresses?: readonly string[];
  /** Resolver; default node:dns lookup. */
  readonly resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
  readonly maxBodyBytes?: number;
}

/** The refusal of a private address (the outbound policy's error). */
export const PrivateAddressError = OutboundRefusedError;

export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const allowHosts = [
    '*:*',
    ...(options.allowAddresses ?? []).map((a) => (a.includes(':') ? `[${a}]` : a)),
  ];
  const outbound = createOutboundFetch(
    { allowHosts, ...(options.resolve ? { resolve: options.resolve } : {}) },
    {
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      maxRedirects: 0,
    },
  );
  return ((input: string | URL | Request, init: RequestInit = {}) =>
    outbound(input, { ...init, redirect: 'manual' })) as typeof fetch;
}
