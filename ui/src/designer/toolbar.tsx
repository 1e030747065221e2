// The designer's header: the message name, undo/redo with the step they take back, desktop/mobile,
// the Design | Code | Preview tabs, checks, proofs, a content template's lock on the selection, and
// Done/Save and Close. Read only (a live version's email): no undo, lock or Done, only Close.
import type { LockType } from '@waymark/shared/model/content-template.ts';
import { HelpLink } from '../app/help-link.tsx';

export type DesignerTab = 'design' | 'code' | 'preview';

export interface ToolbarProps {
  readonly title: string;
  readonly dirty: boolean;
  readonly undo: string | null;
  readonly redo: string | null;
  readonly device: 'desktop' | 'mobile';
  readonly tab: DesignerTab;
  readonly checks: boolean;
  readonly applyLabel: string;
  readonly saving: boolean;
  readonly readOnly?: boolean;
  /** For a content template: the lock of the selection (undefined: nothing selected or not a template). */
  readonly lock?: LockType;
  onUndo(): void;
  onRedo(): void;
  onDevice(d: 'desktop' | 'mobile'): void;
  onTab(t: DesignerTab): void;
  onChecks(): void;
  onProof(): void;
  onLock(l: LockType): void;
  onApply(): void;
  onClose(): void;
}

const TABS: ReadonlyArray<[DesignerTab, string]> = [
  ['design', 'Design'],
  ['code', 'Code'],
  ['preview', 'Preview'],
];

export function DesignerToolbar(p: ToolbarProps) {
  return (
    <header className="wm-designer-head">
      <div className="wm-designer-title">
        <span className="muted small wm-designer-kind">
          <span className="wm-designer-kicker">Email designer</span>{' '}
          <HelpLink topic="content" className="small" />
        </span>
        <h2 id="wm-designer-title">
          {p.title}
          {p.dirty && (
            <span className="wm-dirty" title="Unsaved changes">
              {' '}
              •
            </span>
          )}
          {p.readOnly && <span className="wm-readonly-badge">Read only</span>}
        </h2>
      </div>
      {!p.readOnly && (
        <div className="row wm-head-group">
          <button
            type="button"
            aria-label="Undo"
            title={p.undo ? `Undo ${p.undo} (Ctrl+Z)` : 'Nothing to undo'}
            disabled={!p.undo}
            onClick={p.onUndo}
          >
            ↶
          </button>
          <button
            type="button"
            aria-label="Redo"
            title={p.redo ? `Redo ${p.redo} (Ctrl+Shift+Z)` : 'Nothing to redo'}
            disabled={!p.redo}
            onClick={p.onRedo}
          >
            ↷
          </button>
        </div>
      )}
      <div className="row wm-head-group wm-seg" role="group" aria-label="Device">
        <button
          type="button"
          aria-pressed={p.device === 'desktop'}
          onClick={() => p.onDevice('desktop')}
        >
          Desktop
        </button>
        <button
          type="button"
          aria-pressed={p.device === 'mobile'}
          onClick={() => p.onDevice('mobile')}
        >
          Mobile
        </button>
      </div>
      <div className="wm-tabs" role="tablist" aria-label="Designer view">
        {TABS.map(([t, label]) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`wm-tab-${t}`}
            aria-selected={p.tab === t}
            aria-controls="wm-designer-view"
            onClick={() => p.onTab(t)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="row wm-head-group wm-head-end">
        {p.lock !== undefined && !p.readOnly && (
          <label className="wm-lock-select">
            Lock
            <select
              aria-label="Lock"
              value={p.lock}
              onChange={(e) => p.onLock(e.target.value as LockType)}
            >
              <option value="editable">Editable</option>
              <option value="editable-content-only">Content only</option>
              <option value="locked">Locked</option>
            </select>
          </label>
        )}
        <button type="button" aria-pressed={p.checks} onClick={p.onChecks}>
          Check
        </button>
        <button type="button" onClick={p.onProof}>
          Send proof
        </button>
        {!p.readOnly && (
          <button type="button" className="primary" disabled={p.saving} onClick={p.onApply}>
            {p.saving ? 'Saving…' : p.applyLabel}
          </button>
        )}
        {p.readOnly ? (
          <button
            type="button"
            className="primary"
            aria-label="Close designer"
            title="Close (Esc)"
            onClick={p.onClose}
          >
            Close
          </button>
        ) : (
          <button type="button" aria-label="Close designer" title="Close (Esc)" onClick={p.onClose}>
            ✕
          </button>
        )}
      </div>
    </header>
  );
}
