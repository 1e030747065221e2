// What an audited change did, as a list of {path, before, after}: the difference between two
// snapshots of an object or a journey. Paths are found on the stored forms (so that a secret that
// changed shows as changed: its ciphertext differs) and values are read from the redacted forms
// (so that no secret, encrypted or not, ever reaches the log).
import { isDeepStrictEqual } from 'node:util';
import type { AuditChange } from '../access/api-types.ts';
import { isEncrypted, REDACTED } from '../channels/secrets.ts';

type Segment = string | number;

/** A snapshot: the stored form (to find what changed) and the form that may be shown (to say it). */
export interface Snapshot {
  readonly stored: unknown;
  readonly shown: unknown;
}

/** The most changes an entry lists; the rest are counted. */
export const MAX_CHANGES = 200;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function changedPaths(a: unknown, b: unknown, path: Segment[], out: Segment[][]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (isPlain(a) && isPlain(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) changedPaths(a[k], b[k], [...path, k], out);
    return;
  }
  // Arrays of the same length change element by element; otherwise (an insert shifts every index) as a whole.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) changedPaths(a[i], b[i], [...path, i], out);
    return;
  }
  out.push(path);
}

function read(value: unknown, path: readonly Segment[]): unknown {
  let v = value;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** Whatever still looks like a secret (an encrypted value) is masked, whatever the kind said. */
function scrub(value: unknown): unknown {
  if (isEncrypted(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(scrub);
  if (isPlain(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
  return value;
}

export const formatPath = (path: readonly Segment[]): string =>
  path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');

/**
 * The changes from `before` to `after` (undefined: did not exist). A creation or a deletion is one
 * change at the root ('') with the whole object. `more`: how many changes past MAX_CHANGES were left out.
 */
export function diffSnapshots(
  before: Snapshot | undefined,
  after: Snapshot | undefined,
): { changes: AuditChange[]; more: number } {
  const paths: Segment[][] = [];
  changedPaths(before?.stored, after?.stored, [], paths);
  const changes: AuditChange[] = [];
  for (const p of paths.slice(0, MAX_CHANGES)) {
    const b = scrub(read(before?.shown, p));
    const a = scrub(read(after?.shown, p));
    changes.push({
      path: formatPath(p),
      ...(b !== undefined ? { before: b } : {}),
      ...(a !== undefined ? { after: a } : {}),
    });
  }
  return { changes, more: Math.max(0, paths.length - MAX_CHANGES) };
}
