// Profiles read in part: the subtrees at a few attribute paths, put back together as an attributes
// object that holds them at the same places. Every key becomes an own property, so a stored key
// such as "__proto__" stays data.

/** Sets `value` at `path` in `root`, creating the objects on the way (undefined: the subtree is absent; nothing is set). */
export function placeSubtree(
  root: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): void {
  if (value === undefined || path.length === 0) return;
  let cur = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    let next = Object.hasOwn(cur, key) ? cur[key] : undefined;
    if (next === null || typeof next !== 'object') {
      next = {};
      define(cur, key, next);
    }
    cur = next as Record<string, unknown>;
  }
  define(cur, path[path.length - 1] as string, value);
}

function define(o: Record<string, unknown>, key: string, value: unknown): void {
  // Assignment makes an own property of every key but "__proto__", which would set the prototype.
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** A JSON path of SQLite and PostgreSQL's jsonpath for a list of keys: $."a"."b" (keys hold no quote or backslash). */
export function jsonPathOf(path: readonly string[]): string {
  return `$${path.map((k) => `."${k}"`).join('')}`;
}
