// Edits of a JSON Schema as a list of fields (an event's payload, the profile's attributes): name,
// type, required, description, nested groups and lists. Keywords the list does not show are kept.
type Schema = Record<string, unknown>;

export interface SchemaFieldRow {
  readonly name: string;
  readonly schema: Schema;
  readonly required: boolean;
}

export const FIELD_TYPES = [
  { id: 'string', label: 'Text' },
  { id: 'email', label: 'Email address' },
  { id: 'date', label: 'Date' },
  { id: 'date-time', label: 'Date and time' },
  { id: 'uri', label: 'URL' },
  { id: 'number', label: 'Number' },
  { id: 'integer', label: 'Whole number' },
  { id: 'boolean', label: 'Yes / no' },
  { id: 'object', label: 'Group of fields' },
  { id: 'array', label: 'List' },
] as const;
export type FieldTypeId = (typeof FIELD_TYPES)[number]['id'];

const FORMATS = new Set(['email', 'date', 'date-time', 'uri']);
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The choice a property shows; 'other' for what the list cannot show (unions, refs, type lists). */
export function typeOf(s: Schema): FieldTypeId | 'other' {
  const t = s['type'];
  if (t === 'string')
    return typeof s['format'] === 'string' && FORMATS.has(s['format'])
      ? (s['format'] as FieldTypeId)
      : 'string';
  if (t === 'number' || t === 'integer' || t === 'boolean' || t === 'object' || t === 'array')
    return t;
  return 'other';
}

const TYPE_KEYS = [
  'type',
  'format',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'enum',
];

/** The property as another type: its description and other notes stay, the old type's rules go. */
export function withType(s: Schema, id: FieldTypeId): Schema {
  if (typeOf(s) === id) return s;
  const kept = Object.fromEntries(Object.entries(s).filter(([k]) => !TYPE_KEYS.includes(k)));
  switch (id) {
    case 'email':
    case 'date':
    case 'date-time':
    case 'uri':
      return { type: 'string', format: id, ...kept };
    case 'object':
      return { type: 'object', properties: {}, ...kept };
    case 'array':
      return { type: 'array', items: { type: 'string' }, ...kept };
    default:
      return { type: id, ...kept };
  }
}

export function fieldsOf(s: Schema): SchemaFieldRow[] {
  const props = isObj(s['properties']) ? s['properties'] : {};
  const required = Array.isArray(s['required']) ? (s['required'] as unknown[]) : [];
  return Object.entries(props).map(([name, v]) => ({
    name,
    schema: isObj(v) ? v : {},
    required: required.includes(name),
  }));
}

function withProperties(s: Schema, props: Schema, required: readonly string[]): Schema {
  const out: Schema = { ...s, properties: props };
  if (s['type'] === undefined) out['type'] = 'object';
  if (required.length > 0) out['required'] = [...required];
  else delete out['required'];
  return out;
}

const requiredOf = (s: Schema): string[] =>
  Array.isArray(s['required']) ? (s['required'] as string[]) : [];

export function withField(s: Schema, name: string, field: Schema): Schema {
  return withProperties(
    s,
    { ...(isObj(s['properties']) ? s['properties'] : {}), [name]: field },
    requiredOf(s),
  );
}

/** Renames in place (the fields keep their order), and in `required`. */
export function renameField(s: Schema, from: string, to: string): Schema {
  if (from === to) return s;
  const props = isObj(s['properties']) ? s['properties'] : {};
  if (to in props) return s;
  const renamed = Object.fromEntries(
    Object.entries(props).map(([k, v]) => [k === from ? to : k, v]),
  );
  return withProperties(
    s,
    renamed,
    requiredOf(s).map((r) => (r === from ? to : r)),
  );
}

export function setRequired(s: Schema, name: string, on: boolean): Schema {
  const req = requiredOf(s).filter((r) => r !== name);
  if (on) {
    // In the order of the fields, as people read them.
    const order = Object.keys(isObj(s['properties']) ? s['properties'] : {});
    req.push(name);
    req.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
  return withProperties(s, isObj(s['properties']) ? s['properties'] : {}, req);
}

export function addField(s: Schema): Schema {
  const props = isObj(s['properties']) ? s['properties'] : {};
  let name = 'newField';
  for (let i = 2; name in props; i++) name = `newField${i}`;
  return withProperties(s, { ...props, [name]: { type: 'string' } }, requiredOf(s));
}

export function removeField(s: Schema, name: string): Schema {
  const props = Object.fromEntries(
    Object.entries(isObj(s['properties']) ? s['properties'] : {}).filter(([k]) => k !== name),
  );
  return withProperties(
    s,
    props,
    requiredOf(s).filter((r) => r !== name),
  );
}

export function setDescription(s: Schema, text: string): Schema {
  const out = { ...s };
  if (text === '') delete out['description'];
  else out['description'] = text;
  return out;
}
