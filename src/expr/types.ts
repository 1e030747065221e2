// Static types of the expression language, and their derivation from JSON Schemas.

export type JsonSchema = Readonly<Record<string, unknown>>;

export type PrimitiveName =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'dateOnly'
  | 'dateTimeOnly'
  | 'dateTime'
  | 'duration';

export type Type =
  | { readonly kind: 'primitive'; readonly name: PrimitiveName }
  | { readonly kind: 'null' }
  /** Unknown shape (no schema): checked at run time only. */
  | { readonly kind: 'any' }
  /** An object described by a schema (or unknown when schema is undefined). */
  | {
      readonly kind: 'object';
      readonly schema: JsonSchema | undefined;
      readonly root: JsonSchema | undefined;
    }
  | { readonly kind: 'list'; readonly element: Type }
  /** A map: an object whose keys are data (additionalProperties). */
  | { readonly kind: 'map'; readonly value: Type };

const prim = (name: PrimitiveName): Type => Object.freeze({ kind: 'primitive', name });
export const T = {
  string: prim('string'),
  integer: prim('integer'),
  decimal: prim('decimal'),
  boolean: prim('boolean'),
  dateOnly: prim('dateOnly'),
  dateTimeOnly: prim('dateTimeOnly'),
  dateTime: prim('dateTime'),
  duration: prim('duration'),
  null: Object.freeze({ kind: 'null' }) as Type,
  any: Object.freeze({ kind: 'any' }) as Type,
  object: Object.freeze({ kind: 'object', schema: undefined, root: undefined }) as Type,
} as const;

export const listOf = (element: Type): Type => ({ kind: 'list', element });

const LIST_NAMES: Record<PrimitiveName, string> = {
  string: 'listString',
  integer: 'listInteger',
  decimal: 'listDecimal',
  boolean: 'listBoolean',
  dateOnly: 'listDateOnly',
  dateTimeOnly: 'listDateTimeOnly',
  dateTime: 'listDateTime',
  duration: 'listDuration',
};

/** The documentation's name of a type: string, integer, listObject, ... */
export function typeName(t: Type): string {
  switch (t.kind) {
    case 'primitive':
      return t.name;
    case 'null':
      return 'null';
    case 'any':
      return 'any';
    case 'object':
      return 'object';
    case 'map':
      return 'map';
    case 'list': {
      const e = t.element;
      if (e.kind === 'primitive') return LIST_NAMES[e.name];
      if (e.kind === 'object' || e.kind === 'map') return 'listObject';
      if (e.kind === 'list') return 'list';
      return 'listAny';
    }
  }
}

export const isPrim = (t: Type, ...names: PrimitiveName[]): boolean =>
  t.kind === 'primitive' && names.includes(t.name);
export const isNumeric = (t: Type): boolean => isPrim(t, 'integer', 'decimal');
/** Unknown at compile time: accepted anywhere, checked at run time. */
export const isLoose = (t: Type): boolean => t.kind === 'any' || t.kind === 'null';

/** True when a value of type `actual` may be used where `expected` is required. */
export function assignable(actual: Type, expected: Type): boolean {
  if (isLoose(actual) || expected.kind === 'any') return true;
  if (expected.kind === 'primitive') {
    if (actual.kind !== 'primitive') return false;
    if (actual.name === expected.name) return true;
    return expected.name === 'decimal' && actual.name === 'integer';
  }
  if (expected.kind === 'list')
    return actual.kind === 'list' && assignable(actual.element, expected.element);
  if (expected.kind === 'object' || expected.kind === 'map')
    return actual.kind === 'object' || actual.kind === 'map';
  return actual.kind === expected.kind;
}

/** The common type of two branches (if/then/else, list items), or undefined when incompatible. */
export function unify(a: Type, b: Type): Type | undefined {
  if (a.kind === 'null' || a.kind === 'any')
    return b.kind === 'null' ? a : b.kind === 'any' && a.kind === 'null' ? b : b;
  if (b.kind === 'null' || b.kind === 'any') return a;
  if (a.kind === 'primitive' && b.kind === 'primitive') {
    if (a.name === b.name) return a;
    if (isNumeric(a) && isNumeric(b)) return T.decimal;
    return undefined;
  }
  if (a.kind === 'list' && b.kind === 'list') {
    const e = unify(a.element, b.element);
    return e ? listOf(e) : undefined;
  }
  if ((a.kind === 'object' || a.kind === 'map') && (b.kind === 'object' || b.kind === 'map'))
    return a;
  return undefined;
}

// ---- JSON Schema → Type -------------------------------------------------------------------------

function resolveRef(schema: JsonSchema, root: JsonSchema | undefined): JsonSchema {
  let s = schema;
  for (let i = 0; i < 16; i++) {
    const ref = s['$ref'];
    if (typeof ref !== 'string' || !ref.startsWith('#') || !root) return s;
    let target: unknown = root;
    for (const part of ref
      .slice(1)
      .split('/')
      .filter((p) => p !== '')) {
      const key = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
      target =
        typeof target === 'object' && target !== null && Object.hasOwn(target, key)
          ? (target as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof target !== 'object' || target === null) return s;
    s = target as JsonSchema;
  }
  return s;
}

function asSchema(v: unknown): JsonSchema | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonSchema) : undefined;
}

/** Converts a JSON Schema to a type. */
export function schemaType(
  schemaIn: JsonSchema | undefined,
  root: JsonSchema | undefined,
  depth = 0,
): Type {
  if (!schemaIn || depth > 32) return T.any;
  const schema = resolveRef(schemaIn, root);
  let type = schema['type'];
  if (Array.isArray(type)) {
    const nonNull = type.filter((x) => x !== 'null');
    type = nonNull.length === 1 ? nonNull[0] : undefined;
  }
  if (type === undefined) {
    for (const key of ['anyOf', 'oneOf']) {
      const alts = schema[key];
      if (Array.isArray(alts)) {
        const types = alts
          .map((a) => schemaType(asSchema(a), root, depth + 1))
          .filter((t) => t.kind !== 'null');
        const first = types[0];
        if (first && types.length === 1) return first;
      }
    }
    if (schema['properties'] !== undefined || Array.isArray(schema['allOf'])) type = 'object';
    else if (schema['items'] !== undefined) type = 'array';
  }
  switch (type) {
    case 'string': {
      const format = schema['format'];
      if (format === 'date-time') return T.dateTime;
      if (format === 'date') return T.dateOnly;
      if (format === 'duration') return T.duration;
      return T.string;
    }
    case 'integer':
      return T.integer;
    case 'number':
      return T.decimal;
    case 'boolean':
      return T.boolean;
    case 'null':
      return T.null;
    case 'array':
      return listOf(schemaType(asSchema(schema['items']), root, depth + 1));
    case 'object': {
      const additional = asSchema(schema['additionalProperties']);
      if (schema['properties'] === undefined && additional)
        return { kind: 'map', value: schemaType(additional, root, depth + 1) };
      return { kind: 'object', schema, root };
    }
    default:
      return T.any;
  }
}

export type FieldLookup =
  | { readonly ok: true; readonly type: Type }
  | { readonly ok: false; readonly known: readonly string[] };

interface ObjectShape {
  /** Declared properties, merged across allOf members (XDM schemas compose field groups this way). */
  readonly properties: Map<string, JsonSchema>;
  /** Whether any member declares properties (then unknown names are rejected). */
  readonly closed: boolean;
  readonly additional: JsonSchema | undefined;
  readonly open: boolean;
}

function shapeOf(schemaIn: JsonSchema, root: JsonSchema | undefined): ObjectShape {
  const properties = new Map<string, JsonSchema>();
  let closed = false;
  let additional: JsonSchema | undefined;
  let open = false;
  const visit = (raw: JsonSchema, depth: number): void => {
    if (depth > 16) return;
    const schema = resolveRef(raw, root);
    const props = asSchema(schema['properties']);
    if (props) {
      closed = true;
      for (const [k, v] of Object.entries(props)) {
        const sub = asSchema(v);
        if (sub && !properties.has(k)) properties.set(k, sub);
      }
    }
    const extra = schema['additionalProperties'];
    if (asSchema(extra)) additional ??= asSchema(extra);
    if (extra === true && schema['unevaluatedProperties'] !== false) open = true;
    const all = schema['allOf'];
    if (Array.isArray(all)) for (const m of all) if (asSchema(m)) visit(m as JsonSchema, depth + 1);
  };
  visit(schemaIn, 0);
  return { properties, closed, additional, open };
}

/** The type of `name` inside an object type; unknown fields are rejected when the schema lists its properties. */
export function fieldType(t: Type, name: string): FieldLookup {
  if (t.kind === 'map') return { ok: true, type: t.value };
  if (t.kind !== 'object' || !t.schema) return { ok: true, type: T.any };
  const shape = shapeOf(t.schema, t.root);
  const prop = shape.properties.get(name);
  if (prop) return { ok: true, type: schemaType(prop, t.root) };
  if (shape.additional) return { ok: true, type: schemaType(shape.additional, t.root) };
  if (!shape.closed || shape.open) return { ok: true, type: T.any };
  return { ok: false, known: [...shape.properties.keys()] };
}

/** The field names an object type declares (completions). */
export function fieldNames(t: Type): Array<{ name: string; type: Type }> {
  if (t.kind !== 'object' || !t.schema) return [];
  return [...shapeOf(t.schema, t.root).properties].map(([name, schema]) => ({
    name,
    type: schemaType(schema, t.root),
  }));
}

export function rootSchemaType(schema: JsonSchema | undefined): Type {
  return schema ? schemaType(schema, schema) : T.any;
}
