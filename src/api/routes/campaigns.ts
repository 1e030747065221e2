// Campaigns (docs/campaigns.md): drafts, activation, stop, trigger calls, the report and the
// audience estimate. Bodies and answers are the schemas of src/isomorphic/api/campaigns.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can } from '../../access/policy.ts';
import { describeCell } from '../../campaign/report-cell.ts';
import { ErrorCode, notFound, WaymarkError } from '../../errors.ts';
import {
  campaignAudienceBody,
  createCampaignBody,
  triggerBody,
  updateCampaignBody,
  type CampaignAudienceAnswer,
} from '../../isomorphic/api/campaigns.ts';
import { labelsOf } from '../../model/labels.ts';
import type { Waymark } from '../../runtime/app.ts';
import { CAMPAIGN_KIND } from '../../runtime/campaigns/stored.ts';
import { noteAudit } from '../audit-note.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { ifMatchOf } from '../etag.ts';
import { assertMayLabel, hiddenAudiences, labelFilter } from '../label-access.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const tags = ['campaigns'];
type IdParams = { Params: { id: string } };

const note = (req: FastifyRequest, action: string, key: string): void =>
  noteAudit(req, { action: `campaign.${action}`, object: { kind: CAMPAIGN_KIND, key } });

export function campaignRoutes(app: Waymark) {
  const plugin = async (f: FastifyInstance): Promise<void> => {
    const createJson = openApi(createCampaignBody);
    const updateJson = openApi(updateCampaignBody);
    const triggerJson = openApi(triggerBody);
    const audienceJson = openApi(campaignAudienceBody);
    const revisionOf = (req: FastifyRequest): number | undefined =>
      ifMatchOf(req)?.revision ?? undefined;

    f.get(
      '/campaigns',
      {
        schema: { tags, summary: 'List campaigns with their status and totals' },
        config: { permission: 'campaigns.view' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const visible = labelFilter(req);
        const items = [];
        const jobs = await app.campaigns.jobsOf(sandbox);
        for (const { c, revision } of await app.campaigns.all(sandbox)) {
          if (!visible(c.definition.labels)) continue;
          const s = await app.campaigns.statusOf(sandbox, c, jobs);
          const report = await app.campaigns.report(sandbox, c.id);
          const last = report.runs.findLast((r) => r.status !== 'pending');
          items.push({
            id: c.id,
            name: c.definition.name,
            type: c.definition.type,
            mode: c.definition.mode,
            channel: c.definition.action.channel,
            status: s.status,
            revision,
            updatedAt: c.updatedAt,
            ...(s.nextRunAt ? { nextRunAt: s.nextRunAt } : {}),
            labels: [...(c.definition.labels ?? [])],
            counts: report.totals,
            ...(last
              ? { lastRun: { at: last.startedAt ?? last.scheduledAt, sent: last.counts.sent } }
              : {}),
          });
        }
        items.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
        return { items };
      },
    );
    f.post(
      '/campaigns',
      {
        schema: {
          tags,
          summary:
            'Create a draft campaign (body: the definition, and an id or one made from the name); its problems are listed',
          body: createJson,
        },
        config: { permission: 'campaigns.manage' },
      },
      async (req, reply) => {
        const { id, ...def } = parseWith(createCampaignBody, req.body, 'campaign');
        assertMayLabel(req, [], labelsOf(def));
        const v = await app.campaigns.create(sandboxOf(req), id, def);
        note(req, 'create', v.id);
        return reply.status(201).header('etag', v.etag).send(v);
      },
    );
    f.get<IdParams>(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary: 'Read a campaign: definition, status, problems (ETag: its revision)',
        },
        config: { permission: 'campaigns.view' },
      },
      async (req, reply) => {
        const v = await app.campaigns.get(sandboxOf(req), req.params.id);
        return reply.header('etag', v.etag).send(v);
      },
    );
    f.put<IdParams>(
      '/campaigns/:id',
      {
        schema: {
          tags,
          summary:
            "Replace a draft campaign's definition. With If-Match: 409 version_conflict when someone saved it since",
          body: updateJson,
        },
        config: { permission: 'campaigns.manage' },
      },
      async (req, reply) => {
        const sandbox = sandboxOf(req);
        const before = await app.campaigns.get(sandbox, req.params.id);
        assertMayLabel(req, labelsOf(before.definition), labelsOf(req.body));
        const v = await app.campaigns.update(sandbox, req.params.id, req.body, revisionOf(req));
        note(req, 'update', v.id);
        return reply.header('etag', v.etag).send(v);
      },
    );
    f.delete<IdParams>(
      '/campaigns/:id',
      {
        schema: { tags, summary: 'Delete a draft campaign (with If-Match: only that revision)' },
        config: { permission: 'campaigns.delete' },
      },
      async (req, reply) => {
        await app.campaigns.delete(sandboxOf(req), req.params.id, revisionOf(req));
        note(req, 'delete', req.params.id);
        return reply.status(204).send();
      },
    );
    f.post<IdParams>(
      '/campaigns/:id/activate',
      {
        schema: {
          tags,
          summary:
            'Activate a draft: scheduled (a later start) or live; refused with every problem named',
        },
        config: { permission: 'campaigns.publish' },
      },
      async (req, reply) => {
        const v = await app.campaigns.activate(sandboxOf(req), req.params.id, revisionOf(req));
        note(req, 'activate', v.id);
        return reply.header('etag', v.etag).send(v);
      },
    );
    f.post<IdParams>(
      '/campaigns/:id/stop',
      {
        schema: {
          tags,
          summary: 'Stop a campaign: the send in progress stops, no later run starts (final)',
        },
        config: { permission: 'campaigns.publish' },
      },
      async (req, reply) => {
        const v = await app.campaigns.stop(sandboxOf(req), req.params.id);
        note(req, 'stop', v.id);
        return reply.header('etag', v.etag).send(v);
      },
    );
    f.post<IdParams>(
      '/campaigns/:id/trigger',
      {
        schema: {
          tags,
          summary:
            'Send a live API-triggered campaign to 1-20 recipients with a context ({{context.…}}); idempotent on requestId; 202 with a request id per recipient',
          body: triggerJson,
        },
        config: { permission: 'campaigns.trigger' },
      },
      async (req, reply) => {
        const body = parseWith(triggerBody, req.body, 'trigger call');
        const answer = await app.campaigns.trigger(sandboxOf(req), req.params.id, body);
        return reply.status(202).send(answer);
      },
    );
    f.get<IdParams>(
      '/campaigns/:id/report',
      {
        schema: {
          tags,
          summary:
            'The report: totals, each run, each treatment, excluded by reason, sends over time, and the experiment analysis',
        },
        config: { permission: 'campaigns.view' },
      },
      async (req) => app.campaigns.report(sandboxOf(req), req.params.id),
    );
    f.post<IdParams>(
      '/campaigns/:id/audiences',
      {
        schema: {
          tags,
          summary:
            'Create an audience of the profiles one report cell counts (an outcome of every run, a run or a treatment), its members stored at once',
          body: audienceJson,
        },
        // Making an audience; reading the campaign's report besides is checked below.
        config: { permission: 'audiences.manage' },
      },
      async (req, reply) => {
        const sandbox = sandboxOf(req);
        const p = principalOf(req);
        if (!can(p, sandbox, 'campaigns.view'))
          throw new WaymarkError(
            ErrorCode.Forbidden,
            "permission needed: campaigns.view (an audience from a campaign's report reads the report)",
            { details: { permission: 'campaigns.view', sandbox } },
          );
        const { name, description, namespace, ...cell } = parseWith(
          campaignAudienceBody,
          req.body ?? {},
          'audience request',
        );
        // A campaign hidden by its labels answers as one that does not exist; a hidden audience's
        // name answers as a create over a hidden key does (as from-feedback does).
        const { c } = await app.campaigns.load(sandbox, req.params.id);
        if (!labelFilter(req)(c.definition.labels)) throw notFound('campaign', req.params.id);
        if ((await hiddenAudiences(req, app.reads, sandbox)).has(name))
          throw notFound('audience', name);
        const { profiles } = await app.campaigns.cellProfiles(sandbox, c.id, cell);
        const audience = {
          name,
          description:
            description ??
            `Profiles of campaign "${c.definition.name}" (${c.id}): ${describeCell(cell)}`,
          origin: 'uploaded' as const,
          ...(namespace !== undefined ? { namespace } : {}),
        };
        const size = await app.audiences.createWithMembers(sandbox, audience, profiles);
        const answer: CampaignAudienceAnswer = { audience, size };
        return reply.status(201).send(answer);
      },
    );
    f.get<IdParams>(
      '/campaigns/:id/audience-estimate',
      {
        schema: {
          tags,
          summary:
            "The audience's size now: realized members, and those with an identity in the campaign's namespace",
        },
        config: { permission: 'campaigns.view' },
      },
      async (req) => app.campaigns.estimate(sandboxOf(req), req.params.id),
    );
  };
  return plugin;
}
