// JSON text that is the same for equal values whatever the order of their keys: object keys are
// written sorted (by UTF-16 code units, as Array.prototype.sort does), arrays keep their order.
// Used to tell whether an event sent again under the same id is the same event. It runs once per
// ingested event, so it appends to one string instead of building arrays of parts.

/** The canonical JSON text of a JSON value (undefined members are left out, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** A key that JSON.stringify writes as itself between quotes (no quote, backslash or control character). */
const PLAIN_KEY = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function write(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : (write(v) ?? 'null');
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortKeys(Object.keys(record));
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = record[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += PLAIN_KEY.test(k) ? `"${k}":` : `${JSON.stringify(k)}:`;
    out += write(v) ?? 'null';
  }
  return `${out}}`;
}

/**
 * Sorts an object's keys in place by insertion: objects have a handful of keys, often in order
 * already, and Array.prototype.sort allocates a work array on every call (a fifth of what
 * fingerprinting an event allocated, measured in BENCHMARKS.md).
 */
function sortKeys(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    if (keys[j]! < k) continue;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}
