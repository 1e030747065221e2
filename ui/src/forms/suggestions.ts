// Values a text field can suggest from the object itself: an event type's identifier path from the
// payload schema's fields.
import type { ObjectKindName } from './kinds.ts';
import type { Path } from './paths.ts';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Dot paths of the text fields of a JSON Schema (not inside lists). */
export function textPaths(schema: unknown, prefix = '', depth = 0): string[] {
  if (!isObj(schema) || depth > 8 || !isObj(schema['properties'])) return [];
  return Object.entries(schema['properties']).flatMap(([k, v]) => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (!isObj(v)) return [];
    if (v['type'] === 'string') return [path];
    return v['type'] === 'object' ? textPaths(v, path, depth + 1) : [];
  });
}

export function suggestionsFor(
  kind: ObjectKindName,
  path: Path,
  spec: Readonly<Record<string, unknown>>,
): readonly string[] {
  if (kind === 'event-types' && path.length === 2 && path[0] === 'identity' && path[1] === 'path')
    return textPaths(spec['schema']);
  return [];
}
