// The audit log: who changed what, when, in which sandbox. Entries are appended to the store's
// audit table with time-ordered ids (id order is time order, so pages go by id), read newest
// first, and purged after the retention period (WAYMARK_AUDIT_RETENTION_DAYS, 365 by default):
// once at start, then daily.
import { randomBytes } from 'node:crypto';
import type { AuditChange, AuditEntry } from '../../access/api-types.ts';
import type { AuditFilter, AuditRow, Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import { objectKinds } from '../object-kinds.ts';
import type { AuditLog, AuditQuery } from './contracts.ts';

const DAY_MS = 86_400_000;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** Kinds an `object` filter may name as `kind:key`; anything else is a key (a key may hold a colon). */
const AUDITED_KINDS = new Set([
  ...objectKinds.map((k) => k.kind),
  'journey',
  'campaign',
  'profile',
  'package',
  'user',
  'role',
  'apiKey',
  'sandbox',
  'approval',
  'settings',
  'translationProject',
  'deadLetter',
  'session',
  'invitation',
]);

export function parseObjectFilter(object: string): Pick<AuditFilter, 'objectKind' | 'objectKey'> {
  const colon = object.indexOf(':');
  if (colon > 0 && AUDITED_KINDS.has(object.slice(0, colon)))
    return { objectKind: object.slice(0, colon), objectKey: object.slice(colon + 1) };
  return { objectKey: object };
}

/** The retention period from the environment: a whole number of days (0 or less: keep everything). */
export function retentionDaysFrom(env: string | undefined): number {
  if (env === undefined || env.trim() === '') return DEFAULT_AUDIT_RETENTION_DAYS;
  const n = Number(env);
  if (!Number.isInteger(n))
    throw new Error(`WAYMARK_AUDIT_RETENTION_DAYS must be a whole number of days, not "${env}"`);
  return n;
}

/**
 * Ids that sort as they were made: the time (ms, 12 hex digits), a sequence within the same
 * millisecond, and randomness so that two servers on one database do not collide.
 */
function idMaker(): (at: number) => string {
  let lastMs = 0;
  let seq = 0;
  return (at) => {
    let ms = at;
    if (ms <= lastMs) {
      ms = lastMs;
      seq++;
    } else {
      lastMs = ms;
      seq = 0;
    }
    return `${ms.toString(16).padStart(12, '0')}-${seq.toString(16).padStart(6, '0')}-${randomBytes(5).toString('hex')}`;
  };
}

function toEntry(r: AuditRow): AuditEntry {
  const body = (r.body ?? {}) as {
    changes?: readonly AuditChange[];
    details?: Record<string, unknown>;
  };
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    sandbox: r.sandbox,
    actor: { kind: r.actorKind as AuditEntry['actor']['kind'], id: r.actorId, name: r.actorName },
    action: r.action,
    object:
      r.objectKind === null || r.objectKey === null
        ? null
        : {
            kind: r.objectKind,
            key: r.objectKey,
            ...(r.objectName !== null ? { name: r.objectName } : {}),
          },
    changes: body.changes ?? [],
    ...(body.details !== undefined ? { details: body.details } : {}),
  };
}

/**
 * A query as the route makes it: with `withGlobal`, a sandbox's entries and those outside any
 * sandbox (users, roles, keys) together, for callers who may read both.
 */
export interface AuditQueryScope extends AuditQuery {
  readonly withGlobal?: boolean;
}

/** The audit log with its retention running; `stop` ends the daily purge (app.close). */
export interface RunningAuditLog extends AuditLog {
  /** Ends the daily purge and waits for one under way. */
  stop(): Promise<void>;
}

export function createAuditLog(deps: {
  store: Store;
  clock: Clock;
  retentionDays?: number;
  warn?: (message: string) => void;
}): RunningAuditLog {
  const { store, clock } = deps;
  const nextId = idMaker();
  const warn =
    deps.warn ?? ((message: string) => process.emitWarning(message, 'WaymarkAuditWarning'));

  const log: AuditLog = {
    async record(e) {
      const at = clock.now();
      const body: Record<string, unknown> = { changes: e.changes ?? [] };
      if (e.details !== undefined) body['details'] = e.details;
      await store.appendAudit({
        id: nextId(at),
        at,
        sandbox: e.sandbox,
        actorKind: e.actor.kind,
        actorId: e.actor.id,
        actorName: e.actor.name,
        action: e.action,
        objectKind: e.object?.kind ?? null,
        objectKey: e.object?.key ?? null,
        objectName: e.object?.name ?? null,
        body,
      });
    },
    async query(q: AuditQueryScope) {
      const limit = Math.max(1, Math.min(q.limit, 1000));
      const filter: AuditFilter = {
        ...(q.sandbox !== undefined ? { sandbox: q.sandbox } : {}),
        ...(q.withGlobal ? { withGlobal: true } : {}),
        ...(q.object !== undefined ? parseObjectFilter(q.object) : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
        // One more than asked: whether there is a next page, without a count.
        limit: limit + 1,
      };
      const rows = await store.queryAudit(filter);
      const items = rows.slice(0, limit).map(toEntry);
      return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
    },
    purge: (before) => store.purgeAudit(before),
  };

  const days = deps.retentionDays ?? retentionDaysFrom(process.env['WAYMARK_AUDIT_RETENTION_DAYS']);
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  // In batches with a yield between them (the store's purgeBatch), never one long DELETE.
  const purgeInBatches = async (before: number): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await store.purgeBatch('audit', null, before, 500);
      total += n;
      if (n < 500) return total;
      await new Promise((r) => setImmediate(r));
    }
  };
  const purgeOld = (): void => {
    running = purgeInBatches(clock.now() - days * DAY_MS).catch((error: unknown) =>
      warn(
        `the audit log's retention purge failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  };
  if (days > 0) {
    purgeOld();
    timer = setInterval(purgeOld, DAY_MS);
    timer.unref();
  }
  return {
    ...log,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

/** Stops the retention of an audit log made by createAuditLog (any other AuditLog: nothing to stop). */
export async function stopAuditLog(log: AuditLog): Promise<void> {
  if ('stop' in log && typeof (log as RunningAuditLog).stop === 'function')
    await (log as RunningAuditLog).stop();
}
