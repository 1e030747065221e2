// The canvas toolbar: name, status, save state, undo/redo, layout, modes and lifecycle commands.
// The journey's name comes first: when it would be cut, undo, redo and Auto-layout move into the
// More menu (their keyboard shortcuts keep working), and they come back once the row has room.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MouseEvent as ReactMouseEvent, ReactNode } from 'react';
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

/** The save states whose sentence has a short form for a narrow toolbar (the rest is read aloud). */
const SAVE_SHORT: Partial<Record<SaveState, readonly [shown: string, rest: string]>> = {
  dirty: ['Unsaved', ' changes'],
};

/** Closes the More menu an item of it was chosen from. */
function closeMenu(e: ReactMouseEvent<HTMLElement>): void {
  (e.currentTarget.closest('details') as HTMLDetailsElement | null)?.removeAttribute('open');
}

/**
 * Whether the row folds its editing actions (the elements marked data-fold) into the More menu:
 * when the name is cut with them in the row, until the row's free room (the spacer) holds them
 * again. The widths are read before paint, so the row never flashes the cut name.
 */
function useFold(name: string) {
  const row = useRef<HTMLDivElement>(null);
  const title = useRef<HTMLHeadingElement>(null);
  const spacer = useRef<HTMLDivElement>(null);
  const [folded, setFolded] = useState(false);
  const [cut, setCut] = useState(false);
  // Bumped when the row, the name or the free room change size (the window, a badge, the save state).
  const [resized, setResized] = useState(0);
  // The room the folded actions take in the row (measured while they were in it).
  const room = useRef(0);
  useEffect(() => {
    const ro = new ResizeObserver(() => setResized((n) => n + 1));
    for (const el of [row.current, title.current, spacer.current]) if (el) ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useLayoutEffect(() => {
    const r = row.current;
    const h = title.current;
    const s = spacer.current;
    if (!r || !h || !s) return;
    const over = h.scrollWidth - h.clientWidth > 1;
    if (!folded && over) {
      const gap = parseFloat(getComputedStyle(r).columnGap) || 0;
      room.current = [...r.querySelectorAll<HTMLElement>('[data-fold]')].reduce(
        (a, e) => a + e.getBoundingClientRect().width + gap,
        0,
      );
      setFolded(true);
      return;
    }
    if (folded && !over && s.getBoundingClientRect().width >= room.current) {
      setFolded(false);
      return;
    }
    setCut(over);
  }, [folded, name, resized]);
  return { row, title, spacer, folded, cut: cut ? name : undefined };
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
  const fold = useFold(p.name);
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
  // What the toolbar says of saving (or why nothing can be edited).
  const saveText =
    p.status === 'test'
      ? 'Test mode: leave it to edit'
      : a.inReview
        ? 'Read only'
        : p.readOnly
          ? draft
            ? 'Read only'
            : 'Read only: create a new version to edit'
          : SAVE_TEXT[p.saveState];
  const saveShort = saveText === SAVE_TEXT[p.saveState] ? SAVE_SHORT[p.saveState] : undefined;
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
  const editing = !p.readOnly;
  // The More menu: the lifecycle commands beyond publishing, and the folded editing actions.
  const menuCommands = lifecycle.filter((l) => l.when && l.c !== 'publish' && l.c !== 'versions');
  const commandsInMenu = !!dryRun || menuCommands.length > 0;
  return (
    <div className="toolbar" role="toolbar" aria-label="Journey" ref={fold.row}>
      <Link to="/journeys" className="back" title="Back to journeys">
        ←
      </Link>
      {/* The whole name when it fits; cut with an ellipsis (and the name on hover) when not. */}
      <h1 className="journey-name" ref={fold.title} title={fold.cut}>
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
      {/* Never cut: a long sentence wraps between words; on a narrow screen "Unsaved changes" shows
          as "Unsaved" (the rest is still read aloud, and the whole sentence shows on hover). */}
      <span
        className={`save-state ${p.saveState}`}
        role="status"
        data-testid="save-state"
        title={p.status === 'dryRun' ? 'Dry run: nothing is sent; stop it to edit' : saveText}
      >
        {p.status === 'dryRun' ? (
          'Dry run: nothing is sent'
        ) : saveShort ? (
          <>
            {saveShort[0]}
            <span className="wide-only">{saveShort[1]}</span>
          </>
        ) : (
          saveText
        )}
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
      <div className="spacer" ref={fold.spacer} />
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
      {!fold.folded && (
        <>
          <button
            type="button"
            data-fold
            onClick={p.onUndo}
            disabled={!p.canUndo || !editing}
            title="Undo (Ctrl+Z)"
            aria-label="Undo"
            aria-keyshortcuts="Control+Z"
          >
            ↶
          </button>
          <button
            type="button"
            data-fold
            onClick={p.onRedo}
            disabled={!p.canRedo || !editing}
            title="Redo (Ctrl+Shift+Z)"
            aria-label="Redo"
            aria-keyshortcuts="Control+Shift+Z Control+Y"
          >
            ↷
          </button>
          <button
            type="button"
            data-fold
            onClick={p.onLayout}
            disabled={!editing}
            title="Arrange the activities"
          >
            Auto-layout
          </button>
        </>
      )}
      <button type="button" onClick={p.onFit} title="Fit to screen">
        Fit
      </button>
      {!p.readOnly && (
        <button type="button" onClick={p.onSave} disabled={p.busy}>
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
            disabled={p.busy}
            onClick={() => p.onCommand(l.c)}
          >
            {l.label}
          </button>
        ))}
      {requestable && (
        <button type="button" className="primary" disabled={p.busy} onClick={a.onRequest}>
          Request approval
        </button>
      )}
      {draft && a.inReview && a.mayDecide && (
        <>
          <button
            type="button"
            className="danger"
            disabled={p.busy}
            onClick={() => a.onDecide('reject')}
          >
            Reject
          </button>
          <button
            type="button"
            className="primary"
            disabled={p.busy}
            onClick={() => a.onDecide('approve')}
          >
            Approve and publish
          </button>
        </>
      )}
      {(fold.folded || commandsInMenu) && (
        <MoreMenu>
          {fold.folded && (
            <>
              <button
                type="button"
                role="menuitem"
                disabled={!p.canUndo || !editing}
                title={editing && !p.canUndo ? 'Nothing to undo' : undefined}
                aria-keyshortcuts="Control+Z"
                onClick={(e) => {
                  closeMenu(e);
                  p.onUndo();
                }}
              >
                <span aria-hidden="true">↶ </span>Undo
                <kbd aria-hidden="true">Ctrl+Z</kbd>
              </button>
              <button
                type="button"
                role="menuitem"
                disabled={!p.canRedo || !editing}
                title={editing && !p.canRedo ? 'Nothing to redo' : undefined}
                aria-keyshortcuts="Control+Shift+Z Control+Y"
                onClick={(e) => {
                  closeMenu(e);
                  p.onRedo();
                }}
              >
                <span aria-hidden="true">↷ </span>Redo
                <kbd aria-hidden="true">Ctrl+Shift+Z</kbd>
              </button>
              <button
                type="button"
                role="menuitem"
                disabled={!editing}
                title="Arrange the activities"
                onClick={(e) => {
                  closeMenu(e);
                  p.onLayout();
                }}
              >
                Auto-layout
              </button>
              {commandsInMenu && <hr role="separator" />}
            </>
          )}
          {dryRun && (
            <button
              type="button"
              role="menuitem"
              disabled={p.busy}
              title="Run the draft on real profiles and events without sending anything, calling actions or changing profiles"
              onClick={(e) => {
                closeMenu(e);
                p.onDryRun(dryRun.enabled);
              }}
            >
              {dryRun.label}
            </button>
          )}
          {menuCommands.map((l) => (
            <button
              key={l.c}
              type="button"
              role="menuitem"
              className={l.danger ? 'danger' : ''}
              disabled={p.busy}
              onClick={(e) => {
                closeMenu(e);
                if (l.c !== 'stop') {
                  p.onCommand(l.c);
                  return;
                }
                void dialogs
                  .confirm({
                    title: `Stop ${p.name}?`,
                    body: (
                      <p>
                        Every profile in the journey exits now. A stopped journey cannot be resumed.
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
        </MoreMenu>
      )}
    </div>
  );
}

/** The More menu: a disclosure that closes on a choice, on Escape and on a click elsewhere. */
function MoreMenu(p: { children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (!open) return;
    const el = ref.current;
    const close = (focus: boolean) => {
      el?.removeAttribute('open');
      if (focus) el?.querySelector('summary')?.focus();
    };
    const onDown = (e: PointerEvent) => {
      if (el && !el.contains(e.target as Node)) close(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close(true);
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <details className="more" ref={ref} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>More</summary>
      <div className="more-menu" role="menu">
        {p.children}
      </div>
    </details>
  );
}
