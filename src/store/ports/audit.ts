// The audit log.

/** One audit entry as stored (src/runtime/access/audit-log.ts maps it to the API's AuditEntry). */
export interface AuditRow {
  /** Time-ordered: newest first is id order, and pages follow it. */
  readonly id: string;
  /** Epoch milliseconds. */
  readonly at: number;
  /** null for changes outside any sandbox (users, roles, keys). */
  readonly sandbox: string | null;
  readonly actorKind: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly action: string;
  readonly objectKind: string | null;
  readonly objectKey: string | null;
  readonly objectName: string | null;
  /** What changed and details: `{ changes, details }`, secrets already redacted. */
  readonly body: unknown;
}

export interface AuditFilter {
  /** A sandbox's entries; null: only those outside any sandbox; absent: every sandbox. */
  readonly sandbox?: string | null;
  /** With `sandbox` a name: also the entries outside any sandbox. */
  readonly withGlobal?: boolean;
  readonly objectKind?: string;
  readonly objectKey?: string;
  /** An actor's id or name. */
  readonly actor?: string;
  /** An action, or every action of an area with `area.*`. */
  readonly action?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, exclusive. */
  readonly until?: number;
  /** Only entries with a smaller id (the last id of the previous page). */
  readonly before?: string;
  readonly limit: number;
}

/** The audit log's table: appended to, read newest first, purged by age; erasing a sandbox keeps it. */
export interface AuditRepository {
  appendAudit(row: AuditRow): Promise<void>;
  /** Newest first (id order), at most `limit`. */
  queryAudit(filter: AuditFilter): Promise<AuditRow[]>;
  /** Deletes entries older than `before` (epoch ms); returns how many. */
  purgeAudit(before: number): Promise<number>;
}
