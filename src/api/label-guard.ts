// OLAC in one place for the routes under one journey or one labelled object: every route under
// /v1/journeys/:id (the journey's versions, report, instances, lifecycle, test runs, approvals,
// dependencies) and under /v1/<labelled kind>/:key (an audience's size, members, evaluation,
// schedule, upload) answers 404 for what the caller's labels do not reach, as for what does not
// exist. Registered by routes/journeys.ts on the /v1 instance itself, so that it holds for the
// routes every module registers after it.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.ts';
import { isLabelledKind, journeyLabels, labelsOf } from '../model/labels.ts';
import type { Waymark } from '../runtime/app.ts';
import { objectKinds } from '../runtime/object-kinds.ts';
import { sandboxOf } from './context.ts';
import { labelFilter } from './label-access.ts';

const labelledByRoute = new Map(
  objectKinds.filter((k) => isLabelledKind(k.kind)).map((k) => [k.route, k] as const),
);
const underOne = /^\/v1\/([a-z-]+)\/:([A-Za-z]+)(?:\/|$)/;

export function registerLabelGuard(f: FastifyInstance, app: Waymark): void {
  f.addHook('preHandler', async (req) => {
    const m = underOne.exec(req.routeOptions.url ?? '');
    if (!m) return;
    const value = (req.params as Record<string, unknown>)[m[2]!];
    if (typeof value !== 'string') return;
    const sandbox = sandboxOf(req);
    if (m[1] === 'journeys' && m[2] === 'id') {
      const versions = await app.reads.getJourneyVersions(sandbox, value);
      if (versions.length > 0 && !labelFilter(req)(journeyLabels(versions)))
        throw notFound('journey', value);
      return;
    }
    if (m[1] === 'campaigns' && m[2] === 'id') {
      const o = await app.reads.getObject<{ definition?: unknown }>(sandbox, 'campaign', value);
      if (o && !labelFilter(req)(labelsOf(o.body.definition))) throw notFound('campaign', value);
      return;
    }
    const kind = labelledByRoute.get(m[1]!);
    if (!kind) return;
    const o = await app.reads.getObject(sandbox, kind.kind, value);
    if (o && !labelFilter(req)(labelsOf(o.body))) throw notFound(kind.title, value);
  });
}
