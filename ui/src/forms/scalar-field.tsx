// A value of any JSON type where one is usually a scalar (a condition's value, a constant payload
// field): a type choice (text, number, yes/no, empty, list or JSON) and the input for that type.
import { useState } from 'react';
import { FieldFrame, JsonField } from './widgets.tsx';

type ScalarType = 'text' | 'number' | 'boolean' | 'null' | 'json';

const TYPES: ReadonlyArray<{ id: ScalarType; label: string }> = [
  { id: 'text', label: 'Text' },
  { id: 'number', label: 'Number' },
  { id: 'boolean', label: 'Yes / no' },
  { id: 'null', label: 'Empty (null)' },
  { id: 'json', label: 'List or JSON' },
];

function typeOfValue(v: unknown): ScalarType {
  if (v === null) return 'null';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (v === undefined || typeof v === 'string') return 'text';
  return 'json';
}

function convert(v: unknown, to: ScalarType): unknown {
  switch (to) {
    case 'text':
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    case 'number': {
      const n = Number(v);
      return typeof v !== 'boolean' && v !== '' && Number.isFinite(n) ? n : 0;
    }
    case 'boolean':
      return v === true || v === 'true';
    case 'null':
      return null;
    case 'json':
      return Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v];
    default: {
      const never: never = to;
      return never;
    }
  }
}

export function ScalarField(p: {
  node: { label: string; help?: string; required: boolean };
  id: string;
  value: unknown;
  errors: readonly string[];
  label?: string;
  onChange(next: unknown): void;
}) {
  const [chosen, setChosen] = useState<ScalarType | null>(null);
  const type = chosen ?? typeOfValue(p.value);
  const label = p.label ?? p.node.label;
  const pick = (
    <select
      aria-label={`Type of ${label.toLowerCase()}`}
      className="sf-scalar-type"
      value={type}
      onChange={(e) => {
        const t = e.target.value as ScalarType;
        setChosen(t);
        p.onChange(convert(p.value, t));
      }}
    >
      {TYPES.map((t) => (
        <option key={t.id} value={t.id}>
          {t.label}
        </option>
      ))}
    </select>
  );
  if (type === 'json') {
    return (
      <div className="sf-scalar sf-wide">
        {pick}
        <JsonField
          node={p.node}
          id={p.id}
          value={p.value}
          errors={p.errors}
          label={label}
          onChange={p.onChange}
          rows={3}
        />
      </div>
    );
  }
  return (
    <FieldFrame
      id={p.id}
      label={label}
      help={p.node.help}
      errors={p.errors}
      required={p.node.required}
    >
      {(aria) => (
        <div className="sf-scalar-row">
          {pick}
          {type === 'text' ? (
            <input
              {...aria}
              value={typeof p.value === 'string' ? p.value : ''}
              onChange={(e) => p.onChange(e.target.value)}
            />
          ) : null}
          {type === 'number' ? (
            <input
              {...aria}
              type="number"
              step="any"
              value={typeof p.value === 'number' ? String(p.value) : ''}
              onChange={(e) =>
                p.onChange(e.target.value === '' ? undefined : Number(e.target.value))
              }
            />
          ) : null}
          {type === 'boolean' ? (
            <select
              {...aria}
              value={p.value === true ? 'true' : 'false'}
              onChange={(e) => p.onChange(e.target.value === 'true')}
            >
              <option value="true">Yes (true)</option>
              <option value="false">No (false)</option>
            </select>
          ) : null}
          {type === 'null' ? (
            <output {...aria} className="sf-null">
              null
            </output>
          ) : null}
        </div>
      )}
    </FieldFrame>
  );
}
