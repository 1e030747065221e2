// Deciding an approval request, shared by the queue (/approvals) and the journey editor: "Approve
// and publish" (an optional comment) and "Reject" (a comment saying why, required). Someone never
// decides their own request, nor one whose named approvers leave them out: the buttons say so
// instead of failing (the server's rule, src/access/approval-decision.ts).
import { useState } from 'react';
import { decisionRefusal, ruleOfRequest } from '@waymark/shared/access/approval-decision.ts';
import type { Actor, ApprovalView } from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import type { Api } from '../api/client.ts';
import { FormDialog } from './admin-common.tsx';

export type Decision = 'approve' | 'reject';

export const sameActor = (a: Actor | null | undefined, b: Actor | null | undefined): boolean =>
  !!a && !!b && a.kind === b.kind && a.id === b.id;

/** Why the caller may not decide the request, or null when it may. */
export function decisionBlock(
  a: ApprovalView,
  /** The caller and the roles it holds in the sandbox (GET /v1/me). */
  me: { readonly actor: Actor; readonly roles: readonly string[] } | null | undefined,
  canPublish: boolean,
): string | null {
  if (a.status !== 'pending') return null;
  if (!canPublish) return 'Deciding needs the Publish permission for journeys.';
  if (sameActor(a.requestedBy, me?.actor))
    return 'You requested this: someone else with the Publish permission approves it.';
  if (me && a.approvers) {
    const refusal = decisionRefusal(ruleOfRequest(a), a.requestedBy, me);
    if (refusal?.reason === 'notAnApprover')
      return `Only the named approvers decide: ${[...a.approvers.users, ...a.approvers.roles.map((r) => `role ${r}`)].join(', ')}.`;
  }
  return null;
}

/** The comment dialog of a decision; resolves through onDone after the server answered. */
export function DecisionDialog(p: {
  api: Api;
  approval: ApprovalView;
  decision: Decision;
  onClose(): void;
  onDone(a: ApprovalView): void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approve = p.decision === 'approve';
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() ? { comment: comment.trim() } : {};
      const r = await p.api.post<ApprovalView>(
        `/v1/approvals/${encodeURIComponent(p.approval.id)}/${p.decision}`,
        body,
      );
      p.onDone(r);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <FormDialog
      title={
        approve
          ? `Approve and publish ${p.approval.object.name}?`
          : `Reject the request for ${p.approval.object.name}?`
      }
      onClose={p.onClose}
    >
      <form
        aria-label={approve ? 'Approve' : 'Reject'}
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <p>
          {approve ? (
            <>Version {p.approval.object.version} goes live now: profiles start entering it.</>
          ) : (
            <>
              The draft goes back to {p.approval.requestedBy.name} to change; your comment tells
              them why.
            </>
          )}
        </p>
        {p.approval.comment && (
          <blockquote className="request-comment">
            <span className="muted small">{p.approval.requestedBy.name} wrote:</span>{' '}
            {p.approval.comment}
          </blockquote>
        )}
        <label>
          {approve ? 'Comment (optional)' : 'Why (required)'}
          <textarea
            autoFocus
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" onClick={p.onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={approve ? 'primary' : 'danger'}
            disabled={busy || (!approve && !comment.trim())}
          >
            {busy ? 'Sending…' : approve ? 'Approve and publish' : 'Reject'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}
