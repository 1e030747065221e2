// A form generated from a JSON Schema (event payloads): objects as groups, arrays with add/remove,
// enums as selects, numbers and booleans typed.
import type { JsonSchema } from '../api/types.ts';

export function sampleOf(s: JsonSchema | undefined, depth = 0): unknown {
  if (!s || depth > 10) return undefined;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(s.properties ?? {})
          .filter(([k]) => s.required?.includes(k))
          .map(([k, v]) => [k, sampleOf(v, depth + 1)]),
      );
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () =>
        sampleOf(s.items, depth + 1),
      );
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      return s.format === 'email'
        ? 'someone@example.com'
        : s.format === 'date-time'
          ? new Date().toISOString()
          : '';
    default:
      return undefined;
  }
}

const typeOf = (s: JsonSchema) =>
  (Array.isArray(s.type) ? s.type[0] : s.type) ?? (s.properties ? 'object' : 'string');

export function SchemaForm(p: {
  schema: JsonSchema;
  value: unknown;
  onChange(v: unknown): void;
  name: string;
  path?: string;
  required?: boolean;
}) {
  const s = p.schema;
  const path = p.path ?? p.name;
  const t = typeOf(s);
  if (t === 'object') {
    const obj = (
      typeof p.value === 'object' && p.value && !Array.isArray(p.value) ? p.value : {}
    ) as Record<string, unknown>;
    return (
      <fieldset className="schema-object">
        <legend>
          {p.name}
          {p.required ? ' *' : ''}
        </legend>
        {Object.entries(s.properties ?? {}).map(([k, sub]) => (
          <SchemaForm
            key={k}
            schema={sub}
            name={k}
            path={`${path}.${k}`}
            required={s.required?.includes(k)}
            value={obj[k]}
            onChange={(v) => {
              const next = { ...obj };
              if (v === undefined) delete next[k];
              else next[k] = v;
              p.onChange(next);
            }}
          />
        ))}
      </fieldset>
    );
  }
  if (t === 'array') {
    const arr = Array.isArray(p.value) ? p.value : [];
    return (
      <fieldset className="schema-array">
        <legend>
          {p.name}
          {p.required ? ' *' : ''} ({arr.length})
        </legend>
        {arr.map((item, i) => (
          <div key={i} className="schema-item">
            <SchemaForm
              schema={s.items ?? {}}
              name={`${p.name}[${i}]`}
              path={`${path}.${i}`}
              value={item}
              onChange={(v) => p.onChange(arr.map((x, j) => (j === i ? v : x)))}
            />
            <button
              type="button"
              onClick={() => p.onChange(arr.filter((_, j) => j !== i))}
              aria-label={`Remove ${p.name} ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => p.onChange([...arr, sampleOf(s.items)])}>
          Add {p.name} item
        </button>
      </fieldset>
    );
  }
  const label = `${p.name}${p.required ? ' *' : ''}`;
  if (s.enum) {
    return (
      <label>
        {label}
        <select
          name={path}
          value={String(p.value ?? '')}
          onChange={(e) => p.onChange(s.enum!.find((x) => String(x) === e.target.value))}
        >
          {s.enum.map((x) => (
            <option key={String(x)}>{String(x)}</option>
          ))}
        </select>
      </label>
    );
  }
  if (t === 'boolean')
    return (
      <label className="check">
        <input
          type="checkbox"
          name={path}
          checked={p.value === true}
          onChange={(e) => p.onChange(e.target.checked)}
        />{' '}
        {label}
      </label>
    );
  if (t === 'integer' || t === 'number') {
    return (
      <label>
        {label}
        <input
          type="number"
          name={path}
          step={t === 'integer' ? 1 : 'any'}
          value={typeof p.value === 'number' ? p.value : ''}
          onChange={(e) => p.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      </label>
    );
  }
  return (
    <label>
      {label}
      <input
        name={path}
        type={s.format === 'email' ? 'email' : 'text'}
        value={typeof p.value === 'string' ? p.value : ''}
        onChange={(e) =>
          p.onChange(e.target.value === '' && !p.required ? undefined : e.target.value)
        }
      />
    </label>
  );
}

/** Sets a dot path in a JSON value (the event's identity field). */
export function setPath(v: unknown, path: string, x: unknown): unknown {
  const [head, ...rest] = path.split('.');
  const obj = (typeof v === 'object' && v && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  return { ...obj, [head!]: rest.length ? setPath(obj[head!], rest.join('.'), x) : x };
}
