import type { ActionRequest, CustomAction } from '../../model/custom-action.ts';
import { SlidingWindowCapper } from './capper.ts';
import { isIP } from 'node:net';
import { checkHost, systemLookup } from './host-guard.ts';
import {
  createOutboundFetch,
  isOutboundRefusal,
  outboundFetch,
  publicReason,
} from '../outbound/index.ts';
import type { Lookup } from './host-guard.ts';
import { TokenCache } from './token-cache.ts';
import type { ActionCapper, ActionThrottler } from './throttle.ts';
import { stallTolerantTimeout } from './stall-tolerant-timeout.ts';

// The custom action client (reference §4): one overall timeout (the action's timeoutMs); after a
// failed first call up to 3 retries inside it, with a fixed backoff; no retry for 401/403/404; a
// call cut by the timeout ends everything (`timedout`); redirects followed (allowed hosts only);
// each attempt takes a capping slot (`capped` when the host's window is full). Every hop, the
// token endpoint's included, goes through the sandbox's outbound policy (../outbound).

export type ActionStatusCode =
  `http_${number}` | 'timedout' | 'capped' | 'internalError' | 'host_not_allowed';

export type ActionCallResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: unknown;
      readonly elapsedMs: number;
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      /** `jo_status_code`. */
      readonly code: ActionStatusCode;
      readonly status?: number;
      /** The parsed body of a non-2xx answer (`@action{X.errorResponse...}`). */
      readonly errorResponse?: unknown;
      /** Human-readable cause, without secrets. */
      readonly message?: string;
      readonly elapsedMs: number;
      readonly attempts: number;
    };

export interface ActionLogEntry {
  readonly action: string;
  readonly attempt: number;
  readonly method: string;
  /** Query values of secret-looking names replaced. */
  readonly url: string;
  /** Secret headers replaced by `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly status?: number;
  readonly error?: string;
}

export interface CallActionOptions {
  /** The sandbox's allowed hosts (see host-guard.ts for the entry forms). */
  readonly allowHosts: readonly string[];
  readonly signal?: AbortSignal;
  /** Default: a fetch that re-checks the address at connect time (see guarded-fetch.ts). */
  readonly fetchImpl?: typeof fetch;
  /** Shared per sandbox (in this process, or the fleet's); a fresh one (default limits) when absent. */
  readonly capper?: ActionCapper;
  /** Throttling for this endpoint: the call waits its turn (before its timeout starts) or is refused as `capped`. */
  readonly throttle?: ActionThrottler;
  /** Shared cache of custom-auth tokens. */
  readonly tokens?: TokenCache;
  readonly lookup?: Lookup;
  readonly log?: (entry: ActionLogEntry) => void;
  /** Waits before retries 1, 2 and 3 (default 200, 400, 800 ms). */
  readonly retryDelaysMs?: readonly number[];
  /** Monotonic milliseconds, for elapsedMs. */
  readonly clock?: () => number;
}

const NO_RETRY = new Set([401, 403, 404]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
const SECRET_NAME = /auth|token|key|secret|password|signature|sig$/i;
const defaultTokens = new TokenCache();

class HostRefused extends Error {}

const hasCode = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string';

function redactUrl(url: string): string {
  const u = new URL(url);
  for (const name of [...u.searchParams.keys()])
    if (SECRET_NAME.test(name)) u.searchParams.set(name, '[redacted]');
  return u.href;
}

function redactHeaders(
  headers: Readonly<Record<string, string>>,
  secret: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    out[k] = secret.includes(k.toLowerCase()) || SECRET_NAME.test(k) ? '[redacted]' : v;
  return out;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

interface Hop {
  readonly res: Response;
  readonly url: string;
}

/** One request, following redirects; each hop's host is checked. */
async function send(
  request: { method: string; url: string; headers: Record<string, string>; body?: string },
  opts: CallActionOptions,
  signal: AbortSignal,
  fetchImpl: typeof fetch,
  lookup: Lookup,
): Promise<Hop> {
  let { method, url, body } = request;
  let headers = { ...request.headers };
  for (let hop = 0; ; hop++) {
    const check = await checkHost(new URL(url), opts.allowHosts, lookup);
    if (!check.ok) throw new HostRefused(check.reason);
    const res = await fetchImpl(url, {
      method,
      headers,
      body: method === 'GET' ? undefined : body,
      redirect: 'manual',
      signal,
    });
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || location === null || hop >= MAX_REDIRECTS)
      return { res, url };
    await res.body?.cancel();
    const next = new URL(location, url);
    if (next.origin !== new URL(url).origin) {
      // never carry credentials to another origin
      headers = Object.fromEntries(
        Object.entries(headers).filter(
          ([k]) => k.toLowerCase() !== 'authorization' && k.toLowerCase() !== 'cookie',
        ),
      );
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(
        Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'),
      );
    }
    url = next.href;
  }
}

type CustomTokenAuth = Extract<CustomAction['auth'], { kind: 'customToken' }>;

/** The outbound fetch for the sandbox's allowed hosts (one pool per policy); a custom lookup gets its own. */
function defaultFetch(allowHosts: readonly string[], lookup: Lookup | undefined): typeof fetch {
  if (lookup === undefined) return outboundFetch({ allowHosts });
  return createOutboundFetch({
    allowHosts,
    resolve: async (host: string) =>
      (await lookup(host)).map((address) => ({ address, family: isIP(address) })),
  });
}

async function fetchToken(
  auth: CustomTokenAuth,
  tokens: TokenCache,
  opts: CallActionOptions,
  signal: AbortSignal,
  fetchImpl: typeof fetch,
  lookup: Lookup,
): Promise<string> {
  const cached = tokens.get(auth);
  if (cached !== undefined) return cached;
  const headers: Record<string, string> = { accept: 'application/json', ...auth.headers };
  if (auth.body !== undefined) headers['content-type'] = 'application/json';
  const { res } = await send(
    {
      method: auth.method,
      url: auth.endpoint,
      headers,
      ...(auth.body === undefined ? {} : { body: JSON.stringify(auth.body) }),
    },
    opts,
    signal,
    fetchImpl,
    lookup,
  );
  const answer = await readBody(res);
  if (!res.ok) throw new Error(`the token endpoint answered ${res.status}`);
  return tokens.store(auth, answer);
}

/**
 * Calls a custom action. Never throws: every outcome is a result with its `jo_status_code`.
 *
 * @example
 * const r = await callAction(def, buildActionRequest(def, values), { allowHosts: ['api.example.com'] });
 * if (!r.ok && r.code === 'capped') ...
 */
export async function callAction(
  def: CustomAction,
  request: ActionRequest,
  opts: CallActionOptions,
): Promise<ActionCallResult> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const elapsed = (): number => Math.round(clock() - started);
  const lookup = opts.lookup ?? systemLookup;
  const fetchImpl = opts.fetchImpl ?? defaultFetch(opts.allowHosts, opts.lookup);
  const capper: ActionCapper = opts.capper ?? new SlidingWindowCapper();
  const tokens = opts.tokens ?? defaultTokens;
  const delays = opts.retryDelaysMs ?? [200, 400, 800];

  if (opts.throttle !== undefined && !(await opts.throttle.acquire(opts.signal))) {
    return {
      ok: false,
      code: 'capped',
      message: 'throttled: the queue is longer than its maximum age',
      elapsedMs: elapsed(),
      attempts: 0,
    };
  }
  const callStarted = clock(); // the timeout window starts after any throttling wait
  const deadline = new AbortController();
  // Counts the call's time, not the loop's stalls (an answer that came in time is not timed out).
  const timer = stallTolerantTimeout(def.timeoutMs, () => deadline.abort(new Error('timedout')));
  const signal =
    opts.signal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, opts.signal]);
  const capKey = new URL(request.url).host;
  const capOverride =
    def.capping === undefined
      ? undefined
      : { limit: def.capping.maxCalls, windowMs: def.capping.periodMs };

  let attempts = 0;
  let last: ActionCallResult | undefined;
  try {
    for (;;) {
      if (!(await capper.tryTake(capKey, capOverride)))
        return {
          ok: false,
          code: 'capped',
          message: `${capKey} is over its cap`,
          elapsedMs: elapsed(),
          attempts,
        };
      attempts++;
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      const secret = [...request.secretHeaders];
      try {
        if (def.auth.kind === 'customToken') {
          headers[def.auth.header.toLowerCase()] =
            `${def.auth.prefix}${await fetchToken(def.auth, tokens, opts, signal, fetchImpl, lookup)}`;
          secret.push(def.auth.header.toLowerCase());
        }
        const { res } = await send(
          {
            method: request.method,
            url: request.url,
            headers,
            ...(request.body === undefined ? {} : { body: request.body }),
          },
          opts,
          signal,
          fetchImpl,
          lookup,
        );
        const body = await readBody(res);
        opts.log?.({
          action: def.name,
          attempt: attempts,
          method: request.method,
          url: redactUrl(request.url),
          headers: redactHeaders(headers, secret),
          status: res.status,
        });
        if (res.status >= 200 && res.status < 300)
          return { ok: true, status: res.status, body, elapsedMs: elapsed(), attempts };
        if (res.status === 401 && def.auth.kind === 'customToken') tokens.invalidate(def.auth);
        last = {
          ok: false,
          code: `http_${res.status}`,
          status: res.status,
          errorResponse: body,
          elapsedMs: elapsed(),
          attempts,
        };
        if (NO_RETRY.has(res.status)) return last;
      } catch (e) {
        // Network errors are told without their detail (addresses, ports): test calls answer it to the console.
        const message =
          e instanceof HostRefused || isOutboundRefusal(e) || !hasCode(e)
            ? e instanceof Error
              ? e.message
              : String(e)
            : publicReason(e, "the action's host");
        opts.log?.({
          action: def.name,
          attempt: attempts,
          method: request.method,
          url: redactUrl(request.url),
          headers: redactHeaders(headers, secret),
          error: message,
        });
        if (e instanceof HostRefused || isOutboundRefusal(e))
          return { ok: false, code: 'host_not_allowed', message, elapsedMs: elapsed(), attempts };
        if (deadline.signal.aborted)
          return {
            ok: false,
            code: 'timedout',
            message: `no answer within ${def.timeoutMs} ms`,
            elapsedMs: elapsed(),
            attempts,
          };
        if (opts.signal?.aborted === true)
          return {
            ok: false,
            code: 'internalError',
            message: 'cancelled',
            elapsedMs: elapsed(),
            attempts,
          };
        last = { ok: false, code: 'internalError', message, elapsedMs: elapsed(), attempts };
      }
      const wait = delays[attempts - 1];
      if (wait === undefined || attempts > 3) return last;
      // A retry must fit in what is left of the timeout window.
      if (def.timeoutMs - (clock() - callStarted) <= wait) return last;
      await sleep(wait, signal);
      if (signal.aborted)
        return opts.signal?.aborted === true
          ? { ...last, elapsedMs: elapsed() }
          : { ok: false, code: 'timedout', elapsedMs: elapsed(), attempts };
    }
  } finally {
    timer.cancel();
  }
}
