// Who the caller is (for the console's menu) and a one-off custom-action call (its "test" button).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Waymark } from '../../runtime/app.ts';
import { findKey, presentedKey, type ApiKey } from '../auth.ts';
import { parseWith, sandboxOf } from '../context.ts';

export function sessionRoutes(app: Waymark, keys: readonly ApiKey[]) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get('/me', { schema: { tags: ['session'], summary: 'The API key in use: its name and the sandboxes it may use' } }, async (req) => {
      const key = findKey(keys, presentedKey(req.headers) ?? '');
      return { name: key?.name ?? null, sandboxes: key?.sandboxes ?? [], sandbox: sandboxOf(req), rights: key?.sandboxes.includes('*') ? ['admin'] : ['sandbox'] };
    });
    f.post<{ Params: { name: string } }>('/actions/:name/test', { schema: { tags: ['custom action'], summary: 'Call a custom action once with the given parameters ({"parameters": {...}}) and see its answer' } }, async (req) => {
      const { parameters } = parseWith(z.object({ parameters: z.record(z.string(), z.unknown()).default({}) }), req.body ?? {}, 'action test');
      return app.testAction(sandboxOf(req), req.params.name, parameters);
    });
  };
}
