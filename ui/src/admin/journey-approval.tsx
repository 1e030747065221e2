// The approval flow on the journey canvas: whether the sandbox's policy asks for approval before
// publishing, the draft's pending request (the draft is in review and read only meanwhile), the
// last decision on it (a rejection's comment), and the dialogs to ask and to decide.
import { useCallback, useState } from 'react';
import type { Actor, ApprovalView, SandboxView } from '@waymark/shared/api/access.ts';
import { errorText } from '../api/client.ts';
import type { Api } from '../api/client.ts';
import { useCan, useMe } from '../app/permissions.tsx';
import { useSession } from '../app/session.tsx';
import { useLoad } from '../app/use-load.ts';
import { ActorText, FormDialog, itemsOf, when } from './admin-common.tsx';
import { DecisionDialog, decisionBlock, sameActor } from './approval-actions.tsx';
import type { Decision } from './approval-actions.tsx';

export interface JourneyApproval {
  /** Publishing in this sandbox needs an approval. */
  readonly policy: boolean;
  /** The pending request of the journey's draft, if any. */
  readonly pending: ApprovalView | null;
  /** The latest decided request of this version (shown when it was rejected). */
  readonly lastDecided: ApprovalView | null;
  readonly canPublish: boolean;
  readonly canManage: boolean;
  readonly me: Actor | null;
  /** Why the caller may not decide the pending request, or null. */
  readonly block: string | null;
  readonly mine: boolean;
  /** Whether the policy and the requests are known: until then a draft in review would look editable. */
  readonly loaded: boolean;
  reload(): void;
}

export function useJourneyApproval(
  api: Api,
  journeyId: string,
  version: number | undefined,
): JourneyApproval {
  const { sandbox } = useSession();
  const me = useMe();
  const canPublish = useCan('journeys.publish');
  const canManage = useCan('journeys.manage');
  const settings = useLoad(
    () =>
      api
        .get<SandboxView>(`/v1/sandboxes/${encodeURIComponent(sandbox)}`)
        .then((s) => s.settings.approvals.journeyPublish)
        .catch(() => false),
    [api, sandbox],
  );
  const list = useLoad(
    () =>
      api
        .get<unknown>(`/v1/approvals?journey=${encodeURIComponent(journeyId)}`)
        .then((r) => itemsOf<ApprovalView>(r))
        .catch(() => [] as ApprovalView[]),
    [api, journeyId, version],
  );
  const mineForJourney = (list.data ?? []).filter((a) => a.object.id === journeyId);
  const pending = mineForJourney.find((a) => a.status === 'pending') ?? null;
  const lastDecided =
    mineForJourney
      .filter((a) => a.status !== 'pending' && a.object.version === version)
      .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''))[0] ?? null;
  const { reload: reloadSettings } = settings;
  const { reload: reloadList } = list;
  const reload = useCallback(() => {
    reloadSettings();
    reloadList();
  }, [reloadSettings, reloadList]);
  return {
    policy: settings.data === true,
    pending,
    lastDecided,
    canPublish,
    canManage,
    me: me?.actor ?? null,
    block: pending ? decisionBlock(pending, me, canPublish) : null,
    mine: !!pending && sameActor(pending.requestedBy, me?.actor),
    loaded: settings.data !== undefined && list.data !== undefined,
    reload,
  };
}

/** Asks for approval of the draft, with an optional comment for the approver. */
export function RequestApprovalDialog(p: {
  api: Api;
  journeyId: string;
  name: string;
  version: number | undefined;
  beforeSend(): Promise<void>;
  onClose(): void;
  onDone(): void;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await p.beforeSend();
      await p.api.post(
        `/v1/journeys/${encodeURIComponent(p.journeyId)}/approval-requests`,
        comment.trim() ? { comment: comment.trim() } : {},
      );
      p.onDone();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <FormDialog title={`Request approval to publish ${p.name}`} onClose={p.onClose}>
      <form
        aria-label="Request approval"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <p>
          Publishing in this sandbox needs an approval by someone else with the Publish permission.{' '}
          {p.version ? `Version ${p.version}` : 'The draft'} is read only while it is in review.
        </p>
        <label>
          Note for the approver (optional)
          <textarea
            autoFocus
            rows={3}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="What changed, and why it should go live"
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
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sending…' : 'Request approval'}
          </button>
        </div>
      </form>
    </FormDialog>
  );
}

/** Under the toolbar: the request in review (who, when, why; cancel for the requester) or the last rejection. */
export function ApprovalBanner(p: { api: Api; approval: JourneyApproval; onChanged(): void }) {
  const a = p.approval;
  const [error, setError] = useState<string | null>(null);
  if (a.pending) {
    const r = a.pending;
    const cancel = () => {
      setError(null);
      p.api
        .post(`/v1/approvals/${encodeURIComponent(r.id)}/cancel`)
        .then(p.onChanged, (e: unknown) => setError(errorText(e)));
    };
    return (
      <div className="banner review" role="status" aria-label="In review">
        <span>
          <strong>In review</strong> · requested by <ActorText actor={r.requestedBy} />{' '}
          {when(r.requestedAt)}
          {r.comment && <> · “{r.comment}”</>}
          {a.block && !a.mine && <span className="muted"> · {a.block}</span>}
          {a.mine && (
            <span className="muted">
              {' '}
              · Someone else with the Publish permission approves it; the draft is read only until
              then.
            </span>
          )}
          {error && <span className="error"> {error}</span>}
        </span>
        {a.mine && a.canManage && (
          <button type="button" onClick={cancel}>
            Cancel request
          </button>
        )}
      </div>
    );
  }
  if (a.lastDecided?.status === 'rejected') {
    const r = a.lastDecided;
    return (
      <div className="banner warn" role="status" aria-label="Rejected">
        <span>
          <strong>Rejected</strong> by <ActorText actor={r.decidedBy} /> {when(r.decidedAt)}
          {r.decisionComment && <> · “{r.decisionComment}”</>}. Change the draft and request
          approval again.
        </span>
      </div>
    );
  }
  return null;
}

export { DecisionDialog };
export type { Decision };
