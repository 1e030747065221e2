// Profiles by identity: PUT merges attributes, GET reads them with the profile's journeys and
// memberships, and its experience events (the history audiences read).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { profileUpdateSchema } from '../../model/profile.ts';
import type { Waymark } from '../../runtime/app.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';

type Params = { Params: { namespace: string; id: string } };

/** An ISO 8601 instant in a query, as epoch milliseconds. */
const isoInstant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO 8601 time, e.g. 2026-11-01T00:00:00Z')
  .transform((v) => Date.parse(v));

export function profileRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['profiles'];
    f.get<{ Querystring: { limit?: string; offset?: string } }>(
      '/profiles',
      { schema: { tags, summary: 'List profiles' } },
      async (req) => ({
        items: await app.reads.listProfiles(sandboxOf(req), {
          limit: intParam(req.query.limit, 'limit', 50, 1000),
          offset: req.query.offset ? intParam(req.query.offset, 'offset', 1, 1e9) : 0,
        }),
      }),
    );
    f.get<Params>(
      '/profiles/:namespace/:id',
      { schema: { tags, summary: 'Read a profile by identity' } },
      async (req) => {
        const sandbox = sandboxOf(req);
        const profile = await app.profiles.get(sandbox, req.params.namespace, req.params.id);
        const journeys = await app.reads.instances(sandbox, { profileId: profile.id, limit: 50 });
        return { ...profile, audiences: await app.engine.memberships(sandbox, profile), journeys };
      },
    );
    f.get<Params & { Querystring: { type?: string; since?: string; limit?: string } }>(
      '/profiles/:namespace/:id/events',
      {
        schema: {
          tags,
          summary:
            "A profile's experience events (and message feedback), newest first; ?type= (repeatable: type=A,B), ?since= (ISO time), ?limit= (default 50, at most 1,000)",
        },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const profile = await app.profiles.get(sandbox, req.params.namespace, req.params.id);
        const types = req.query.type
          ? req.query.type
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean)
          : null;
        const since =
          req.query.since === undefined ? null : parseWith(isoInstant, req.query.since, 'since');
        const limit = intParam(req.query.limit, 'limit', 50, 1000);
        const rows = await app.reads.profileEvents(sandbox, profile.id, { types, since });
        const newest = rows.slice(-limit).reverse();
        return {
          profileId: profile.id,
          total: rows.length,
          items: newest.map((e) => ({
            type: e.type,
            at: new Date(e.at).toISOString(),
            payload: e.payload,
          })),
        };
      },
    );
    f.put<Params>(
      '/profiles/:namespace/:id',
      {
        schema: {
          tags,
          summary: 'Create a profile or deep-merge attributes into it',
          body: openApi(profileUpdateSchema),
        },
      },
      async (req) => {
        const update = parseWith(profileUpdateSchema, req.body ?? {}, 'profile update');
        return app.profiles.put(sandboxOf(req), req.params.namespace, req.params.id, update);
      },
    );
  };
}
