// A condition path built with a form: rows of attribute (event and profile fields the expression
// editor knows), operator and value, or audience membership, combined with all/any; the expression
// it writes is shown below and stays editable. An expression the form cannot hold is edited in the
// expression editor only.
import { useState } from 'react';
import type { JourneyDefinition, JsonSchema } from '../../api/types.ts';
import { ExpressionEditor } from '../../expr/expression-editor.tsx';
import type { Catalog } from '../catalog.ts';
import { OPERATORS, expressionToForm, formToExpression, typedValue } from '../condition-builder.ts';
import type {
  ConditionForm as Form,
  ConditionRow,
  Literal,
  Operator,
} from '../condition-builder.ts';

export interface FieldChoice {
  readonly group: string;
  readonly label: string;
  readonly expr: string;
  readonly type: string;
}

const PROFILE = '#{ExperiencePlatform.ProfileFieldGroup.profile';

function leaves(
  s: JsonSchema | undefined,
  group: string,
  path: string,
  label: string,
  wrap: (p: string) => string,
  out: FieldChoice[],
  depth = 0,
): void {
  if (!s || depth > 8) return;
  if (s.type === 'array' && s.items) {
    leaves(s.items, group, `${path}.at(0)`, `${label} (first)`, wrap, out, depth + 1);
    return;
  }
  const props = Object.entries(s.properties ?? {});
  if (!props.length) {
    if (path)
      out.push({
        group,
        label,
        expr: wrap(path),
        type: typeof s.type === 'string' ? s.type : 'string',
      });
    return;
  }
  for (const [k, v] of props)
    leaves(
      v,
      group,
      path ? `${path}.${k}` : k,
      label ? `${label} › ${k}` : k,
      wrap,
      out,
      depth + 1,
    );
}

/** The attributes a condition can test: the journey's events' fields, then the profile's. */
export function conditionFields(def: JourneyDefinition, c: Catalog): FieldChoice[] {
  const out: FieldChoice[] = [];
  for (const e of [...new Set(def.nodes.flatMap((n) => (n.kind === 'event' ? [n.event] : [])))]) {
    leaves(
      c.eventTypes.find((t) => t.key === e)?.spec.schema,
      e,
      '',
      '',
      (p) => `@event{${e}.${p}}`,
      out,
    );
  }
  leaves(c.profileSchema, 'Profile', '', '', (p) => `${PROFILE}.${p}}`, out);
  return out;
}

const valueKind = (type: string | undefined): 'string' | 'number' | 'boolean' | 'auto' =>
  type === 'number' || type === 'integer'
    ? 'number'
    : type === 'boolean'
      ? 'boolean'
      : type
        ? 'string'
        : 'auto';
const valueText = (
  v: ConditionRow extends infer R ? (R extends { value: infer V } ? V : never) : never,
): string => (v === null ? '' : Array.isArray(v) ? v.map(String).join(', ') : String(v));

function RowEditor(p: {
  row: ConditionRow;
  i: number;
  fields: readonly FieldChoice[];
  audiences: readonly string[];
  onChange(r: ConditionRow): void;
  onRemove(): void;
}) {
  const r = p.row;
  const n = p.i + 1;
  return (
    <div className="condition-row" data-row={p.i}>
      <select
        className="c-kind"
        aria-label={`Row ${n} kind`}
        value={r.kind}
        onChange={(e) =>
          p.onChange(
            e.target.value === 'audience'
              ? { kind: 'audience', audience: p.audiences[0] ?? '', member: true }
              : { kind: 'field', field: p.fields[0]?.expr ?? '', op: 'equals', value: '' },
          )
        }
      >
        <option value="field">Attribute</option>
        <option value="audience">Audience</option>
      </select>
      {r.kind === 'audience' ? (
        <>
          <select
            className="c-member"
            aria-label={`Row ${n} membership`}
            value={r.member ? 'in' : 'out'}
            onChange={(e) => p.onChange({ ...r, member: e.target.value === 'in' })}
          >
            <option value="in">is a member of</option>
            <option value="out">is not a member of</option>
          </select>
          <select
            className="c-audience"
            aria-label={`Row ${n} audience`}
            value={r.audience}
            onChange={(e) => p.onChange({ ...r, audience: e.target.value })}
          >
            {[...new Set([r.audience, ...p.audiences])].filter(Boolean).map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </>
      ) : (
        <FieldRow row={r} n={n} fields={p.fields} onChange={p.onChange} />
      )}
      <button
        type="button"
        className="link c-remove"
        aria-label={`Remove row ${n}`}
        onClick={p.onRemove}
      >
        ×
      </button>
    </div>
  );
}

function FieldRow(p: {
  row: Extract<ConditionRow, { kind: 'field' }>;
  n: number;
  fields: readonly FieldChoice[];
  onChange(r: ConditionRow): void;
}) {
  const r = p.row;
  const field = p.fields.find((f) => f.expr === r.field);
  const spec = OPERATORS.find((o) => o.op === r.op)!;
  const [text, setText] = useState(valueText(r.value));
  const setValue = (t: string) => {
    setText(t);
    const kind = valueKind(field?.type);
    const value: Literal | Literal[] =
      spec.value === 'list'
        ? t
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean)
            .map((x) => typedValue(x, kind))
        : typedValue(
            t,
            r.op === 'contains' || r.op === 'startsWith' || r.op === 'endsWith' ? 'string' : kind,
          );
    p.onChange({ ...r, value });
  };
  return (
    <>
      <select
        aria-label={`Row ${p.n} attribute`}
        className="c-attr"
        value={r.field}
        title={r.field}
        onChange={(e) => p.onChange({ ...r, field: e.target.value })}
      >
        {!field && <option value={r.field}>{r.field || 'Choose an attribute'}</option>}
        {[...new Set(p.fields.map((f) => f.group))].map((g) => (
          <optgroup key={g} label={g}>
            {p.fields
              .filter((f) => f.group === g)
              .map((f) => (
                <option key={f.expr} value={f.expr}>
                  {f.label}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <select
        className="c-op"
        aria-label={`Row ${p.n} operator`}
        value={r.op}
        onChange={(e) => {
          const op = e.target.value as Operator;
          const kind = OPERATORS.find((o) => o.op === op)!.value;
          p.onChange({
            ...r,
            op,
            value:
              kind === 'none'
                ? null
                : kind === 'list'
                  ? r.value === null
                    ? []
                    : Array.isArray(r.value)
                      ? r.value
                      : [r.value as Literal]
                  : Array.isArray(r.value)
                    ? (r.value[0] ?? '')
                    : (r.value ?? ''),
          });
        }}
      >
        {OPERATORS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {spec.value !== 'none' && (
        <input
          className="c-value"
          aria-label={`Row ${p.n} value`}
          value={text}
          placeholder={
            spec.value === 'list'
              ? 'a, b, c'
              : field?.type === 'number' || field?.type === 'integer'
                ? 'a number'
                : 'a value'
          }
          type={spec.value === 'one' && valueKind(field?.type) === 'number' ? 'number' : 'text'}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
    </>
  );
}

export function ConditionBuilder(p: {
  def: JourneyDefinition;
  catalog: Catalog;
  expression: string;
  scope: Record<string, unknown>;
  index: number;
  onChange(expression: string): void;
}) {
  const parsed = expressionToForm(p.expression);
  // The form's own rows, so a row being filled in (no value yet) is not lost to a re-parse.
  const [form, setForm] = useState<Form | null>(parsed ?? null);
  const [source, setSource] = useState(p.expression);
  let current = form;
  if (source !== p.expression && (!form || formToExpression(form) !== p.expression)) {
    // The expression was edited in the editor: the form follows when it can represent it.
    current = parsed;
    setForm(parsed);
    setSource(p.expression);
  }
  const fields = conditionFields(p.def, p.catalog);
  const audiences = p.catalog.audiences.map((a) => a.key);
  const emit = (f: Form) => {
    setForm(f);
    const e = formToExpression(f);
    setSource(e);
    p.onChange(e);
  };
  return (
    <div className="condition-builder" aria-label={`Path ${p.index + 1} condition`}>
      {current ? (
        <fieldset className="condition-form">
          <legend>
            Profiles take this path when they match
            <select
              aria-label="Combine rows"
              value={current.combine}
              onChange={(e) => emit({ ...current!, combine: e.target.value as Form['combine'] })}
            >
              <option value="all">all of</option>
              <option value="any">any of</option>
            </select>
          </legend>
          {current.rows.map((r, i) => (
            <RowEditor
              key={`${i}:${r.kind}`}
              row={r}
              i={i}
              fields={fields}
              audiences={audiences}
              onChange={(x) =>
                emit({ ...current!, rows: current!.rows.map((y, j) => (j === i ? x : y)) })
              }
              onRemove={() => emit({ ...current!, rows: current!.rows.filter((_, j) => j !== i) })}
            />
          ))}
          <div className="row">
            <button
              type="button"
              onClick={() =>
                emit({
                  ...current!,
                  rows: [
                    ...current!.rows,
                    { kind: 'field', field: fields[0]?.expr ?? '', op: 'equals', value: '' },
                  ],
                })
              }
            >
              Add attribute
            </button>
            <button
              type="button"
              onClick={() =>
                emit({
                  ...current!,
                  rows: [
                    ...current!.rows,
                    { kind: 'audience', audience: audiences[0] ?? '', member: true },
                  ],
                })
              }
            >
              Add audience
            </button>
          </div>
        </fieldset>
      ) : (
        <p className="muted small" role="note">
          This expression goes beyond what the form can show: edit it below.
        </p>
      )}
      <label>
        Expression
        <ExpressionEditor
          value={p.expression}
          expect="boolean"
          scope={p.scope}
          onChange={p.onChange}
        />
      </label>
    </div>
  );
}
