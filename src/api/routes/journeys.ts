// Journeys: drafts, versions, lifecycle, validation, report and instances.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { journeyDefinitionSchema } from '../../model/journey.ts';
import type { Waymark } from '../../runtime/app.ts';
import { buildDryRunReport, buildReport } from '../../runtime/report.ts';
import { validationFailed } from '../../errors.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';
import { ifMatchOf } from '../etag.ts';
import { journeyEtag } from '../../runtime/journeys.ts';
import { labelsOf } from '../../model/labels.ts';
import { assertMayLabel, hiddenJourneys } from '../label-access.ts';
import { registerLabelGuard } from '../label-guard.ts';

const createSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'lowercase letters, digits and - (at most 80)'),
  })
  .passthrough();
const tags = ['journeys'];
const testModeBody = z.object({ enabled: z.boolean() });
type IdParams = { Params: { id: string } };

export function journeyRoutes(app: Waymark) {
  const plugin = async (f: FastifyInstance): Promise<void> => {
    // OLAC for every route under one journey (and one labelled object), these and those registered after.
    registerLabelGuard(f, app);
    const definitionSchema = openApi(journeyDefinitionSchema);
    f.get<{ Querystring: { include?: string } }>(
      '/journeys',
      {
        schema: {
          tags,
          summary:
            "List journeys; ?include=counts gives what lists show (status, versions, last change) and each journey's totals (entered, active, exited, errors, timeouts) in one request",
        },
        config: { permission: 'journeys.view' },
      },
      async (req) => {
        const include = parseWith(
          z.enum(['counts']).optional(),
          req.query.include,
          'include parameter',
        );
        const sandbox = sandboxOf(req);
        const hidden = await hiddenJourneys(req, app.reads, sandboxOf(req));
        const items =
          include === 'counts'
            ? await app.journeys.listEntries(sandbox, true)
            : await app.journeys.list(sandbox);
        return {
          items: hidden.size === 0 ? items : items.filter((j: { id: string }) => !hidden.has(j.id)),
        };
      },
    );
    f.post(
      '/journeys',
      {
        schema: {
          tags,
          summary:
            'Create a draft journey (body: the definition plus an id); an incomplete draft is saved with its problems listed',
          body: definitionSchema,
        },
        config: { permission: 'journeys.manage' },
      },
      async (req, reply) => {
        const { id, ...def } = parseWith(createSchema, req.body, 'journey');
        assertMayLabel(req, [], labelsOf(def));
        const r = await app.journeys.create(sandboxOf(req), id, def);
        return reply.status(201).header('etag', journeyEtag(r.journey)).send(r);
      },
    );
    f.get<IdParams>(
      '/journeys/:id',
      {
        schema: {
          tags,
          summary:
            'Read a journey: latest version, live version, versions (ETag: the latest version and its revision)',
        },
        config: { permission: 'journeys.view' },
      },
      async (req, reply) => {
        const j = await app.journeys.get(sandboxOf(req), req.params.id);
        return reply.header('etag', journeyEtag(j.latest)).send(j);
      },
    );
    f.put<IdParams>(
      '/journeys/:id',
      {
        schema: {
          tags,
          summary:
            'Replace the draft definition, whatever its state (problems listed; they block publication). With If-Match: 409 version_conflict when someone saved it since',
          body: definitionSchema,
        },
        config: { permission: 'journeys.manage' },
      },
      async (req, reply) => {
        const latest = (await app.reads.getJourneyVersions(sandboxOf(req), req.params.id)).pop();
        assertMayLabel(req, latest ? labelsOf(latest.definition) : [], labelsOf(req.body));
        const r = await app.journeys.update(
          sandboxOf(req),
          req.params.id,
          req.body,
          ifMatchOf(req) ?? undefined,
        );
        return reply.header('etag', journeyEtag(r.journey)).send(r);
      },
    );
    f.delete<IdParams>(
      '/journeys/:id',
      {
        schema: {
          tags,
          summary: 'Delete the draft version (with If-Match: only the version it names)',
        },
        config: { permission: 'journeys.delete' },
      },
      async (req, reply) => {
        await app.journeys.deleteDraft(sandboxOf(req), req.params.id, ifMatchOf(req) ?? undefined);
        return reply.status(204).send();
      },
    );
    f.post<IdParams>(
      '/journeys/:id/validate',
      {
        schema: { tags, summary: 'Validate the latest version without publishing' },
        config: { permission: 'journeys.view' },
      },
      async (req) => {
        const j = await app.journeys.get(sandboxOf(req), req.params.id);
        const issues = await app.journeys.validate(sandboxOf(req), j.latest.definition);
        return { valid: issues.length === 0, issues };
      },
    );
    f.get<IdParams>(
      '/journeys/:id/versions',
      { schema: { tags, summary: 'List versions' }, config: { permission: 'journeys.view' } },
      async (req) => ({ items: await app.reads.getJourneyVersions(sandboxOf(req), req.params.id) }),
    );
    f.post<IdParams>(
      '/journeys/:id/versions',
      {
        schema: { tags, summary: 'Create a new draft version from the latest one' },
        config: { permission: 'journeys.manage' },
      },
      async (req, reply) => {
        const v = await app.journeys.newVersion(sandboxOf(req), req.params.id);
        return reply.status(201).header('etag', journeyEtag(v)).send(v);
      },
    );
    f.post<IdParams>(
      '/journeys/:id/publish',
      {
        schema: {
          tags,
          summary:
            'Publish the draft (closes the previous version); with If-Match, only the draft as last seen',
        },
        config: { permission: 'journeys.publish' },
      },
      async (req, reply) => {
        const v = await app.journeys.publish(
          sandboxOf(req),
          req.params.id,
          ifMatchOf(req) ?? undefined,
        );
        return reply.header('etag', journeyEtag(v)).send(v);
      },
    );
    for (const command of ['pause', 'resume', 'close', 'stop'] as const) {
      f.post<IdParams & { Querystring: { version?: string } }>(
        `/journeys/:id/${command}`,
        {
          schema: { tags, summary: `${command[0]!.toUpperCase()}${command.slice(1)} the journey` },
          config: { permission: 'journeys.publish' },
        },
        async (req) => {
          const version =
            req.query.version === undefined
              ? undefined
              : intParam(req.query.version, 'version', 1, 1_000_000);
          return app.journeys.command(sandboxOf(req), req.params.id, command, version);
        },
      );
    }
    f.post<IdParams & { Body: unknown }>(
      '/journeys/:id/test-mode',
      {
        schema: {
          tags,
          summary:
            'Turn test mode on or off ({"enabled": true}); only test profiles enter, waits and timeouts last testMode.waitSeconds',
          body: openApi(testModeBody),
        },
        config: { permission: 'journeys.publish' },
      },
      async (req) => {
        const { enabled } = parseWith(testModeBody, req.body ?? {}, 'test mode request');
        return app.journeys.testMode(sandboxOf(req), req.params.id, enabled);
      },
    );
    f.post<IdParams & { Body: unknown }>(
      '/journeys/:id/dry-run',
      {
        schema: {
          tags,
          summary:
            'Start or stop a dry run of the draft ({"enabled": true}): real profiles and events, nothing sent, called or changed; its own report',
          body: openApi(testModeBody),
        },
        config: { permission: 'journeys.publish' },
      },
      async (req) => {
        const { enabled } = parseWith(testModeBody, req.body ?? {}, 'dry run request');
        return app.journeys.dryRun(sandboxOf(req), req.params.id, enabled);
      },
    );
    f.get<IdParams>(
      '/journeys/:id/dry-run',
      {
        schema: {
          tags,
          summary:
            "The dry run's report: entries, paths taken per activity, what it would have sent (by channel) or called",
        },
        config: { permission: 'journeys.view' },
      },
      async (req) => buildDryRunReport(app, sandboxOf(req), req.params.id),
    );
    f.get<IdParams & { Querystring: { bucket?: string; since?: string } }>(
      '/journeys/:id/report/timeline',
      {
        schema: {
          tags,
          summary:
            'Counts over time (?bucket=minute|hour|day, ?since=ISO-8601): entered, exited, errors and message outcomes',
        },
        config: { permission: 'journeys.view' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        await app.journeys.get(sandbox, req.params.id);
        const bucket = parseWith(
          z.enum(['minute', 'hour', 'day']).default('hour'),
          req.query.bucket,
          'bucket',
        );
        const bucketMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[bucket];
        const since =
          req.query.since === undefined
            ? app.clock.now() - 30 * 86_400_000
            : Date.parse(req.query.since);
        if (Number.isNaN(since))
          throw validationFailed('the since parameter is invalid', [
            {
              path: 'query.since',
              message: 'an ISO-8601 date-time',
              expected: 'date-time',
              received: String(req.query.since),
            },
          ]);
        const rows = await app.reads.timeline(sandbox, req.params.id, { bucketMs, since });
        return {
          bucket,
          since: new Date(since).toISOString(),
          points: rows.map((r) => ({
            at: new Date(r.bucket).toISOString(),
            series: r.series,
            value: r.value,
          })),
        };
      },
    );
    f.get<IdParams>(
      '/journeys/:id/report',
      {
        schema: {
          tags,
          summary: 'Counts per version and activity: entered, exited, errors, timeouts',
        },
        config: { permission: 'journeys.view' },
      },
      async (req) => buildReport(app, sandboxOf(req), req.params.id),
    );
    f.get<IdParams & { Querystring: { profile?: string; limit?: string } }>(
      '/journeys/:id/instances',
      {
        schema: {
          tags,
          summary:
            'Instances, optionally of one profile (Namespace:id or profile id): where each is and its path',
        },
        config: { permission: 'profiles.read' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        await app.journeys.get(sandbox, req.params.id);
        const profileId = req.query.profile
          ? await resolveProfileRef(app, sandbox, req.query.profile)
          : undefined;
        const items =
          profileId === null
            ? []
            : await app.reads.instances(sandbox, {
                journeyId: req.params.id,
                ...(profileId ? { profileId } : {}),
                limit: intParam(req.query.limit, 'limit', 100, 1000),
              });
        return { items };
      },
    );
  };
  // Not encapsulated: the label guard applies to every /v1/journeys/:id route (and those under a
  // labelled object), including those other modules register after this one.
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}

/** `Email:ana@x.com` (namespace and id) or a profile id; null when no such profile exists. */
export async function resolveProfileRef(
  app: Waymark,
  sandbox: string,
  ref: string,
): Promise<string | null> {
  const colon = ref.indexOf(':');
  if (colon > 0) {
    const catalog = await app.catalogs.get(sandbox);
    if (catalog.namespaces.has(ref.slice(0, colon))) {
      try {
        return (await app.profiles.get(sandbox, ref.slice(0, colon), ref.slice(colon + 1))).id;
      } catch {
        return null;
      }
    }
  }
  return (await app.reads.getProfile(sandbox, ref))?.id ?? null;
}
