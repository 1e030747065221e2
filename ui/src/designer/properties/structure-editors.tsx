// A structure (its columns: count, ratios of at least 10% each, add and remove, background,
// padding, border, stacking on mobile) and a column (width, background, vertical alignment).
import { useEffect, useState } from 'react';
import type { Column, Structure } from '@waymark/shared/model/message-content.ts';
import type { Lock } from './doc-edit.ts';
import {
  addColumn,
  columnShares,
  parseRatios,
  ratioText,
  removeColumn,
  setShares,
} from './doc-edit.ts';
import { CheckField, ColorField, CssField, Section, SelectField } from './fields.tsx';

export function StructureEditor(p: {
  structure: Structure;
  lock: Lock;
  palette: readonly string[];
  write(s: Structure, label: string): void;
  selectColumn(id: string): void;
}) {
  const s = p.structure;
  const off = p.lock !== 'editable';
  const [ratios, setRatios] = useState(ratioText(s.columns));
  useEffect(() => {
    setRatios(ratioText(s.columns));
  }, [s.columns]);
  const parsed = parseRatios(ratios, s.columns.length);
  const shares = columnShares(s.columns);
  const set = (patch: Partial<Structure>, label: string) => {
    const next = { ...s, ...patch } as Record<string, unknown>;
    for (const k of Object.keys(patch)) if (next[k] === undefined) delete next[k];
    p.write(next as Structure, label);
  };
  return (
    <>
      <Section title="Columns">
        <p>
          {s.columns.length} {s.columns.length === 1 ? 'column' : 'columns'}
        </p>
        <div className="wm-field">
          <label htmlFor={`ratios-${s.id}`}>Column ratios</label>
          <input
            id={`ratios-${s.id}`}
            value={ratios}
            readOnly={off}
            aria-invalid={!parsed.ok || undefined}
            onChange={(e) => {
              setRatios(e.target.value);
              const r = parseRatios(e.target.value, s.columns.length);
              if (r.ok) p.write(setShares(s, r.shares), 'Column ratios');
            }}
          />
          {!parsed.ok && (
            <span className="field-error" role="alert">
              {parsed.problem}
            </span>
          )}
          <span className="wm-hint">
            Relative widths, e.g. 1:2 or 30:70; each column at least 10%.
          </span>
        </div>
        <ol className="wm-rows">
          {s.columns.map((c, i) => (
            <li key={c.id} className="row">
              <button type="button" className="link" onClick={() => p.selectColumn(c.id)}>
                Column {i + 1}
              </button>
              <span className="muted">
                {shares[i]}% · {c.blocks.length} {c.blocks.length === 1 ? 'block' : 'blocks'}
              </span>
              <button
                type="button"
                aria-label={`Remove column ${i + 1}`}
                disabled={off || s.columns.length <= 1 || c.blocks.length > 0}
                title={
                  c.blocks.length > 0
                    ? 'Move or delete its blocks first: a column with blocks cannot be removed.'
                    : undefined
                }
                onClick={() => p.write(removeColumn(s, c.id), 'Remove column')}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          disabled={off || s.columns.length >= 10}
          onClick={() => p.write(addColumn(s), 'Add column')}
        >
          Add column
        </button>
        <CheckField
          label="Stack columns on mobile"
          checked={s.stackOnMobile}
          readOnly={off}
          onChange={(v) =>
            set(
              { stackOnMobile: v },
              v ? 'Stack columns on mobile' : 'Keep columns side by side on mobile',
            )
          }
        />
      </Section>
      <Section title="Structure style">
        <ColorField
          label="Background"
          value={s.backgroundColor}
          palette={p.palette}
          readOnly={off}
          onChange={(v) => set({ backgroundColor: v }, 'Structure background')}
        />
        <CssField
          label="Padding"
          value={s.padding}
          placeholder="20px 0"
          readOnly={off}
          onChange={(v) => set({ padding: v }, 'Structure padding')}
        />
        <CssField
          label="Border"
          value={s.border}
          placeholder="1px solid #cccccc"
          readOnly={off}
          onChange={(v) => set({ border: v }, 'Structure border')}
        />
        <SelectField
          label="Hide on"
          value={s.hideOn}
          options={[
            ['', 'None (show everywhere)'],
            ['mobile', 'Mobile'],
            ['desktop', 'Desktop'],
          ]}
          readOnly={off}
          onChange={(v) => set({ hideOn: v }, 'Hide on')}
        />
      </Section>
    </>
  );
}

export function ColumnEditor(p: {
  column: Column;
  structure: Structure;
  lock: Lock;
  palette: readonly string[];
  write(c: Column, label: string): void;
}) {
  const c = p.column;
  const off = p.lock !== 'editable';
  const set = (patch: Partial<Column>, label: string) => {
    const next = { ...c, ...patch } as Record<string, unknown>;
    for (const k of Object.keys(patch)) if (next[k] === undefined) delete next[k];
    p.write(next as Column, label);
  };
  return (
    <Section title="Column">
      <CssField
        label="Width"
        value={c.width}
        placeholder="shared equally"
        readOnly={off}
        onChange={(v) => set({ width: v }, 'Column width')}
      />
      <ColorField
        label="Background"
        value={c.backgroundColor}
        palette={p.palette}
        readOnly={off}
        onChange={(v) => set({ backgroundColor: v }, 'Column background')}
      />
      <SelectField
        label="Vertical align"
        value={c.verticalAlign}
        options={[
          ['', 'Default (top)'],
          ['top', 'Top'],
          ['middle', 'Middle'],
          ['bottom', 'Bottom'],
        ]}
        readOnly={off}
        onChange={(v) => set({ verticalAlign: v }, 'Column vertical align')}
      />
    </Section>
  );
}
