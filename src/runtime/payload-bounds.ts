// Bounds every event payload keeps, whatever its event type's schema says (or leaves out):
// - numbers are finite: JSON.parse reads 1e400 as Infinity, which JSON Schema's "number" accepts
//   and which would be stored as null;
// - an integer the schema does not bound itself is a safe integer (|n| <= 2^53 - 1): beyond that a
//   JavaScript number cannot tell neighbouring integers apart, so ids and counts would silently change.
import type { ErrorIssue } from '../errors.ts';

/** Keys whose values are data, not subschemas: bounds are not added inside them. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);
/** Keys whose values map names to subschemas (a property may be called "default" or "enum"). */
const SCHEMA_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);

const saysInteger = (type: unknown): boolean =>
  type === 'integer' ||
  (Array.isArray(type) && type.includes('integer') && !type.includes('number'));

/**
 * A copy of a JSON Schema in which every `integer` type without its own bound on a side is bounded
 * by Number.MIN_SAFE_INTEGER / Number.MAX_SAFE_INTEGER, so the validator refuses an unsafe
 * integer with the field's path ("must be <= 9007199254740991").
 */
export function boundIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundIntegers);
  if (typeof schema !== 'object' || schema === null) return schema;
  const node = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = DATA_KEYWORDS.has(k)
      ? v
      : SCHEMA_MAPS.has(k) && typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, boundIntegers(sub)]))
        : boundIntegers(v);
  }
  if (saysInteger(node['type'])) {
    if (node['maximum'] === undefined && node['exclusiveMaximum'] === undefined)
      out['maximum'] = Number.MAX_SAFE_INTEGER;
    if (node['minimum'] === undefined && node['exclusiveMinimum'] === undefined)
      out['minimum'] = Number.MIN_SAFE_INTEGER;
  }
  return out;
}

/** Whether every number in `value` is finite; builds no path (every event is checked, few fail). */
function allFinite(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === 'object' && v !== null)
      for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

/** Every number in `value` that is not finite, as issues under `prefix`. Iterative: payloads may nest. */
export function nonFiniteNumbers(value: unknown, prefix: string): ErrorIssue[] {
  if (allFinite(value)) return [];
  const issues: ErrorIssue[] = [];
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: prefix }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v))
      issues.push({
        path,
        message: 'the number is out of range',
        expected: 'a finite number',
        received: String(v),
      });
    else if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: `${path}[${i}]` }));
    else if (typeof v === 'object' && v !== null)
      for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: `${path}.${k}` });
  }
  return issues;
}
