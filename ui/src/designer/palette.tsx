// The Components drawer: structures (1 to 4 columns, 1:2, 2:1, custom ratios) and contents (text,
// image, button…). Every item can be dragged onto the canvas or, from the keyboard, inserted with
// Enter where the selection is (DesignerApi.insert).
import { useDialogs } from '../app/dialog.tsx';
import { useDesigner, writeDrag } from './contracts.ts';
import type { ComponentKind, DragPayload } from './contracts.ts';
import { COMPONENT_LABEL, parseRatios } from './doc-ops.ts';

const STRUCTURES: ReadonlyArray<{ label: string; ratios: number[] }> = [
  { label: '1 column', ratios: [1] },
  { label: '2 columns', ratios: [1, 1] },
  { label: '3 columns', ratios: [1, 1, 1] },
  { label: '1:2 columns', ratios: [1, 2] },
  { label: '2:1 columns', ratios: [2, 1] },
  { label: '4 columns', ratios: [1, 1, 1, 1] },
];
const CONTENTS: readonly ComponentKind[] = [
  'text',
  'image',
  'button',
  'divider',
  'spacer',
  'social',
  'html',
  'decision',
  'container',
];
const ICON: Record<ComponentKind, string> = {
  text: 'T',
  image: '▨',
  button: '▭',
  divider: '―',
  spacer: '↕',
  social: '◎',
  html: '</>',
  decision: '★',
  container: '▣',
};

function Item(p: {
  payload: DragPayload;
  label: string;
  icon: React.ReactNode;
  disabled?: boolean;
}) {
  const d = useDesigner();
  return (
    <li>
      <button
        type="button"
        className="wm-palette-item"
        draggable={!p.disabled}
        disabled={p.disabled}
        aria-label={p.label}
        title={`${p.label}: drag onto the email, or press Enter to add it at the selection`}
        onDragStart={(e) => writeDrag(e.dataTransfer, p.payload)}
        onClick={() => d.insert(p.payload)}
      >
        <span className="wm-palette-icon" aria-hidden="true">
          {p.icon}
        </span>
        <span>{p.label}</span>
      </button>
    </li>
  );
}

function Columns(p: { ratios: readonly number[] }) {
  const total = p.ratios.reduce((a, b) => a + b, 0);
  return (
    <span className="wm-ratio">
      {p.ratios.map((r, i) => (
        <span key={i} style={{ flex: r / total }} />
      ))}
    </span>
  );
}

export function Palette() {
  const d = useDesigner();
  const dialogs = useDialogs();
  const gov = d.locksApply ? d.governance : undefined;
  const noStructures =
    !!gov && (gov.mode === 'read-only' || gov.addition !== 'structure-and-content');
  const noContent = !!gov && (gov.mode === 'read-only' || gov.addition === 'none');
  async function custom() {
    const text = await dialogs.prompt({
      title: 'Custom structure',
      label: 'Column ratios, e.g. 1:1:2 (each column at least 10%)',
      initial: '1:1:2',
      confirmLabel: 'Add structure',
      validate: (v) => {
        const r = parseRatios(v);
        return typeof r === 'string' ? r : null;
      },
    });
    if (text === null) return;
    const r = parseRatios(text);
    if (typeof r !== 'string') d.insert({ type: 'structure', ratios: r });
  }
  return (
    <div className="wm-palette" role="region" aria-label="Components">
      <h3>Structures</h3>
      <ul className="wm-palette-grid">
        {STRUCTURES.map((s) => (
          <Item
            key={s.label}
            payload={{ type: 'structure', ratios: s.ratios }}
            label={s.label}
            icon={<Columns ratios={s.ratios} />}
            disabled={noStructures}
          />
        ))}
        <li>
          <button
            type="button"
            className="wm-palette-item"
            disabled={noStructures}
            onClick={() => void custom()}
          >
            <span className="wm-palette-icon" aria-hidden="true">
              ⋯
            </span>
            <span>Custom…</span>
          </button>
        </li>
      </ul>
      <h3>Contents</h3>
      <ul className="wm-palette-grid">
        {CONTENTS.map((k) => (
          <Item
            key={k}
            payload={{ type: 'component', kind: k }}
            label={COMPONENT_LABEL[k]}
            icon={ICON[k]}
            disabled={noContent}
          />
        ))}
      </ul>
      {gov && (
        <p className="muted small">
          This message follows a content template:{' '}
          {gov.mode === 'read-only'
            ? 'nothing can be added.'
            : gov.addition === 'none'
              ? 'nothing can be added.'
              : gov.addition === 'content-only'
                ? 'components may be added to unlocked structures.'
                : 'structures and components may be added.'}
        </p>
      )}
    </div>
  );
}
