// Reading a dotted path out of unknown data. Only own properties are read, so `__proto__`,
// `constructor` or `toString` never reach a prototype; list items are read by a numeric segment.

export type CompiledPath = readonly string[];

export function splitPath(path: string): CompiledPath {
  return Object.freeze(path.split('.'));
}

const isIndex = (s: string): boolean => /^(0|[1-9][0-9]{0,8})$/.test(s);

/** The value at `path`, or undefined when any step is missing. */
export function readPath(root: unknown, path: CompiledPath): unknown {
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const seg = path[i] as string;
    if (Array.isArray(cur)) {
      if (!isIndex(seg)) return undefined;
      cur = cur[Number(seg)];
    } else {
      if (!Object.hasOwn(cur, seg)) return undefined;
      cur = (cur as Record<string, unknown>)[seg];
    }
  }
  return cur;
}
