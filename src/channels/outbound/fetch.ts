import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { checkUrl, guardedLookup, policyKey, portOf, type OutboundPolicy } from './policy.ts';

// The one fetch for the server's HTTP calls to the outside (FCM and its token endpoint, Twilio,
// translation providers; custom actions use it through their client): every hop, redirects
// included, is checked against the sandbox's outbound policy, and the socket connects only to an
// address the policy allows, checked after DNS (see policy.ts). Answers are buffered up to
// `maxBodyBytes`. Credentials are not carried to another origin.

export interface OutboundFetchOptions {
  readonly maxBodyBytes?: number;
  /** Redirects followed when the caller asks to follow them (the default); default 5. */
  readonly maxRedirects?: number;
  /**
   * The caller's POSTs are idempotent (a translation): like GET, PUT and DELETE they are sent again
   * on a new connection when a kept-alive one turns out closed (see `staleConnection`).
   */
  readonly idempotent?: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIALS = new Set(['authorization', 'cookie', 'proxy-authorization']);

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * A kept-alive connection that the server closed (its idle timeout) just as a request was written
 * on it: the request fails with a reset before any answer. It is a race every HTTP client with a
 * connection pool meets, made likely when the event loop stalls (the pool's own idle timer, set
 * below the server's, fires late), and the server never read the request. Node's advice: check
 * `req.reusedSocket` and send again, where sending again is safe (RFC 9110, 9.2.2).
 */
const staleConnection = (req: { reusedSocket: boolean }, e: unknown): boolean =>
  req.reusedSocket && ['ECONNRESET', 'EPIPE'].includes((e as NodeJS.ErrnoException).code ?? '');

/** One request, no redirects: the URL is checked, the connection goes to a checked address. */
export function guardedRequest(
  policy: OutboundPolicy,
  agents: { http: HttpAgent; https: HttpsAgent } | null,
  maxBody: number,
  idempotentPosts = false,
) {
  return (
    url: URL,
    init: {
      method: string;
      headers: Record<string, string>;
      body: string | Uint8Array | undefined;
      signal?: AbortSignal;
    },
    fresh = false,
  ): Promise<Response> =>
    new Promise((resolvePromise, reject) => {
      checkUrl(policy, url);
      const headers = { ...init.headers };
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const https = url.protocol === 'https:';
      const reqOptions: RequestOptions = {
        method: init.method,
        headers,
        agent: agents === null || fresh ? false : https ? agents.https : agents.http,
        lookup: guardedLookup(policy, portOf(url)) as unknown as RequestOptions['lookup'],
        ...(init.signal ? { signal: init.signal } : {}),
      };
      const req = (https ? httpsRequest : httpRequest)(url, reqOptions, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) {
            res.destroy(new Error(`the answer is larger than ${maxBody} bytes`));
            return;
          }
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
          resolvePromise(
            new Response(nullBody ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: out,
            }),
          );
        });
      });
      req.on('error', (e) => {
        const retry =
          !fresh &&
          staleConnection(req, e) &&
          (IDEMPOTENT.has(init.method) || (idempotentPosts && init.method === 'POST'));
        if (retry)
          guardedRequest(
            policy,
            agents,
            maxBody,
            idempotentPosts,
          )(url, init, true).then(resolvePromise, reject);
        else reject(e);
      });
      req.end(init.body);
    });
}

const shared = new Map<string, typeof fetch>();

/**
 * A fetch bound to a policy. Equal policies share one (and its connection pool): a pooled socket
 * was checked by the same rules. A policy with its own resolver gets a fresh one.
 */
export function outboundFetch(
  policy: OutboundPolicy,
  options: OutboundFetchOptions = {},
): typeof fetch {
  const key = `${policyKey(policy)}|${options.maxBodyBytes ?? ''}|${options.maxRedirects ?? ''}|${options.idempotent === true}`;
  const cached = policy.resolve === undefined ? shared.get(key) : undefined;
  if (cached !== undefined) return cached;
  const made = createOutboundFetch(policy, options);
  if (policy.resolve === undefined) shared.set(key, made);
  return made;
}

export function createOutboundFetch(
  policy: OutboundPolicy,
  options: OutboundFetchOptions = {},
): typeof fetch {
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  };
  const once = guardedRequest(
    policy,
    agents,
    options.maxBodyBytes ?? 5 * 1024 * 1024,
    options.idempotent === true,
  );
  const maxRedirects = options.maxRedirects ?? 5;
  const guarded = async (
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> => {
    let url = new URL(input instanceof Request ? input.url : input.toString());
    if (
      init.body !== undefined &&
      init.body !== null &&
      typeof init.body !== 'string' &&
      !(init.body instanceof Uint8Array)
    )
      throw new TypeError('the outbound fetch sends string and byte bodies only');
    let body =
      typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : undefined;
    let method = (init.method ?? 'GET').toUpperCase();
    let headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    for (let hop = 0; ; hop++) {
      const res = await once(url, {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : body,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      const location = res.headers.get('location');
      if (init.redirect === 'manual' || !REDIRECTS.has(res.status) || location === null) return res;
      if (init.redirect === 'error' || hop >= maxRedirects)
        throw new TypeError(
          `too many redirects, or redirects refused (${res.status} to ${location})`,
        );
      const next = new URL(location, url);
      if (next.origin !== url.origin)
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIALS.has(k)));
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(
          Object.entries(headers).filter(([k]) => k !== 'content-type' && k !== 'content-length'),
        );
      }
      url = next;
    }
  };
  return guarded as typeof fetch;
}
