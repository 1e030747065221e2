// A JSON Schema edited as a list of fields (name, type, required, description), groups and lists
// nested; "Edit as JSON" shows the whole schema as text for what the list does not cover.
import { useState } from 'react';
import type { JSX } from 'react';
import {
  FIELD_TYPES,
  addField,
  fieldsOf,
  removeField,
  renameField,
  setDescription,
  setRequired,
  typeOf,
  withField,
  withType,
} from './json-schema-edit.ts';
import type { FieldTypeId } from './json-schema-edit.ts';
import { FieldErrors, JsonField } from './widgets.tsx';

type Schema = Record<string, unknown>;

export function JsonSchemaField(p: {
  id: string;
  label: string;
  help?: string | undefined;
  value: unknown;
  errors: readonly string[];
  onChange(next: unknown): void;
}): JSX.Element {
  const [asJson, setAsJson] = useState(false);
  const schema = (
    typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value) ? p.value : {}
  ) as Schema;
  const fits =
    p.value === undefined || typeOf(schema) === 'object' || Object.keys(schema).length === 0;
  const headingId = `${p.id}-label`;
  if (asJson || !fits) {
    return (
      <div className="sf-schema-editor sf-wide">
        <JsonField
          node={{ label: p.label, required: true, ...(p.help ? { help: p.help } : {}) }}
          id={p.id}
          value={p.value}
          errors={p.errors}
          onChange={p.onChange}
        />
        {fits ? (
          <button type="button" className="link" onClick={() => setAsJson(false)}>
            Edit as a list of fields
          </button>
        ) : null}
      </div>
    );
  }
  return (
    <div
      className={`sf-field sf-wide sf-schema-editor${p.errors.length > 0 ? ' sf-invalid' : ''}`}
      role="group"
      aria-labelledby={headingId}
      aria-describedby={
        [p.help ? `${p.id}-help` : '', p.errors.length > 0 ? `${p.id}-error` : '']
          .filter(Boolean)
          .join(' ') || undefined
      }
    >
      <div className="sf-schema-head">
        <span className="sf-label" id={headingId}>
          {p.label}
        </span>
        <button type="button" className="link" id={p.id} onClick={() => setAsJson(true)}>
          Edit as JSON
        </button>
      </div>
      {p.help ? (
        <p className="sf-help" id={`${p.id}-help`}>
          {p.help}
        </p>
      ) : null}
      <FieldErrors id={p.id} errors={p.errors} />
      <FieldRows schema={schema} onChange={p.onChange} where="" idBase={p.id} />
    </div>
  );
}

function FieldRows(p: {
  schema: Schema;
  onChange(next: Schema): void;
  where: string;
  idBase: string;
}): JSX.Element {
  const rows = fieldsOf(p.schema);
  return (
    <div className="sf-schema-rows">
      {rows.length > 0 && p.where === '' ? (
        <div className="sf-schema-row sf-schema-columns" aria-hidden="true">
          <span>Field</span>
          <span>Type</span>
          <span>Required</span>
          <span>Description</span>
          <span />
        </div>
      ) : rows.length === 0 ? (
        <p className="sf-empty">No fields yet.</p>
      ) : null}
      {rows.map((r, i) => {
        const path = p.where === '' ? r.name : `${p.where}.${r.name}`;
        const id = `${p.idBase}-${i}`;
        const type = typeOf(r.schema);
        const items = (r.schema['items'] ?? {}) as Schema;
        const set = (next: Schema) => p.onChange(withField(p.schema, r.name, next));
        return (
          <div key={`${i}`} className="sf-schema-field">
            <div className="sf-schema-row">
              <NameInput
                id={`${id}-name`}
                name={r.name}
                taken={rows.map((x) => x.name)}
                label={`Name of field ${path}`}
                onRename={(to) => p.onChange(renameField(p.schema, r.name, to))}
              />
              <select
                aria-label={`Type of ${path}`}
                value={type}
                onChange={(e) => set(withType(r.schema, e.target.value as FieldTypeId))}
              >
                {type === 'other' ? <option value="other">Other (see JSON)</option> : null}
                {FIELD_TYPES.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
              <input
                type="checkbox"
                aria-label={`${path} is required`}
                checked={r.required}
                onChange={(e) => p.onChange(setRequired(p.schema, r.name, e.target.checked))}
              />
              <input
                aria-label={`Description of ${path}`}
                value={typeof r.schema['description'] === 'string' ? r.schema['description'] : ''}
                onChange={(e) => set(setDescription(r.schema, e.target.value))}
              />
              <button
                type="button"
                className="sf-icon danger"
                aria-label={`Remove field ${path}`}
                onClick={() => p.onChange(removeField(p.schema, r.name))}
              >
                ✕
              </button>
            </div>
            {type === 'object' ? (
              <div className="sf-schema-nested">
                <FieldRows schema={r.schema} onChange={set} where={path} idBase={id} />
              </div>
            ) : null}
            {type === 'array' ? (
              <div className="sf-schema-nested">
                <label className="sf-schema-items">
                  <span>Each item of {r.name} is</span>
                  <select
                    value={typeOf(items) === 'other' ? 'other' : typeOf(items)}
                    onChange={(e) =>
                      set({ ...r.schema, items: withType(items, e.target.value as FieldTypeId) })
                    }
                  >
                    {typeOf(items) === 'other' ? (
                      <option value="other">Other (see JSON)</option>
                    ) : null}
                    {FIELD_TYPES.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </label>
                {typeOf(items) === 'object' ? (
                  <FieldRows
                    schema={items}
                    onChange={(next) => set({ ...r.schema, items: next })}
                    where={`${path}[]`}
                    idBase={`${id}-items`}
                  />
                ) : null}
              </div>
            ) : null}
          </div>
        );
      })}
      <button type="button" className="sf-add" onClick={() => p.onChange(addField(p.schema))}>
        + Add field{p.where === '' ? '' : ` to ${p.where}`}
      </button>
    </div>
  );
}

/** A field's name, renamed when the input leaves (so typing does not reorder or merge fields). */
function NameInput(p: {
  id: string;
  name: string;
  taken: readonly string[];
  label: string;
  onRename(to: string): void;
}) {
  const [text, setText] = useState(p.name);
  const [shownFor, setShownFor] = useState(p.name);
  if (shownFor !== p.name) {
    setShownFor(p.name);
    setText(p.name);
  }
  const clash = text !== p.name && p.taken.includes(text);
  const empty = text.trim() === '';
  return (
    <span className="sf-schema-name">
      <input
        id={p.id}
        aria-label={p.label}
        value={text}
        aria-invalid={clash || empty ? true : undefined}
        aria-describedby={clash || empty ? `${p.id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (!clash && !empty) p.onRename(text.trim());
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !clash && !empty) {
            e.preventDefault();
            p.onRename(text.trim());
          }
        }}
      />
      {clash ? (
        <span className="sf-error" id={`${p.id}-error`}>
          Another field has this name
        </span>
      ) : empty ? (
        <span className="sf-error" id={`${p.id}-error`}>
          Enter a name
        </span>
      ) : null}
    </span>
  );
}
