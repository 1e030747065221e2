// A campaign's approval on its review page (docs/campaigns.md "Approvals"): where the sandbox's
// approval policy applies, Request approval takes Activate's place; in review, the campaign is
// locked and someone with the Publish permission approves and activates it or requests changes
// (back to draft, with a message). The banner says who asked, why, and what came back.
import { decisionRefusal, ruleOfRequest } from '@waymark/shared/access/approval-decision.ts';
import { useMemo } from 'react';
import { useDialogs } from '../app/dialog.tsx';
import { useCan, useMe } from '../app/permissions.tsx';
import { useApi } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ActorText, when } from '../admin/admin-common.tsx';
import { sameActor } from '../admin/approval-actions.tsx';
import { CAMPAIGN_PERMISSION, campaignApi } from './campaign-api.ts';
import type { CampaignApprovals, CampaignView } from './campaign-api.ts';

export interface CampaignApprovalState {
  /** The policy that applies now; null: Activate directly. */
  readonly policy: CampaignApprovals['policy'];
  readonly requests: CampaignApprovals['items'];
  readonly loaded: boolean;
}

/** The campaign's requests and policy, read again whenever its status or revision changes. */
export function useCampaignApproval(v: CampaignView | undefined): CampaignApprovalState {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const r = useLoad(
    () => (v ? calls.approvals(v.id) : Promise.resolve(null)),
    [calls, v?.id, v?.status, v?.revision],
  );
  return {
    policy: r.data?.policy ?? null,
    requests: r.data?.items ?? [],
    loaded: r.data !== undefined && r.data !== null,
  };
}

/** The page head's approval buttons: Request approval, or Approve & activate / Request changes / Cancel request. */
export function ApprovalButtons(p: {
  view: CampaignView;
  approval: CampaignApprovalState;
  busy: boolean;
  run(action: () => Promise<CampaignView>): Promise<void>;
}) {
  const api = useApi();
  const calls = useMemo(() => campaignApi(api), [api]);
  const dialogs = useDialogs();
  const me = useMe();
  const canManage = useCan(CAMPAIGN_PERMISSION.manage);
  const canPublish = useCan(CAMPAIGN_PERMISSION.publish);
  const v = p.view;
  const pending = p.approval.requests.find((a) => a.status === 'pending');

  if (v.status === 'draft' && p.approval.policy && canManage) {
    const request = async () => {
      const comment = await dialogs.prompt({
        title: `Request approval of ${v.definition.name}?`,
        label: `What to look at (for the approvers; policy ${p.approval.policy!.name})`,
        confirmLabel: 'Request approval',
      });
      if (comment === null) return;
      await p.run(() => calls.requestApproval(v.id, comment).then((r) => r.campaign));
    };
    return (
      <button
        type="button"
        className="primary"
        disabled={p.busy || v.problems.length > 0}
        title={v.problems.length ? 'Fix the problems below first' : undefined}
        onClick={() => void request()}
      >
        Request approval
      </button>
    );
  }
  if (v.status !== 'inReview' || !pending) return null;
  const mine = sameActor(pending.requestedBy, me?.actor);
  // The server's rule (src/access/approval-decision.ts): not one's own request unless allowed, and
  // only a named approver when the request names some.
  const refusal = me
    ? decisionRefusal(ruleOfRequest(pending), pending.requestedBy, {
        actor: me.actor,
        roles: me.roles,
      })
    : null;
  const selfBlocked = refusal?.reason === 'selfApproval';
  const notNamed = refusal?.reason === 'notAnApprover';
  const approve = async () => {
    const yes = await dialogs.confirm({
      title: `Approve and activate ${v.definition.name}?`,
      body: <p>The campaign is activated at once: it is sent as scheduled.</p>,
      confirmLabel: 'Approve & activate',
    });
    if (yes) await p.run(() => calls.approve(v.id).then((r) => r.campaign));
  };
  const requestChanges = async () => {
    const comment = await dialogs.prompt({
      title: `Request changes to ${v.definition.name}?`,
      label: 'What should change (the requester reads this)',
      confirmLabel: 'Request changes',
      validate: (s) => (s.trim() === '' ? 'Say what to change' : null),
    });
    if (comment !== null)
      await p.run(() => calls.requestChanges(v.id, comment).then((r) => r.campaign));
  };
  return (
    <>
      {mine && canManage && (
        <button
          type="button"
          disabled={p.busy}
          onClick={() => void p.run(() => calls.cancelApproval(v.id).then((r) => r.campaign))}
        >
          Cancel request
        </button>
      )}
      {canPublish && (
        <>
          <button
            type="button"
            disabled={p.busy || notNamed}
            title={notNamed ? refusal?.message : undefined}
            onClick={() => void requestChanges()}
          >
            Request changes
          </button>
          <button
            type="button"
            className="primary"
            disabled={p.busy || selfBlocked || notNamed}
            title={
              selfBlocked
                ? 'Someone else approves your own request'
                : notNamed
                  ? refusal?.message
                  : undefined
            }
            onClick={() => void approve()}
          >
            Approve & activate
          </button>
        </>
      )}
    </>
  );
}

/** Under the head: the request in review, or the changes last requested of a draft. */
export function ApprovalBanner(p: { view: CampaignView; approval: CampaignApprovalState }) {
  const latest = p.approval.requests[0];
  if (!latest) return null;
  if (p.view.status === 'inReview' && latest.status === 'pending')
    return (
      <div className="banner review" role="status" aria-label="In review">
        <span>
          <strong>In review</strong> · requested by <ActorText actor={latest.requestedBy} />{' '}
          {when(latest.requestedAt)}
          {latest.policy && <> · policy {latest.policy.name}</>}
          {latest.comment && <> · “{latest.comment}”</>}
          <span className="muted"> · The campaign cannot be edited until it is decided.</span>
        </span>
      </div>
    );
  if (p.view.status === 'draft' && latest.status === 'rejected')
    return (
      <div className="banner warn" role="status" aria-label="Changes requested">
        <span>
          <strong>Changes requested</strong> by <ActorText actor={latest.decidedBy} />{' '}
          {when(latest.decidedAt)}
          {latest.decisionComment && <> · “{latest.decisionComment}”</>}. Edit the campaign and
          request approval again.
        </span>
      </div>
    );
  return null;
}
