// The canvas: the document drawn natively with MJML's metrics (600 px body, sections 20px 0, columns
// side by side by their widths, stacked at 375 px unless told not to), a tree for keyboard users
// (arrows move the selection, Alt+arrows move the block, Ctrl+D duplicates, Delete removes), and drop
// targets between blocks, in empty columns and between structures.
import { memo, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, ReactNode } from 'react';
import type {
  Column,
  Component,
  EmailDocument,
  EmailTheme,
  Structure,
} from '@waymark/shared/model/message-content.ts';
import type { Governance, LockType } from '@waymark/shared/model/content-template.ts';
import { isDesignerDrag, readDrag, writeDrag } from './contracts.ts';
import type { DragPayload } from './contracts.ts';
import { BlockToolbar, BlockView, LockIcon, isDragOfBlocks } from './canvas-block.tsx';
import { CanvasActions, dragIsStructure, watchDrags } from './canvas-context.ts';
import type { BlockOp, CanvasActionsApi } from './canvas-context.ts';
import { EMPTY_DOCUMENT, canRemove, lockOf, locate } from './doc-ops.ts';
import { useVariantPreview } from './properties/variant-preview.ts';
import { useFitZoom } from './fit-zoom.ts';
import { useDesignerReadOnly } from './read-only.ts';
import type { ListRef, Target } from './doc-ops.ts';

const MJML_FONT = 'Ubuntu, Helvetica, Arial, sans-serif';

export interface CanvasProps {
  readonly doc: EmailDocument;
  readonly selection: string | null;
  readonly device: 'desktop' | 'mobile';
  readonly governance: Governance | undefined;
  readonly locksApply: boolean;
  select(id: string | null): void;
  drop(p: DragPayload, t: Target): void;
  op(op: BlockOp, id: string): void;
  editText(id: string): void;
  /** The inline text editor, drawn over the block it edits (it scrolls with the email). */
  readonly editor?: InlineEditor | null;
}

export interface InlineEditor {
  readonly id: string;
  onClose(): void;
  /** The editor's content; `close` closes it and gives the focus back to the block. */
  body(close: () => void): ReactNode;
}

/** Selectable ids in reading order: structures, their columns' blocks (and a container's blocks). */
export function readingOrder(doc: EmailDocument, variantOf: (id: string) => number): string[] {
  const out: string[] = [];
  for (const s of doc.body) {
    out.push(s.id);
    for (const c of columnsShown(s, variantOf(s.id))) {
      out.push(c.id);
      for (const b of c.blocks) {
        out.push(b.id);
        if (b.kind === 'container')
          for (const x of containerShown(b, variantOf(b.id)).blocks) out.push(x.id);
      }
    }
  }
  return out;
}

const columnsShown = (s: Structure, v: number): readonly Column[] =>
  (v > 0 ? s.variants[v - 1]?.columns : undefined) ?? s.columns;
const containerShown = (
  b: Extract<Component, { kind: 'container' }>,
  v: number,
): { blocks: readonly Component[]; list: { container: string; variant: number | null } } =>
  v > 0 && b.variants[v - 1]
    ? { blocks: b.variants[v - 1]!.blocks, list: { container: b.id, variant: v - 1 } }
    : { blocks: b.blocks, list: { container: b.id, variant: null } };

function markerFor(marker: string | null, id: string): string | undefined {
  if (!marker) return undefined;
  const i = marker.lastIndexOf(':');
  return marker.slice(0, i) === id ? marker.slice(i + 1) : undefined;
}

export function Canvas(p: CanvasProps) {
  const [marker, setMarker] = useState<string | null>(null);
  // The variant shown per block is shared with the properties panel ("Preview as"): index + 1, 0 the default.
  const preview = useVariantPreview();
  const variants = useMemo<Readonly<Record<string, number>>>(
    () => Object.fromEntries([...preview.shown].map(([k, v]) => [k, v + 1])),
    [preview.shown],
  );
  const showVariant = useRef(preview.show);
  showVariant.current = preview.show;
  const root = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const readOnly = useDesignerReadOnly();
  const props = useRef({ ...p, readOnly });
  props.current = { ...p, readOnly };
  useEffect(() => watchDrags(), []);
  // Markers go when the drag ends anywhere (dropped elsewhere, or Escape).
  useEffect(() => {
    const clear = () => setMarker(null);
    window.addEventListener('dragend', clear);
    window.addEventListener('drop', clear);
    return () => {
      window.removeEventListener('dragend', clear);
      window.removeEventListener('drop', clear);
    };
  }, []);

  const actions = useMemo<CanvasActionsApi>(
    () => ({
      select: (id) => props.current.select(id),
      drop: (payload, t) => {
        setMarker(null);
        props.current.drop(payload, t);
      },
      mark: (m) => setMarker((old) => (old === m ? old : m)),
      op: (o, id) => props.current.op(o, id),
      canRemove: (id) =>
        !props.current.readOnly &&
        (!props.current.locksApply || canRemove(props.current.doc, props.current.governance, id)),
      setVariant: (id, i) => showVariant.current(id, i === 0 ? null : i - 1),
      editText: (id) => props.current.editText(id),
    }),
    [],
  );

  const doc = p.doc;
  const gov = p.locksApply ? p.governance : undefined;
  const variantOf = (id: string) => variants[id] ?? 0;
  const mobile = p.device === 'mobile';
  const bodyWidth = mobile ? '375px' : doc.width;
  const font = doc.theme?.fontFamily ?? doc.fontFamily ?? MJML_FONT;
  // The focusable item: the selection, else the first structure (roving tabindex).
  const focusId = p.selection ?? doc.body[0]?.id ?? null;
  // Each structure is told only about what is inside it, so the others skip redrawing (memo).
  const owner = useMemo(() => {
    const of = (id: string | null) =>
      id
        ? (() => {
            const at = locate(doc, id);
            return at ? at.structure.id : null;
          })()
        : null;
    const markId = marker ? marker.slice(0, marker.lastIndexOf(':')).replace(/#.*$/, '') : null;
    return { selection: of(p.selection), focus: of(focusId), marker: of(markId) };
  }, [doc, p.selection, focusId, marker]);
  // Locks need the document only when there is a template: otherwise a constant keeps structures memoized.
  const lockDoc = gov || p.governance ? doc : EMPTY_DOCUMENT;

  // Keyboard focus follows the selection while the canvas has focus.
  useEffect(() => {
    const r = root.current;
    // A deleted block takes the focus with it (to the body): the next selection gets it back.
    const lost = document.activeElement === document.body || document.activeElement === null;
    if (!r || !p.selection || !(lost || r.contains(document.activeElement))) return;
    const el = r.querySelector<HTMLElement>(`[data-wm-id="${CSS.escape(p.selection)}"]`);
    if (el && el !== document.activeElement && !el.contains(document.activeElement)) el.focus();
  }, [p.selection, doc]);

  // A block added from the keyboard or a drawer may land off screen: bring the selection into view.
  useEffect(() => {
    if (!p.selection) return;
    root.current
      ?.querySelector<HTMLElement>(`[data-wm-id="${CSS.escape(p.selection)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [p.selection]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const t = e.target as HTMLElement;
    if (t.closest('input, select, textarea, [contenteditable="true"], .wm-block-toolbar')) return;
    const sel = p.selection;
    const order = readingOrder(doc, variantOf);
    const at = sel ? order.indexOf(sel) : -1;
    const mod = e.ctrlKey || e.metaKey;
    let handled = true;
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      if (sel) p.op(e.key === 'ArrowUp' ? 'up' : 'down', sel);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const next =
        order[Math.max(0, Math.min(order.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) p.select(next);
    } else if (e.key === 'ArrowLeft') {
      if (sel) p.op('parent', sel);
    } else if (e.key === 'ArrowRight') {
      const next = order[at + 1];
      if (sel && next && parentOf(doc, next) === sel) p.select(next);
    } else if (e.key === 'Home') {
      if (order[0]) p.select(order[0]);
    } else if (e.key === 'End') {
      const last = order.at(-1);
      if (last) p.select(last);
    } else if (mod && e.key.toLowerCase() === 'd') {
      if (sel) p.op('duplicate', sel);
    }
    // A locked part is not removed; op says why.
    else if (e.key === 'Delete' || e.key === 'Backspace') {
      if (sel) p.op('delete', sel);
    } else if (e.key === 'Enter') {
      if (sel) p.editText(sel);
    } else if (e.key === 'Escape' && p.editor) {
      p.editor.onClose();
    } else if (e.key === 'Escape' && sel) {
      p.select(null);
    } else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  const zoom = useFitZoom(scroller, bodyWidth, 48);
  const bodyStyle: CSSProperties = {
    width: bodyWidth,
    fontFamily: font,
    ...(zoom < 1 ? { zoom } : {}),
  };
  return (
    <CanvasActions.Provider value={actions}>
      {zoom < 1 && (
        <p className="wm-zoom-note" role="status">
          Shown at {Math.round(zoom * 100)} % to fit: the email is {bodyWidth} wide.
        </p>
      )}
      <div
        ref={scroller}
        className={`wm-canvas-scroll ${mobile ? 'mobile' : 'desktop'}`}
        style={{ background: doc.backgroundColor ?? '#ffffff' }}
        onClick={() => p.select(null)}
        // A link in the email (a fragment's footer links) must not take the console away from the designer.
        onClickCapture={(e) => {
          if ((e.target as HTMLElement).closest('a[href]')) e.preventDefault();
        }}
        onDragOver={(e) => {
          if (!isDesignerDrag(e.dataTransfer)) return;
          e.preventDefault();
          setMarker((m) => (m === 'body:end' ? m : 'body:end'));
        }}
        onDragLeave={(e) => {
          if (e.currentTarget === e.target) setMarker(null);
        }}
        onDrop={(e) => {
          const payload = readDrag(e.dataTransfer);
          if (!payload) return;
          e.preventDefault();
          actions.drop(payload, { kind: 'body', index: doc.body.length });
        }}
      >
        <div
          ref={root}
          className="wm-email"
          role="tree"
          aria-label="Email canvas"
          style={bodyStyle}
          onKeyDown={onKeyDown}
        >
          {doc.theme && <ThemeStyle doc={doc} />}
          {doc.body.map((s, i) => (
            <StructureView
              key={s.id}
              structure={s}
              index={i}
              count={doc.body.length}
              theme={doc.theme}
              lockDoc={lockDoc}
              device={p.device}
              gov={gov}
              shownGov={p.governance}
              selection={owner.selection === s.id ? p.selection : null}
              focusId={owner.focus === s.id ? focusId : null}
              marker={owner.marker === s.id ? marker : null}
              variants={variants}
            />
          ))}
          {doc.body.length === 0 && (
            <div className={`wm-empty-doc ${marker === 'body:end' ? 'drop-inside' : ''}`}>
              Drag a structure or a component here to start.
            </div>
          )}
          {doc.body.length > 0 && (
            <div
              className={`wm-body-end ${marker === 'body:end' ? 'drop-inside' : ''}`}
              aria-hidden="true"
            />
          )}
        </div>
        {p.editor && (
          <InlineEditorBox
            key={p.editor.id}
            editor={p.editor}
            scroller={scroller}
            root={root}
            doc={doc}
            zoom={zoom}
            device={p.device}
          />
        )}
      </div>
    </CanvasActions.Provider>
  );
}

const EDITOR_MIN_WIDTH = 360;

/**
 * The inline text editor over the block it edits: same top, left and width (at least room for its
 * toolbar), inside the scrolling canvas so it moves with the email and the blocks above stay in
 * sight. It follows the block when the email reflows (typing, zoom, device).
 */
function InlineEditorBox(p: {
  editor: InlineEditor;
  scroller: { readonly current: HTMLDivElement | null };
  root: { readonly current: HTMLDivElement | null };
  doc: EmailDocument;
  zoom: number;
  device: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<CSSProperties>({ visibility: 'hidden' });
  const id = p.editor.id;
  useLayoutEffect(() => {
    const s = p.scroller.current;
    const r = p.root.current;
    if (!s || !r) return;
    const measure = () => {
      const el = r.querySelector<HTMLElement>(`[data-wm-id="${CSS.escape(id)}"]`);
      if (!el) return;
      const b = el.getBoundingClientRect();
      const c = s.getBoundingClientRect();
      const room = s.clientWidth;
      const width = Math.min(room - 16, Math.max(b.width, EDITOR_MIN_WIDTH));
      const left = Math.max(
        8,
        Math.min(
          b.left - c.left + s.scrollLeft - (width - b.width) / 2,
          room - width - 8 + s.scrollLeft,
        ),
      );
      const next = {
        top: Math.round(b.top - c.top + s.scrollTop),
        left: Math.round(left),
        width: Math.round(width),
        minHeight: Math.round(b.height),
      };
      setPlace((old) =>
        old.top === next.top &&
        old.left === next.left &&
        old.width === next.width &&
        old.minHeight === next.minHeight
          ? old
          : next,
      );
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(r);
    ro.observe(s);
    return () => ro.disconnect();
  }, [id, p.scroller, p.root, p.doc, p.zoom, p.device]);
  const shown = place.visibility !== 'hidden';
  // Opened from the keyboard or a double click: the editor is brought into sight and takes the focus once.
  useEffect(() => {
    if (!shown || !box.current) return;
    box.current.scrollIntoView({ block: 'nearest' });
    box.current
      .querySelector<HTMLElement>('[contenteditable="true"], .cm-content, textarea, input, button')
      ?.focus({ preventScroll: true });
  }, [shown]);
  const close = () => {
    p.editor.onClose();
    p.root.current?.querySelector<HTMLElement>(`[data-wm-id="${CSS.escape(id)}"]`)?.focus();
  };
  return (
    <div
      ref={box}
      className="wm-inline-editor"
      role="region"
      aria-label="Edit text"
      data-wm-editing={id}
      style={place}
      // Clicks inside must not reach the canvas (it would clear the selection).
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      }}
    >
      {p.editor.body(close)}
    </div>
  );
}

/** The theme's link and heading colours, scoped to the canvas (the sent email gets them as mj-style). */
function ThemeStyle(p: { doc: EmailDocument }) {
  const t = p.doc.theme!;
  const css = [
    t.linkColor ? `.wm-email a{color:${t.linkColor}}` : '',
    t.headingColor ? `.wm-email h1,.wm-email h2,.wm-email h3{color:${t.headingColor}}` : '',
  ].join('');
  return css ? <style>{css}</style> : null;
}

/** A block's badge: its lock when it differs from its structure's (the structure shows its own). */
function badgeOf(
  doc: EmailDocument,
  gov: Governance | undefined,
  id: string,
  structureId: string,
): LockType | null {
  const l = lockOf(doc, gov, id);
  return l === 'editable' || l === lockOf(doc, gov, structureId) ? null : l;
}

interface StructureViewProps {
  structure: Structure;
  index: number;
  count: number;
  theme: EmailTheme | undefined;
  lockDoc: EmailDocument;
  device: 'desktop' | 'mobile';
  gov: Governance | undefined;
  /** The template's locks as badges: enforced in messages (gov), shown while editing the template itself. */
  shownGov: Governance | undefined;
  selection: string | null;
  focusId: string | null;
  marker: string | null;
  variants: Readonly<Record<string, number>>;
}

const StructureView = memo(function StructureView(p: StructureViewProps) {
  const act = useContext(CanvasActions);
  const readOnly = useDesignerReadOnly();
  const s = p.structure;
  const v = p.variants[s.id] ?? 0;
  const cols = columnsShown(s, v);
  const lock = lockOf(p.lockDoc, p.gov, s.id);
  const shown = lockOf(p.lockDoc, p.shownGov, s.id);
  const selected = p.selection === s.id;
  const mine = markerFor(p.marker, s.id);
  const stacked = p.device === 'mobile' && s.stackOnMobile;
  const theme = p.theme;
  const name = `Structure ${p.index + 1} (${cols.length} column${cols.length === 1 ? '' : 's'})`;
  const where = (e: React.DragEvent<HTMLElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return e.clientY - r.top < r.height / 2 ? 'before' : 'after';
  };
  const hidden = s.hideOn === p.device;
  return (
    <div
      className={[
        'wm-structure',
        selected && 'selected',
        lock === 'locked' && 'locked',
        mine && `drop-${mine}`,
        hidden && 'wm-hidden',
      ]
        .filter(Boolean)
        .join(' ')}
      role="treeitem"
      aria-level={1}
      aria-label={name}
      aria-selected={selected}
      aria-expanded
      tabIndex={p.focusId === s.id ? 0 : -1}
      data-wm-id={s.id}
      data-wm-kind="structure"
      draggable={lock === 'editable' && !readOnly}
      onDragStart={(e) => {
        if ((e.target as HTMLElement) !== e.currentTarget) return;
        writeDrag(e.dataTransfer, { type: 'move', id: s.id });
      }}
      onClick={(e) => {
        e.stopPropagation();
        act.select(s.id);
      }}
      onDragOver={(e) => {
        if (!isDesignerDrag(e.dataTransfer) || !dragIsStructure()) return;
        e.preventDefault();
        e.stopPropagation();
        act.mark(`${s.id}:${where(e)}`);
      }}
      onDrop={(e) => {
        if (!dragIsStructure()) return;
        const payload = readDrag(e.dataTransfer);
        if (!payload) return;
        e.preventDefault();
        e.stopPropagation();
        act.drop(payload, { kind: 'body', index: p.index + (where(e) === 'after' ? 1 : 0) });
      }}
      style={{
        background: s.backgroundColor ?? theme?.contentBackground,
        padding: s.padding ?? '20px 0',
        border: s.border,
      }}
    >
      <div className="wm-badges wm-structure-badges" aria-hidden="true">
        {shown === 'locked' && (
          <span className="wm-badge lock">
            <LockIcon />
            Locked
          </span>
        )}
        {shown === 'editable-content-only' && (
          <span className="wm-badge lock">
            <LockIcon />
            Content only
          </span>
        )}
        {s.variants.length > 0 && <span className="wm-badge conditional">Conditional content</span>}
        {hidden && <span className="wm-badge">Hidden on {p.device}</span>}
      </div>
      {s.variants.length > 0 && (
        <select
          className="wm-variant-switch"
          aria-label={`Variant shown (${name})`}
          value={v}
          onClick={(e) => e.stopPropagation()}
          onChange={(e) => act.setVariant(s.id, Number(e.target.value))}
        >
          <option value={0}>Default</option>
          {s.variants.map((x, i) => (
            <option key={i} value={i + 1}>
              {x.name}
            </option>
          ))}
        </select>
      )}
      <div className={`wm-columns ${stacked ? 'stacked' : ''}`} role="group">
        {cols.map((c, ci) => (
          <ColumnView
            key={c.id}
            {...p}
            column={c}
            index={ci}
            count={cols.length}
            structure={s}
            stacked={stacked}
          />
        ))}
      </div>
      {selected && <BlockToolbar id={s.id} lock={lock} />}
    </div>
  );
});

function columnWidth(c: Column, cols: readonly Column[]): string {
  if (c.width) return c.width;
  // Columns without a width share what is left equally (MJML does the same).
  const fixed = cols
    .filter((x) => x.width?.endsWith('%'))
    .reduce((n, x) => n + parseFloat(x.width!), 0);
  const free = cols.filter((x) => !x.width).length;
  return `${Math.max(0, 100 - fixed) / Math.max(free, 1)}%`;
}

function ColumnView(
  p: StructureViewProps & { column: Column; index: number; count: number; stacked: boolean },
) {
  const act = useContext(CanvasActions);
  const c = p.column;
  const cols = columnsShown(p.structure, p.variants[p.structure.id] ?? 0);
  const selected = p.selection === c.id;
  const list: ListRef = useMemo(() => ({ column: c.id }), [c.id]);
  const mine = markerFor(p.marker, c.id);
  const lock = lockOf(p.lockDoc, p.gov, c.id);
  const style: CSSProperties = {
    width: p.stacked ? '100%' : columnWidth(c, cols),
    background: c.backgroundColor,
    verticalAlign: c.verticalAlign ?? 'top',
    alignSelf:
      c.verticalAlign === 'middle'
        ? 'center'
        : c.verticalAlign === 'bottom'
          ? 'flex-end'
          : 'flex-start',
  };
  return (
    <div
      className={['wm-column', selected && 'selected', mine && `drop-${mine}`]
        .filter(Boolean)
        .join(' ')}
      style={style}
      role="treeitem"
      aria-level={2}
      aria-label={`Column ${p.index + 1} of ${p.count}`}
      aria-selected={selected}
      tabIndex={p.focusId === c.id ? 0 : -1}
      data-wm-id={c.id}
      onClick={(e) => {
        e.stopPropagation();
        act.select(c.id);
      }}
      onDragOver={(e) => {
        if (!isDragOfBlocks(e)) return;
        e.preventDefault();
        e.stopPropagation();
        act.mark(`${c.id}:inside`);
      }}
      onDrop={(e) => {
        if (!isDragOfBlocks(e)) return;
        const payload = readDrag(e.dataTransfer);
        if (!payload) return;
        e.preventDefault();
        e.stopPropagation();
        act.drop(payload, { kind: 'list', list, index: c.blocks.length });
      }}
    >
      <BlockList blocks={c.blocks} list={list} lock={lock} {...p} />
      {selected && <BlockToolbar id={c.id} lock={lock} parent="structure" />}
    </div>
  );
}

function BlockList(
  p: StructureViewProps & { blocks: readonly Component[]; list: ListRef; lock: string },
) {
  if (p.blocks.length === 0)
    return (
      <div
        className={`wm-drop-here ${markerFor(p.marker, 'column' in p.list ? p.list.column : `${p.list.container}#${p.list.variant}`) ? 'drop-inside' : ''}`}
      >
        Drop content here
      </div>
    );
  return (
    <>
      {p.blocks.map((b, i) => {
        const v = p.variants[b.id] ?? 0;
        const inner =
          b.kind === 'container' ? <ContainerBody {...p} block={b} variant={v} /> : undefined;
        return (
          <BlockView
            key={b.id}
            block={b}
            theme={p.theme}
            list={p.list}
            index={i}
            selected={p.selection === b.id}
            focusable={p.focusId === b.id}
            marker={markerFor(p.marker, b.id)}
            device={p.device}
            lock={lockOf(p.lockDoc, p.gov, b.id)}
            badge={badgeOf(p.lockDoc, p.shownGov, b.id, p.structure.id)}
            variant={v}
            inner={inner}
          />
        );
      })}
    </>
  );
}

function ContainerBody(
  p: StructureViewProps & { block: Extract<Component, { kind: 'container' }>; variant: number },
) {
  const act = useContext(CanvasActions);
  const shown = containerShown(p.block, p.variant);
  const key = `${p.block.id}#${shown.list.variant}`;
  return (
    <div
      className="wm-container-body"
      role="group"
      onDragOver={(e) => {
        if (!isDragOfBlocks(e)) return;
        e.preventDefault();
        e.stopPropagation();
        act.mark(`${key}:inside`);
      }}
      onDrop={(e) => {
        if (!isDragOfBlocks(e)) return;
        const payload = readDrag(e.dataTransfer);
        if (!payload) return;
        e.preventDefault();
        e.stopPropagation();
        act.drop(payload, { kind: 'list', list: shown.list, index: shown.blocks.length });
      }}
    >
      <BlockList {...p} blocks={shown.blocks} list={shown.list} lock="editable" />
    </div>
  );
}

/** The id of the structure holding an id (for "Select parent structure"). */
export function parentOf(doc: EmailDocument, id: string): string | null {
  const at = locate(doc, id);
  if (!at || at.kind === 'structure') return null;
  if (at.kind === 'block' && 'container' in at.list) return at.list.container;
  if (at.kind === 'block' && 'column' in at.list) return at.list.column;
  return at.structure.id;
}
