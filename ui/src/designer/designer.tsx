// The email designer: a full-screen modal editor over the journey editor or an object page. It owns
// the state (content, a template's governance, undo history), implements DesignerApi for the panels
// and drawers, and mounts them: left rail (components, assets, fragments), canvas, properties.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { EmailContent, LeafBlock } from '@waymark/shared/model/message-content.ts';
import type { Governance, LockType } from '@waymark/shared/model/content-template.ts';
import { errorText } from '../api/client.ts';
import { useDialogs } from '../app/dialog.tsx';
import { useLeaveGuard } from '../app/router.ts';
import { useApi } from '../app/session.tsx';
import type { Catalog } from '../canvas/catalog.ts';
import { DesignerContext } from './contracts.ts';
import type { DesignerApi, DesignerHost, DragPayload, PersonalizeRequest } from './contracts.ts';
import { Canvas, parentOf } from './canvas.tsx';
import { CanvasData } from './canvas-context.ts';
import type { BlockOp, CanvasDataApi } from './canvas-context.ts';
import {
  allIds,
  canInsert,
  canMove,
  canRemove,
  docOf,
  duplicate,
  insertPayload,
  locate,
  lockOf,
  moveBy,
  remove,
  updateBlock,
  withDoc,
} from './doc-ops.ts';
import type { Applied, Target } from './doc-ops.ts';
import { initialState, isDirty, redoLabel, reduce, undoLabel } from './state.ts';
import { DesignerToolbar } from './toolbar.tsx';
import type { DesignerTab } from './toolbar.tsx';
import { Palette } from './palette.tsx';
import { AssetsDrawer } from './drawers/assets-drawer.tsx';
import { FragmentsDrawer } from './drawers/fragments-drawer.tsx';
import { PersonalizationDialog } from './drawers/personalization-dialog.tsx';
import { LocalesBar } from './locales/locales-bar.tsx';
import { PreviewPanel } from './preview/preview-panel.tsx';
import { ChecksPanel } from './preview/checks-panel.tsx';
import { ProofDialog } from './preview/proof-dialog.tsx';
import { RichTextEditor } from './properties/rich-text.tsx';
import { PropertiesPanel } from './properties/properties-panel.tsx';
import { CodeView } from './code/code-view.tsx';
import { VariantPreviewProvider } from './properties/variant-preview.ts';
import { DesignerReadOnly, READ_ONLY_MESSAGE } from './read-only.ts';
import './designer.css';

export interface DesignerProps {
  readonly host: DesignerHost;
  /** The message's name in the header. */
  readonly title: string;
  readonly content: EmailContent;
  readonly governance?: Governance;
  /** The message was made from a template whose locks apply. */
  readonly locksApply?: boolean;
  readonly catalog: Catalog;
  /** "Done" (a journey: the draft takes the content) or "Save" (an object is written). */
  readonly applyLabel: 'Done' | 'Save';
  /** Applies or saves; a rejection keeps the designer open with the message shown. */
  onApply(content: EmailContent, governance: Governance | undefined): Promise<void> | void;
  onClose(): void;
  /** A live or closed version's message: it is looked at (preview, code, checks), never changed; only Close. */
  readonly readOnly?: boolean;
}

type Drawer = 'components' | 'assets' | 'fragments';
const DEFAULT_GOVERNANCE: Governance = {
  mode: 'content-locking',
  addition: 'structure-and-content',
  locks: {},
  allowDelete: [],
  fields: {},
};

interface Listed<S> {
  key: string;
  spec: S;
}
type FragmentSpec = { name?: string; content?: { type?: string; blocks?: LeafBlock[] } };
type AssetSpec = { name?: string; url?: string; alt?: string };

/** The sandbox's fragments and assets, fetched once per opening (the canvas draws fragment blocks and asset images). */
function useLibrary(): { data: CanvasDataApi; assetAlt(id: string): string | undefined } {
  const api = useApi();
  const [frags, setFrags] = useState<ReadonlyMap<string, FragmentSpec> | null>(null);
  const [assets, setAssets] = useState<ReadonlyMap<string, AssetSpec>>(new Map());
  useEffect(() => {
    let live = true;
    api.get<{ items: Array<Listed<FragmentSpec>> }>('/v1/fragments').then(
      (r) => {
        if (live) setFrags(new Map(r.items.map((o) => [o.key, o.spec])));
      },
      () => {
        if (live) setFrags(new Map());
      },
    );
    api.get<{ items: Array<Listed<AssetSpec>> }>('/v1/assets').then(
      (r) => {
        if (live) setAssets(new Map(r.items.map((o) => [o.key, o.spec])));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  const sandbox = api.conn.sandbox;
  const data = useMemo<CanvasDataApi>(
    () => ({
      fragment: (id) => {
        if (frags === null) return undefined;
        const f = frags.get(id);
        return f?.content?.type === 'visual' && Array.isArray(f.content.blocks)
          ? { name: f.name ?? id, blocks: f.content.blocks }
          : null;
      },
      fragmentName: (id) => frags?.get(id)?.name ?? id,
      assetUrl: (id, width) => {
        const u = assets.get(id)?.url;
        const w = `width=${width ?? 600}`;
        if (u && u.includes('/assets/')) return `${u}${u.includes('?') ? '&' : '?'}${w}`;
        return u && !u.includes('.example/')
          ? u
          : `/assets/${encodeURIComponent(sandbox)}/${encodeURIComponent(id)}?${w}`;
      },
      assetName: (id) => assets.get(id)?.name,
    }),
    [frags, assets, sandbox],
  );
  const assetAlt = useCallback(
    (id: string) => assets.get(id)?.alt ?? assets.get(id)?.name,
    [assets],
  );
  return { data, assetAlt };
}

const editable = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  !!t.closest('input, textarea, select, [contenteditable="true"], .cm-editor');

export function Designer(p: DesignerProps) {
  const dialogs = useDialogs();
  const [state, dispatch] = useReducer(reduce, undefined, () =>
    initialState(p.content, p.governance),
  );
  const [selection, setSelection] = useState<string | null>(null);
  const [locale, setLocale] = useState<string | null>(null);
  const [device, setDevice] = useState<'desktop' | 'mobile'>('desktop');
  const [tab, setTab] = useState<DesignerTab>('design');
  const [drawer, setDrawer] = useState<Drawer>('components');
  const [checks, setChecks] = useState(false);
  const [proof, setProof] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [asking, setAsking] = useState<{
    req: PersonalizeRequest;
    resolve(v: string | null): void;
  } | null>(null);
  const lib = useLibrary();
  const latest = useRef({ state, locale, selection });
  latest.current = { state, locale, selection };
  const readOnly = !!p.readOnly;
  const isTemplate = p.host.kind === 'content-template';
  const locksApply = !!p.locksApply && !isTemplate;
  const doc = docOf(state.content, locale);

  /** One undoable document step computed from the newest state; selects what it returns. */
  const applyDoc = useCallback((f: (d: ReturnType<typeof docOf>) => Applied | null) => {
    const { state: s, locale: l } = latest.current;
    const r = f(docOf(s.content, l));
    if (!r) return false;
    dispatch({ type: 'apply', next: (c) => withDoc(c, l, r.doc), label: r.label, at: Date.now() });
    setSelection(r.selected);
    return true;
  }, []);

  const gov = () => (locksApply ? latest.current.state.governance : undefined);

  const drop = useCallback(
    (payload: DragPayload, t: Target) => {
      if (readOnly) {
        setError(READ_ONLY_MESSAGE);
        return;
      }
      const d = docOf(latest.current.state.content, latest.current.locale);
      if (!canInsert(d, locksApply ? latest.current.state.governance : undefined, payload, t)) {
        setError('The template does not allow that here.');
        return;
      }
      setError(null);
      applyDoc((x) => insertPayload(x, payload, t, { assetAlt: lib.assetAlt }));
    },
    [applyDoc, lib.assetAlt, locksApply, readOnly],
  );

  const insert = useCallback(
    (payload: DragPayload) => {
      const d = docOf(latest.current.state.content, latest.current.locale);
      const sel = latest.current.selection;
      const at = sel ? locate(d, sel) : null;
      let t: Target = { kind: 'body', index: d.body.length };
      // An asset inserted while an empty image is selected fills it; "Use for selected image" replaces a picture.
      if (
        payload.type === 'asset' &&
        at?.kind === 'block' &&
        at.block.kind === 'image' &&
        !at.block.assetId &&
        !at.block.src
      )
        t = { kind: 'onto', id: at.block.id };
      else if (at?.kind === 'block')
        t =
          payload.type === 'structure'
            ? { kind: 'body', index: d.body.indexOf(at.structure) + 1 }
            : { kind: 'list', list: at.list, index: at.index + 1 };
      else if (at?.kind === 'column')
        t =
          payload.type === 'structure'
            ? { kind: 'body', index: d.body.indexOf(at.structure) + 1 }
            : { kind: 'list', list: { column: at.column.id }, index: at.column.blocks.length };
      else if (at?.kind === 'structure') {
        const col = at.structure.columns[0]!;
        t =
          payload.type === 'structure'
            ? { kind: 'body', index: at.index + 1 }
            : { kind: 'list', list: { column: col.id }, index: col.blocks.length };
      }
      drop(payload, t);
    },
    [drop],
  );

  const op = useCallback(
    (o: BlockOp, id: string) => {
      const d = docOf(latest.current.state.content, latest.current.locale);
      const g = gov();
      if (o === 'parent') {
        const parent = parentOf(d, id);
        if (parent) setSelection(parent);
        return;
      }
      if (o === 'structure') {
        const at = locate(d, id);
        if (at && at.kind !== 'structure') setSelection(at.structure.id);
        return;
      }
      if (readOnly) {
        setError(READ_ONLY_MESSAGE);
        return;
      }
      if (o === 'delete' ? !canRemove(d, g, id) : !canMove(d, g, id)) {
        setError('The template locks this part.');
        return;
      }
      setError(null);
      if (o === 'up' || o === 'down') applyDoc((x) => moveBy(x, id, o === 'up' ? -1 : 1));
      else if (o === 'duplicate') applyDoc((x) => duplicate(x, id));
      else applyDoc((x) => remove(x, id));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [applyDoc, readOnly],
  );

  const personalize = useCallback(
    (req: PersonalizeRequest) =>
      new Promise<string | null>((resolve) => setAsking({ req, resolve })),
    [],
  );

  const api = useMemo<DesignerApi>(
    () => ({
      content: state.content,
      doc,
      selection,
      select: setSelection,
      // Read only: a drawer or panel that does not know it still changes nothing, and the user is told why.
      update: (next, label) => {
        if (readOnly) setError(READ_ONLY_MESSAGE);
        else dispatch({ type: 'apply', next, label, at: Date.now() });
      },
      insert,
      personalize,
      host: p.host,
      catalog: p.catalog,
      governance: state.governance,
      locksApply,
      locale,
      setLocale,
      device,
      setDevice,
    }),
    [
      state.content,
      state.governance,
      doc,
      selection,
      insert,
      personalize,
      p.host,
      p.catalog,
      locksApply,
      locale,
      device,
      readOnly,
    ],
  );

  const dirty = isDirty(state);
  useLeaveGuard(() =>
    dirty
      ? `The email "${p.title}" has changes that are not ${p.applyLabel === 'Done' ? 'applied' : 'saved'}.`
      : null,
  );
  async function apply(): Promise<boolean> {
    setSaving(true);
    setError(null);
    try {
      await p.onApply(state.content, state.governance);
      dispatch({ type: 'saved' });
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    } finally {
      setSaving(false);
    }
  }
  async function close() {
    if (dirty) {
      const a = await dialogs.choose({
        title: 'Unsaved changes in the email',
        body: (
          <p>
            {p.applyLabel === 'Done'
              ? 'Apply the changes to the journey draft, or discard them?'
              : 'Save the changes, or discard them?'}
          </p>
        ),
        actions: [
          { label: 'Discard changes', value: 'discard', tone: 'danger' },
          { label: p.applyLabel === 'Done' ? 'Apply changes' : 'Save', value: 'apply' },
        ],
        cancelLabel: 'Keep editing',
      });
      if (a === null) return;
      if (a === 'apply' && !(await apply())) return;
    }
    p.onClose();
  }
  async function done() {
    if (!(await apply())) return;
    if (p.applyLabel === 'Done') p.onClose();
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    // The page below has its own shortcuts (the journey's undo, quick search): none reach it from here.
    e.stopPropagation();
    const mod = e.ctrlKey || e.metaKey;
    if (
      mod &&
      !readOnly &&
      !editable(e.target) &&
      (e.key.toLowerCase() === 'z' || e.key.toLowerCase() === 'y')
    ) {
      e.preventDefault();
      dispatch({ type: e.key.toLowerCase() === 'y' || e.shiftKey ? 'redo' : 'undo' });
    } else if (e.key === 'Escape' && !editable(e.target) && !asking && !proof) {
      e.preventDefault();
      if (editing) setEditing(null);
      else void close();
    }
  }

  // Undo can take the selection away: then nothing is selected.
  useEffect(() => {
    if (selection && !allIds(doc).has(selection)) setSelection(null);
  }, [doc, selection]);
  useEffect(() => {
    document.body.classList.add('wm-designer-open');
    return () => document.body.classList.remove('wm-designer-open');
  }, []);

  const selLock: LockType | undefined =
    isTemplate && !readOnly && selection
      ? (state.governance?.locks[selection] ?? 'editable')
      : undefined;
  const editingBlock = editing ? locate(doc, editing) : null;
  const editingText =
    editingBlock?.kind === 'block' && editingBlock.block.kind === 'text'
      ? editingBlock.block
      : null;
  const editLocked =
    readOnly ||
    (editingText
      ? lockOf(doc, locksApply ? state.governance : undefined, editingText.id) === 'locked'
      : false);

  return (
    <DesignerContext.Provider value={api}>
      <DesignerReadOnly.Provider value={readOnly}>
        <CanvasData.Provider value={lib.data}>
          <VariantPreviewProvider>
            <div
              className={`wm-designer${readOnly ? ' read-only' : ''}`}
              role="dialog"
              aria-modal="true"
              aria-label="Email designer"
              onKeyDown={onKeyDown}
            >
              <DesignerToolbar
                title={p.title}
                dirty={dirty}
                undo={undoLabel(state)}
                redo={redoLabel(state)}
                device={device}
                tab={tab}
                checks={checks}
                applyLabel={p.applyLabel}
                saving={saving}
                readOnly={readOnly}
                {...(selLock !== undefined ? { lock: selLock } : {})}
                onUndo={() => dispatch({ type: 'undo' })}
                onRedo={() => dispatch({ type: 'redo' })}
                onDevice={setDevice}
                onTab={setTab}
                onChecks={() => setChecks(!checks)}
                onProof={() => setProof(true)}
                onLock={(l) => {
                  const id = selection;
                  if (id)
                    dispatch({
                      type: 'governance',
                      label: 'Lock',
                      at: Date.now(),
                      next: (g) => {
                        const base = g ?? DEFAULT_GOVERNANCE;
                        const locks = { ...base.locks };
                        if (l === 'editable') delete locks[id];
                        else locks[id] = l;
                        return { ...base, locks };
                      },
                    });
                }}
                onApply={() => void done()}
                onClose={() => void close()}
              />
              {readOnly && (
                <p className="wm-readonly-note" role="note">
                  <strong>Read only.</strong> {READ_ONLY_MESSAGE} Preview, Code and Check still
                  work.
                </p>
              )}
              {error && (
                <p className="error wm-designer-error" role="alert">
                  {error}{' '}
                  <button type="button" aria-label="Dismiss" onClick={() => setError(null)}>
                    ✕
                  </button>
                </p>
              )}
              <LocalesBar />
              <div
                className="wm-designer-main"
                id="wm-designer-view"
                role="tabpanel"
                aria-labelledby={`wm-tab-${tab}`}
              >
                {tab === 'design' && (
                  <>
                    <nav className="wm-rail" aria-label="Designer tools">
                      {(
                        [
                          ['components', 'Components', '⊞'],
                          ['assets', 'Assets', '▨'],
                          ['fragments', 'Fragments', '❖'],
                        ] as const
                      ).map(([k, label, icon]) => (
                        <button
                          key={k}
                          type="button"
                          aria-pressed={drawer === k}
                          aria-label={label}
                          title={label}
                          onClick={() => setDrawer(k)}
                        >
                          <span aria-hidden="true">{icon}</span>
                          <span className="wm-rail-label">{label}</span>
                        </button>
                      ))}
                    </nav>
                    <aside
                      className="wm-drawer"
                      aria-label={`${drawer[0]!.toUpperCase()}${drawer.slice(1)} drawer`}
                    >
                      {drawer === 'components' && <Palette />}
                      {drawer === 'assets' && <AssetsDrawer />}
                      {drawer === 'fragments' && <FragmentsDrawer />}
                    </aside>
                    <section className="wm-stage" aria-label="Canvas">
                      <Canvas
                        doc={doc}
                        selection={selection}
                        device={device}
                        governance={state.governance}
                        locksApply={locksApply}
                        select={setSelection}
                        drop={drop}
                        op={op}
                        editText={(id) => {
                          const at = locate(doc, id);
                          if (at?.kind === 'block' && at.block.kind === 'text') setEditing(id);
                        }}
                        editor={
                          editingText && {
                            id: editingText.id,
                            onClose: () => setEditing(null),
                            body: (close) => (
                              <>
                                <RichTextEditor
                                  label="Text"
                                  value={editingText.content}
                                  readOnly={editLocked}
                                  onChange={(v) => {
                                    if (readOnly) return;
                                    const id = editingText.id;
                                    dispatch({
                                      type: 'apply',
                                      label: 'Edit text',
                                      at: Date.now(),
                                      next: (c) =>
                                        withDoc(
                                          c,
                                          latest.current.locale,
                                          updateBlock(docOf(c, latest.current.locale), id, (b) =>
                                            b.kind === 'text' ? { ...b, content: v } : b,
                                          ),
                                        ),
                                    });
                                  }}
                                />
                                <button type="button" onClick={close}>
                                  Done editing
                                </button>
                              </>
                            ),
                          }
                        }
                      />
                    </section>
                    <div className="wm-properties">
                      {/* Read only: a disabled fieldset disables every input and button of the properties at once. */}
                      {readOnly ? (
                        <fieldset
                          disabled
                          className="wm-properties-readonly"
                          aria-label="Properties (read only)"
                        >
                          <PropertiesPanel />
                        </fieldset>
                      ) : (
                        <PropertiesPanel onPickAsset={() => setDrawer('assets')} />
                      )}
                    </div>
                  </>
                )}
                {tab === 'code' && (
                  <div className="wm-code">
                    <CodeView />
                  </div>
                )}
                {tab === 'preview' && (
                  <div className="wm-preview">
                    <PreviewPanel />
                  </div>
                )}
                {checks && (
                  <div className="wm-checks">
                    <ChecksPanel />
                  </div>
                )}
              </div>
              {proof && <ProofDialog onClose={() => setProof(false)} />}
              {asking && (
                <PersonalizationDialog
                  request={asking.req}
                  host={p.host}
                  onDone={(src) => {
                    asking.resolve(src);
                    setAsking(null);
                  }}
                />
              )}
            </div>
          </VariantPreviewProvider>
        </CanvasData.Provider>
      </DesignerReadOnly.Provider>
    </DesignerContext.Provider>
  );
}
