// The form as plain data: a field tree compiled from an object kind's JSON Schema (zod's own
// `z.toJSONSchema` of the server's schema), then bound to a value. The renderer draws the bound tree
// and tests check it without a browser: unbind(bind(model, v)) gives v back.
import { z } from 'zod';
import { KINDS, referenceOf, secretPaths } from './kinds.ts';
import type { ObjectKindName } from './kinds.ts';
import type { Path } from './paths.ts';

type Json = Record<string, unknown>;

interface BaseNode {
  /** Property name in the parent object ('' for the root, array items and record values). */
  readonly key: string;
  readonly label: string;
  readonly help?: string;
  /** The parent object requires it (and it has no default). */
  readonly required: boolean;
  /** Applied by the server when absent. */
  readonly default?: unknown;
}

export interface TextNode extends BaseNode {
  readonly type: 'text';
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly multiline: boolean;
  /** The kind of object whose key this field holds: a picker. */
  readonly reference?: ObjectKindName;
  /** Stored encrypted, shown "[redacted]": a password input that keeps the stored secret by default. */
  readonly secret: boolean;
}
export interface NumberNode extends BaseNode {
  readonly type: 'number';
  readonly integer: boolean;
  readonly minimum?: number;
  readonly maximum?: number;
}
export interface BooleanNode extends BaseNode {
  readonly type: 'boolean';
}
export interface Option {
  readonly value: string;
  readonly label: string;
}
export interface SelectNode extends BaseNode {
  readonly type: 'select';
  readonly options: readonly Option[];
}
/** A list of choices from a fixed set (channels): checkboxes. */
export interface MultiSelectNode extends BaseNode {
  readonly type: 'multiselect';
  readonly options: readonly Option[];
  readonly minItems?: number;
}
export interface ConstNode extends BaseNode {
  readonly type: 'const';
  readonly value: unknown;
}
export interface ObjectNode extends BaseNode {
  readonly type: 'object';
  readonly fields: readonly FieldNode[];
  readonly secret: boolean;
}
export interface ArrayNode extends BaseNode {
  readonly type: 'array';
  readonly item: FieldNode;
  readonly itemLabel: string;
  readonly minItems?: number;
  readonly maxItems?: number;
}
export interface Variant {
  readonly tag: string;
  readonly label: string;
  readonly node: FieldNode;
}
/** One of several shapes; `discriminator` names the property that tells them apart. */
export interface UnionNode extends BaseNode {
  readonly type: 'union';
  readonly discriminator?: string;
  readonly variants: readonly Variant[];
}
export interface RecordNode extends BaseNode {
  readonly type: 'record';
  readonly value: FieldNode;
  readonly secret: boolean;
}
/** Anything else (free JSON, scalar-or-list values): a small JSON editor. */
export interface JsonNode extends BaseNode {
  readonly type: 'json';
  readonly secret: boolean;
  /** The value is a JSON Schema: edited as a list of fields. */ readonly jsonSchema?: true;
}
/** A recursive schema's definition, resolved when bound. */
export interface RefNode extends BaseNode {
  readonly type: 'ref';
  readonly def: string;
  readonly tag?: string;
}

export type FieldNode =
  | TextNode
  | NumberNode
  | BooleanNode
  | SelectNode
  | MultiSelectNode
  | ConstNode
  | ObjectNode
  | ArrayNode
  | UnionNode
  | RecordNode
  | JsonNode
  | RefNode;

export interface FormModel {
  readonly kind: ObjectKindName;
  readonly root: FieldNode;
  readonly defs: Readonly<Record<string, FieldNode>>;
}

const ACRONYMS: Readonly<Record<string, string>> = {
  url: 'URL',
  id: 'ID',
  ios: 'iOS',
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  avif: 'AVIF',
  smtp: 'SMTP',
  tls: 'TLS',
  starttls: 'STARTTLS',
  sms: 'SMS',
  json: 'JSON',
  dkim: 'DKIM',
  apns: 'APNs',
  fcm: 'FCM',
  ms: '(ms)',
  uri: 'URI',
  sid: 'SID',
  html: 'HTML',
  p8: 'P8',
  mime: 'MIME',
};

/** "fromAddress" → "From address", "timeoutMs" → "Timeout (ms)", "client_email" → "Client email". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_-]/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/\s+/)
    .filter(Boolean);
  const out = words
    .map((w, i) => {
      const a = ACRONYMS[w.toLowerCase()];
      if (a) return a;
      return i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w.toLowerCase();
    })
    .join(' ');
  return /^[a-z][A-Z]/.test(out) ? out : out.charAt(0).toUpperCase() + out.slice(1);
}

function singular(label: string): string {
  if (/ies$/.test(label)) return label.replace(/ies$/, 'y');
  if (/(ss|s|x)es$/.test(label)) return label.slice(0, -2);
  if (/[^s]s$/.test(label)) return label.slice(0, -1);
  return `${label} item`;
}

/** Enum values that read badly humanized (operators, payload types). */
const OPTION_LABELS: Readonly<Record<string, string>> = {
  gt: 'greater than',
  gte: 'at least',
  lt: 'less than',
  lte: 'at most',
  eq: 'equals',
  in: 'is one of',
  between: 'between',
  notEquals: 'does not equal',
  notExists: 'does not exist',
  isTrue: 'is true',
  isFalse: 'is false',
  startsWith: 'starts with',
  atLeast: 'at least',
  atMost: 'at most',
  dateTime: 'date and time',
  listString: 'list of strings',
  listInteger: 'list of integers',
  listDecimal: 'list of decimals',
  listBoolean: 'list of booleans',
  listObject: 'list of objects',
  directMail: 'direct mail',
};

/** What a choice shows: "POST" stays, "headerKey" → "Header key", "gte" → "At least". */
export function optionLabel(value: string): string {
  if (!/[a-z]/.test(value)) return value;
  const known = OPTION_LABELS[value];
  return known ? known.charAt(0).toUpperCase() + known.slice(1) : humanize(value);
}

const options = (values: readonly string[]): Option[] =>
  values.map((v) => ({ value: v, label: optionLabel(v) }));

const MULTILINE_KEYS = new Set([
  'source',
  'content',
  'html',
  'text',
  'description',
  'p8Key',
  'privateKey',
  'private_key',
  'expression',
]);

interface Ctx {
  readonly kind: ObjectKindName;
  readonly schema: Json;
  /** Tag of the top-level variant (a channel configuration's channel): which secrets apply. */
  readonly rootTag: string | undefined;
  /** Dot path of property names from the root, array levels marked "[]". */
  readonly dotPath: string;
  readonly tag: string | undefined;
  readonly depth: number;
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function defName(ref: string): string {
  return ref === '#' ? '#' : ref.replace(/^#\/(\$defs|definitions)\//, '');
}

function resolveSchema(root: Json, s: Json): Json {
  const ref = s['$ref'];
  if (typeof ref !== 'string') return s;
  if (ref === '#') return root;
  const defs = (root['$defs'] ?? root['definitions']) as Json | undefined;
  const target = defs?.[defName(ref)];
  return isObj(target) ? target : {};
}

function isSecret(ctx: Ctx, dotPath: string): boolean {
  const spec = ctx.kind === 'channel-configurations' ? { channel: ctx.rootTag } : {};
  return secretPaths(ctx.kind, spec).includes(dotPath);
}

function unionOptions(ctx: Ctx, s: Json): Json[] {
  const list = (s['oneOf'] ?? s['anyOf']) as unknown;
  if (!Array.isArray(list)) return [];
  // Nested unions (an audience's text-or-rule definition) flatten into one choice.
  return list.filter(isObj).flatMap((o) => {
    const r = resolveSchema(ctx.schema, o);
    return Array.isArray(r['oneOf'] ?? r['anyOf']) ? unionOptions(ctx, r) : [r];
  });
}

function constOf(s: unknown): unknown {
  return isObj(s) ? s['const'] : undefined;
}

function compileUnion(ctx: Ctx, s: Json, base: BaseNode): FieldNode {
  const options = unionOptions(ctx, s);
  if (
    options.length === 0 ||
    !options.every((o) => o['type'] === 'object' && isObj(o['properties']))
  )
    return { ...base, type: 'json', secret: isSecret(ctx, ctx.dotPath) };
  const props = options.map((o) => o['properties'] as Json);
  const candidates = Object.keys(props.find(Boolean) ?? {}).concat(
    ...props.map((p) => Object.keys(p)),
  );
  const discriminator = [...new Set(candidates)].find((k) => {
    const tagged = props.filter((p) => constOf(p[k]) !== undefined);
    return (
      tagged.length >= options.length - 1 &&
      new Set(tagged.map((p) => String(constOf(p[k])))).size === tagged.length
    );
  });
  const variants = options.map((o, i): Variant => {
    const tagValue =
      discriminator === undefined ? undefined : constOf((o['properties'] as Json)[discriminator]);
    const tag = tagValue === undefined ? `#${i}` : String(tagValue);
    const title =
      typeof o['title'] === 'string'
        ? o['title']
        : tagValue === undefined
          ? humanize(String(((o['required'] as string[] | undefined) ?? ['other'])[0]))
          : optionLabel(String(tagValue));
    const rootTag =
      ctx.depth === 0 ? (tagValue === undefined ? undefined : String(tagValue)) : ctx.rootTag;
    const node = compile(
      { ...ctx, rootTag, tag: tagValue === undefined ? undefined : String(tagValue) },
      o,
      base.key,
      base.required,
    );
    return { tag, label: title, node };
  });
  return {
    ...base,
    type: 'union',
    ...(discriminator === undefined ? {} : { discriminator }),
    variants,
  };
}

function compile(ctx: Ctx, raw: Json, key: string, required: boolean): FieldNode {
  const ref = raw['$ref'];
  const s = raw;
  const hasDefault = 'default' in s;
  const base: BaseNode = {
    key,
    label: typeof s['title'] === 'string' ? s['title'] : humanize(key),
    ...(typeof s['description'] === 'string' ? { help: s['description'] } : {}),
    required: required && !hasDefault,
    ...(hasDefault ? { default: s['default'] } : {}),
  };
  if (typeof ref === 'string')
    return {
      ...base,
      type: 'ref',
      def: defName(ref),
      ...(ctx.tag === undefined ? {} : { tag: ctx.tag }),
    };
  if (Array.isArray(s['oneOf']) || Array.isArray(s['anyOf'])) return compileUnion(ctx, s, base);
  if (s['const'] !== undefined) return { ...base, type: 'const', value: s['const'] };
  if (Array.isArray(s['enum']) && s['enum'].every((v) => typeof v === 'string')) {
    return { ...base, type: 'select', options: options(s['enum'] as string[]) };
  }
  const secret = isSecret(ctx, ctx.dotPath);
  switch (s['type']) {
    case 'string': {
      const reference = referenceOf(ctx.kind, key, ctx.tag, ctx.depth);
      return {
        ...base,
        type: 'text',
        ...(typeof s['format'] === 'string' ? { format: s['format'] } : {}),
        ...(typeof s['minLength'] === 'number' ? { minLength: s['minLength'] } : {}),
        ...(typeof s['maxLength'] === 'number' ? { maxLength: s['maxLength'] } : {}),
        multiline:
          MULTILINE_KEYS.has(key) || (typeof s['maxLength'] === 'number' && s['maxLength'] > 2000),
        ...(reference === undefined ? {} : { reference }),
        secret,
      };
    }
    case 'number':
    case 'integer':
      return {
        ...base,
        type: 'number',
        integer: s['type'] === 'integer',
        ...(typeof s['minimum'] === 'number' ? { minimum: s['minimum'] } : {}),
        ...(typeof s['maximum'] === 'number' && s['maximum'] < Number.MAX_SAFE_INTEGER
          ? { maximum: s['maximum'] }
          : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'array': {
      const items = isObj(s['items']) ? s['items'] : {};
      const bounds = {
        ...(typeof s['minItems'] === 'number' ? { minItems: s['minItems'] } : {}),
        ...(typeof s['maxItems'] === 'number' ? { maxItems: s['maxItems'] } : {}),
      };
      if (Array.isArray(items['enum']) && items['enum'].every((v) => typeof v === 'string')) {
        return {
          ...base,
          type: 'multiselect',
          options: options(items['enum'] as string[]),
          ...(bounds.minItems === undefined ? {} : { minItems: bounds.minItems }),
        };
      }
      const itemLabel = typeof items['title'] === 'string' ? items['title'] : singular(base.label);
      const item = compile(
        { ...ctx, dotPath: `${ctx.dotPath}[]`, depth: ctx.depth + 1 },
        items,
        '',
        true,
      );
      if (item.type === 'json') return { ...base, type: 'json', secret };
      return { ...base, type: 'array', item: { ...item, label: itemLabel }, itemLabel, ...bounds };
    }
    case 'object': {
      const props = isObj(s['properties']) ? s['properties'] : undefined;
      if (props === undefined) {
        const value = s['additionalProperties'];
        // A record of plain values is key/value rows; a record of anything (a JSON Schema) is JSON.
        if (isObj(value) && Object.keys(value).length > 0) {
          const v = compile(
            { ...ctx, dotPath: `${ctx.dotPath}.*`, depth: ctx.depth + 1 },
            value,
            '',
            true,
          );
          if (
            v.type === 'text' ||
            v.type === 'select' ||
            v.type === 'number' ||
            v.type === 'boolean' ||
            v.type === 'object'
          )
            return { ...base, type: 'record', value: { ...v, label: 'Value' }, secret };
        }
        return {
          ...base,
          type: 'json',
          secret,
          ...(key === 'schema' ? { jsonSchema: true as const } : {}),
        };
      }
      const req = new Set(Array.isArray(s['required']) ? (s['required'] as string[]) : []);
      const fields = Object.entries(props)
        .filter((e): e is [string, Json] => isObj(e[1]))
        .map(([k, v]) =>
          compile(
            {
              ...ctx,
              dotPath: ctx.dotPath === '' ? k : `${ctx.dotPath}.${k}`,
              depth: ctx.depth + 1,
            },
            v,
            k,
            req.has(k),
          ),
        );
      return { ...base, type: 'object', fields, secret };
    }
    default:
      return { ...base, type: 'json', secret };
  }
}

const schemaCache = new Map<ObjectKindName, Json>();

/** The JSON Schema of what a client may write (defaults not required), as the JSON tab completes it. */
export function schemaFor(kind: ObjectKindName): Json {
  let s = schemaCache.get(kind);
  if (!s) {
    s = z.toJSONSchema(KINDS[kind].schema, { io: 'input', unrepresentable: 'any' }) as Json;
    schemaCache.set(kind, s);
  }
  return s;
}

const modelCache = new Map<ObjectKindName, FormModel>();

export function formModel(kind: ObjectKindName): FormModel {
  const cached = modelCache.get(kind);
  if (cached) return cached;
  const schema = schemaFor(kind);
  const ctx: Ctx = { kind, schema, rootTag: undefined, dotPath: '', tag: undefined, depth: 0 };
  const root = compile(ctx, schema, '', true);
  const defs: Record<string, FieldNode> = { '#': root };
  const rawDefs = (schema['$defs'] ?? {}) as Json;
  for (const [name, d] of Object.entries(rawDefs)) {
    // Definitions are recursive rules (an audience's and/or/not): compiled as if in place, one level down.
    if (isObj(d)) defs[name] = compile({ ...ctx, depth: 2 }, d, '', true);
  }
  const model = { kind, root, defs };
  modelCache.set(kind, model);
  return model;
}

// ---------------------------------------------------------------------------------------------
// Binding a value
// ---------------------------------------------------------------------------------------------

interface BoundBase<N extends FieldNode> {
  readonly node: N;
  readonly path: Path;
  readonly value: unknown;
}
export type BoundLeaf = BoundBase<
  TextNode | NumberNode | BooleanNode | SelectNode | MultiSelectNode | ConstNode | JsonNode
>;
export interface BoundObject extends BoundBase<ObjectNode> {
  readonly fields: readonly Bound[];
  readonly extra: Readonly<Json>;
}
export interface BoundArray extends BoundBase<ArrayNode> {
  readonly items: readonly Bound[];
}
export interface BoundUnion extends BoundBase<UnionNode> {
  readonly variant: Variant | undefined;
  readonly inner: Bound | undefined;
}
export interface BoundRecord extends BoundBase<RecordNode> {
  readonly entries: ReadonlyArray<{ readonly key: string; readonly bound: Bound }>;
}
/** A value that does not fit its field (a "[redacted]" record, a number where text goes): kept as is. */
export interface BoundRaw extends BoundBase<FieldNode> {
  readonly raw: true;
}
export type Bound = BoundLeaf | BoundObject | BoundArray | BoundUnion | BoundRecord | BoundRaw;

export function isRaw(b: Bound): b is BoundRaw {
  return 'raw' in b;
}

function resolveNode(model: FormModel, node: FieldNode): FieldNode {
  let n = node;
  for (let i = 0; n.type === 'ref' && i < 10; i++) {
    const target = model.defs[n.def];
    if (!target)
      return { key: n.key, label: n.label, required: n.required, type: 'json', secret: false };
    n = {
      ...target,
      key: n.key,
      label: n.key === '' ? target.label : n.label,
      required: n.required,
    };
  }
  return n;
}

/** The variant a value is: by its discriminator, else the one whose required fields it has. */
export function variantOf(node: UnionNode, value: unknown): Variant | undefined {
  if (!isObj(value)) return undefined;
  if (node.discriminator !== undefined) {
    const tag = value[node.discriminator];
    const hit = node.variants.find((v) => v.tag === String(tag) && tag !== undefined);
    if (hit) return hit;
  }
  return node.variants.find(
    (v) =>
      v.tag.startsWith('#') &&
      v.node.type === 'object' &&
      v.node.fields.filter((f) => f.required).every((f) => f.key in value),
  );
}

export function bind(model: FormModel, node: FieldNode, value: unknown, path: Path = []): Bound {
  const n = resolveNode(model, node);
  switch (n.type) {
    case 'ref':
      return { node: n, path, value, raw: true };
    case 'object': {
      if (value !== undefined && !isObj(value)) return { node: n, path, value, raw: true };
      const obj = value ?? {};
      const known = new Set(n.fields.map((f) => f.key));
      const extra = Object.fromEntries(Object.entries(obj).filter(([k]) => !known.has(k)));
      return {
        node: n,
        path,
        value,
        fields: n.fields.map((f) => bind(model, f, obj[f.key], [...path, f.key])),
        extra,
      };
    }
    case 'array': {
      if (value !== undefined && !Array.isArray(value)) return { node: n, path, value, raw: true };
      return {
        node: n,
        path,
        value,
        items: (value ?? []).map((v: unknown, i: number) => bind(model, n.item, v, [...path, i])),
      };
    }
    case 'union': {
      const variant = variantOf(n, value);
      if (value !== undefined && variant === undefined) return { node: n, path, value, raw: true };
      return {
        node: n,
        path,
        value,
        variant,
        inner: variant === undefined ? undefined : bind(model, variant.node, value, path),
      };
    }
    case 'record': {
      if (value !== undefined && !isObj(value)) return { node: n, path, value, raw: true };
      return {
        node: n,
        path,
        value,
        entries: Object.entries(value ?? {}).map(([k, v]) => ({
          key: k,
          bound: bind(model, n.value, v, [...path, k]),
        })),
      };
    }
    case 'text':
      return typeOk(value, 'string')
        ? { node: n, path, value }
        : { node: n, path, value, raw: true };
    case 'number':
      return typeOk(value, 'number')
        ? { node: n, path, value }
        : { node: n, path, value, raw: true };
    case 'boolean':
      return typeOk(value, 'boolean')
        ? { node: n, path, value }
        : { node: n, path, value, raw: true };
    case 'select':
      return typeOk(value, 'string')
        ? { node: n, path, value }
        : { node: n, path, value, raw: true };
    case 'multiselect':
      return value === undefined ||
        (Array.isArray(value) && value.every((v) => typeof v === 'string'))
        ? { node: n, path, value }
        : { node: n, path, value, raw: true };
    case 'const':
    case 'json':
      return { node: n, path, value };
    default: {
      const never: never = n;
      return never;
    }
  }
}

function typeOk(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}

/** The value a bound tree stands for: what the form would save. */
export function unbind(b: Bound): unknown {
  if (isRaw(b)) return b.value;
  switch (b.node.type) {
    case 'object': {
      const o = b as BoundObject;
      if (o.value === undefined) return undefined;
      const out: Json = {};
      for (const f of o.fields) {
        const v = unbind(f);
        if (v !== undefined) out[f.node.key] = v;
      }
      return { ...out, ...o.extra };
    }
    case 'array': {
      const a = b as BoundArray;
      return a.value === undefined ? undefined : a.items.map(unbind);
    }
    case 'union': {
      const u = b as BoundUnion;
      return u.inner === undefined ? u.value : unbind(u.inner);
    }
    case 'record': {
      const r = b as BoundRecord;
      return r.value === undefined
        ? undefined
        : Object.fromEntries(r.entries.map((e) => [e.key, unbind(e.bound)]));
    }
    default:
      return b.value;
  }
}

/** A fresh value for a field: what "Add" puts in a list or a type switch starts from. */
export function emptyValue(model: FormModel, node: FieldNode): unknown {
  const n = resolveNode(model, node);
  switch (n.type) {
    case 'object': {
      const out: Json = {};
      for (const f of n.fields) {
        const r = resolveNode(model, f);
        if (r.type === 'const') out[f.key] = r.value;
        else if (f.required) out[f.key] = emptyValue(model, f);
      }
      return out;
    }
    case 'union': {
      const first = n.variants[0];
      return first ? emptyValue(model, first.node) : {};
    }
    case 'array':
      return [];
    case 'multiselect':
      return [];
    case 'record':
      return {};
    case 'text':
      return '';
    case 'select':
      return undefined;
    case 'const':
      return n.value;
    case 'boolean':
      return false;
    case 'number':
      return n.minimum !== undefined && n.minimum > 0 ? n.minimum : undefined;
    case 'json':
      return undefined;
    case 'ref':
      return undefined;
    default: {
      const never: never = n;
      return never;
    }
  }
}

/** Every bound field, depth first (tests count fields; issues find their field). */
export function walk(b: Bound, visit: (b: Bound) => void): void {
  visit(b);
  if (isRaw(b)) return;
  switch (b.node.type) {
    case 'object':
      for (const f of (b as BoundObject).fields) walk(f, visit);
      break;
    case 'array':
      for (const i of (b as BoundArray).items) walk(i, visit);
      break;
    case 'union': {
      const inner = (b as BoundUnion).inner;
      if (inner) walk(inner, visit);
      break;
    }
    case 'record':
      for (const e of (b as BoundRecord).entries) walk(e.bound, visit);
      break;
    default:
      break;
  }
}

export function bindSpec(kind: ObjectKindName, value: Record<string, unknown>): Bound {
  const model = formModel(kind);
  return bind(model, model.root, value);
}
