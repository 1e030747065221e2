// What a route adds to the audit entry the server writes for every change it answers with success
// (the audit hook: src/api/audit-hook.ts). Routes that know better than the defaults (the object,
// the action's name, a diff, details) say so here; secrets never go in.
import type { FastifyRequest } from 'fastify';
import type { Actor, AuditChange, AuditEntry } from '../access/api-types.ts';

export interface AuditNote {
  /** `<area>.<verb>`, e.g. 'key.create'; by default from the route's permission and method. */
  readonly action?: string;
  readonly object?: AuditEntry['object'];
  readonly changes?: readonly AuditChange[];
  readonly details?: Readonly<Record<string, unknown>>;
  /** null: a change outside any sandbox (users, roles, keys). By default the request's sandbox. */
  readonly sandbox?: string | null;
  /**
   * Who acted, for a route without a signed-in caller (single sign-on's callback): by default the
   * request's principal. A route that notes an action and an actor is recorded whatever its method,
   * on a 2xx or 3xx answer (a sign-in that ends in a redirect).
   */
  readonly actor?: Actor;
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
