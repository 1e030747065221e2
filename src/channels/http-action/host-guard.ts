import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  addressAllowed,
  checkUrl,
  isOutboundRefusal,
  portOf,
  type OutboundPolicy,
} from '../outbound/index.ts';

// The custom-action view of the outbound policy (../outbound/policy.ts has the allow-list entry
// forms): checkHost answers whether a URL may be called before a request is made; the client's
// fetch (../outbound/fetch.ts) checks the address again when the socket connects, which closes
// the DNS-rebinding window between this check and the connection.

export { isPrivateAddress } from '../outbound/index.ts';

export type Lookup = (hostname: string) => Promise<readonly string[]>;

export const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export type HostCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Decides whether a request to `url` may leave. */
export async function checkHost(
  url: URL,
  allowHosts: readonly string[],
  lookup: Lookup = systemLookup,
): Promise<HostCheck> {
  const policy: OutboundPolicy = { allowHosts };
  try {
    checkUrl(policy, url);
  } catch (e) {
    if (isOutboundRefusal(e)) return { ok: false, reason: e.message };
    throw e;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return { ok: true };
  let addresses: readonly string[];
  try {
    addresses = await lookup(host);
  } catch {
    return { ok: false, reason: `cannot resolve ${host}` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} has no address` };
  if (addresses.some((a) => !addressAllowed(policy, a, portOf(url))))
    return { ok: false, reason: `${host} resolves to a private address` };
  return { ok: true };
}
