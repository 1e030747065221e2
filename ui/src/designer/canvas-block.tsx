// One block on the canvas, drawn with MJML's default metrics (mj-text 10px 25px, 13px, line-height 1;
// mj-button #414141; mj-divider 4px solid #000…) so the canvas looks like what is sent. Memoized on the
// block object: an edit redraws the blocks it changed, not the whole email.
import { memo, useContext } from 'react';
import type { CSSProperties, DragEvent, ReactNode } from 'react';
import type {
  Component,
  EmailTheme,
  LeafBlock,
  PlainBlock,
} from '@waymark/shared/model/message-content.ts';
import type { LockType } from '@waymark/shared/model/content-template.ts';
import { isDesignerDrag, readDrag, writeDrag } from './contracts.ts';
import { applyFragmentFields, canvasHtml, textOf } from './canvas-html.ts';
import { CanvasActions, CanvasData, currentDrag, dragIsStructure } from './canvas-context.ts';
import type { ListRef } from './doc-ops.ts';
import { COMPONENT_LABEL } from './doc-ops.ts';
import { useDesignerReadOnly } from './read-only.ts';

const px = (v: string | undefined, d: string) => v ?? d;

/** A padlock drawn in SVG (the console's fonts have no emoji). */
export const LockIcon = () => (
  <svg
    width="9"
    height="10"
    viewBox="0 0 9 10"
    aria-hidden="true"
    style={{ marginRight: 3, verticalAlign: '-1px' }}
  >
    <rect x="0.5" y="4" width="8" height="5.5" rx="1" fill="currentColor" />
    <path
      d="M2.2 4V2.8a2.3 2.3 0 0 1 4.6 0V4"
      stroke="currentColor"
      strokeWidth="1.2"
      fill="none"
    />
  </svg>
);

/** The accessible name of a block: its kind and what it shows. */
export function blockName(
  b: Component,
  data: { fragmentName(id: string): string; assetName(id: string): string | undefined },
): string {
  switch (b.kind) {
    case 'text':
    case 'html':
      return `${COMPONENT_LABEL[b.kind]}: ${textOf(b.content) || 'empty'}`;
    case 'image':
      return `Image: ${b.alt || (b.assetId ? (data.assetName(b.assetId) ?? b.assetId) : b.src ? b.src : 'no image')}`;
    case 'button':
      return `Button: ${b.label}`;
    case 'fragment':
      return `Fragment: ${data.fragmentName(b.fragmentId)}`;
    case 'decision':
      return `Offer decision: ${b.policy || 'no policy chosen'}`;
    case 'container':
      return `Container: ${b.blocks.length + b.variants.reduce((n, v) => n + v.blocks.length, 0)} blocks`;
    default:
      return COMPONENT_LABEL[b.kind];
  }
}

/** The block as MJML draws it (no selection chrome). Fragments and containers draw their blocks. */
export function BlockBody(p: {
  block: PlainBlock;
  theme: EmailTheme | undefined;
  device: 'desktop' | 'mobile';
  fields?: Readonly<Record<string, string>>;
  owner?: PlainBlock;
  depth?: number;
}) {
  const data = useContext(CanvasData);
  const b = p.block;
  const t = p.theme;
  const f = (s: string) =>
    p.fields && Object.keys(p.fields).length ? applyFragmentFields(s, p.fields) : s;
  const pad = b.padding ?? p.owner?.padding;
  const bg = b.backgroundColor ?? p.owner?.backgroundColor;
  const box: CSSProperties = {
    padding: pad ?? '10px 25px',
    ...(bg && b.kind !== 'button' ? { background: bg } : {}),
    ...(b.border && b.kind !== 'button' ? { border: b.border } : {}),
  };
  switch (b.kind) {
    case 'text':
      return (
        <div className="wm-text" style={{ ...box, textAlign: b.align ?? 'left' }}>
          <div
            style={{
              fontFamily: b.fontFamily,
              fontSize: px(b.fontSize, t?.fontSize ?? '13px'),
              lineHeight: px(b.lineHeight, t?.lineHeight ?? '1'),
              color: b.color ?? t?.textColor ?? '#000000',
            }}
            dangerouslySetInnerHTML={{ __html: canvasHtml(f(b.content)) }}
          />
        </div>
      );
    case 'html':
      return (
        <div
          className="wm-html"
          style={{ ...box, padding: pad ?? '0' }}
          dangerouslySetInnerHTML={{ __html: canvasHtml(f(b.content)) }}
        />
      );
    case 'image': {
      const src = b.assetId
        ? data.assetUrl(b.assetId, b.rendition?.width)
        : b.src && !/\{\{|\{%/.test(b.src)
          ? b.src
          : undefined;
      const align = b.align ?? 'center';
      return (
        <div className="wm-image" style={{ ...box, textAlign: align }}>
          {src ? (
            <img
              src={src}
              alt={b.alt}
              draggable={false}
              style={{
                width: b.width ?? '100%',
                maxWidth: '100%',
                display: 'inline-block',
                height: 'auto',
                border: b.border,
              }}
            />
          ) : (
            <div className="wm-image-empty" style={{ width: b.width ?? '100%' }}>
              {b.src ? `Image: ${b.src}` : 'Drop an image from Assets here'}
            </div>
          )}
        </div>
      );
    }
    case 'button': {
      const align = b.align ?? 'center';
      return (
        <div
          className="wm-button"
          style={{ padding: pad ?? '10px 25px', textAlign: align, ...(b.border ? {} : {}) }}
        >
          <span
            style={{
              display: 'inline-block',
              background: b.backgroundColor ?? t?.buttonColor ?? '#414141',
              color: b.color ?? t?.buttonTextColor ?? '#ffffff',
              padding: '10px 25px',
              borderRadius: b.borderRadius ?? '3px',
              fontSize: b.fontSize ?? '13px',
              lineHeight: '120%',
              border: b.border ?? 'none',
            }}
            dangerouslySetInnerHTML={{ __html: canvasHtml(f(b.label)) }}
          />
        </div>
      );
    }
    case 'divider':
      return (
        <div className="wm-divider" style={box}>
          <p
            style={{
              borderTop: `${b.width ?? '4px'} ${b.style ?? 'solid'} ${b.color ?? '#000000'}`,
              margin: 0,
            }}
          />
        </div>
      );
    case 'spacer':
      return (
        <div
          className="wm-spacer"
          style={{ height: b.height, ...(bg ? { background: bg } : {}) }}
        />
      );
    case 'social':
      return (
        <div className="wm-social" style={{ ...box, textAlign: b.align ?? 'center' }}>
          {b.links.map((l, i) => (
            <span
              key={i}
              className={`wm-social-icon wm-social-${l.network}`}
              style={{ width: b.iconSize, height: b.iconSize, lineHeight: b.iconSize }}
              title={l.href}
            >
              {l.network === 'x' ? 'X' : l.network[0]!.toUpperCase()}
            </span>
          ))}
        </div>
      );
    case 'decision':
      // Offers are chosen per profile at send time: the canvas shows where; the preview shows which.
      return (
        <div className="wm-decision" style={{ ...box, textAlign: b.align ?? 'center' }}>
          <span className="wm-decision-star" aria-hidden="true">
            ★
          </span>{' '}
          <span>
            {b.policy ? (
              <>
                Offers from <strong>{b.policy}</strong>, chosen per profile at send time
              </>
            ) : (
              'Offer decision: choose a decision policy in the properties'
            )}
          </span>
        </div>
      );
    case 'fragment': {
      const frag = data.fragment(b.fragmentId);
      if (frag === undefined)
        return (
          <div className="wm-fragment-missing" style={box}>
            Loading fragment {b.fragmentId}…
          </div>
        );
      if (frag === null)
        return (
          <div className="wm-fragment-missing" style={box}>
            Fragment {b.fragmentId} not found or not visual
          </div>
        );
      if ((p.depth ?? 0) >= 2)
        return (
          <div className="wm-fragment-missing" style={box}>
            Fragment nested too deep
          </div>
        );
      return (
        <>
          {frag.blocks.map((x) => (
            <BlockBody
              key={x.id}
              block={x}
              theme={p.theme}
              device={p.device}
              fields={b.fields}
              owner={p.owner ?? b}
              depth={(p.depth ?? 0) + 1}
            />
          ))}
        </>
      );
    }
  }
}

export interface BlockViewProps {
  readonly block: Component;
  /** The document's theme (not the document: an edit elsewhere must not redraw this block). */
  readonly theme: EmailTheme | undefined;
  readonly list: ListRef;
  readonly index: number;
  readonly selected: boolean;
  readonly focusable: boolean;
  /** The drop marker on this block ('before' | 'after' | 'onto'), while something is dragged over it. */
  readonly marker: string | undefined;
  readonly device: 'desktop' | 'mobile';
  readonly lock: LockType;
  /** The lock shown as a badge: the template's, where it differs from the structure's (null: none). */
  readonly badge: LockType | null;
  readonly variant: number;
  /** Markers, selection and locks inside a container. */
  readonly inner?: ReactNode;
}

function where(e: DragEvent<HTMLElement>, b: Component): 'before' | 'after' | 'onto' {
  const r = e.currentTarget.getBoundingClientRect();
  const rel = (e.clientY - r.top) / Math.max(r.height, 1);
  const drag = currentDrag();
  if (b.kind === 'image' && drag?.type === 'asset' && rel > 0.2 && rel < 0.8) return 'onto';
  return rel < 0.5 ? 'before' : 'after';
}

/** A block is a drop target for blocks, assets and fragments; structures are handled by the structure. */
const forBlocks = () => !dragIsStructure();

export const BlockView = memo(function BlockView(p: BlockViewProps) {
  const act = useContext(CanvasActions);
  const data = useContext(CanvasData);
  const readOnly = useDesignerReadOnly();
  const b = p.block;
  const shown: PlainBlock | null =
    b.kind !== 'container' && p.variant > 0 ? (b.variants[p.variant - 1]?.block ?? null) : null;
  const name = blockName(b, data);
  const locked = p.lock === 'locked';
  const hidden = b.hideOn === p.device;
  const variants =
    b.kind === 'container' ? b.variants.map((v) => v.name) : b.variants.map((v) => v.name);
  const cls = [
    'wm-block',
    `wm-block-${b.kind}`,
    p.selected && 'selected',
    locked && 'locked',
    hidden && 'wm-hidden',
    p.marker && `drop-${p.marker}`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={cls}
      role="treeitem"
      aria-level={'column' in p.list ? 3 : 4}
      aria-label={name}
      aria-selected={p.selected}
      tabIndex={p.focusable ? 0 : -1}
      data-wm-id={b.id}
      draggable={!locked && !readOnly && p.lock === 'editable'}
      onDragStart={(e) => {
        e.stopPropagation();
        writeDrag(e.dataTransfer, { type: 'move', id: b.id });
      }}
      onClick={(e) => {
        e.stopPropagation();
        act.select(b.id);
      }}
      onDoubleClick={(e) => {
        if (b.kind === 'text') {
          e.stopPropagation();
          act.editText(b.id);
        }
      }}
      onDragOver={(e) => {
        if (!isDesignerDrag(e.dataTransfer) || !forBlocks()) return;
        e.preventDefault();
        e.stopPropagation();
        act.mark(`${b.id}:${where(e, b)}`);
      }}
      onDrop={(e) => {
        const payload = readDrag(e.dataTransfer);
        if (!payload || payload.type === 'structure') return;
        e.preventDefault();
        e.stopPropagation();
        const w = where(e, b);
        act.drop(
          payload,
          w === 'onto'
            ? { kind: 'onto', id: b.id }
            : { kind: 'list', list: p.list, index: p.index + (w === 'after' ? 1 : 0) },
        );
      }}
    >
      {(b.kind === 'fragment' || variants.length > 0 || p.badge !== null || hidden) && (
        <div className="wm-badges" aria-hidden="true">
          {b.kind === 'fragment' && <span className="wm-badge fragment">{name}</span>}
          {variants.length > 0 && <span className="wm-badge conditional">Conditional content</span>}
          {p.badge === 'locked' && (
            <span className="wm-badge lock" title="Locked by the template">
              {<LockIcon />}Locked
            </span>
          )}
          {p.badge === 'editable-content-only' && (
            <span className="wm-badge lock" title="Only the text may change">
              {<LockIcon />}Content only
            </span>
          )}
          {hidden && <span className="wm-badge">Hidden on {p.device}</span>}
        </div>
      )}
      {variants.length > 0 && (
        <label className="wm-variant-switch" onClick={(e) => e.stopPropagation()}>
          <span className="sr-only">Variant shown</span>
          <select
            aria-label={`Variant shown (${name})`}
            value={p.variant}
            onChange={(e) => act.setVariant(b.id, Number(e.target.value))}
          >
            <option value={0}>{b.kind === 'container' ? b.defaultName : 'Default'}</option>
            {variants.map((v, i) => (
              <option key={i} value={i + 1}>
                {v}
              </option>
            ))}
          </select>
        </label>
      )}
      {b.kind === 'container' ? (
        p.inner
      ) : (
        <BlockBody block={(shown ?? b) as LeafBlock} theme={p.theme} device={p.device} />
      )}
      {p.selected && <BlockToolbar id={b.id} lock={p.lock} parent="structure" />}
    </div>
  );
});

/** The small toolbar on the selected block or structure. */
export function BlockToolbar(p: { id: string; lock: LockType; parent?: 'structure' }) {
  const act = useContext(CanvasActions);
  const readOnly = useDesignerReadOnly();
  const free = p.lock === 'editable' && !readOnly;
  const stop = (f: () => void) => (e: { stopPropagation(): void }) => {
    e.stopPropagation();
    f();
  };
  if (!free && !act.canRemove(p.id) && !p.parent) return null;
  return (
    <div
      className="wm-block-toolbar"
      role="toolbar"
      aria-label="Selection actions"
      onKeyDown={(e) => e.stopPropagation()}
    >
      {free && (
        <button
          type="button"
          aria-label="Move up"
          title="Move up (Alt+↑)"
          onClick={stop(() => act.op('up', p.id))}
        >
          ↑
        </button>
      )}
      {free && (
        <button
          type="button"
          aria-label="Move down"
          title="Move down (Alt+↓)"
          onClick={stop(() => act.op('down', p.id))}
        >
          ↓
        </button>
      )}
      {free && (
        <button
          type="button"
          aria-label="Duplicate"
          title="Duplicate (Ctrl+D)"
          onClick={stop(() => act.op('duplicate', p.id))}
        >
          ❐
        </button>
      )}
      {act.canRemove(p.id) && (
        <button
          type="button"
          aria-label="Delete"
          title="Delete (Delete)"
          onClick={stop(() => act.op('delete', p.id))}
        >
          ✕
        </button>
      )}
      {p.parent && (
        <button
          type="button"
          aria-label="Select parent structure"
          title="Select parent structure"
          onClick={stop(() => act.op('structure', p.id))}
        >
          ⤒
        </button>
      )}
    </div>
  );
}

export const isDragOfBlocks = (e: DragEvent) => isDesignerDrag(e.dataTransfer) && forBlocks();
