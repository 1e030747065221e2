// The canvas toolbar: name, status, save state, undo/redo, layout, modes and lifecycle commands.
import type { JourneyStatus } from '../api/types.ts';
import { useDialogs } from '../app/dialog.tsx';
import { Link } from '../app/shell.tsx';
import type { Mode } from './journey-editor.tsx';
import type { Command, SaveState } from './use-journey.ts';
import { HelpLink } from '../app/help-link.tsx';

/** What the caller may do with the draft's publishing, and the sandbox's approval policy. */
export interface PublishAccess {
  /** journeys.publish: publish, pause, resume, stop, test mode, approve. */
  readonly canPublish: boolean;
  /** journeys.manage: new versions and approval requests. */
  readonly canManage: boolean;
  /** Publishing needs an approval in this sandbox. */
  readonly policy: boolean;
  /** The draft has a pending approval request (read only meanwhile). */
  readonly inReview: boolean;
  /** The caller may approve or reject that request (someone else with journeys.publish). */
  readonly mayDecide: boolean;
  onRequest(): void;
  onDecide(d: 'approve' | 'reject'): void;
}

const SAVE_TEXT: Record<SaveState, string> = {
  new: 'Not saved: add an event',
  saved: 'Saved',
  dirty: 'Unsaved changes',
  saving: 'Saving…',
  error: 'Not saved: see the problems',
  conflict: 'Not saved: someone else saved a newer version',
};

export function Toolbar(p: {
  id: string;
  name: string;
  status: JourneyStatus;
  version: number | undefined;
  saveState: SaveState;
  busy: boolean;
  mode: Mode;
  canUndo: boolean;
  canRedo: boolean;
  readOnly: boolean;
  /** The journey is reloading from the server: nothing can be changed until it shows. */
  reloading?: boolean;
  problems: number;
  access: PublishAccess;
  onMode(m: Mode): void;
  onUndo(): void;
  onRedo(): void;
  onSave(): void;
  onCommand(c: Command): void;
  /** Start (true) or stop (false) a dry run of the draft. */
  onDryRun(enabled: boolean): void;
  onLayout(): void;
  onFit(): void;
}) {
  const dialogs = useDialogs();
  const a = p.access;
  const draft = p.status === 'draft' || p.status === 'test';
  // Publish only with the permission and no approval policy; with the policy, a request instead (and the decision for others).
  const lifecycle: Array<{ c: Command; label: string; when: boolean; danger?: boolean }> = [
    { c: 'publish', label: 'Publish', when: draft && a.canPublish && !a.policy && !a.inReview },
    { c: 'versions', label: 'Create new version', when: !draft && a.canManage },
    { c: 'pause', label: 'Pause', when: p.status === 'live' && a.canPublish },
    { c: 'resume', label: 'Resume', when: p.status === 'paused' && a.canPublish },
    {
      c: 'close',
      label: 'Close to new entrances',
      when: (p.status === 'live' || p.status === 'paused') && a.canPublish,
    },
    {
      c: 'stop',
      label: 'Stop',
      when: (p.status === 'live' || p.status === 'paused') && a.canPublish,
      danger: true,
    },
  ];
  const requestable = draft && a.policy && !a.inReview && a.canManage;
  // While the journey reloads, what a lifecycle command would act on is not on screen yet.
  const blocked = p.busy || p.reloading === true;
  // What the toolbar says of saving (or why nothing can be edited).
  const saveText = p.reloading
    ? 'Reloading…'
    : p.status === 'test'
      ? 'Test mode: leave it to edit'
      : a.inReview
        ? 'Read only'
        : p.readOnly
          ? draft
            ? 'Read only'
            : 'Read only: create a new version to edit'
          : SAVE_TEXT[p.saveState];
  // Dry run (in the More menu): a draft on real traffic, nothing sent; stopped by hand.
  const dryRun =
    p.status === 'draft' && a.canPublish && !a.inReview
      ? { label: 'Dry run', enabled: true }
      : p.status === 'dryRun' && a.canPublish
        ? { label: 'Stop dry run', enabled: false }
        : null;
  const testBlocked =
    p.status !== 'test' &&
    (a.inReview
      ? 'The draft is in review'
      : !a.canPublish
        ? 'Test mode needs the Publish permission'
        : null);
  return (
    <div className="toolbar" role="toolbar" aria-label="Journey">
      {/* The name and its state: on a narrow editor they take the first row and the actions the
          second (a container query, decided before paint); a name longer than its room is cut,
          and shows whole on hover. */}
      <div className="toolbar-title">
        <Link to="/journeys" className="back" title="Back to journeys">
          ←
        </Link>
        <h1 className="journey-name" title={p.name}>
          {p.name}
        </h1>
        <HelpLink topic="journeyEditor" />
        {a.inReview ? (
          <span className="badge status-review" data-testid="review-badge">
            In review
          </span>
        ) : (
          <span className={`badge status-${p.status}`}>
            {p.status === 'dryRun' ? 'dry run' : p.status}
          </span>
        )}
        {p.version !== undefined && <span className="muted">v{p.version}</span>}
        {/* Cut to the toolbar's width: the whole sentence shows on hover. */}
        <span
          className={`save-state ${p.reloading ? 'reloading' : p.saveState}`}
          role="status"
          data-testid="save-state"
          title={p.status === 'dryRun' ? 'Dry run: nothing is sent; stop it to edit' : saveText}
        >
          {p.status === 'dryRun' ? 'Dry run: nothing is sent' : saveText}
        </span>
        {!p.readOnly && p.problems > 0 && p.saveState !== 'error' && (
          <span
            className="badge problems"
            data-testid="problem-count"
            title="Saved as a draft: fix these before publishing (they are listed on the activities)"
          >
            ⚠ {p.problems} {p.problems === 1 ? 'problem' : 'problems'}
          </span>
        )}
      </div>
      <div className="spacer" />
      <div className="segmented" role="group" aria-label="Mode">
        {(['edit', 'test', 'report'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={p.mode === m}
            className={p.mode === m ? 'on' : ''}
            onClick={() => p.onMode(m)}
            disabled={m === 'test' && !!testBlocked && p.mode !== 'test'}
            title={m === 'test' && testBlocked ? testBlocked : undefined}
          >
            {m === 'edit' ? 'Edit' : m === 'test' ? 'Test' : 'Report'}
          </button>
        ))}
      </div>
      <button
        type="button"
        onClick={p.onUndo}
        disabled={!p.canUndo || p.readOnly || p.reloading}
        title="Undo (Ctrl+Z)"
        aria-label="Undo"
      >
        ↶
      </button>
      <button
        type="button"
        onClick={p.onRedo}
        disabled={!p.canRedo || p.readOnly || p.reloading}
        title="Redo (Ctrl+Shift+Z)"
        aria-label="Redo"
      >
        ↷
      </button>
      <button
        type="button"
        onClick={p.onLayout}
        disabled={p.readOnly || p.reloading}
        title="Arrange the activities"
      >
        Auto-layout
      </button>
      <button type="button" onClick={p.onFit} title="Fit to screen">
        Fit
      </button>
      {!p.readOnly && (
        <button type="button" onClick={p.onSave} disabled={p.busy || p.reloading}>
          Save
        </button>
      )}
      {lifecycle
        .filter((l) => l.when && (l.c === 'publish' || l.c === 'versions'))
        .map((l) => (
          <button
            key={l.c}
            type="button"
            className={l.c === 'publish' ? 'primary' : ''}
            disabled={blocked}
            onClick={() => p.onCommand(l.c)}
          >
            {l.label}
          </button>
        ))}
      {requestable && (
        <button type="button" className="primary" disabled={blocked} onClick={a.onRequest}>
          Request approval
        </button>
      )}
      {draft && a.inReview && a.mayDecide && (
        <>
          <button
            type="button"
            className="danger"
            disabled={blocked}
            onClick={() => a.onDecide('reject')}
          >
            Reject
          </button>
          <button
            type="button"
            className="primary"
            disabled={blocked}
            onClick={() => a.onDecide('approve')}
          >
            Approve and publish
          </button>
        </>
      )}
      {(dryRun || lifecycle.some((l) => l.when && l.c !== 'publish' && l.c !== 'versions')) && (
        <details className="more">
          <summary>More</summary>
          <div className="more-menu" role="menu">
            {dryRun && (
              <button
                type="button"
                role="menuitem"
                disabled={blocked}
                title="Run the draft on real profiles and events without sending anything, calling actions or changing profiles"
                onClick={(e) => {
                  (
                    e.currentTarget.closest('details') as HTMLDetailsElement | null
                  )?.removeAttribute('open');
                  p.onDryRun(dryRun.enabled);
                }}
              >
                {dryRun.label}
              </button>
            )}
            {lifecycle
              .filter((l) => l.when && l.c !== 'publish' && l.c !== 'versions')
              .map((l) => (
                <button
                  key={l.c}
                  type="button"
                  role="menuitem"
                  className={l.danger ? 'danger' : ''}
                  disabled={blocked}
                  onClick={(e) => {
                    (
                      e.currentTarget.closest('details') as HTMLDetailsElement | null
                    )?.removeAttribute('open');
                    if (l.c !== 'stop') {
                      p.onCommand(l.c);
                      return;
                    }
                    void dialogs
                      .confirm({
                        title: `Stop ${p.name}?`,
                        body: (
                          <p>
                            Every profile in the journey exits now. A stopped journey cannot be
                            resumed.
                          </p>
                        ),
                        confirmLabel: 'Stop the journey',
                        danger: true,
                      })
                      .then((yes) => {
                        if (yes) p.onCommand('stop');
                      });
                  }}
                >
                  {l.label}
                </button>
              ))}
          </div>
        </details>
      )}
    </div>
  );
}
