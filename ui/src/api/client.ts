// The one place that talks HTTP: API key, sandbox, and errors turned into readable messages.
export interface ApiIssue {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
  readonly node?: string;
  readonly code?: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: readonly ApiIssue[] = []) {
    super(message);
  }
  /** The message and each issue on its own line, for people. */
  describe(): string {
    return [this.message, ...this.issues.map((i) => `${i.path}: ${issueText(i)}`)].join('\n');
  }
}

/** An issue's message, with what was expected when the message does not already say it. */
export function issueText(i: ApiIssue): string {
  return i.expected && !/expected/i.test(i.message) ? `${i.message} (expected ${i.expected}${i.received ? `, got ${i.received}` : ''})` : i.message;
}

export interface Credentials {
  readonly key: string;
  readonly sandbox: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toError(status: number, body: unknown): ApiError {
  const e = isRecord(body) && isRecord(body['error']) ? body['error'] : null;
  if (!e) return new ApiError(status, 'http_error', `the server answered ${status}`);
  const issues = Array.isArray(e['issues']) ? (e['issues'] as ApiIssue[]) : [];
  return new ApiError(status, String(e['code'] ?? 'error'), String(e['message'] ?? `the server answered ${status}`), issues);
}

export class Api {
  constructor(readonly creds: Credentials) {}

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${this.creds.key}`,
        'x-sandbox-name': this.creds.sandbox,
        ...(body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'text/yaml' : 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    };
    let res: Response;
    try {
      res = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, 'network', `the server cannot be reached (${err instanceof Error ? err.message : String(err)})`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    if (!res.ok) throw toError(res.status, parsed);
    return parsed as T;
  }

  /** Sends a file as the raw body (asset uploads). */
  async upload<T>(path: string, file: Blob): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, { method: 'PUT', headers: { authorization: `Bearer ${this.creds.key}`, 'x-sandbox-name': this.creds.sandbox, 'content-type': file.type || 'application/octet-stream' }, body: file });
    } catch (err) {
      throw new ApiError(0, 'network', `the server cannot be reached (${err instanceof Error ? err.message : String(err)})`);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* text */ }
    if (!res.ok) throw toError(res.status, parsed);
    return parsed as T;
  }

  get<T>(path: string): Promise<T> { return this.request<T>('GET', path); }
  post<T>(path: string, body: unknown = {}): Promise<T> { return this.request<T>('POST', path, body); }
  put<T>(path: string, body: unknown): Promise<T> { return this.request<T>('PUT', path, body); }
  del(path: string): Promise<unknown> { return this.request('DELETE', path); }
}

export const errorText = (err: unknown): string => (err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err));
