// The generated form: draws the bound field tree of an object kind (field-model.ts) with sections for
// nested objects, rows for lists and records, a type choice for unions. Errors come from the server
// (always shown) and from the same zod schema in the browser (shown once a field is edited).
import { useId, useMemo, useRef, useState } from 'react';
import type { JSX, ReactNode } from 'react';
import { bind, emptyValue, formModel, humanize, isRaw, variantOf } from './field-model.ts';
import type {
  Bound,
  BoundArray,
  BoundObject,
  BoundRecord,
  BoundUnion,
  FieldNode,
  FormModel,
  UnionNode,
} from './field-model.ts';
import { KINDS, REDACTED, editedApart, irrelevant, managedFields, withBuiltIns } from './kinds.ts';
import type { ObjectKindName, ReferenceLookup } from './kinds.ts';
import { validateSpec } from './messages.ts';
import { mirrored } from './coupled.ts';
import { JsonSchemaField } from './json-schema-field.tsx';
import { formatPath, parsePath, startsWith, writeAt } from './paths.ts';
import type { Path } from './paths.ts';
import {
  BooleanField,
  FieldErrors,
  JsonField,
  MultiSelectField,
  NumberField,
  SecretField,
  SelectField,
  TextField,
  isWide,
} from './widgets.tsx';
import { ScalarField } from './scalar-field.tsx';
import { suggestionsFor } from './suggestions.ts';
import { LabelPicker } from '../labels/label-picker.tsx';

/** The kinds whose `labels` are access labels (src/model/labels.ts LABELLED_KINDS): edited with the label picker. */
const LABELLED: readonly ObjectKindName[] = [
  'audiences',
  'content-templates',
  'fragments',
  'channel-configurations',
];

export interface SchemaFormProps {
  readonly kind: ObjectKindName;
  readonly value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  readonly serverIssues?: readonly { readonly path: string; readonly message: string }[];
  /** A lookup, or (as the object pages first wrote it) keys by kind. */
  readonly references: ReferenceLookup | Readonly<Record<string, readonly string[]>>;
  readonly readOnlyKey?: boolean;
}

function lookupOf(refs: SchemaFormProps['references']): ReferenceLookup {
  const given: ReferenceLookup =
    typeof refs === 'function'
      ? refs
      : (kind) => (refs[kind] ?? []).map((key) => ({ key, label: key }));
  return withBuiltIns(given);
}

/** Names that keep their capital inside a sentence: "Add Vonage", "Remove Twilio". */
const PROPER_NAMES = new Set(['Twilio', 'Vonage', 'SendGrid', 'Mailgun', 'Web Push']);

/** A label inside a sentence: "Add reply-to", but "Add DKIM signing" and "Add Vonage". */
const inSentence = (label: string) =>
  /^[A-Z]{2}/.test(label) || PROPER_NAMES.has(label)
    ? label
    : label.charAt(0).toLowerCase() + label.slice(1);

interface Ctx {
  readonly model: FormModel;
  readonly kind: ObjectKindName;
  readonly idBase: string;
  readonly references: ReferenceLookup;
  readonly readOnlyKey: boolean;
  /** The whole spec (fields that suggest values from other fields read it). */
  readonly root: Record<string, unknown>;
  errorsAt(path: Path): readonly string[];
  /** Any error at or under the path (a closed section opens to show it). */
  errorsUnder(path: Path): boolean;
  set(path: Path, next: unknown): void;
}

const idOf = (ctx: Ctx, path: Path) =>
  `${ctx.idBase}-${formatPath(path).replace(/[^A-Za-z0-9_-]/g, '-') || 'root'}`;

export function SchemaForm(p: SchemaFormProps): JSX.Element {
  const model = formModel(p.kind);
  const bound = useMemo(() => bind(model, model.root, p.value), [model, p.value]);
  const clientIssues = useMemo(() => validateSpec(p.kind, p.value), [p.kind, p.value]);
  const [touched, setTouched] = useState<readonly Path[]>([]);
  const idBase = `sf${useId().replace(/[^A-Za-z0-9]/g, '')}`;
  const latest = useRef(p.value);
  latest.current = p.value;

  const errors = useMemo(() => {
    const byPath = new Map<string, string[]>();
    const add = (path: string, message: string) => {
      const list = byPath.get(path) ?? [];
      if (!list.includes(message)) list.push(message);
      byPath.set(path, list);
    };
    for (const i of p.serverIssues ?? []) add(formatPath(parsePath(i.path)), i.message);
    for (const i of clientIssues) {
      const path = parsePath(i.path);
      if (touched.some((t) => startsWith(t, path) || startsWith(path, t)))
        add(formatPath(path), i.message);
    }
    return placeIssues(bound, byPath);
  }, [p.serverIssues, clientIssues, touched, bound]);

  const ctx: Ctx = {
    model,
    kind: p.kind,
    idBase,
    references: lookupOf(p.references),
    root: p.value,
    readOnlyKey: p.readOnlyKey ?? false,
    errorsAt: (path) => errors.get(formatPath(path)) ?? [],
    errorsUnder: (path) => [...errors.keys()].some((k) => startsWith(parsePath(k), path)),
    set: (path, next) => {
      setTouched((t) => (t.some((x) => formatPath(x) === formatPath(path)) ? t : [...t, path]));
      const root = mirrored(
        model,
        p.kind,
        path,
        (writeAt(latest.current, path, next) ?? {}) as Record<string, unknown>,
      );
      latest.current = root;
      p.onChange(latest.current);
    },
  };
  const rootErrors = errors.get('') ?? [];
  return (
    <div className="schema-form" data-kind={p.kind}>
      {rootErrors.length > 0 ? (
        <div className="sf-form-errors" role="alert">
          <FieldErrors id={`${idBase}-root`} errors={rootErrors} />
        </div>
      ) : null}
      <FieldView ctx={ctx} b={bound} root />
    </div>
  );
}

/**
 * Issues land on the deepest field the form shows at or above their path: an issue inside a JSON
 * field or a removed list row still shows somewhere near.
 */
function placeIssues(root: Bound, byPath: Map<string, string[]>): Map<string, string[]> {
  const shown = new Set<string>();
  const visit = (b: Bound) => {
    shown.add(formatPath(b.path));
    if (isRaw(b)) return;
    if (b.node.type === 'union') {
      const u = b as BoundUnion;
      if (u.node.discriminator) shown.add(formatPath([...b.path, u.node.discriminator]));
      if (u.inner) visit(u.inner);
    } else if (b.node.type === 'object') (b as BoundObject).fields.forEach(visit);
    else if (b.node.type === 'array') (b as BoundArray).items.forEach(visit);
    else if (b.node.type === 'record') (b as BoundRecord).entries.forEach((e) => visit(e.bound));
  };
  visit(root);
  const out = new Map<string, string[]>();
  for (const [path, messages] of byPath) {
    let segs = parsePath(path);
    while (segs.length > 0 && !shown.has(formatPath(segs))) segs = segs.slice(0, -1);
    const key = formatPath(segs);
    out.set(key, [
      ...(out.get(key) ?? []),
      ...messages.filter((m) => !(out.get(key) ?? []).includes(m)),
    ]);
  }
  return out;
}

function FieldView(p: {
  ctx: Ctx;
  b: Bound;
  root?: boolean;
  label?: string;
  hideConst?: string;
}): JSX.Element | null {
  const { ctx, b } = p;
  const id = idOf(ctx, b.path);
  const errors = ctx.errorsAt(b.path);
  const set = (v: unknown) => ctx.set(b.path, v);
  const isKey = b.path.length === 1 && b.path[0] === KINDS[ctx.kind].keyField;
  const readOnly = isKey && ctx.readOnlyKey;
  const label = p.label ?? b.node.label;
  if (
    b.path.length === 1 &&
    b.path[0] === 'labels' &&
    LABELLED.includes(ctx.kind) &&
    (b.value === undefined || Array.isArray(b.value))
  ) {
    const labels = Array.isArray(b.value)
      ? b.value.filter((l): l is string => typeof l === 'string')
      : [];
    // Issues on one label (labels.2) show under the picker too.
    const all = [...errors, ...labels.flatMap((_, i) => ctx.errorsAt([...b.path, i]))];
    return (
      <LabelPicker
        id={id}
        value={labels}
        errors={all}
        what={KINDS[ctx.kind].noun.replace(/^an? /, 'this ')}
        onChange={(next) => set(next.length > 0 ? [...next] : undefined)}
      />
    );
  }
  if (isRaw(b)) {
    if (b.value === REDACTED) {
      return (
        <SecretField
          node={{ label, required: b.node.required, ...(b.node.help ? { help: b.node.help } : {}) }}
          id={id}
          value={b.value}
          errors={errors}
          empty={emptyValue(ctx.model, b.node)}
          onChange={set}
        />
      );
    }
    return (
      <JsonField
        node={{
          label,
          required: b.node.required,
          help: `${b.node.help ? `${b.node.help} ` : ''}(Edited as JSON: this value does not fit the form.)`,
        }}
        id={id}
        value={b.value}
        errors={errors}
        onChange={set}
      />
    );
  }
  const n = b.node;
  switch (n.type) {
    case 'text':
      return (
        <TextField
          node={n}
          id={id}
          value={b.value}
          errors={errors}
          label={label}
          onChange={set}
          references={ctx.references}
          readOnly={readOnly}
          suggestions={suggestionsFor(ctx.kind, b.path, ctx.root)}
          {...(n.reference === ctx.kind && typeof ctx.root[KINDS[ctx.kind].keyField] === 'string'
            ? { ownKey: ctx.root[KINDS[ctx.kind].keyField] as string }
            : {})}
        />
      );
    case 'number':
      return (
        <NumberField
          node={n}
          id={id}
          value={b.value}
          errors={errors}
          label={label}
          onChange={set}
          readOnly={readOnly}
        />
      );
    case 'boolean':
      return (
        <BooleanField
          node={n}
          id={id}
          value={b.value}
          errors={errors}
          label={label}
          onChange={set}
        />
      );
    case 'select':
      return (
        <SelectField
          node={n}
          id={id}
          value={b.value}
          errors={errors}
          label={label}
          onChange={set}
          readOnly={readOnly}
        />
      );
    case 'multiselect':
      return (
        <MultiSelectField
          node={n}
          id={id}
          value={b.value}
          errors={errors}
          label={label}
          onChange={set}
        />
      );
    case 'const':
      if (p.hideConst === n.key) return null;
      return (
        <div className="sf-field sf-const">
          <span className="sf-label" id={`${id}-label`}>
            {label}
          </span>
          <output aria-labelledby={`${id}-label`} id={id}>
            {String(b.value ?? n.value)}
          </output>
          {n.help ? <p className="sf-help">{n.help}</p> : null}
          <FieldErrors id={id} errors={errors} />
        </div>
      );
    case 'json':
      if (n.secret)
        return (
          <SecretField
            node={{
              label,
              required: n.required,
              multiline: true,
              ...(n.help ? { help: n.help } : {}),
            }}
            id={id}
            value={b.value}
            errors={errors}
            onChange={set}
          >
            <JsonField node={n} id={`${id}-json`} value={b.value} errors={[]} onChange={set} />
          </SecretField>
        );
      if (n.jsonSchema)
        return (
          <JsonSchemaField
            id={id}
            label={label}
            help={n.help}
            value={b.value}
            errors={errors}
            onChange={set}
          />
        );
      if (n.key === 'value')
        return (
          <ScalarField
            node={n}
            id={id}
            value={b.value}
            errors={errors}
            label={label}
            onChange={set}
          />
        );
      return (
        <JsonField node={n} id={id} value={b.value} errors={errors} label={label} onChange={set} />
      );
    case 'object':
      return (
        <ObjectView
          ctx={ctx}
          b={b as BoundObject}
          root={p.root ?? false}
          label={label}
          {...(p.hideConst ? { hideConst: p.hideConst } : {})}
        />
      );
    case 'array':
      return <ArrayView ctx={ctx} b={b as BoundArray} label={label} />;
    case 'union':
      return <UnionView ctx={ctx} b={b as BoundUnion} root={p.root ?? false} label={label} />;
    case 'record':
      return <RecordView ctx={ctx} b={b as BoundRecord} label={label} />;
    default: {
      const never: never = n;
      return never;
    }
  }
}

function Grid(p: { ctx: Ctx; fields: readonly Bound[]; hideConst?: string; parent?: unknown }) {
  const parent = (typeof p.parent === 'object' && p.parent !== null ? p.parent : {}) as Record<
    string,
    unknown
  >;
  return (
    <div className="sf-grid">
      {p.fields
        .filter(
          (f) =>
            !(f.path.length === 1 && editedApart(p.ctx.kind).includes(String(f.path[0]))) &&
            (f.value !== undefined ||
              !irrelevant(p.ctx.kind, String(f.path[f.path.length - 1]), parent)),
        )
        .map((f) => (
          <div
            key={formatPath(f.path)}
            className={
              isWide(f.node) && !(f.node.type === 'text' && f.node.secret)
                ? 'sf-cell sf-wide'
                : 'sf-cell'
            }
          >
            <FieldView ctx={p.ctx} b={f} {...(p.hideConst ? { hideConst: p.hideConst } : {})} />
          </div>
        ))}
    </div>
  );
}

/** An optional part that is not there: a button that adds it. */
function AddMissing(p: { ctx: Ctx; b: Bound; label: string }) {
  const errors = p.ctx.errorsAt(p.b.path);
  const id = idOf(p.ctx, p.b.path);
  return (
    <div className="sf-field sf-missing">
      <button
        type="button"
        className="sf-add"
        id={id}
        aria-describedby={p.b.node.help ? `${id}-help` : undefined}
        onClick={() => p.ctx.set(p.b.path, emptyValue(p.ctx.model, p.b.node))}
      >
        + Add {inSentence(p.label)}
      </button>
      {p.b.node.help ? (
        <p className="sf-help" id={`${id}-help`}>
          {p.b.node.help}
        </p>
      ) : null}
      <FieldErrors id={id} errors={errors} />
    </div>
  );
}

/** Sections two names deep start open; deeper ones (an email's structures and columns) start closed. */
const sectionOpen = (path: Path) => path.filter((s) => typeof s === 'string').length <= 2;

/** Optional without a server default: absent until added, and removable. */
const removable = (n: FieldNode) => !n.required && n.default === undefined;

function Section(p: {
  ctx: Ctx;
  b: Bound;
  label: string;
  children: ReactNode;
  removable: boolean;
}) {
  const id = idOf(p.ctx, p.b.path);
  const errors = p.ctx.errorsAt(p.b.path);
  return (
    <details
      className={`sf-section${errors.length > 0 ? ' sf-invalid' : ''}`}
      aria-label={p.label}
      open={sectionOpen(p.b.path) || p.ctx.errorsUnder(p.b.path)}
    >
      <summary>
        <span className="sf-section-title">{p.label}</span>
        {p.b.node.required ? (
          <span className="sf-required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </summary>
      <div className="sf-section-body">
        {p.b.node.help ? (
          <p className="sf-help" id={`${id}-help`}>
            {p.b.node.help}
          </p>
        ) : null}
        <FieldErrors id={id} errors={errors} />
        {p.children}
        {p.removable ? (
          <div className="sf-section-actions">
            <button type="button" className="link" onClick={() => p.ctx.set(p.b.path, undefined)}>
              Remove {inSentence(p.label)}
            </button>
          </div>
        ) : null}
      </div>
    </details>
  );
}

function ObjectView(p: {
  ctx: Ctx;
  b: BoundObject;
  root: boolean;
  label: string;
  hideConst?: string;
  bare?: boolean;
}) {
  if (p.root) {
    // Fields Waymark keeps itself (a fragment's version and history) are shown, not edited.
    const managed = managedFields(p.ctx.kind);
    const own = p.b.fields.filter((f) => !managed.includes(String(f.path[0])));
    const kept = p.b.fields.filter(
      (f) => managed.includes(String(f.path[0])) && f.value !== undefined,
    );
    return (
      <>
        <Grid ctx={p.ctx} fields={own} />
        {kept.length > 0 ? (
          <details className="sf-section sf-managed">
            <summary>
              <span className="sf-section-title">
                Kept by Waymark: {kept.map((f) => inSentence(f.node.label)).join(', ')}
              </span>
            </summary>
            <div className="sf-section-body">
              {kept.map((f) => (
                <div key={formatPath(f.path)} className="sf-field">
                  <span className="sf-label">{f.node.label}</span>
                  <pre className="sf-readonly">
                    {typeof f.value === 'object'
                      ? JSON.stringify(f.value, null, 2)
                      : String(f.value)}
                  </pre>
                </div>
              ))}
            </div>
          </details>
        ) : null}
      </>
    );
  }
  const grid = (
    <Grid
      ctx={p.ctx}
      fields={p.b.fields}
      parent={p.b.value}
      {...(p.hideConst ? { hideConst: p.hideConst } : {})}
    />
  );
  if (p.bare) return grid;
  if (p.b.value === undefined && removable(p.b.node))
    return <AddMissing ctx={p.ctx} b={p.b} label={p.label} />;
  return (
    <Section ctx={p.ctx} b={p.b} label={p.label} removable={removable(p.b.node)}>
      {grid}
    </Section>
  );
}

function UnionView(p: { ctx: Ctx; b: BoundUnion; root: boolean; label: string }) {
  const { ctx, b } = p;
  const n: UnionNode = b.node;
  if (b.value === undefined && removable(n)) return <AddMissing ctx={ctx} b={b} label={p.label} />;
  const selectPath = n.discriminator ? [...b.path, n.discriminator] : b.path;
  const id = `${idOf(ctx, b.path)}-type`;
  const errors = [...ctx.errorsAt(b.path), ...(n.discriminator ? ctx.errorsAt(selectPath) : [])];
  // Absent with a server default (a custom action's auth: none): the default's type is what applies.
  const shown =
    b.variant ??
    (b.value === undefined && n.default !== undefined ? variantOf(n, n.default) : undefined);
  const current = shown?.tag ?? '';
  const choose = (tag: string) => {
    const variant = n.variants.find((v) => v.tag === tag);
    if (!variant) return;
    const fresh = emptyValue(ctx.model, variant.node) as Record<string, unknown>;
    // Fields both shapes have (a name, an id) carry over.
    const old = (typeof b.value === 'object' && b.value !== null ? b.value : {}) as Record<
      string,
      unknown
    >;
    const keep =
      variant.node.type === 'object'
        ? Object.fromEntries(
            variant.node.fields
              .filter((f) => f.type !== 'const' && f.key in old && f.key !== n.discriminator)
              .map((f) => [f.key, old[f.key]]),
          )
        : {};
    ctx.set(b.path, { ...fresh, ...keep });
  };
  const typeLabel = p.root
    ? n.discriminator
      ? humanize(n.discriminator)
      : 'Type'
    : `${p.label} type`;
  const picker = (
    <div className="sf-cell">
      <div className={`sf-field${errors.length > 0 ? ' sf-invalid' : ''}`}>
        <label className="sf-label" htmlFor={id}>
          {typeLabel}
        </label>
        <select
          id={id}
          value={current}
          aria-invalid={errors.length > 0 ? true : undefined}
          aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
          disabled={b.path.length === 0 && ctx.readOnlyKey}
          onChange={(e) => choose(e.target.value)}
        >
          {current === '' ? <option value="">Choose…</option> : null}
          {n.variants.map((v) => (
            <option key={v.tag} value={v.tag}>
              {v.label}
            </option>
          ))}
        </select>
        <FieldErrors id={id} errors={errors} />
      </div>
    </div>
  );
  const inner = b.inner;
  const body =
    inner && !isRaw(inner) && inner.node.type === 'object' ? (
      <ObjectView
        ctx={ctx}
        b={inner as BoundObject}
        root={false}
        bare
        label={p.label}
        {...(n.discriminator ? { hideConst: n.discriminator } : {})}
      />
    ) : inner ? (
      <FieldView ctx={ctx} b={inner} />
    ) : null;
  const content = (
    <div className="sf-union">
      {<div className="sf-grid">{picker}</div>}
      {body}
    </div>
  );
  if (p.root) return content;
  return (
    <Section
      ctx={{
        ...ctx,
        errorsAt: (path) => (formatPath(path) === formatPath(b.path) ? [] : ctx.errorsAt(path)),
      }}
      b={b}
      label={p.label}
      removable={removable(n)}
    >
      {content}
    </Section>
  );
}

function ArrayView(p: { ctx: Ctx; b: BoundArray; label: string }) {
  const { ctx, b } = p;
  const n = b.node;
  const items = Array.isArray(b.value) ? (b.value as unknown[]) : [];
  const move = (from: number, to: number) => {
    const next = [...items];
    const [x] = next.splice(from, 1);
    next.splice(to, 0, x);
    ctx.set(b.path, next);
  };
  const full = n.maxItems !== undefined && items.length >= n.maxItems;
  const item = inSentence(n.itemLabel);
  return (
    <Section
      ctx={ctx}
      b={b}
      label={`${p.label}${items.length > 0 ? ` (${items.length})` : ''}`}
      removable={false}
    >
      <div className="sf-list">
        {b.items.length === 0 ? <p className="sf-empty">No {item}s yet.</p> : null}
        {b.items.map((ib, i) => {
          const scalar =
            !['object', 'union', 'array', 'record', 'json'].includes(ib.node.type) && !isRaw(ib);
          return (
            <div key={i} className={`sf-row${scalar ? ' sf-row-scalar' : ''}`}>
              <div className="sf-row-head">
                {scalar ? null : (
                  <span className="sf-row-title">
                    {n.itemLabel} {i + 1}
                    {rowName(ib.value)}
                  </span>
                )}
                <span className="sf-row-actions">
                  <button
                    type="button"
                    className="sf-icon"
                    aria-label={`Move ${item} ${i + 1} up`}
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="sf-icon"
                    aria-label={`Move ${item} ${i + 1} down`}
                    disabled={i === items.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="sf-icon danger"
                    aria-label={`Remove ${item} ${i + 1}`}
                    onClick={() =>
                      ctx.set(
                        b.path,
                        items.filter((_, j) => j !== i),
                      )
                    }
                  >
                    ✕
                  </button>
                </span>
              </div>
              {ib.node.type === 'object' && !isRaw(ib) ? (
                <ObjectView ctx={ctx} b={ib as BoundObject} root={false} bare label={n.itemLabel} />
              ) : ib.node.type === 'union' && !isRaw(ib) ? (
                <UnionView ctx={ctx} b={ib as BoundUnion} root label={n.itemLabel} />
              ) : (
                <FieldView ctx={ctx} b={ib} label={`${n.itemLabel} ${i + 1}`} />
              )}
            </div>
          );
        })}
      </div>
      <button
        type="button"
        className="sf-add"
        disabled={full}
        onClick={() => ctx.set(b.path, [...items, emptyValue(ctx.model, n.item)])}
      >
        + Add {item}
      </button>
    </Section>
  );
}

function rowName(v: unknown): string {
  if (typeof v !== 'object' || v === null) return '';
  const o = v as Record<string, unknown>;
  const name = [o['name'], o['id'], o['path'], o['locale'], o['kind']].find(
    (x) => typeof x === 'string' && x !== '',
  );
  return typeof name === 'string' ? `: ${name}` : '';
}

function RecordView(p: { ctx: Ctx; b: BoundRecord; label: string }) {
  const { ctx, b } = p;
  const entries = b.entries;
  const obj = (typeof b.value === 'object' && b.value !== null ? b.value : {}) as Record<
    string,
    unknown
  >;
  const rename = (from: string, to: string) => {
    ctx.set(
      b.path,
      Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v])),
    );
  };
  const fresh = () => {
    let k = 'key';
    for (let i = 2; k in obj; i++) k = `key${i}`;
    ctx.set(b.path, { ...obj, [k]: emptyValue(ctx.model, b.node.value) ?? '' });
  };
  return (
    <Section ctx={ctx} b={b} label={p.label} removable={false}>
      <div className="sf-list">
        {entries.length === 0 ? <p className="sf-empty">None.</p> : null}
        {entries.map((e, i) => {
          const keyId = `${idOf(ctx, b.path)}-key-${i}`;
          return (
            <div key={i} className="sf-record-row">
              <div className="sf-field">
                <label className="sf-label" htmlFor={keyId}>
                  Name
                </label>
                <input id={keyId} value={e.key} onChange={(ev) => rename(e.key, ev.target.value)} />
              </div>
              <FieldView
                ctx={ctx}
                b={e.bound}
                label={e.key === '' ? 'Value' : `Value of ${e.key}`}
              />
              <button
                type="button"
                className="sf-icon danger"
                aria-label={`Remove ${e.key || 'entry'}`}
                onClick={() =>
                  ctx.set(
                    b.path,
                    Object.fromEntries(Object.entries(obj).filter(([k]) => k !== e.key)),
                  )
                }
              >
                ✕
              </button>
            </div>
          );
        })}
      </div>
      <button type="button" className="sf-add" onClick={fresh}>
        + Add entry
      </button>
    </Section>
  );
}
