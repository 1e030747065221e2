// Access labels as chips: those a role holds, removable, and a field to add one (suggesting the
// labels in use). '*' stands for every label.
import { useState } from 'react';

/** GET /v1/labels, whatever its exact shape: the label names in use. */
export function labelsInUse(r: unknown): string[] {
  const pick = (v: unknown): string[] =>
    Array.isArray(v)
      ? v
          .map((x) =>
            typeof x === 'string'
              ? x
              : x && typeof x === 'object'
                ? String(
                    (x as { name?: unknown; label?: unknown }).name ??
                      (x as { label?: unknown }).label ??
                      '',
                  )
                : '',
          )
          .filter(Boolean)
      : [];
  if (Array.isArray(r)) return pick(r);
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    return [...new Set([...pick(o['inUse']), ...pick(o['items']), ...pick(o['labels'])])].sort();
  }
  return [];
}

export function LabelChips(p: {
  value: readonly string[];
  known: readonly string[];
  readOnly: boolean;
  onChange(v: string[]): void;
}) {
  const [text, setText] = useState('');
  const all = p.value.includes('*');
  const add = () => {
    const l = text.trim();
    if (l && !p.value.includes(l)) p.onChange([...p.value.filter((x) => x !== '*'), l]);
    setText('');
  };
  const suggestions = p.known.filter((k) => !p.value.includes(k));
  if (p.readOnly) {
    return (
      <div className="label-chips chips" aria-label="Labels">
        {all ? (
          <span>Every label</span>
        ) : p.value.length === 0 ? (
          <span className="muted">No label: only unlabelled objects are visible.</span>
        ) : (
          p.value.map((l) => (
            <span key={l} className="chip label-chip">
              {l}
            </span>
          ))
        )}
      </div>
    );
  }
  return (
    <div className="label-chips">
      <label className="check">
        <input
          type="checkbox"
          checked={all}
          disabled={p.readOnly}
          onChange={(e) => p.onChange(e.target.checked ? ['*'] : [])}
        />{' '}
        Every label
      </label>
      {!all && (
        <>
          <div className="chips" aria-label="Labels">
            {p.value.map((l) => (
              <span key={l} className="chip label-chip">
                {l}
                {!p.readOnly && (
                  <button
                    type="button"
                    aria-label={`Remove label ${l}`}
                    onClick={() => p.onChange(p.value.filter((x) => x !== l))}
                  >
                    ×
                  </button>
                )}
              </span>
            ))}
            {p.value.length === 0 && (
              <span className="muted small">No label: only unlabelled objects are visible.</span>
            )}
          </div>
          {!p.readOnly && (
            <div className="row label-add">
              <input
                list="labels-in-use"
                aria-label="Add a label"
                placeholder="Add a label (e.g. finance)"
                value={text}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    add();
                  }
                }}
              />
              <datalist id="labels-in-use">
                {suggestions.map((k) => (
                  <option key={k} value={k} />
                ))}
              </datalist>
              <button type="button" disabled={!text.trim()} onClick={add}>
                Add
              </button>
              {suggestions.length > 0 && (
                <span className="muted small">
                  In use:{' '}
                  {suggestions.slice(0, 8).map((k) => (
                    <button
                      key={k}
                      type="button"
                      className="link"
                      onClick={() => p.onChange([...p.value, k])}
                    >
                      {k}
                    </button>
                  ))}
                </span>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
