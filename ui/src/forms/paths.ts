// Paths into a spec: segments (property names and array indices) and their text form, the one the
// API's field issues use ("request.url", "fields[2].name").
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** "a.b[2].c" or "a.b.2.c" (the server's dotted form) → ['a', 'b', 2, 'c']. */
export function parsePath(text: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const part of text.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (part === '' || part === '$') continue;
    out.push(/^\d+$/.test(part) ? Number(part) : part);
  }
  return out;
}

export function readAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/**
 * A copy of `root` with `next` at `path`, creating objects and arrays on the way. `undefined` removes
 * an object's key (an optional field left empty is absent, not "").
 */
export function writeAt(root: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = writeAt(arr[head], rest, next);
    return arr;
  }
  const obj: Record<string, unknown> =
    root !== null && typeof root === 'object' && !Array.isArray(root)
      ? { ...(root as Record<string, unknown>) }
      : {};
  const child = writeAt(obj[head], rest, next);
  if (child === undefined) delete obj[head];
  else obj[head] = child;
  return obj;
}

/** True when `prefix` is `path` or one of its ancestors. */
export function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => s === path[i]);
}
