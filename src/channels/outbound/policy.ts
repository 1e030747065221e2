import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOneOptions, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { canonicalAddress, isPrivateAddress } from './addresses.ts';

// The outbound policy of a sandbox: which hosts the server may connect to on its behalf (custom
// actions, SMTP, APNs, FCM and its token endpoint, Twilio, translation providers, token endpoints).
// Entries of `allowHosts`:
// - `api.example.com`: that host on ports 80/443; `api.example.com:587`: on that port; `:*` any port;
// - `*.example.com` (with the same port forms): any subdomain; `*`: any public host on 80/443 (`*:*` any port);
// - an IP literal (`10.0.0.5`, `[::1]`): that address on any port, even private; with a port
//   (`127.0.0.1:2525`, `[::1]:2525`) that address on that port only.
// A host name must resolve to public addresses only; a private address is reached only when an
// IP-literal entry lists it (for that port). Names are resolved when the socket connects and the
// socket connects to the address that was checked (guardedLookup), so DNS rebinding cannot slip
// a private address in between a check and the connection.

export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface OutboundPolicy {
  /** The sandbox's allowed hosts (forms above). */
  readonly allowHosts: readonly string[];
  /** Resolver (tests); default node:dns lookup. */
  readonly resolve?: Resolve;
}

/**
 * The providers' own public endpoints (the defaults of push, SMS, email API and translation settings),
 * allowed on 443 in every sandbox; an SMTP host is always listed by the operator.
 */
export const PROVIDER_HOSTS: readonly string[] = [
  'api.push.apple.com',
  'api.push.apple.com:2197',
  'api.sandbox.push.apple.com',
  'api.sandbox.push.apple.com:2197',
  'fcm.googleapis.com',
  // The browsers' Web Push services (Chrome's is fcm.googleapis.com above).
  'updates.push.services.mozilla.com',
  '*.push.services.mozilla.com',
  'web.push.apple.com',
  '*.notify.windows.com',
  'oauth2.googleapis.com',
  'api.twilio.com',
  'rest.nexmo.com',
  'api.sendgrid.com',
  'api.mailgun.net',
  'api.eu.mailgun.net',
  'api.deepl.com',
  'api-free.deepl.com',
  'api.cognitive.microsofttranslator.com',
  '*.cognitive.microsofttranslator.com',
];

/** A policy with the provider endpoints added to the sandbox's own list. */
export function sandboxPolicy(allowHosts: readonly string[]): OutboundPolicy {
  return { allowHosts: [...allowHosts, ...PROVIDER_HOSTS] };
}

/** A connection the policy refuses. Its message names the host and port, never what the network answered. */
export class OutboundRefusedError extends WaymarkError {
  constructor(
    message: string,
    readonly host: string,
    readonly port: number,
  ) {
    super(ErrorCode.Forbidden, `refused by the sandbox's outbound policy: ${message}`, {
      details: { host, port },
    });
    this.name = 'OutboundRefusedError';
  }
}

interface Entry {
  /** Canonical IP, or a lower-case name pattern (`*`, `*.example.com`, `api.example.com`). */
  readonly host: string;
  readonly ip: boolean;
  /** A port, '*', or undefined (80/443 for names, any port for IPs). */
  readonly port: string | undefined;
}

function parseEntry(raw: string): Entry | null {
  const e = raw.trim().toLowerCase();
  if (e === '') return null;
  const bracketed = /^\[([^\]]+)\](?::(\d+|\*))?$/.exec(e);
  if (bracketed) {
    const ip = canonicalAddress(bracketed[1] ?? '');
    return ip === null ? null : { host: ip, ip: true, port: bracketed[2] };
  }
  if (isIP(e) === 6) return { host: canonicalAddress(e) ?? e, ip: true, port: undefined };
  const m = /^(.*?)(?::(\d+|\*))?$/.exec(e);
  const host = m?.[1] ?? e;
  const ip = canonicalAddress(host);
  return ip === null ? { host, ip: false, port: m?.[2] } : { host: ip, ip: true, port: m?.[2] };
}

const cache = new WeakMap<readonly string[], readonly Entry[]>();
function entriesOf(policy: OutboundPolicy): readonly Entry[] {
  let entries = cache.get(policy.allowHosts);
  if (entries === undefined) {
    entries = policy.allowHosts.map(parseEntry).filter((x): x is Entry => x !== null);
    cache.set(policy.allowHosts, entries);
  }
  return entries;
}

function portMatches(entry: Entry, port: number): boolean {
  if (entry.port === '*') return true;
  if (entry.port !== undefined) return Number(entry.port) === port;
  return entry.ip || port === 80 || port === 443;
}

/** Whether the policy lets a connection reach `address` on `port` (public, or listed as an IP entry). */
export function addressAllowed(policy: OutboundPolicy, address: string, port: number): boolean {
  const canonical = canonicalAddress(address);
  if (canonical === null) return false;
  if (entriesOf(policy).some((e) => e.ip && e.host === canonical && portMatches(e, port)))
    return true;
  return !isPrivateAddress(canonical);
}

/**
 * Checks a host and port against the allow-list before anything connects (no DNS here: names are
 * checked as they resolve, by guardedLookup). Throws OutboundRefusedError.
 */
export function checkDestination(policy: OutboundPolicy, rawHost: string, port: number): void {
  const ip = canonicalAddress(rawHost);
  const host = ip ?? rawHost.trim().toLowerCase().replace(/\.$/, '');
  const shown = `${ip !== null && ip.includes(':') ? `[${host}]` : host}:${port}`;
  const entries = entriesOf(policy);
  if (ip !== null) {
    if (entries.some((e) => e.ip && e.host === ip && portMatches(e, port))) return;
    if (isPrivateAddress(ip))
      throw new OutboundRefusedError(`${shown} is a private address`, host, port);
    if (entries.some((e) => e.host === '*' && portMatches(e, port))) return;
    throw new OutboundRefusedError(`${shown} is not in the sandbox's allowed hosts`, host, port);
  }
  if (!/^[a-z0-9._-]+$/.test(host))
    throw new OutboundRefusedError(`"${host}" is not a host name`, host, port);
  const named = entries.some(
    (e) =>
      !e.ip &&
      portMatches(e, port) &&
      (e.host === '*' ||
        e.host === host ||
        (e.host.startsWith('*.') &&
          host.endsWith(e.host.slice(1)) &&
          host.length > e.host.length - 1)),
  );
  if (!named)
    throw new OutboundRefusedError(`${shown} is not in the sandbox's allowed hosts`, host, port);
}

/** The port a URL connects to. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : 80;
}

/** checkDestination for an http(s) URL. */
export function checkUrl(policy: OutboundPolicy, url: URL): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundRefusedError(
      `the protocol ${url.protocol} is not allowed`,
      url.hostname,
      portOf(url),
    );
  checkDestination(policy, url.hostname, portOf(url));
}

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err === null ? resolve(addresses) : reject(err),
    );
  });

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
/** The `lookup` option of net.connect, http.request, tls.connect and http2.connect. */
export type GuardedLookup = (
  hostname: string,
  options: LookupOptions | LookupOneOptions,
  callback: LookupCallback,
) => void;

/**
 * A `lookup` for sockets to `port`: resolves the name, refuses it when any address is not allowed
 * (error code EPOLICY), and hands the socket the checked addresses, which it then connects to.
 */
export function guardedLookup(policy: OutboundPolicy, port: number): GuardedLookup {
  const resolve = policy.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !addressAllowed(policy, a.address, port));
        if (bad !== undefined) {
          callback(
            new OutboundRefusedError(`${hostname} resolves to a private address`, hostname, port),
            '',
          );
          return;
        }
        const usable = addresses.filter(
          (a) =>
            options.family === undefined || options.family === 0 || a.family === options.family,
        );
        const first = usable[0];
        if (first === undefined) {
          callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
          );
          return;
        }
        if ('all' in options && options.all === true) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (e: unknown) => callback(e as NodeJS.ErrnoException, ''),
    );
  };
}

/** A policy's identity, for sharing connection pools between equal policies. */
export function policyKey(policy: OutboundPolicy): string {
  return [...policy.allowHosts]
    .map((h) => h.trim().toLowerCase())
    .sort()
    .join(',');
}
