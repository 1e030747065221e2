// Typed errors of the SDK. A request Waymark refused carries the server's own words: its status,
// error code, message and the field-level issues (`{ error: { code, message, issues } }`).

/** One field the server found wrong: where, what it expected, what it got. */
export interface WaymarkIssue {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

/** Waymark answered with an error (4xx, 5xx): `message` is the server's. */
export class WaymarkApiError extends Error {
  override readonly name = 'WaymarkApiError';
  constructor(
    message: string,
    /** The HTTP status (400, 401, 403, 404, 429, 500 …). */
    readonly status: number,
    /** The server's error code (`bad_request`, `not_found`, `event_rejected` …), or `http_<status>`. */
    readonly code: string,
    readonly issues: readonly WaymarkIssue[] = [],
  ) {
    super(message);
  }
}

/** The request did not reach Waymark (offline, DNS, CORS) or its answer was not readable. */
export class WaymarkNetworkError extends Error {
  override readonly name = 'WaymarkNetworkError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** The SDK was used in a way it cannot serve (no identity yet, no browser support, a refused permission). */
export class WaymarkUsageError extends Error {
  override readonly name = 'WaymarkUsageError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The error an answer with status `status` and body text `text` stands for. */
export function apiErrorOf(status: number, text: string): WaymarkApiError {
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  const error = isObject(body) && isObject(body['error']) ? body['error'] : null;
  const message =
    error && typeof error['message'] === 'string' && error['message'] !== ''
      ? error['message']
      : text.trim() !== '' && body === null
        ? `HTTP ${status}: ${text.trim().slice(0, 200)}`
        : `HTTP ${status}`;
  const code = error && typeof error['code'] === 'string' ? error['code'] : `http_${status}`;
  const issues = error && Array.isArray(error['issues']) ? issuesOf(error['issues']) : [];
  return new WaymarkApiError(message, status, code, issues);
}

function issuesOf(raw: unknown[]): WaymarkIssue[] {
  return raw.filter(isObject).map((i) => ({
    path: typeof i['path'] === 'string' ? i['path'] : '',
    message: typeof i['message'] === 'string' ? i['message'] : '',
    ...(typeof i['expected'] === 'string' ? { expected: i['expected'] } : {}),
    ...(typeof i['received'] === 'string' ? { received: i['received'] } : {}),
  }));
}
