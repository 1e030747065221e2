// One rooted error hierarchy. Every failure that crosses a boundary is a WaymarkError with a stable
// `code`, whether retrying can help, and structured `details` (where, what was expected, what came).

export const ErrorCode = {
  BadRequest: 'bad_request',
  ValidationFailed: 'validation_failed',
  NotFound: 'not_found',
  Conflict: 'conflict',
  /** A save over a version someone else saved meanwhile (If-Match or `revision` no longer current): `details.current` holds the stored one. */
  VersionConflict: 'version_conflict',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  ExpressionError: 'expression_error',
  TemplateError: 'template_error',
  ProviderError: 'provider_error',
  /** A stored secret cannot be kept or used: send it again (a changed destination, or a key no longer in the ring). */
  SecretRequired: 'secret_required',
  /** The object is used by journeys or other objects (the users in `details.usedBy`): archive it instead. */
  InUse: 'in_use',
  /** Publishing needs an approval in this sandbox (request one: POST /v1/journeys/{id}/approval-requests). */
  ApprovalRequired: 'approval_required',
  /** The draft awaits an approval: it cannot change until the request is decided or cancelled. */
  InReview: 'in_review',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorIssue {
  /** Where: a JSON path, a node id, or "line:column". */
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

export interface WaymarkErrorOptions {
  readonly retryable?: boolean;
  readonly issues?: readonly ErrorIssue[];
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class WaymarkError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly issues: readonly ErrorIssue[];
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: WaymarkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WaymarkError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues.length > 0 ? { issues: this.issues } : {}),
      ...(Object.keys(this.details).length > 0 ? { details: this.details } : {}),
    };
  }
}

export const notFound = (what: string, key: string): WaymarkError =>
  new WaymarkError(ErrorCode.NotFound, `${what} "${key}" does not exist`, {
    details: { what, key },
  });

/** A save based on revision `expected` while `current` is stored (optimistic concurrency). */
export const versionConflict = (
  what: string,
  key: string,
  expected: number,
  current: number | null,
  extra: Readonly<Record<string, unknown>> = {},
): WaymarkError =>
  new WaymarkError(
    ErrorCode.VersionConflict,
    current === null
      ? `${what} "${key}" no longer exists (the save was based on revision ${expected})`
      : `${what} "${key}" was changed by someone else: revision ${current} is stored, the save was based on revision ${expected}; reload it, or save again without If-Match to overwrite`,
    { details: { what, key, expected, current, ...extra } },
  );

export const validationFailed = (message: string, issues: readonly ErrorIssue[]): WaymarkError =>
  new WaymarkError(ErrorCode.ValidationFailed, message, { issues });

/** Normalizes anything thrown into a WaymarkError, at every boundary. */
export function toWaymarkError(thrown: unknown): WaymarkError {
  if (thrown instanceof WaymarkError) return thrown;
  if (thrown instanceof Error)
    return new WaymarkError(ErrorCode.Internal, thrown.message, { cause: thrown });
  return new WaymarkError(ErrorCode.Internal, String(thrown));
}
