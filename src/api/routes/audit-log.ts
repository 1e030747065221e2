// STUB: routes written by helper B1 (see /work/notes/access-routes.md).
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';

export function auditLogRoutes(_app: Waymark) {
  return async (_f: FastifyInstance): Promise<void> => {};
}
