// Who uses an object (/v1/<route>/:key/references), archive and unarchive, and what a journey
// uses (/v1/journeys/:id/dependencies).
import type { FastifyInstance } from 'fastify';
import type { Waymark } from '../../runtime/app.ts';
import { objectKinds, withArticle } from '../../runtime/object-kinds.ts';
import {
  archiveMarks,
  dependencyClosure,
  labelsOfRefs,
  referencesTo,
} from '../../runtime/references.ts';
import { refId, type ObjectRef } from '../../runtime/dependency-graph.ts';
import { objectPermission } from '../../access/permissions.ts';
import { notFound } from '../../errors.ts';
import { labelsOf } from '../../model/labels.ts';
import { sandboxOf } from '../context.ts';
import { labelFilter, type LabelFilter } from '../label-access.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  archiveAnswer,
  dependenciesAnswer,
  referencesAnswer,
} from '../../isomorphic/api/references.ts';

export function referenceRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const store = app.reads;
    const now = (): string => new Date(app.clock.now()).toISOString();
    for (const kind of objectKinds) {
      const tags = [kind.title];
      f.get<{ Params: { key: string } }>(
        `/${kind.route}/:key/references`,
        {
          schema: {
            tags,
            summary: `Who uses ${withArticle(kind.title)}: journey versions, templates, fragments and audiences, transitively through fragments and audiences; users the caller may not see (access labels) are only counted, as hidden`,
          },
          config: { permission: objectPermission(kind.kind, 'view') },
        },
        async (req): Promise<Answer<typeof referencesAnswer>> => {
          const sandbox = sandboxOf(req);
          const visible = labelFilter(req);
          await visibleObject(sandbox, kind.kind, kind.title, req.params.key, visible);
          const all = await referencesTo(store, sandbox, { kind: kind.kind, key: req.params.key });
          const labels = await labelsOfRefs(
            store,
            sandbox,
            all.flatMap((i) => [i, ...i.via]),
          );
          const shown = (r: ObjectRef): boolean => visible(labels.get(refId(r)));
          // Hidden users still keep the object in use (AJO warns that something uses it): counted, not named.
          const items = all.filter(shown).map((i) => ({ ...i, via: i.via.filter(shown) }));
          const archived = (await archiveMarks(store, sandbox)).has(
            `${kind.kind}:${req.params.key}`,
          );
          return {
            kind: kind.kind,
            key: req.params.key,
            archived,
            inUse: all.some((i) => i.blocking),
            items,
            hidden: all.length - items.length,
          };
        },
      );
      for (const action of ['archive', 'unarchive'] as const) {
        f.post<{ Params: { key: string } }>(
          `/${kind.route}/:key/${action}`,
          {
            schema: {
              tags,
              summary:
                action === 'archive'
                  ? `Archive ${withArticle(kind.title)}: marked in lists, still resolved by what uses it`
                  : `Unarchive ${withArticle(kind.title)}`,
            },
            config: { permission: objectPermission(kind.kind, 'manage') },
          },
          async (req): Promise<Answer<typeof archiveAnswer>> => {
            const sandbox = sandboxOf(req);
            await visibleObject(sandbox, kind.kind, kind.title, req.params.key, labelFilter(req));
            const mark = await app.objects.setArchived(
              sandbox,
              { kind: kind.kind, key: req.params.key },
              action === 'archive',
            );
            return {
              kind: kind.kind,
              key: req.params.key,
              archived: mark !== null,
              ...(mark ? { archivedAt: mark.archivedAt } : {}),
            };
          },
        );
      }
    }
    /** The object, or 404 as for a missing one when its labels hide it from the caller. */
    async function visibleObject(
      sandbox: string,
      kindName: string,
      title: string,
      key: string,
      visible: LabelFilter,
    ): Promise<void> {
      const o = await app.objects.get(sandbox, kindName, key);
      if (!visible(labelsOf(o.body))) throw notFound(title, key);
    }
    f.get<{ Params: { id: string } }>(
      '/journeys/:id/dependencies',
      {
        schema: {
          tags: ['journeys'],
          summary:
            'Every object a journey uses (all its versions), transitively, with the journeys it jumps into: what its package carries; objects the caller may not see (access labels) are only counted, as hidden',
        },
        config: { permission: 'journeys.view' },
      },
      async (req): Promise<Answer<typeof dependenciesAnswer>> => {
        const sandbox = sandboxOf(req);
        // A journey the caller may not see is refused by the journeys' label guard (routes/journeys.ts).
        if ((await store.getJourneyVersions(sandbox, req.params.id)).length === 0)
          throw notFound('journey', req.params.id);
        const all = (
          await dependencyClosure(store, sandbox, [{ kind: 'journey', key: req.params.id }])
        ).filter((r) => !(r.kind === 'journey' && r.key === req.params.id));
        const labels = await labelsOfRefs(store, sandbox, all);
        const visible = labelFilter(req);
        const items = all.filter((r) => visible(labels.get(refId(r))));
        return { journey: req.params.id, items, hidden: all.length - items.length };
      },
    );
  };
}
