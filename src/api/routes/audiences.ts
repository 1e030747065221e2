// Audience runtime routes: size and sample, members, batch evaluation on demand and on a schedule,
// uploads (CSV, replace or append), "audience from a report", and a profile's memberships.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { audienceNameSchema, feedbackActions, timeWindowSchema } from '../../model/audience.ts';
import type { Waymark } from '../../runtime/app.ts';
import { notFound } from '../../errors.ts';
import type { JobState } from '../../runtime/audiences/runtime.ts';
import { intParam, parseWith, sandboxOf } from '../context.ts';
import { openApi } from './request-input.ts';
import { assertJourneyVisible, hiddenAudiences, labelFilter } from '../label-access.ts';
import { journeyLabels } from '../../model/labels.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type {
  audienceJobsAnswer,
  audienceMembersAnswer,
  audienceScheduleAnswer,
  audienceSizeAnswer,
  audienceUploadAnswer,
  batchRunSchema,
  fromFeedbackAnswer,
  profileAudiencesAnswer,
} from '../../isomorphic/api/audiences.ts';

type Named = { Params: { name: string } };

const scheduleSchema = z
  .object({
    /** Seconds between runs (at least 60); null removes the schedule. */
    everySeconds: z
      .number()
      .int()
      .min(60)
      .max(366 * 86_400)
      .nullable(),
    startAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const uploadQuerySchema = z.object({
  mode: z.enum(['replace', 'append']).default('append'),
  idColumn: z.string().min(1).max(100).default('id'),
  namespaceColumn: z.string().min(1).max(100).optional(),
  createProfiles: z.enum(['true', 'false']).default('true'),
});

const fromFeedbackSchema = z
  .object({
    name: audienceNameSchema,
    action: z.enum(feedbackActions),
    messageId: z.string().min(1).max(200).optional(),
    journeyId: z.string().min(1).max(200).optional(),
    node: z.string().min(1).max(200).optional(),
    link: z.string().min(1).max(2000).optional(),
    within: timeWindowSchema.optional(),
    description: z.string().max(2000).optional(),
    origin: z.enum(['streaming', 'batch']).optional(),
    namespace: z.string().min(1).max(30).optional(),
  })
  .strict();

export function audienceRoutes(app: Waymark) {
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['audiences'];
    f.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) =>
      done(null, body),
    );

    f.get<Named & { Querystring: { sample?: string } }>(
      '/audiences/:name/size',
      { schema: { tags, summary: 'The size of an audience and a sample of its members' } },
      async (req): Promise<Answer<typeof audienceSizeAnswer>> =>
        app.audiences.size(
          sandboxOf(req),
          req.params.name,
          intParam(req.query.sample, 'sample', 20, 1000, 0),
        ),
    );

    f.get<Named & { Querystring: { status?: string; after?: string; limit?: string } }>(
      '/audiences/:name/members',
      {
        schema: {
          tags,
          summary: 'Members of an audience, in profile id order (page with ?after=)',
        },
      },
      async (req): Promise<Answer<typeof audienceMembersAnswer>> => {
        const status =
          req.query.status === undefined
            ? undefined
            : parseWith(z.enum(['realized', 'exited']), req.query.status, 'status');
        return app.audiences.members(sandboxOf(req), req.params.name, {
          limit: intParam(req.query.limit, 'limit', 100, 5000),
          ...(status ? { status } : {}),
          ...(req.query.after ? { after: req.query.after } : {}),
        });
      },
    );

    f.post<Named & { Querystring: { sample?: string } }>(
      '/audiences/:name/evaluate',
      { schema: { tags, summary: 'Evaluate an audience over every profile now (batch)' } },
      async (req): Promise<Answer<typeof batchRunSchema>> =>
        app.audiences.evaluate(
          sandboxOf(req),
          req.params.name,
          intParam(req.query.sample, 'sample', 20, 1000),
        ),
    );

    f.put<Named>(
      '/audiences/:name/schedule',
      {
        schema: {
          tags,
          summary: 'Evaluate an audience in batch on a schedule (everySeconds: null removes it)',
          body: openApi(scheduleSchema),
        },
      },
      async (req): Promise<Answer<typeof audienceScheduleAnswer>> => {
        const s = parseWith(scheduleSchema, req.body ?? {}, 'schedule');
        const state = await app.audiences.schedule(
          sandboxOf(req),
          req.params.name,
          s.everySeconds === null ? null : s.everySeconds * 1000,
          s.startAt === undefined ? undefined : Date.parse(s.startAt),
        );
        return {
          schedule:
            state === null
              ? null
              : {
                  everySeconds: state.everyMs / 1000,
                  nextRunAt: new Date(state.nextRunAt).toISOString(),
                },
        };
      },
    );

    f.post<Named & { Querystring: Record<string, string | undefined> }>(
      '/audiences/:name/upload',
      {
        schema: {
          tags,
          summary: 'Upload the members of an uploaded audience (CSV body; ?mode=replace|append)',
        },
      },
      async (req): Promise<Answer<typeof audienceUploadAnswer>> => {
        const q = parseWith(uploadQuerySchema, req.query, 'upload options');
        const csv = typeof req.body === 'string' ? req.body : '';
        return app.audiences.upload(sandboxOf(req), req.params.name, csv, {
          mode: q.mode,
          idColumn: q.idColumn,
          createProfiles: q.createProfiles === 'true',
          ...(q.namespaceColumn ? { namespaceColumn: q.namespaceColumn } : {}),
        });
      },
    );

    f.post(
      '/audiences/from-feedback',
      {
        schema: {
          tags,
          summary:
            "Create an audience from a message's feedback (e.g. the profiles that clicked a link) and evaluate it",
          body: openApi(fromFeedbackSchema),
        },
      },
      async (req, reply) => {
        const body = parseWith(fromFeedbackSchema, req.body ?? {}, 'audience request');
        // Feedback of a hidden journey is not a way to its profiles, and it answers as a journey that does
        // not exist does (404 for both: no way to tell them apart); a hidden audience's name answers as a
        // create over a hidden key does.
        if (body.journeyId !== undefined) {
          if ((await app.reads.getJourneyVersions(sandboxOf(req), body.journeyId)).length === 0)
            throw notFound('journey', body.journeyId);
          await assertJourneyVisible(req, app.reads, sandboxOf(req), body.journeyId);
        }
        if ((await hiddenAudiences(req, app.reads, sandboxOf(req))).has(body.name))
          throw notFound('audience', body.name);
        const r: Answer<typeof fromFeedbackAnswer> = await app.audiences.fromFeedback(
          sandboxOf(req),
          body,
        );
        return reply.status(201).send(r);
      },
    );

    f.get(
      '/audience-jobs',
      {
        schema: {
          tags,
          summary:
            'Audience jobs: read-audience runs (progress, next run), batch schedules, one-off evaluations, retention',
        },
      },
      async (req): Promise<Answer<typeof audienceJobsAnswer>> => {
        const sandbox = sandboxOf(req);
        const jobs = await app.audiences.jobs(sandbox);
        const hidden = await hiddenAudiences(req, app.reads, sandbox);
        const visible = labelFilter(req);
        const journeyShown = new Map<string, boolean>();
        const shown = async (j: { id: string; state: JobState }): Promise<boolean> => {
          const audience =
            'audience' in j.state ? j.state.audience : /^evaluate:(.*)$/.exec(j.id)?.[1];
          if (audience !== undefined && hidden.has(audience)) return false;
          if (j.state.kind !== 'read' && j.state.kind !== 'dryRunEnd') return true;
          const id = j.state.journeyId;
          if (!journeyShown.has(id))
            journeyShown.set(
              id,
              visible(journeyLabels(await app.reads.getJourneyVersions(sandbox, id))),
            );
          return journeyShown.get(id)!;
        };
        const items: Array<Answer<typeof audienceJobsAnswer>['items'][number]> = [];
        for (const j of jobs) if (await shown(j)) items.push({ id: j.id, ...j.state });
        return { items };
      },
    );

    f.get<{ Params: { namespace: string; id: string } }>(
      '/profiles/:namespace/:id/audiences',
      { schema: { tags, summary: "A profile's memberships with their timestamps" } },
      async (req): Promise<Answer<typeof profileAudiencesAnswer>> => {
        const sandbox = sandboxOf(req);
        const profile = await app.profiles.get(sandbox, req.params.namespace, req.params.id);
        const hidden = await hiddenAudiences(req, app.reads, sandbox);
        const rows = (await app.reads.profileMemberships(sandbox, profile.id)).filter(
          (r) => !hidden.has(r.audience),
        );
        const iso = (ms: number | null): string | null =>
          ms === null ? null : new Date(ms).toISOString();
        return {
          profileId: profile.id,
          items: rows.map((r) => ({
            audience: r.audience,
            status: r.status,
            realizedAt: iso(r.realizedAt),
            exitedAt: iso(r.exitedAt),
          })),
        };
      },
    );
  };
}
