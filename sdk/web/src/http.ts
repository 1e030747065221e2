// Requests to Waymark's client routes, built as plain data (tested without a browser) and sent
// with the page's fetch. Authenticated with the site's write key (an API key holding only
// events.ingest), in the key's sandbox unless `sandbox` names another.
import { apiErrorOf, WaymarkNetworkError } from './errors.ts';

export interface Connection {
  /** Where Waymark is: '' (the default) for the page's own origin. */
  readonly baseUrl: string;
  readonly writeKey: string;
  /** The sandbox (x-sandbox-name); absent: prod. */
  readonly sandbox?: string;
}

export interface BuiltRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** The request for `method path` with a JSON `body`. */
export function buildRequest(
  c: Connection,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): BuiltRequest {
  const headers: Record<string, string> = {
    authorization: `Bearer ${c.writeKey}`,
    accept: 'application/json',
  };
  if (c.sandbox !== undefined) headers['x-sandbox-name'] = c.sandbox;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return {
    url: `${c.baseUrl.replace(/\/+$/, '')}${path}`,
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** The event POST /v1/events takes: `{ id, type, payload, timestamp }`. */
export interface EventBody {
  readonly id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly timestamp: string;
}

export function eventBody(
  type: string,
  payload: Record<string, unknown>,
  id: string,
  now: Date,
): EventBody {
  return { id, type, payload, timestamp: now.toISOString() };
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; keepalive?: boolean },
) => Promise<{ status: number; ok: boolean; text(): Promise<string> }>;

/** Sends `r`; answers the parsed JSON body, or throws WaymarkApiError / WaymarkNetworkError. */
export async function send<T>(
  fetchImpl: FetchLike,
  r: BuiltRequest,
  opts: { keepalive?: boolean } = {},
): Promise<T> {
  let res: Awaited<ReturnType<FetchLike>>;
  let text: string;
  try {
    res = await fetchImpl(r.url, {
      method: r.method,
      headers: r.headers,
      ...(r.body === undefined ? {} : { body: r.body }),
      ...(opts.keepalive ? { keepalive: true } : {}),
    });
    text = await res.text();
  } catch (e) {
    throw new WaymarkNetworkError(
      `Waymark could not be reached (${r.method} ${r.url}): ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  }
  if (!res.ok) throw apiErrorOf(res.status, text);
  if (text === '') return null as T;
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new WaymarkNetworkError(`Waymark's answer to ${r.method} ${r.url} is not JSON`, e);
  }
}
