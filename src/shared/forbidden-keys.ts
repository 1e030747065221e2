// Keys no body may hold: `__proto__` anywhere, and `constructor` holding `prototype`. JSON.parse
// and the YAML parser keep such keys as plain own properties, but code that later merges or copies
// a body with ordinary property assignment (profile attributes are deep-merged, payloads are
// spread) would then change an object's prototype. No event, object or package needs them, so a
// parsed body is walked once and refused with the key's path, before anything else reads it.
import { ErrorCode, WaymarkError } from '../errors.ts';

export interface ForbiddenKey {
  /** Where the key sits, from `root`: `body.profile.__proto__`, `body.events[2].constructor.prototype`. */
  readonly path: string;
  readonly key: string;
}

/** The first forbidden key in a parsed JSON or YAML value, or null. Iterative: the value may nest deeply. */
export function findForbiddenKey(value: unknown, root = 'body'): ForbiddenKey | null {
  const stack: Array<{ v: unknown; path: string }> = [{ v: value, path: root }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
    } else if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
      const keys = Object.keys(v);
      for (const k of keys) {
        if (k === '__proto__') return { path: `${path}.${k}`, key: k };
        const child = (v as Record<string, unknown>)[k];
        if (
          k === 'constructor' &&
          typeof child === 'object' &&
          child !== null &&
          Object.hasOwn(child, 'prototype')
        ) {
          return { path: `${path}.constructor.prototype`, key: 'constructor.prototype' };
        }
      }
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ v: (v as Record<string, unknown>)[keys[i]!], path: `${path}.${keys[i]!}` });
    }
  }
  return null;
}

/** The sentence an error gives for a forbidden key. */
export const forbiddenKeyMessage = (f: ForbiddenKey): string =>
  `${f.path}: this key is not allowed ("${f.key}" could change object prototypes; rename the field)`;

/** A body (JSON or YAML) that holds a key no body may hold, refused with its path. */
export const forbiddenKeyRefused = (f: ForbiddenKey): WaymarkError =>
  new WaymarkError(ErrorCode.BadRequest, forbiddenKeyMessage(f), {
    issues: [
      {
        path: f.path,
        message: 'this key is not allowed',
        expected: 'any key but "__proto__" (or "constructor" holding "prototype")',
        received: f.key,
      },
    ],
  });
