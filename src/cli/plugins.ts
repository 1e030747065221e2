// Route plugins contributed by other modules (expression tools, rendering), registered under /v1.
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../runtime/app.ts';

export async function optionalPlugins(_app: Waymark): Promise<Array<(f: FastifyInstance) => Promise<void>>> {
  return [];
}
