// What a route adds to the audit entry the server writes for every change it answers with success
// (the audit hook: src/api/audit-hook.ts). Routes that know better than the defaults (the object,
// the action's name, a diff, details) say so here; secrets never go in.
import type { FastifyRequest } from 'fastify';
import type { AuditChange, AuditEntry } from '../access/api-types.ts';

export interface AuditNote {
  /** `<area>.<verb>`, e.g. 'key.create'; by default from the route's permission and method. */
  readonly action?: string;
  readonly object?: AuditEntry['object'];
  readonly changes?: readonly AuditChange[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** null: a change outside any sandbox (users, roles, keys). By default the request's sandbox. */
  readonly sandbox?: string | null;
  /** Nothing changed after all (a dry run, a plan): no entry. */
  readonly skip?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auditNote: AuditNote | null;
  }
}

export function noteAudit(req: FastifyRequest, note: AuditNote): void {
  req.auditNote = { ...(req.auditNote ?? {}), ...note };
}
