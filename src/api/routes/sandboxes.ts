// STUB: routes written by helper B2 (see /work/notes/access-routes.md).
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';

export function sandboxRoutes(_app: Waymark) {
  return async (_f: FastifyInstance): Promise<void> => {};
}
