import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isPrivateAddress } from './host-guard.ts';

// A minimal fetch for custom actions whose connections only reach public addresses (or the IPs
// listed explicitly): the address is checked when the socket connects, after DNS, so a name that
// resolves to a public address for the allow-list check and to a private one a moment later
// (DNS rebinding) is still refused. Answers are buffered up to `maxBodyBytes`.

export interface GuardedFetchOptions {
  /** Addresses allowed even though private (the IP literals of the sandbox's allowed hosts). */
  readonly allowAddresses?: readonly string[];
  /** Resolver; default node:dns lookup. */
  readonly resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
  readonly maxBodyBytes?: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const systemResolve = (hostname: string): Promise<readonly LookupAddress[]> => new Promise((resolve, reject) => {
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err === null ? resolve(addresses) : reject(err)));
});

export class PrivateAddressError extends Error {
  override readonly name = 'PrivateAddressError';
}

export function createGuardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const allowed = new Set((options.allowAddresses ?? []).map((a) => a.toLowerCase()));
  const resolve = options.resolve ?? systemResolve;
  const maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
  // Own agents: pooled sockets were checked by this guard, never by a differently configured one.
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

  const lookup = (hostname: string, opts: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then((addresses) => {
      const bad = addresses.find((a) => isPrivateAddress(a.address) && !allowed.has(a.address.toLowerCase()));
      if (bad !== undefined) {
        callback(Object.assign(new PrivateAddressError(`${hostname} resolves to the private address ${bad.address}`), { code: 'EPRIVATE' }), '');
        return;
      }
      const usable = addresses.filter((a) => opts.family === undefined || opts.family === 0 || a.family === opts.family);
      if (usable.length === 0) { callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), ''); return; }
      if (opts.all === true) callback(null, usable);
      else callback(null, (usable[0] as LookupAddress).address, (usable[0] as LookupAddress).family);
    }, (e: unknown) => callback(e as NodeJS.ErrnoException, ''));
  };

  const guarded = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => new Promise((resolvePromise, reject) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') { reject(new TypeError('guarded fetch sends string bodies only')); return; }
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const agent = url.protocol === 'https:' ? agents.https : agents.http;
    const reqOptions: RequestOptions = { method: init.method ?? 'GET', headers, agent, lookup: lookup as unknown as RequestOptions['lookup'], ...(init.signal ? { signal: init.signal } : {}) };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, reqOptions, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBody) { res.destroy(new Error(`the answer is larger than ${maxBody} bytes`)); return; }
        chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 500;
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v === undefined) continue;
          for (const item of Array.isArray(v) ? v : [v]) out.append(k, item);
        }
        const nullBody = status === 204 || status === 205 || status === 304;
        resolvePromise(new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? '', headers: out }));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  return guarded as typeof fetch;
}
