// STUB: routes written by helper C (see /work/notes/access-routes.md).
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';

export function searchRoutes(_app: Waymark) {
  return async (_f: FastifyInstance): Promise<void> => {};
}
