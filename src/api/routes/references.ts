// Who uses an object (/v1/<route>/:key/references), archive and unarchive, and what a journey
// uses (/v1/journeys/:id/dependencies).
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { objectKinds } from '../../runtime/object-kinds.ts';
import { archiveMarks, dependencyClosure, referencesTo, setArchived } from '../../runtime/references.ts';
import { notFound } from '../../errors.ts';
import { sandboxOf } from '../context.ts';

export function referenceRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const store = app.engine.store;
    const now = (): string => new Date(app.engine.clock.now()).toISOString();
    for (const kind of objectKinds) {
      const tags = [kind.title];
      f.get<{ Params: { key: string } }>(`/${kind.route}/:key/references`, {
        schema: { tags, summary: `Who uses a ${kind.title}: journey versions, templates, fragments and audiences, transitively through fragments and audiences` },
      }, async (req) => {
        const sandbox = sandboxOf(req);
        await app.objects.get(sandbox, kind.kind, req.params.key);
        const items = await referencesTo(store, sandbox, { kind: kind.kind, key: req.params.key });
        const archived = (await archiveMarks(store, sandbox)).has(`${kind.kind}:${req.params.key}`);
        return { kind: kind.kind, key: req.params.key, archived, inUse: items.some((i) => i.blocking), items };
      });
      for (const action of ['archive', 'unarchive'] as const) {
        f.post<{ Params: { key: string } }>(`/${kind.route}/:key/${action}`, {
          schema: { tags, summary: action === 'archive' ? `Archive a ${kind.title}: marked in lists, still resolved by what uses it` : `Unarchive a ${kind.title}` },
        }, async (req) => {
          const sandbox = sandboxOf(req);
          await app.objects.get(sandbox, kind.kind, req.params.key);
          const mark = await setArchived(store, sandbox, { kind: kind.kind, key: req.params.key }, action === 'archive', now());
          return { kind: kind.kind, key: req.params.key, archived: mark !== null, ...(mark ? { archivedAt: mark.archivedAt } : {}) };
        });
      }
    }
    f.get<{ Params: { id: string } }>('/journeys/:id/dependencies', {
      schema: { tags: ['journeys'], summary: 'Every object a journey uses (all its versions), transitively: what its package carries' },
    }, async (req) => {
      const sandbox = sandboxOf(req);
      if ((await store.getJourneyVersions(sandbox, req.params.id)).length === 0) throw notFound('journey', req.params.id);
      const items = (await dependencyClosure(store, sandbox, [{ kind: 'journey', key: req.params.id }])).filter((r) => r.kind !== 'journey');
      return { journey: req.params.id, items };
    });
  };
}
