// The properties panel's inputs: text, CSS value, colour (with the theme's palette), choice and
// check fields. Each edits through `onChange` as it is typed (the designer coalesces the steps);
// an invalid value shows its problem and is not written.
import { useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';

const CSS_RE = /^[^"<>;{}]*$/;
export const COLOR_RE = /^(#[0-9a-fA-F]{3,8}|rgba?\([0-9., %]+\)|[a-zA-Z]+)$/;

export const cssProblem = (v: string): string | null =>
  CSS_RE.test(v) ? null : 'No quotes, angle brackets, braces or semicolons.';
export const colorProblem = (v: string): string | null =>
  COLOR_RE.test(v) ? null : 'A colour: #rrggbb, rgb(…) or a colour name.';

/** A text input kept locally while it is invalid; `value` from outside replaces it. */
export function TextField(p: {
  label: string;
  value: string | undefined;
  onChange(v: string | undefined): void;
  readOnly?: boolean;
  validate?(v: string): string | null;
  placeholder?: string;
  hint?: ReactNode;
  optional?: boolean;
  multiline?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(p.value ?? '');
  useEffect(() => {
    setText(p.value ?? '');
  }, [p.value]);
  const problem = text !== '' ? (p.validate?.(text) ?? null) : null;
  const change = (v: string) => {
    setText(v);
    if (v !== '' && p.validate?.(v)) return;
    p.onChange(v === '' && p.optional !== false ? undefined : v);
  };
  const common = {
    id,
    value: text,
    readOnly: p.readOnly,
    placeholder: p.placeholder,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': problem ? `${id}-e` : undefined,
  };
  return (
    <div className="wm-field">
      <label htmlFor={id}>{p.label}</label>
      {p.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...common} onChange={(e) => change(e.target.value)} />
      )}
      {problem && (
        <span id={`${id}-e`} className="field-error" role="alert">
          {problem}
        </span>
      )}
      {p.hint && <span className="wm-hint">{p.hint}</span>}
    </div>
  );
}

export function CssField(p: {
  label: string;
  value: string | undefined;
  onChange(v: string | undefined): void;
  readOnly?: boolean;
  placeholder?: string;
}) {
  return <TextField {...p} validate={cssProblem} />;
}

/** A colour: typed, picked, or one of the theme's palette swatches. */
export function ColorField(p: {
  label: string;
  value: string | undefined;
  onChange(v: string | undefined): void;
  readOnly?: boolean;
  palette?: readonly string[];
}) {
  const hex = p.value && /^#[0-9a-fA-F]{6}$/.test(p.value) ? p.value : '#ffffff';
  return (
    <div className="wm-color">
      <TextField
        label={p.label}
        value={p.value}
        onChange={p.onChange}
        readOnly={p.readOnly}
        validate={colorProblem}
        placeholder="#rrggbb"
      />
      <div className="wm-swatches">
        <input
          type="color"
          aria-label={`${p.label}: pick`}
          value={hex}
          disabled={p.readOnly}
          onChange={(e) => p.onChange(e.target.value)}
        />
        {(p.palette ?? []).map((c) => (
          <button
            key={c}
            type="button"
            className="wm-swatch"
            style={{ background: c }}
            aria-label={`${p.label}: ${c}`}
            title={c}
            aria-pressed={p.value === c}
            disabled={p.readOnly}
            onClick={() => p.onChange(c)}
          />
        ))}
      </div>
    </div>
  );
}

export function SelectField<T extends string>(p: {
  label: string;
  value: T | undefined;
  options: ReadonlyArray<readonly [T | '', string]>;
  onChange(v: T | undefined): void;
  readOnly?: boolean;
}) {
  const id = useId();
  return (
    <div className="wm-field">
      <label htmlFor={id}>{p.label}</label>
      <select
        id={id}
        value={p.value ?? ''}
        disabled={p.readOnly}
        onChange={(e) => p.onChange(e.target.value === '' ? undefined : (e.target.value as T))}
      >
        {p.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckField(p: {
  label: string;
  checked: boolean;
  onChange(v: boolean): void;
  readOnly?: boolean;
}) {
  return (
    <label className="check wm-check">
      <input
        type="checkbox"
        checked={p.checked}
        disabled={p.readOnly}
        onChange={(e) => p.onChange(e.target.checked)}
      />
      {p.label}
    </label>
  );
}

export const ALIGN_OPTIONS = [
  ['', 'Default'],
  ['left', 'Left'],
  ['center', 'Center'],
  ['right', 'Right'],
] as const;

/** A titled group of fields. */
export function Section(p: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <fieldset className="wm-section">
      <legend>{p.title}</legend>
      {p.actions && <div className="wm-section-actions">{p.actions}</div>}
      {p.children}
    </fieldset>
  );
}
