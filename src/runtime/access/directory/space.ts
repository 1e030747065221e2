// Typed reads and writes of the directory's records in the reserved `_access` space of the store.
import type { Store } from '../../../store/ports.ts';
import type { Clock } from '../../clock.ts';
import { ACCESS_SPACE, type KIND } from './records.ts';

export type Kind = (typeof KIND)[keyof typeof KIND];

export interface Space {
  readonly clock: Clock;
  nowIso(): string;
  get<T>(kind: Kind, key: string): Promise<{ body: T; revision: number } | null>;
  list<T>(kind: Kind): Promise<T[]>;
  put<T>(kind: Kind, key: string, body: T): Promise<void>;
  /** Writes only if nobody wrote since `revision`; false otherwise. */
  replace<T>(kind: Kind, key: string, revision: number, body: T): Promise<boolean>;
  remove(kind: Kind, key: string): Promise<boolean>;
}

export function accessSpace(store: Store, clock: Clock): Space {
  const nowIso = (): string => new Date(clock.now()).toISOString();
  return {
    clock,
    nowIso,
    async get<T>(kind: Kind, key: string) {
      const o = await store.getObject<T>(ACCESS_SPACE, kind, key);
      return o === null ? null : { body: o.body, revision: o.revision };
    },
    async list<T>(kind: Kind) {
      return (await store.listObjects<T>(ACCESS_SPACE, kind)).map((o) => o.body);
    },
    async put<T>(kind: Kind, key: string, body: T) {
      await store.putObject(ACCESS_SPACE, kind, key, body, nowIso());
    },
    replace: <T>(kind: Kind, key: string, revision: number, body: T) =>
      store.replaceObjectIfRevision(ACCESS_SPACE, kind, key, revision, body, nowIso()),
    remove: (kind: Kind, key: string) => store.deleteObject(ACCESS_SPACE, kind, key),
  };
}

/**
 * Read, change, write back at the read revision; on a concurrent write, read again and retry, so
 * two admins editing one user never lose each other's change silently.
 */
export async function update<T>(
  space: Space,
  kind: Kind,
  key: string,
  change: (current: T) => T,
  notFound: () => Error,
): Promise<T> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = await space.get<T>(kind, key);
    if (cur === null) throw notFound();
    const next = change(cur.body);
    if (await space.replace(kind, key, cur.revision, next)) return next;
  }
  throw new Error(`the ${kind} "${key}" kept changing under this update; try again`);
}
