// The audit log's query, as SQL both stores share: the filters of AuditFilter as one WHERE clause,
// newest first by id (ids are time-ordered), keyset pages by id. `p` makes a placeholder ('?' or '$n').
import type { AuditFilter, AuditRow } from './ports.ts';

export const AUDIT_COLUMNS =
  'id, at, sandbox, actor_kind, actor_id, actor_name, action, object_kind, object_key, object_name, body';

export interface AuditDbRow<J> {
  id: string;
  at: number;
  sandbox: string | null;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  action: string;
  object_kind: string | null;
  object_key: string | null;
  object_name: string | null;
  body: J;
}

export const toAuditRow = <J>(r: AuditDbRow<J>, json: (j: J) => unknown): AuditRow => ({
  id: r.id,
  at: Number(r.at),
  sandbox: r.sandbox,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  objectKind: r.object_kind,
  objectKey: r.object_key,
  objectName: r.object_name,
  body: json(r.body),
});

/** The values of a row in AUDIT_COLUMNS order. */
export const auditValues = (r: AuditRow): unknown[] => [
  r.id,
  r.at,
  r.sandbox,
  r.actorKind,
  r.actorId,
  r.actorName,
  r.action,
  r.objectKind,
  r.objectKey,
  r.objectName,
  JSON.stringify(r.body ?? {}),
];

/** `area.*`: every action of the area; LIKE's own wildcards in the prefix are taken literally. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function auditQuerySql(f: AuditFilter, p: (value: unknown) => string): string {
  const where: string[] = [];
  if (f.sandbox === null) where.push('sandbox IS NULL');
  else if (f.sandbox !== undefined)
    where.push(
      f.withGlobal ? `(sandbox = ${p(f.sandbox)} OR sandbox IS NULL)` : `sandbox = ${p(f.sandbox)}`,
    );
  if (f.objectKind !== undefined) where.push(`object_kind = ${p(f.objectKind)}`);
  if (f.objectKey !== undefined) where.push(`object_key = ${p(f.objectKey)}`);
  if (f.actor !== undefined) where.push(`(actor_id = ${p(f.actor)} OR actor_name = ${p(f.actor)})`);
  if (f.action !== undefined) {
    where.push(
      f.action.endsWith('.*')
        ? `action LIKE ${p(likePrefix(f.action.slice(0, -1)))} ESCAPE '\\'`
        : `action = ${p(f.action)}`,
    );
  }
  if (f.since !== undefined) where.push(`at >= ${p(f.since)}`);
  if (f.until !== undefined) where.push(`at < ${p(f.until)}`);
  if (f.before !== undefined) where.push(`id < ${p(f.before)}`);
  return `SELECT ${AUDIT_COLUMNS} FROM audit_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${p(f.limit)}`;
}

/**
 * Every table that holds rows of a sandbox (a `sandbox` column), which erasing a sandbox empties; the
 * audit log is not one of them (its entries outlive what they describe). A test holds this list to
 * the schema, so that a table added later cannot be forgotten.
 */
export const SANDBOX_TABLES = [
  'objects',
  'journeys',
  'profiles',
  'identities',
  'events',
  'dead_letters',
  'instances',
  'timers',
  'outbox',
  'counters',
  'messages',
  'memberships',
  'audience_jobs',
  'sandbox_settings',
  'test_trace',
  'translation_projects',
  'assistant_conversations',
  'assistant_feedback',
  'offer_counters',
  'offer_propositions',
  'landing_page_counters',
  'suppressions',
  'webhook_deliveries',
  'in_app_inbox',
  'short_links',
] as const;

/** Tables read to find the sandboxes that hold anything: those whose indexes lead with `sandbox` (timers and outbox follow their instances). */
export const SANDBOX_INDEXED_TABLES = SANDBOX_TABLES.filter(
  (t) => t !== 'timers' && t !== 'outbox',
);

/** The reserved sandbox of people, roles and keys: never a sandbox with data. */
export const ACCESS_SANDBOX = '_access';

/**
 * The distinct sandboxes of a table by a loose index scan (each next sandbox is one index seek), so
 * that a table of millions of events costs a few reads per sandbox, not a scan.
 */
export const distinctSandboxesSql = (table: string): string => `WITH RECURSIVE s(x) AS (
  SELECT MIN(sandbox) FROM ${table}
  UNION ALL SELECT (SELECT MIN(sandbox) FROM ${table} WHERE sandbox > s.x) FROM s WHERE s.x IS NOT NULL
) SELECT x AS sandbox FROM s WHERE x IS NOT NULL`;
