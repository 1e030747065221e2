// Profiles by identity: PUT merges attributes, GET reads them with the profile's journeys and messages.
import type { FastifyInstance } from 'fastify';
import { profileUpdateSchema } from '../../model/profile.ts';
import type { Waymark } from '../../runtime/app.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';

type Params = { Params: { namespace: string; id: string } };

export function profileRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['profiles'];
    f.get<{ Querystring: { limit?: string; offset?: string } }>('/profiles', { schema: { tags, summary: 'List profiles' } }, async (req) => ({
      items: await app.engine.store.listProfiles(sandboxOf(req), { limit: intParam(req.query.limit, 'limit', 50, 1000), offset: req.query.offset ? intParam(req.query.offset, 'offset', 1, 1e9) : 0 }),
    }));
    f.get<Params>('/profiles/:namespace/:id', { schema: { tags, summary: 'Read a profile by identity' } }, async (req) => {
      const sandbox = sandboxOf(req);
      const profile = await app.profiles.get(sandbox, req.params.namespace, req.params.id);
      const journeys = await app.engine.store.instances(sandbox, { profileId: profile.id, limit: 50 });
      return { ...profile, audiences: await app.engine.memberships(sandbox, profile), journeys };
    });
    f.put<Params>('/profiles/:namespace/:id', { schema: { tags, summary: 'Create a profile or deep-merge attributes into it' } }, async (req) => {
      const update = parseWith(profileUpdateSchema, req.body ?? {}, 'profile update');
      return app.profiles.put(sandboxOf(req), req.params.namespace, req.params.id, update);
    });
  };
}
