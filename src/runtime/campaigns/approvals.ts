// Campaign approvals (AJO's approval policies with scope Campaigns): where a policy of the sandbox's
// settings applies, Request approval puts the campaign in review (locked); someone holding
// campaigns.publish approves (and so activates it) or requests changes with a message (back to
// draft). The requests are the journey approvals' records (kind `approvalRequest`, object kind
// `campaign`), so one queue (GET /v1/approvals) and one audit trail show both.
import type { ApprovalView } from '../../access/api-types.ts';
import {
  campaignRule,
  decisionRefusal,
  ruleOfRequest,
  type Decider,
} from '../../access/approval-decision.ts';
import type { Actor } from '../../access/policy.ts';
import type { CampaignView } from '../../isomorphic/api/campaigns.ts';
import { ErrorCode, notFound, validationFailed, WaymarkError } from '../../errors.ts';
import type { Store } from '../../store/ports.ts';
import { APPROVAL_KIND } from '../access/approvals.ts';
import type { SandboxRegistry } from '../access/contracts.ts';
import type { Clock } from '../clock.ts';
import { timeOrderedId } from '../engine/ids.ts';
import type { CampaignService } from './service.ts';

/** A decision and the campaign as it is after it. */
export interface CampaignDecision {
  readonly approval: ApprovalView;
  readonly campaign: CampaignView;
}

export class CampaignApprovals {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      campaigns: CampaignService;
      sandboxes: SandboxRegistry;
    },
  ) {
    deps.campaigns.setApprovalPolicies(async (sandbox) => {
      try {
        return (await deps.sandboxes.settings(sandbox)).approvals.campaigns;
      } catch (e) {
        if (e instanceof WaymarkError && e.code === ErrorCode.NotFound) return [];
        throw e;
      }
    });
  }

  private nowIso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }

  /** The campaign's requests, newest first. */
  async list(sandbox: string, campaignId: string): Promise<ApprovalView[]> {
    const all = await this.deps.store.listObjects<ApprovalView>(sandbox, APPROVAL_KIND);
    return all
      .map((o) => o.body)
      .filter((a) => a.object.kind === 'campaign' && a.object.id === campaignId)
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || b.id.localeCompare(a.id));
  }

  async pending(sandbox: string, campaignId: string): Promise<ApprovalView | null> {
    return (await this.list(sandbox, campaignId)).find((a) => a.status === 'pending') ?? null;
  }

  private async mustBePending(sandbox: string, campaignId: string): Promise<ApprovalView> {
    const a = await this.pending(sandbox, campaignId);
    if (!a) throw notFound('pending approval request of campaign', campaignId);
    return a;
  }

  /**
   * Draft → in review. With no policy applying (AJO: none matches at request time) the campaign
   * is activated at once, and the answer says so (`approval` null).
   */
  async request(
    sandbox: string,
    campaignId: string,
    comment: string | null,
    by: Actor,
    expectedRevision?: number,
  ): Promise<{ approval: ApprovalView | null; campaign: CampaignView }> {
    const { c } = await this.deps.campaigns.load(sandbox, campaignId);
    const policy = await this.deps.campaigns.policyFor(sandbox, c);
    if (!policy)
      return {
        approval: null,
        campaign: await this.deps.campaigns.activate(sandbox, campaignId, expectedRevision),
      };
    // A request for a campaign that could not run would only come back: its problems are named now.
    await this.deps.campaigns.mustHaveNoProblems(sandbox, c, 'sent for approval');
    const campaign = await this.deps.campaigns.setReview(
      sandbox,
      campaignId,
      'draft',
      'inReview',
      expectedRevision,
    );
    const at = this.nowIso();
    const { approvers } = campaignRule(policy);
    const approval: ApprovalView = {
      id: `apr_${timeOrderedId()}`,
      sandbox,
      object: {
        kind: 'campaign',
        id: campaignId,
        version: campaign.revision,
        name: c.definition.name,
      },
      policy: { name: policy.name, allowSelfApproval: policy.allowSelfApproval },
      ...(approvers
        ? { approvers: { users: [...approvers.users], roles: [...approvers.roles] } }
        : {}),
      status: 'pending',
      requestedBy: by,
      requestedAt: at,
      comment,
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
    };
    await this.deps.store.putObject(sandbox, APPROVAL_KIND, approval.id, approval, at);
    return { approval, campaign };
  }

  /** Refused (403) when the decider may not decide: their own request (unless the policy allows it), or not a named approver. */
  private mayDecide(a: ApprovalView, campaignId: string, by: Decider): void {
    const refusal = decisionRefusal(ruleOfRequest(a), a.requestedBy, by);
    if (refusal)
      throw new WaymarkError(ErrorCode.Forbidden, refusal.message, {
        details: { approval: a.id, campaign: campaignId, reason: refusal.reason },
      });
  }

  /** In review → activated ("Approve and activate"); only by whom the policy lets decide. */
  async approve(
    sandbox: string,
    campaignId: string,
    comment: string | null,
    by: Decider,
  ): Promise<CampaignDecision> {
    const a = await this.mustBePending(sandbox, campaignId);
    this.mayDecide(a, campaignId, by);
    // Activate first: when it fails (a problem appeared since), the request stays pending.
    const campaign = await this.deps.campaigns.activate(sandbox, campaignId, undefined, {
      approved: true,
    });
    return { approval: await this.decide(sandbox, a, 'approved', by.actor, comment), campaign };
  }

  /** In review → draft, with the message the requester reads ("Request changes"). */
  async requestChanges(
    sandbox: string,
    campaignId: string,
    comment: string,
    by: Decider,
  ): Promise<CampaignDecision> {
    if (comment.trim() === '')
      throw validationFailed('requesting changes needs a message', [
        { path: 'comment', message: 'say what to change', expected: 'text', received: 'nothing' },
      ]);
    const a = await this.mustBePending(sandbox, campaignId);
    this.mayDecide(a, campaignId, by);
    const campaign = await this.deps.campaigns.setReview(sandbox, campaignId, 'inReview', 'draft');
    return { approval: await this.decide(sandbox, a, 'rejected', by.actor, comment), campaign };
  }

  /** The requester (or anyone managing campaigns) withdraws the request: back to draft. */
  async cancel(sandbox: string, campaignId: string, by: Actor): Promise<CampaignDecision> {
    const a = await this.mustBePending(sandbox, campaignId);
    const campaign = await this.deps.campaigns.setReview(sandbox, campaignId, 'inReview', 'draft');
    return { approval: await this.decide(sandbox, a, 'cancelled', by, null), campaign };
  }

  private async decide(
    sandbox: string,
    a: ApprovalView,
    status: ApprovalView['status'],
    by: Actor,
    comment: string | null,
  ): Promise<ApprovalView> {
    const decidedAt = this.nowIso();
    const next: ApprovalView = {
      ...a,
      status,
      decidedBy: by,
      decidedAt,
      decisionComment: comment,
    };
    await this.deps.store.putObject(sandbox, APPROVAL_KIND, a.id, next, decidedAt);
    return next;
  }
}
