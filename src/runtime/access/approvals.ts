// Approvals for publishing journeys (AJO's journey approval policy): where a sandbox's settings ask
// for it, only an approval by someone else with journeys.publish publishes a draft; approving
// publishes it at once ("Approve and activate"). Requests are stored with the sandbox's objects
// (kind `approvalRequest`, not one of the public object kinds), so a reset or delete takes them too.
import type { ApprovalView } from '../../access/api-types.ts';
import {
  decisionRefusal,
  journeyRule,
  ruleOfRequest,
  type Decider,
} from '../../access/approval-decision.ts';
import type { Actor } from '../../access/policy.ts';
import { ErrorCode, notFound, validationFailed, WaymarkError } from '../../errors.ts';
import { JourneyStatus } from '../../model/journey.ts';
import type { Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import { timeOrderedId } from '../engine/ids.ts';
import type { JourneyService } from '../journeys.ts';
import type { Approvals, AuditLog, SandboxRegistry } from './contracts.ts';

export const APPROVAL_KIND = 'approvalRequest';

/** A version an approval may publish: a draft, in test mode or not. */
const publishable = (status: string): boolean =>
  status === JourneyStatus.Draft || status === JourneyStatus.Test;

export function createApprovals(deps: {
  store: Store;
  clock: Clock;
  journeys: JourneyService;
  sandboxes: SandboxRegistry;
  audit: AuditLog;
}): Approvals {
  const { store, clock, journeys, sandboxes, audit } = deps;
  const nowIso = (): string => new Date(clock.now()).toISOString();

  async function all(sandbox: string): Promise<ApprovalView[]> {
    const items = (await store.listObjects<ApprovalView>(sandbox, APPROVAL_KIND)).map(
      (o) => o.body,
    );
    // Ids are time-ordered: requests made in the same millisecond still come newest first.
    return items.sort((a, b) =>
      a.requestedAt === b.requestedAt
        ? b.id.localeCompare(a.id)
        : b.requestedAt.localeCompare(a.requestedAt),
    );
  }

  async function load(sandbox: string, id: string): Promise<ApprovalView> {
    const o = await store.getObject<ApprovalView>(sandbox, APPROVAL_KIND, id);
    if (!o) throw notFound('approval request', id);
    // Campaign requests share the queue but are decided where their campaign is (activation differs).
    if (o.body.object.kind !== 'journey')
      throw new WaymarkError(
        ErrorCode.Conflict,
        `approval request ${id} is for campaign "${o.body.object.id}": decide it with POST /v1/campaigns/${o.body.object.id}/approve or /request-changes`,
        { details: { approval: id, campaign: o.body.object.id } },
      );
    return o.body;
  }

  /** Refused (403) when the decider may not decide this request: their own, or not a named approver. */
  function mayDecide(a: ApprovalView, by: Decider): void {
    const refusal = decisionRefusal(ruleOfRequest(a), a.requestedBy, by);
    if (refusal)
      throw new WaymarkError(ErrorCode.Forbidden, refusal.message, {
        details: { approval: a.id, reason: refusal.reason },
      });
  }

  function mustBePending(a: ApprovalView): void {
    if (a.status !== 'pending')
      throw new WaymarkError(ErrorCode.Conflict, `the approval request is already ${a.status}`, {
        details: { approval: a.id, status: a.status },
      });
  }

  async function decide(
    sandbox: string,
    a: ApprovalView,
    status: ApprovalView['status'],
    by: Actor,
    comment: string | null,
  ): Promise<ApprovalView> {
    const next: ApprovalView = {
      ...a,
      status,
      decidedBy: by,
      decidedAt: nowIso(),
      decisionComment: comment,
    };
    await store.putObject(sandbox, APPROVAL_KIND, a.id, next, next.decidedAt!);
    return next;
  }

  const approvals: Approvals = {
    async required(sandbox) {
      try {
        return (await sandboxes.settings(sandbox)).approvals.journeyPublish;
      } catch (e) {
        if (e instanceof WaymarkError && e.code === ErrorCode.NotFound) return false;
        throw e;
      }
    },

    async request(sandbox, journeyId, version, comment, by) {
      const j = await journeys.get(sandbox, journeyId);
      const v = j.latest;
      if (v.version !== version || !publishable(v.status)) {
        throw new WaymarkError(
          ErrorCode.Conflict,
          `only the draft can be sent for approval; version ${version} of "${journeyId}" is ${v.version === version ? v.status : 'not the latest'}`,
          { details: { journey: journeyId, version } },
        );
      }
      const problems = await journeys.validate(sandbox, v.definition);
      if (problems.length > 0)
        throw validationFailed(
          `journey "${journeyId}" v${version} has ${problems.length} problem(s) to fix before it can be sent for approval`,
          problems.map((p) => ({ path: p.path, message: p.message })),
        );
      const pending = await approvals.pendingFor(sandbox, journeyId, version);
      if (pending)
        throw new WaymarkError(
          ErrorCode.Conflict,
          `version ${version} of "${journeyId}" is already in review`,
          { details: { approval: pending.id } },
        );
      const at = nowIso();
      // The sandbox's named approvers, as they are now, decide this request.
      const { approvers } = journeyRule(
        await sandboxes
          .settings(sandbox)
          .then((s) => s.approvals.journeyApprovers)
          .catch((e: unknown) => {
            if (e instanceof WaymarkError && e.code === ErrorCode.NotFound) return null;
            throw e;
          }),
      );
      const a: ApprovalView = {
        id: `apr_${timeOrderedId()}`,
        sandbox,
        object: { kind: 'journey', id: journeyId, version, name: v.definition.name },
        ...(approvers ? { approvers } : {}),
        status: 'pending',
        requestedBy: by,
        requestedAt: at,
        comment,
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
      };
      await store.putObject(sandbox, APPROVAL_KIND, a.id, a, at);
      return a;
    },

    async approve(sandbox, id, comment, by) {
      const a = await load(sandbox, id);
      mustBePending(a);
      mayDecide(a, by);
      const latest = (await journeys.get(sandbox, a.object.id)).latest;
      if (latest.version !== a.object.version || !publishable(latest.status)) {
        throw new WaymarkError(
          ErrorCode.Conflict,
          `version ${a.object.version} of "${a.object.id}" is no longer the draft: cancel this request`,
          { details: { approval: id } },
        );
      }
      // Publish first: when it fails (the draft has problems by now), the request stays pending.
      await journeys.publish(sandbox, a.object.id, undefined, { approved: true });
      const decided = await decide(sandbox, a, 'approved', by.actor, comment);
      await audit.record({
        sandbox,
        actor: by.actor,
        action: 'journey.publish',
        object: { kind: 'journey', key: a.object.id, name: a.object.name },
        details: { version: a.object.version, approval: id },
      });
      return decided;
    },

    async reject(sandbox, id, comment, by) {
      if (comment === null || comment.trim() === '')
        throw validationFailed('a rejection needs a comment', [
          { path: 'comment', message: 'say what to change', expected: 'text', received: 'nothing' },
        ]);
      const a = await load(sandbox, id);
      mustBePending(a);
      mayDecide(a, by);
      return decide(sandbox, a, 'rejected', by.actor, comment);
    },

    async cancel(sandbox, id, by) {
      const a = await load(sandbox, id);
      mustBePending(a);
      return decide(sandbox, a, 'cancelled', by, null);
    },

    async list(sandbox, filter) {
      return (await all(sandbox)).filter(
        (a) =>
          (filter.status === undefined || a.status === filter.status) &&
          (filter.journeyId === undefined ||
            (a.object.kind === 'journey' && a.object.id === filter.journeyId)),
      );
    },

    async pendingFor(sandbox, journeyId, version) {
      return (
        (await all(sandbox)).find(
          (a) =>
            a.status === 'pending' &&
            a.object.kind === 'journey' &&
            a.object.id === journeyId &&
            a.object.version === version,
        ) ?? null
      );
    },
  };
  journeys.setPublishGate(approvals);
  return approvals;
}
