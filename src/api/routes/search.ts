// Quick search (GET /v1/search): every journey and object the caller may see, by name, and
// profiles by an identity value (with profiles.read); best matches first.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SearchHit } from '../../access/api-types.ts';
import { objectPermission, type Permission } from '../../access/permissions.ts';
import { permissionsIn } from '../../access/policy.ts';
import type { Waymark } from '../../runtime/app.ts';
import { profilesByIdentity, searchEntries, searchIndexOf } from '../../runtime/search/index.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { labelFilter } from '../label-access.ts';
import { principalOf } from '../principal.ts';

const querySchema = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The permission to see a kind of search hit. */
export function viewPermissionOf(kind: string): Permission {
  if (kind === 'journey') return 'journeys.view';
  if (kind === 'profile') return 'profiles.read';
  return objectPermission(kind, 'view');
}

export function searchRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const index = searchIndexOf(app);
    f.get<{ Querystring: { q?: string; limit?: string } }>(
      '/search',
      {
        schema: {
          tags: ['access'],
          summary:
            'Quick search: journeys and objects the caller may see (view permission per kind, access labels) by name — exact, then prefix, word prefix, anywhere — and profiles by an identity value such as an email (with profiles.read); each hit with its kind, status and console path',
          querystring: {
            type: 'object',
            properties: {
              q: { type: 'string', maxLength: 200 },
              limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
          },
        },
        config: { permission: 'signed-in' },
      },
      async (req) => {
        const { q, limit } = parseWith(querySchema, req.query, 'search query');
        if (q.trim() === '') return { items: [] };
        const sandbox = sandboxOf(req);
        const held = permissionsIn(principalOf(req), sandbox);
        const mayView = (kind: string): boolean => held.has(viewPermissionOf(kind));
        const profiles: SearchHit[] = mayView('profile')
          ? await profilesByIdentity(app.reads, sandbox, q)
          : [];
        const items = searchEntries(
          await index.get(sandbox),
          q,
          { mayView, visible: labelFilter(req), limit },
          profiles,
        );
        return { items };
      },
    );
  };
}
