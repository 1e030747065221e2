// A campaign's approval flow (docs/campaigns.md "Approvals"): request (campaigns.manage) puts it in
// review; approve and activate, or request changes with a message (campaigns.publish, never one's
// own request unless the policy allows it); cancel (campaigns.manage); its requests, newest first.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApprovalView } from '../../access/api-types.ts';
import { deciderOf } from '../../access/approval-decision.ts';
import { notFound } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { CAMPAIGN_KIND } from '../../runtime/campaigns/stored.ts';
import { noteAudit } from '../audit-note.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { ifMatchOf } from '../etag.ts';
import { labelFilter } from '../label-access.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const tags = ['campaigns'];
type IdParams = { Params: { id: string } };

const comment = z.string().trim().max(2000);
const requestSchema = z.object({ comment: comment.optional() }).strict();
const approveSchema = z.object({ comment: comment.optional() }).strict();
const changesSchema = z
  .object({ comment: comment.min(1, 'say what to change, so the requester knows') })
  .strict();

const note = (req: FastifyRequest, action: string, id: string, a: ApprovalView | null): void =>
  noteAudit(req, {
    action: `campaign.approval.${action}`,
    object: { kind: CAMPAIGN_KIND, key: id },
    details: a
      ? {
          approval: a.id,
          ...(a.policy ? { policy: a.policy.name } : {}),
          ...((a.decisionComment ?? a.comment) ? { comment: a.decisionComment ?? a.comment } : {}),
        }
      : { approval: null, activated: true },
  });

export function campaignApprovalRoutes(app: Waymark) {
  const approvals = app.campaignApprovals;

  /** Campaigns under access labels the caller lacks do not exist for it. */
  const mustSee = async (req: FastifyRequest, id: string): Promise<void> => {
    const { c } = await app.campaigns.load(sandboxOf(req), id);
    if (!labelFilter(req)(c.definition.labels)) throw notFound('campaign', id);
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get<IdParams>(
      '/campaigns/:id/approval-requests',
      {
        schema: {
          tags,
          summary:
            "The campaign's approval requests, newest first (its audit trail), and the policy that applies to it now (null: Activate directly)",
        },
        config: { permission: 'campaigns.view' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        await mustSee(req, req.params.id);
        const { c } = await app.campaigns.load(sandbox, req.params.id);
        const policy = await app.campaigns.policyFor(sandbox, c);
        return {
          items: await approvals.list(sandbox, req.params.id),
          policy: policy
            ? {
                name: policy.name,
                allowSelfApproval: policy.allowSelfApproval,
                ...(policy.approvers ? { approvers: policy.approvers } : {}),
              }
            : null,
        };
      },
    );

    f.post<IdParams>(
      '/campaigns/:id/approval-requests',
      {
        schema: {
          tags,
          summary:
            'Request approval of a draft ({comment?}): in review and locked until decided; activated at once when no policy applies (approval: null). With If-Match: only that revision',
          body: openApi(requestSchema),
        },
        config: { permission: 'campaigns.manage' },
      },
      async (req, reply) => {
        const body = parseWith(requestSchema, req.body ?? {}, 'approval request');
        await mustSee(req, req.params.id);
        const r = await approvals.request(
          sandboxOf(req),
          req.params.id,
          body.comment || null,
          principalOf(req).actor,
          ifMatchOf(req)?.revision ?? undefined,
        );
        note(req, 'request', req.params.id, r.approval);
        return reply
          .status(r.approval ? 201 : 200)
          .header('etag', r.campaign.etag)
          .send(r);
      },
    );

    f.post<IdParams>(
      '/campaigns/:id/approve',
      {
        schema: {
          tags,
          summary:
            'Approve and activate a campaign in review ({comment?}); never by the requester unless its policy allows self-approval',
          body: openApi(approveSchema),
        },
        config: { permission: 'campaigns.publish' },
      },
      async (req, reply) => {
        const body = parseWith(approveSchema, req.body ?? {}, 'approval');
        await mustSee(req, req.params.id);
        const r = await approvals.approve(
          sandboxOf(req),
          req.params.id,
          body.comment || null,
          deciderOf(principalOf(req), sandboxOf(req)),
        );
        note(req, 'approve', req.params.id, r.approval);
        return reply.header('etag', r.campaign.etag).send(r);
      },
    );

    f.post<IdParams>(
      '/campaigns/:id/request-changes',
      {
        schema: {
          tags,
          summary: 'Send a campaign in review back to draft with a message ({comment})',
          body: openApi(changesSchema),
        },
        config: { permission: 'campaigns.publish' },
      },
      async (req, reply) => {
        const body = parseWith(changesSchema, req.body, 'request for changes');
        await mustSee(req, req.params.id);
        const r = await approvals.requestChanges(
          sandboxOf(req),
          req.params.id,
          body.comment,
          deciderOf(principalOf(req), sandboxOf(req)),
        );
        note(req, 'reject', req.params.id, r.approval);
        return reply.header('etag', r.campaign.etag).send(r);
      },
    );

    f.post<IdParams>(
      '/campaigns/:id/approval-requests/cancel',
      {
        schema: { tags, summary: 'Withdraw the pending request: the campaign is a draft again' },
        config: { permission: 'campaigns.manage' },
      },
      async (req, reply) => {
        await mustSee(req, req.params.id);
        const r = await approvals.cancel(sandboxOf(req), req.params.id, principalOf(req).actor);
        note(req, 'cancel', req.params.id, r.approval);
        return reply.header('etag', r.campaign.etag).send(r);
      },
    );
  };
}
