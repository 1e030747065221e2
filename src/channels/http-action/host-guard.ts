import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';

// Outbound requests reach only the hosts the sandbox allows. Entries of `allowHosts`:
// - `api.example.com`: that host, on ports 80/443 only (the reference's rule);
// - `api.example.com:8443`: that host on that port; `*.example.com`: any subdomain;
// - `*`: any public host on ports 80/443 (`*:*`: any port); private addresses stay refused;
// - an IP literal (`127.0.0.1`, `::1`): that address on any port, even if private (development).
// Host names are resolved and every address must be public (not private, loopback, link-local,
// CGNAT, multicast or reserved) unless the address itself is listed.
// The client's default fetch (guarded-fetch.ts) checks the address again when it connects, which
// closes the DNS-rebinding window between this check and the connection.

export type Lookup = (hostname: string) => Promise<readonly string[]>;

export const systemLookup: Lookup = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b:1::', 48]] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast, documentation and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped?.[1] !== undefined) return blocked.check(mapped[1], 'ipv4');
  return blocked.check(address, 'ipv6');
}

export type HostCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

function effectivePort(url: URL): string {
  if (url.port !== '') return url.port;
  return url.protocol === 'https:' ? '443' : '80';
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  const e = entry.trim().toLowerCase();
  if (isIP(e.replace(/^\[|\]$/g, '')) !== 0) return e.replace(/^\[|\]$/g, '') === host;
  const m = /^(.*?)(?::(\d+|\*))?$/.exec(e);
  const pattern = m?.[1] ?? e;
  const entryPort = m?.[2];
  const portOk = entryPort === '*' || entryPort === port || (entryPort === undefined && (port === '80' || port === '443'));
  if (!portOk) return false;
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** Decides whether a request to `url` may leave. */
export async function checkHost(url: URL, allowHosts: readonly string[], lookup: Lookup = systemLookup): Promise<HostCheck> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: `protocol ${url.protocol} is not allowed` };
  const host = bareHost(url);
  const port = effectivePort(url);
  if (!allowHosts.some((e) => matchesEntry(e, host, port))) return { ok: false, reason: `host ${host}:${port} is not in the sandbox's allowed hosts` };
  const listedIps = new Set(allowHosts.map((e) => e.trim().toLowerCase().replace(/^\[|\]$/g, '')).filter((e) => isIP(e) !== 0));
  if (isIP(host) !== 0) {
    // An IP literal: listed explicitly, or public and matched by a wildcard.
    return listedIps.has(host) || !isPrivateAddress(host) ? { ok: true } : { ok: false, reason: `${host} is a private address` };
  }
  let addresses: readonly string[];
  try {
    addresses = await lookup(host);
  } catch (e) {
    return { ok: false, reason: `cannot resolve ${host}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} has no address` };
  for (const a of addresses) {
    if (isPrivateAddress(a) && !listedIps.has(a.toLowerCase())) return { ok: false, reason: `${host} resolves to the private address ${a}` };
  }
  return { ok: true };
}
