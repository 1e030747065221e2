// The leaf inputs of a schema form: text (with pickers and secrets), numbers, checkboxes, selects,
// checkbox groups and a small JSON editor. Each has a label, its help and its errors tied to it
// through aria-describedby, and aria-invalid when an error is shown.
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type {
  BooleanNode,
  FieldNode,
  MultiSelectNode,
  NumberNode,
  Option,
  SelectNode,
  TextNode,
} from './field-model.ts';
import { KINDS, REDACTED } from './kinds.ts';
import type { ReferenceLookup } from './kinds.ts';

export interface FieldFrameProps {
  readonly id: string;
  readonly label: string;
  readonly help?: string | undefined;
  readonly errors: readonly string[];
  readonly required?: boolean;
  readonly wide?: boolean;
  /** Checkboxes put the label after the box. */
  readonly inline?: boolean;
  readonly children: (aria: AriaProps) => ReactNode;
}

export interface AriaProps {
  readonly id: string;
  readonly 'aria-invalid'?: true;
  readonly 'aria-describedby'?: string;
}

export function ariaFor(
  id: string,
  help: string | undefined,
  errors: readonly string[],
): AriaProps {
  const described = [help ? `${id}-help` : '', errors.length > 0 ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return {
    id,
    ...(errors.length > 0 ? { 'aria-invalid': true as const } : {}),
    ...(described ? { 'aria-describedby': described } : {}),
  };
}

export function FieldErrors(p: { id: string; errors: readonly string[] }) {
  if (p.errors.length === 0) return null;
  return (
    <p className="sf-error" id={`${p.id}-error`}>
      {p.errors.join(' ')}
    </p>
  );
}

export function FieldFrame(p: FieldFrameProps) {
  const aria = ariaFor(p.id, p.help, p.errors);
  return (
    <div
      className={`sf-field${p.wide ? ' sf-wide' : ''}${p.errors.length > 0 ? ' sf-invalid' : ''}${p.inline ? ' sf-inline' : ''}`}
    >
      {p.inline ? (
        <label className="sf-check" htmlFor={p.id}>
          {p.children(aria)}
          <span>{p.label}</span>
        </label>
      ) : (
        <>
          <label className="sf-label" htmlFor={p.id}>
            {p.label}
            {p.required ? (
              <span className="sf-required" aria-hidden="true">
                {' '}
                *
              </span>
            ) : null}
          </label>
          {p.children(aria)}
        </>
      )}
      {p.help ? (
        <p className="sf-help" id={`${p.id}-help`}>
          {p.help}
        </p>
      ) : null}
      <FieldErrors id={p.id} errors={p.errors} />
    </div>
  );
}

/** The field's own short fields sit two to a row at wide widths; text areas, lists and sections take the row. */
export function isWide(node: FieldNode): boolean {
  switch (node.type) {
    case 'text':
      return node.multiline;
    case 'number':
    case 'boolean':
    case 'select':
    case 'const':
      return false;
    default:
      return true;
  }
}

interface LeafProps<N> {
  readonly node: N;
  readonly id: string;
  readonly value: unknown;
  readonly errors: readonly string[];
  readonly label?: string;
  readonly readOnly?: boolean;
  onChange(next: unknown): void;
}

export function TextField(
  p: LeafProps<TextNode> & {
    references: ReferenceLookup;
    suggestions?: readonly string[];
    ownKey?: string;
  },
) {
  const n = p.node;
  const label = p.label ?? n.label;
  const text = typeof p.value === 'string' ? p.value : '';
  const set = (v: string) => p.onChange(v === '' && !n.required ? undefined : v);
  if (n.secret) return <SecretField {...p} label={label} />;
  if (n.reference) {
    // An audience rule cannot name the audience it defines.
    const options = p.references(n.reference).filter((o) => o.key !== p.ownKey || o.key === text);
    const known = options.some((o) => o.key === text);
    return (
      <FieldFrame id={p.id} label={label} help={n.help} errors={p.errors} required={n.required}>
        {(aria) => (
          <select
            {...aria}
            value={text}
            onChange={(e) => set(e.target.value)}
            disabled={p.readOnly}
          >
            <option value="">
              {n.required ? `Choose ${KINDS[n.reference!].noun}…` : '(none)'}
            </option>
            {!known && text !== '' ? <option value={text}>{text} (not found)</option> : null}
            {options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.label === o.key ? o.label : `${o.label} (${o.key})`}
              </option>
            ))}
          </select>
        )}
      </FieldFrame>
    );
  }
  const placeholder =
    typeof n.default === 'string'
      ? n.default
      : n.format === 'uri'
        ? 'https://'
        : n.format === 'email'
          ? 'name@example.com'
          : undefined;
  return (
    <FieldFrame
      id={p.id}
      label={label}
      help={n.help}
      errors={p.errors}
      required={n.required}
      wide={n.multiline}
    >
      {(aria) =>
        n.multiline ? (
          <textarea
            {...aria}
            value={text}
            rows={text.split('\n').length > 4 ? 8 : 4}
            placeholder={placeholder}
            readOnly={p.readOnly}
            onChange={(e) => set(e.target.value)}
          />
        ) : (
          <>
            <input
              {...aria}
              type={n.format === 'email' ? 'email' : n.format === 'uri' ? 'url' : 'text'}
              value={text}
              placeholder={placeholder}
              readOnly={p.readOnly}
              maxLength={n.maxLength}
              onChange={(e) => set(e.target.value)}
              list={p.suggestions?.length ? `${p.id}-list` : undefined}
            />
            {p.suggestions?.length ? (
              <datalist id={`${p.id}-list`}>
                {p.suggestions.map((v) => (
                  <option key={v} value={v} />
                ))}
              </datalist>
            ) : null}
          </>
        )
      }
    </FieldFrame>
  );
}

/**
 * A secret: the API shows "[redacted]" in its place, and sending that back keeps the stored secret.
 * "Keep the stored secret" is on by default; turning it off asks for a new one.
 */
export function SecretField(
  p: LeafProps<{ label: string; help?: string; required: boolean; multiline?: boolean }> & {
    empty?: unknown;
    children?: ReactNode;
  },
) {
  const redacted = p.value === REDACTED;
  const [stored] = useState(redacted);
  const text = typeof p.value === 'string' && !redacted ? p.value : '';
  const label = p.label ?? p.node.label;
  return (
    <div
      className={`sf-field sf-secret${p.node.multiline || p.children ? ' sf-wide' : ''}${p.errors.length > 0 ? ' sf-invalid' : ''}`}
    >
      <span className="sf-label" id={`${p.id}-label`}>
        {label}
        {p.node.required ? (
          <span className="sf-required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </span>
      {stored ? (
        <label className="sf-check" htmlFor={`${p.id}-keep`}>
          <input
            id={`${p.id}-keep`}
            type="checkbox"
            checked={redacted}
            onChange={(e) => p.onChange(e.target.checked ? REDACTED : (p.empty ?? ''))}
          />
          <span>Keep the stored secret</span>
        </label>
      ) : null}
      {redacted
        ? null
        : (p.children ??
          (p.node.multiline ? (
            <textarea
              {...ariaFor(p.id, p.node.help, p.errors)}
              aria-labelledby={`${p.id}-label`}
              className="sf-masked"
              value={text}
              rows={4}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => p.onChange(e.target.value)}
            />
          ) : (
            <input
              {...ariaFor(p.id, p.node.help, p.errors)}
              aria-labelledby={`${p.id}-label`}
              type="password"
              autoComplete="new-password"
              value={text}
              onChange={(e) => p.onChange(e.target.value)}
            />
          )))}
      {p.node.help ? (
        <p className="sf-help" id={`${p.id}-help`}>
          {p.node.help}
        </p>
      ) : null}
      <FieldErrors id={p.id} errors={p.errors} />
    </div>
  );
}

export function NumberField(p: LeafProps<NumberNode>) {
  const n = p.node;
  const [text, setText] = useState(typeof p.value === 'number' ? String(p.value) : '');
  // Follow outside changes (undo, the JSON tab) but keep a half-typed "1." while it is typed.
  useEffect(() => {
    if (
      (typeof p.value === 'number' ? p.value : undefined) !==
      (text.trim() === '' ? undefined : Number(text))
    )
      setText(typeof p.value === 'number' ? String(p.value) : '');
  }, [p.value]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <FieldFrame
      id={p.id}
      label={p.label ?? n.label}
      help={n.help}
      errors={p.errors}
      required={n.required}
    >
      {(aria) => (
        <input
          {...aria}
          type="number"
          inputMode={n.integer ? 'numeric' : 'decimal'}
          step={n.integer ? 1 : 'any'}
          min={n.minimum}
          max={n.maximum}
          placeholder={typeof n.default === 'number' ? String(n.default) : undefined}
          value={text}
          readOnly={p.readOnly}
          onChange={(e) => {
            setText(e.target.value);
            const t = e.target.value.trim();
            p.onChange(t === '' ? undefined : Number.isFinite(Number(t)) ? Number(t) : p.value);
          }}
        />
      )}
    </FieldFrame>
  );
}

export function BooleanField(p: LeafProps<BooleanNode>) {
  const n = p.node;
  const checked = typeof p.value === 'boolean' ? p.value : n.default === true;
  return (
    <FieldFrame id={p.id} label={p.label ?? n.label} help={n.help} errors={p.errors} inline>
      {(aria) => (
        <input
          {...aria}
          type="checkbox"
          checked={checked}
          disabled={p.readOnly}
          onChange={(e) => p.onChange(e.target.checked)}
        />
      )}
    </FieldFrame>
  );
}

function optionLabel(o: Option): string {
  return o.label;
}

export function SelectField(p: LeafProps<SelectNode> & { options?: readonly Option[] }) {
  const n = p.node;
  const options = p.options ?? n.options;
  const value =
    typeof p.value === 'string' ? p.value : typeof n.default === 'string' ? n.default : '';
  return (
    <FieldFrame
      id={p.id}
      label={p.label ?? n.label}
      help={n.help}
      errors={p.errors}
      required={n.required}
    >
      {(aria) => (
        <select
          {...aria}
          value={value}
          disabled={p.readOnly}
          onChange={(e) => p.onChange(e.target.value === '' ? undefined : e.target.value)}
        >
          {value === '' || !n.required ? (
            <option value="">{n.required ? 'Choose…' : '(none)'}</option>
          ) : null}
          {value !== '' && !options.some((o) => o.value === value) ? (
            <option value={value}>{value}</option>
          ) : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function MultiSelectField(p: LeafProps<MultiSelectNode>) {
  const n = p.node;
  const chosen = Array.isArray(p.value)
    ? (p.value as string[])
    : Array.isArray(n.default)
      ? (n.default as string[])
      : [];
  const aria = ariaFor(p.id, n.help, p.errors);
  return (
    <fieldset
      className={`sf-field sf-wide sf-choices${p.errors.length > 0 ? ' sf-invalid' : ''}`}
      id={p.id}
      aria-invalid={aria['aria-invalid']}
      aria-describedby={aria['aria-describedby']}
    >
      <legend className="sf-label">{p.label ?? n.label}</legend>
      <div className="sf-choice-row">
        {n.options.map((o) => (
          <label key={o.value} className="sf-check">
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              disabled={p.readOnly}
              onChange={(e) =>
                p.onChange(
                  e.target.checked
                    ? n.options
                        .map((x) => x.value)
                        .filter((v) => v === o.value || chosen.includes(v))
                    : chosen.filter((v) => v !== o.value),
                )
              }
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {n.help ? (
        <p className="sf-help" id={`${p.id}-help`}>
          {n.help}
        </p>
      ) : null}
      <FieldErrors id={p.id} errors={p.errors} />
    </fieldset>
  );
}

/** Free JSON (a JSON Schema, a sample answer, a value of any type): checked as it is typed. */
export function JsonField(
  p: LeafProps<{ label: string; help?: string; required: boolean }> & { rows?: number },
) {
  const shown = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [text, setText] = useState(shown(p.value));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current: unknown;
    try {
      current = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      current = Symbol('unparsed');
    }
    if (JSON.stringify(current) !== JSON.stringify(p.value)) {
      setText(shown(p.value));
      setProblem(null);
    }
  }, [p.value]); // eslint-disable-line react-hooks/exhaustive-deps
  const errors = problem ? [problem, ...p.errors] : p.errors;
  const lines = text.split('\n').length;
  return (
    <FieldFrame
      id={p.id}
      label={p.label ?? p.node.label}
      help={p.node.help}
      errors={errors}
      required={p.node.required}
      wide
    >
      {(aria) => (
        <textarea
          {...aria}
          className="sf-json"
          spellCheck={false}
          rows={p.rows ?? Math.min(16, Math.max(lines, 2))}
          value={text}
          readOnly={p.readOnly}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim() === '') {
              setProblem(null);
              p.onChange(undefined);
              return;
            }
            try {
              p.onChange(JSON.parse(e.target.value));
              setProblem(null);
            } catch (err) {
              setProblem(`Not valid JSON yet: ${err instanceof Error ? err.message : String(err)}`);
            }
          }}
        />
      )}
    </FieldFrame>
  );
}
