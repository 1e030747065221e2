// The one place that talks HTTP: the console's session (an HttpOnly cookie the browser sends by
// itself, and its CSRF token, held in memory only, on every request that changes something), the
// sandbox, and errors turned into readable messages. The console never sends an API key.
import type { Answer } from '@waymark/shared/api/answer.ts';
import type { sessionInfoSchema } from '@waymark/shared/api/session.ts';

export interface ApiIssue {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
  readonly node?: string;
  readonly code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
  }
  /** The message and each issue on its own line, for people. */
  describe(): string {
    return [this.message, ...this.issues.map((i) => `${i.path}: ${issueText(i)}`)].join('\n');
  }
}

/** An issue's message, with what was expected when the message does not already say it. */
export function issueText(i: ApiIssue): string {
  return i.expected && !/expected/i.test(i.message)
    ? `${i.message} (expected ${i.expected}${i.received ? `, got ${i.received}` : ''})`
    : i.message;
}

/** What sign-in and `GET /v1/session` answer: who signed in, how, and the session's CSRF token. */
export type SessionInfo = Answer<typeof sessionInfoSchema>;

/** The name to show for a session's owner. */
export const sessionName = (s: SessionInfo): string => s.actor.name || s.name || 'Signed in';

/** How one signs in: a person's email and password, or an API key. */
export type Credentials =
  { readonly email: string; readonly password: string } | { readonly key: string };

export interface Connection {
  readonly sandbox: string;
  /** The session's CSRF token: sent as x-csrf-token on every request but GET and HEAD. */
  readonly csrfToken: string;
  /** Called when the server answers 401: the session has ended (expired, idle, or the server restarted). */
  readonly onSessionEnded?: () => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function toError(status: number, body: unknown): ApiError {
  const e = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
  if (!e) return new ApiError(status, 'http_error', `the server answered ${status}`);
  const issues = Array.isArray(e['issues']) ? (e['issues'] as ApiIssue[]) : [];
  return new ApiError(
    status,
    String(e['code'] ?? 'error'),
    String(e['message'] ?? `the server answered ${status}`),
    issues,
  );
}

/** One HTTP exchange; the body parsed as JSON when it says it is JSON (or, `anyJson`, whenever it parses). */
async function send(
  path: string,
  init: RequestInit,
  anyJson = false,
): Promise<{ status: number; ok: boolean; body: unknown; etag: string | null }> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError(
      0,
      'network',
      `the server cannot be reached (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const text = await res.text();
  let body: unknown = text;
  if (text && (anyJson || (res.headers.get('content-type') ?? '').includes('json'))) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, ok: res.ok, body, etag: res.headers.get('etag') };
}

/** Signs in: a password or a key is exchanged for a session cookie and never kept. */
export async function openSession(credentials: Credentials): Promise<SessionInfo> {
  const r = await send('/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (!r.ok) throw toError(r.status, r.body);
  return r.body as SessionInfo;
}

/** A request to a public route (no session): password reset, invitations. */
export async function publicPost<T>(path: string, body: unknown): Promise<T> {
  const r = await send(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw toError(r.status, r.body);
  return r.body as T;
}

/** "Forgot password?": the server always answers the same, whether the account exists or not. */
export const requestPasswordReset = (email: string): Promise<unknown> =>
  publicPost('/v1/password-reset', { email });
export const completePasswordReset = (token: string, password: string): Promise<unknown> =>
  publicPost('/v1/password-reset/complete', { token, password });
export const acceptInvitation = (token: string, password: string): Promise<unknown> =>
  publicPost('/v1/invitations/accept', { token, password });

/** The session the browser's cookie holds (after a reload), or null when there is none or it has ended. */
export async function currentSession(sandbox: string): Promise<SessionInfo | null> {
  const r = await send('/v1/session', { method: 'GET', headers: { 'x-sandbox-name': sandbox } });
  // The sandbox last used may be gone, or closed to this person now: ask again in production.
  if (
    (r.status === 403 || r.status === 404) &&
    sandbox !== 'prod' &&
    isRecord(r.body) &&
    isRecord(r.body['error']) &&
    r.body['error']['code'] !== 'not_found'
  )
    return currentSession('prod');
  if (r.status === 401 || r.status === 403 || r.status === 404) return null;
  if (!r.ok) throw toError(r.status, r.body);
  return r.body as SessionInfo;
}

export class Api {
  constructor(readonly conn: Connection) {}

  #headers(method: string, extra: Record<string, string>): Record<string, string> {
    return {
      'x-sandbox-name': this.conn.sandbox,
      ...(SAFE_METHODS.has(method) ? {} : { 'x-csrf-token': this.conn.csrfToken }),
      ...extra,
    };
  }

  async #call<T>(
    path: string,
    init: RequestInit & { method: string },
    anyJson = false,
  ): Promise<T> {
    const r = await send(path, init, anyJson);
    if (!r.ok) {
      if (r.status === 401) this.conn.onSessionEnded?.();
      throw toError(r.status, r.body);
    }
    return r.body as T;
  }

  request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.exchange<T>(method, path, body, headers).then((r) => r.body);
  }

  /** A request whose answer's ETag matters (optimistic concurrency: sent back as If-Match). */
  async exchange<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ body: T; etag: string | null }> {
    const r = await send(path, {
      method,
      headers: this.#headers(method, {
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'text/yaml' : 'application/json' }),
        ...headers,
      }),
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    if (!r.ok) {
      if (r.status === 401) this.conn.onSessionEnded?.();
      throw toError(r.status, r.body);
    }
    return { body: r.body as T, etag: r.etag };
  }

  /** Sends a file as the raw body (asset uploads). */
  upload<T>(path: string, file: Blob): Promise<T> {
    return this.#call<T>(
      path,
      {
        method: 'PUT',
        headers: this.#headers('PUT', { 'content-type': file.type || 'application/octet-stream' }),
        body: file,
      },
      true,
    );
  }

  /** Signs out: the server ends the session and clears its cookie. */
  async close(): Promise<void> {
    await send('/v1/session', { method: 'DELETE', headers: this.#headers('DELETE', {}) });
  }

  /** Ends every session of the signed-in person, on every device (this one too). */
  async signOutEverywhere(): Promise<void> {
    const r = await send('/v1/session/sign-out-everywhere', {
      method: 'POST',
      headers: this.#headers('POST', {}),
    });
    if (!r.ok && r.status !== 401) throw toError(r.status, r.body);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  del(path: string): Promise<unknown> {
    return this.request('DELETE', path);
  }
}

export const errorText = (err: unknown): string =>
  err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err);
