// Approvals for publishing journeys: request (journeys.manage), approve and publish or reject with a
// comment (journeys.publish, never one's own request), cancel (journeys.manage), and the queue.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ApprovalView } from '../../access/api-types.ts';
import { approvalNotifications, deciderOf } from '../../access/approval-decision.ts';
import { can } from '../../access/policy.ts';
import { ErrorCode, notFound, WaymarkError } from '../../errors.ts';
import type { Waymark } from '../../runtime/app.ts';
import { noteAudit } from '../audit-note.ts';
import { labelFilter, visibleBody } from '../label-access.ts';
import { parseWith, sandboxOf } from '../context.ts';
import { principalOf } from '../principal.ts';
import { openApi } from './request-input.ts';

const tags = ['approvals'];
type IdParams = { Params: { id: string } };

const comment = z.string().trim().max(2000);
const requestSchema = z
  .object({ comment: comment.optional(), version: z.number().int().min(1).optional() })
  .strict();
const approveSchema = z.object({ comment: comment.optional() }).strict();
const rejectSchema = z
  .object({ comment: comment.min(1, 'say why, so the requester knows what to change') })
  .strict();
const listSchema = z.object({
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(),
  journey: z.string().min(1).optional(),
});

const note = (req: FastifyRequest, action: string, a: ApprovalView): void =>
  noteAudit(req, {
    action,
    object: { kind: 'journey', key: a.object.id, name: a.object.name },
    details: {
      approval: a.id,
      version: a.object.version,
      ...((a.decisionComment ?? a.comment) ? { comment: a.decisionComment ?? a.comment } : {}),
    },
  });

export function approvalRoutes(app: Waymark) {
  const approvals = app.access.approvals;

  /** Journeys whose access labels the caller lacks do not exist for it: nor do their approval requests. */
  const journeyVisibility = (req: FastifyRequest): ((journeyId: string) => Promise<boolean>) => {
    const visible = visibleBody(labelFilter(req));
    const seen = new Map<string, Promise<boolean>>();
    return (journeyId) => {
      let v = seen.get(journeyId);
      if (!v) {
        v = app.reads
          .getJourneyVersions(sandboxOf(req), journeyId)
          .then(
            (versions) =>
              versions.length === 0 || visible(versions[versions.length - 1]!.definition),
          );
        seen.set(journeyId, v);
      }
      return v;
    };
  };

  /** The request `id` if the caller may see its journey; 404 otherwise. */
  const visibleApproval = async (req: FastifyRequest, id: string): Promise<ApprovalView> => {
    const found = (await approvals.list(sandboxOf(req), {})).find((a) => a.id === id);
    if (!found || !(await journeyVisibility(req)(found.object.id)))
      throw notFound('approval request', id);
    return found;
  };

  return async (f: FastifyInstance): Promise<void> => {
    f.get<{ Querystring: Record<string, string | undefined> }>(
      '/approvals',
      {
        schema: {
          tags,
          summary:
            'Approval requests, newest first (?status=pending|approved|rejected|cancelled, ?journey=<id>)',
        },
        config: { permission: 'journeys.view' },
      },
      async (req) => {
        const q = parseWith(listSchema, req.query, 'query');
        const items = await approvals.list(sandboxOf(req), {
          ...(q.status ? { status: q.status } : {}),
          ...(q.journey ? { journeyId: q.journey } : {}),
        });
        const visible = journeyVisibility(req);
        const shown = await Promise.all(items.map((a) => visible(a.object.id)));
        return { items: items.filter((_, i) => shown[i]) };
      },
    );

    f.get(
      '/approvals/notifications',
      {
        schema: {
          tags,
          summary:
            'Your approval notifications, journeys and campaigns: waitingForYou (pending requests you may decide, oldest first) and yourRequestsDecided (your requests approved or rejected, newest first, the last 20)',
        },
        config: { permission: 'signed-in' },
      },
      async (req) => {
        const sandbox = sandboxOf(req);
        const p = principalOf(req);
        const viewOf = { journey: 'journeys.view', campaign: 'campaigns.view' } as const;
        const publishOf = { journey: 'journeys.publish', campaign: 'campaigns.publish' } as const;
        const journeyVisible = journeyVisibility(req);
        const labels = labelFilter(req);
        const visible = async (a: ApprovalView): Promise<boolean> => {
          if (!can(p, sandbox, viewOf[a.object.kind])) return false;
          if (a.object.kind === 'journey') return journeyVisible(a.object.id);
          try {
            return labels((await app.campaigns.load(sandbox, a.object.id)).c.definition.labels);
          } catch (e) {
            if (e instanceof WaymarkError && e.code === ErrorCode.NotFound) return false;
            throw e;
          }
        };
        const items = await approvals.list(sandbox, {});
        const shown = await Promise.all(items.map(visible));
        return approvalNotifications(
          items.filter((_, i) => shown[i]),
          deciderOf(p, sandbox),
          (kind) => can(p, sandbox, publishOf[kind]),
        );
      },
    );

    f.get<IdParams>(
      '/approvals/:id',
      {
        schema: { tags, summary: 'One approval request' },
        config: { permission: 'journeys.view' },
      },
      async (req) => visibleApproval(req, req.params.id),
    );

    f.post<IdParams>(
      '/journeys/:id/approval-requests',
      {
        schema: {
          tags,
          summary:
            "Ask for the draft's publication to be approved ({comment?, version?}: the latest version by default); the draft is locked until it is decided or cancelled",
          body: openApi(requestSchema),
        },
        config: { permission: 'journeys.manage' },
      },
      async (req, reply) => {
        const body = parseWith(requestSchema, req.body ?? {}, 'approval request');
        const sandbox = sandboxOf(req);
        if (!(await journeyVisibility(req)(req.params.id)))
          throw notFound('journey', req.params.id);
        const version =
          body.version ?? (await app.journeys.get(sandbox, req.params.id)).latest.version;
        const a = await approvals.request(
          sandbox,
          req.params.id,
          version,
          body.comment || null,
          principalOf(req).actor,
        );
        note(req, 'approval.request', a);
        return reply.status(201).send(a);
      },
    );

    f.post<IdParams>(
      '/approvals/:id/approve',
      {
        schema: {
          tags,
          summary:
            'Approve and publish the journey version at once ({comment?}); never by the requester',
          body: openApi(approveSchema),
        },
        config: { permission: 'journeys.publish' },
      },
      async (req) => {
        const body = parseWith(approveSchema, req.body ?? {}, 'approval');
        await visibleApproval(req, req.params.id);
        const a = await approvals.approve(
          sandboxOf(req),
          req.params.id,
          body.comment || null,
          deciderOf(principalOf(req), sandboxOf(req)),
        );
        note(req, 'approval.approve', a);
        return a;
      },
    );

    f.post<IdParams>(
      '/approvals/:id/reject',
      {
        schema: {
          tags,
          summary: 'Reject with a comment ({comment}); the draft can be edited again',
          body: openApi(rejectSchema),
        },
        config: { permission: 'journeys.publish' },
      },
      async (req) => {
        const body = parseWith(rejectSchema, req.body ?? {}, 'rejection');
        await visibleApproval(req, req.params.id);
        const a = await approvals.reject(
          sandboxOf(req),
          req.params.id,
          body.comment,
          deciderOf(principalOf(req), sandboxOf(req)),
        );
        note(req, 'approval.reject', a);
        return a;
      },
    );

    f.post<IdParams>(
      '/approvals/:id/cancel',
      {
        schema: { tags, summary: 'Withdraw a pending request; the draft can be edited again' },
        config: { permission: 'journeys.manage' },
      },
      async (req) => {
        await visibleApproval(req, req.params.id);
        const a = await approvals.cancel(sandboxOf(req), req.params.id, principalOf(req).actor);
        note(req, 'approval.cancel', a);
        return a;
      },
    );
  };
}
