// Approvals (/approvals): first what concerns the caller (GET /v1/approvals/notifications): the
// requests waiting for them to decide, and their own requests decided; then the sandbox's journey
// and campaign requests, pending first; each names the object (a link to it), the version, who
// asked, when and why. Those with the Publish permission (and named by the policy, when it names
// approvers) approve (which publishes) or reject with a comment, never their own request.
import { useState } from 'react';
import type { ApprovalNotifications, ApprovalView } from '@waymark/shared/api/access.ts';
import { usePageTitle } from '../app/page-title.ts';
import { useCan, useMe } from '../app/permissions.tsx';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { ActorText, itemsOf, when } from './admin-common.tsx';
import { DecisionDialog, decisionBlock } from './approval-actions.tsx';
import type { Decision } from './approval-actions.tsx';
import { HelpLink } from '../app/help-link.tsx';

const STATUS_TEXT: Record<ApprovalView['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** The requested object's page. */
const objectPath = (a: ApprovalView): string =>
  `/${a.object.kind === 'campaign' ? 'campaigns' : 'journeys'}/${encodeURIComponent(a.object.id)}`;

export function ApprovalStatus(p: { status: ApprovalView['status'] }) {
  return <span className={`badge approval-status ${p.status}`}>{STATUS_TEXT[p.status]}</span>;
}

/** Pending first (oldest waiting first), then the decided ones, newest decision first. */
export function queueOrder(list: readonly ApprovalView[]): ApprovalView[] {
  const pending = list
    .filter((a) => a.status === 'pending')
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  const done = list
    .filter((a) => a.status !== 'pending')
    .sort((a, b) => (b.decidedAt ?? b.requestedAt).localeCompare(a.decidedAt ?? a.requestedAt));
  return [...pending, ...done];
}

/** One line of a notification list: the object (a link), and who asked or who decided. */
function NoticeItem(p: { a: ApprovalView; decided?: boolean }) {
  const { a } = p;
  return (
    <li>
      <Link to={objectPath(a)}>{a.object.name}</Link>{' '}
      <span className="muted small">
        {a.object.kind === 'campaign' ? 'campaign' : `journey v${a.object.version}`}
        {p.decided
          ? ` · ${STATUS_TEXT[a.status].toLowerCase()}${a.decidedBy ? ` by ${a.decidedBy.name}` : ''}${a.decidedAt ? `, ${when(a.decidedAt)}` : ''}`
          : ` · asked by ${a.requestedBy.name}, ${when(a.requestedAt)}`}
      </span>
      {p.decided && a.decisionComment && <div className="small">{a.decisionComment}</div>}
    </li>
  );
}

/** What waits for the caller, and the caller's requests decided. */
function Notifications(p: { data: ApprovalNotifications | null }) {
  if (!p.data) return null;
  return (
    <div className="admin-columns approval-notifications">
      <div className="card" role="region" aria-label="Waiting for you">
        <h2>Waiting for you</h2>
        <ul className="plain">
          {p.data.waitingForYou.map((a) => (
            <NoticeItem key={a.id} a={a} />
          ))}
          {p.data.waitingForYou.length === 0 && (
            <li className="muted">Nothing waits for your decision.</li>
          )}
        </ul>
      </div>
      <div className="card" role="region" aria-label="Your requests decided">
        <h2>Your requests decided</h2>
        <ul className="plain">
          {p.data.yourRequestsDecided.map((a) => (
            <NoticeItem key={a.id} a={a} decided />
          ))}
          {p.data.yourRequestsDecided.length === 0 && (
            <li className="muted">None of your requests is decided yet.</li>
          )}
        </ul>
      </div>
    </div>
  );
}

export function ApprovalsPage(_props: { selected?: string }) {
  const api = useApi();
  const me = useMe();
  const canPublish = useCan('journeys.publish');
  const list = useLoad(
    () => api.get<unknown>('/v1/approvals').then((r) => itemsOf<ApprovalView>(r)),
    [api],
  );
  const notifications = useLoad(
    () => api.get<ApprovalNotifications>('/v1/approvals/notifications'),
    [api],
  );
  const [deciding, setDeciding] = useState<{ approval: ApprovalView; decision: Decision } | null>(
    null,
  );
  const [notice, setNotice] = useState<string | null>(null);
  const [showDecided, setShowDecided] = useState(true);
  usePageTitle('Approvals');
  const all = queueOrder(list.data ?? []);
  const pending = all.filter((a) => a.status === 'pending');
  const shown = showDecided ? all : pending;

  return (
    <section className="page admin approvals">
      <div className="page-head">
        <h1>Approvals</h1>
        <HelpLink topic="approvals" />
        <span className="muted" role="status">
          {list.data
            ? pending.length === 0
              ? 'Nothing waiting'
              : `${pending.length} waiting`
            : ''}
        </span>
      </div>
      <p className="muted page-intro">
        When a sandbox's approval policy is on, journeys are published only after someone other than
        the requester, with the Publish permission, approves. Turn it on in the sandbox's settings.
        Campaigns under a campaign approval policy are listed too, and decided on their review page.
      </p>
      <Notifications data={notifications.data ?? null} />
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={showDecided}
          onChange={(e) => setShowDecided(e.target.checked)}
        />{' '}
        Show decided requests
      </label>
      <table className="grid list admin-table" aria-label="Approval requests">
        <thead>
          <tr>
            <th>Journey or campaign</th>
            <th>Version</th>
            <th>Requested by</th>
            <th>Requested</th>
            <th>Comment</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => {
            const block = decisionBlock(a, me, canPublish);
            return (
              <tr key={a.id} className={`approval-${a.status}`}>
                <td>
                  <Link to={objectPath(a)}>{a.object.name}</Link>
                </td>
                <td>{a.object.kind === 'campaign' ? 'Campaign' : `v${a.object.version}`}</td>
                <td>
                  <ActorText actor={a.requestedBy} />
                </td>
                <td className="nowrap">{when(a.requestedAt)}</td>
                <td className="comment-cell">
                  {a.comment ?? <span className="muted">—</span>}
                  {a.decisionComment && (
                    <div className="small">
                      <span className="muted">{a.decidedBy?.name}: </span>
                      {a.decisionComment}
                    </div>
                  )}
                </td>
                <td>
                  <ApprovalStatus status={a.status} />
                  {a.decidedAt && (
                    <div className="muted small">
                      {when(a.decidedAt)}
                      {a.decidedBy ? ` · ${a.decidedBy.name}` : ''}
                    </div>
                  )}
                </td>
                <td>
                  {a.status === 'pending' &&
                    // A campaign is decided on its own page, where it is reviewed read-only.
                    (a.object.kind === 'campaign' ? (
                      <Link className="button" to={objectPath(a)}>
                        Review campaign
                      </Link>
                    ) : block ? (
                      <span className="muted small decide-block">{block}</span>
                    ) : (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="primary"
                          onClick={() => setDeciding({ approval: a, decision: 'approve' })}
                        >
                          Approve and publish
                        </button>
                        <button
                          type="button"
                          className="danger"
                          onClick={() => setDeciding({ approval: a, decision: 'reject' })}
                        >
                          Reject
                        </button>
                      </div>
                    ))}
                </td>
              </tr>
            );
          })}
          {list.data && shown.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                No request {showDecided ? 'yet' : 'waiting'}.
              </td>
            </tr>
          )}
          {!list.data && list.loading && (
            <tr>
              <td colSpan={7} className="muted">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {deciding && (
        <DecisionDialog
          api={api}
          approval={deciding.approval}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDone={(a) => {
            setDeciding(null);
            setNotice(
              a.status === 'approved'
                ? `${a.object.name} v${a.object.version} is approved and live.`
                : `The request for ${a.object.name} is rejected.`,
            );
            list.reload();
            notifications.reload();
          }}
        />
      )}
    </section>
  );
}
