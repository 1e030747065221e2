// Every object's key and name in the sandbox, by kind: what the form's pickers offer ("Choose an
// identity namespace: Email, ECID …"). Loaded once per page; the page's own kind follows its list.
import { useCallback, useEffect, useState } from 'react';
import { OBJECT_KINDS } from '../app/menu.ts';
import type { ObjectKind } from '../app/menu.ts';
import { useApi } from '../app/session.tsx';
import { displayName } from './form-engine.ts';
import type { ReferenceLookup } from './form-engine.ts';
import type { ListedObject } from './object-api.ts';

type Names = ReadonlyArray<{ readonly key: string; readonly label: string }>;

const namesOf = (kind: ObjectKind, items: readonly ListedObject[]): Names =>
  items.map((o) => ({
    key: o.key,
    label: (o as { name?: string }).name ?? displayName(kind, o.spec) ?? o.key,
  }));

export function useReferenceNames(
  kind: ObjectKind,
  own: readonly ListedObject[] | undefined,
): ReferenceLookup {
  const api = useApi();
  const [all, setAll] = useState<Partial<Record<ObjectKind, Names>>>({});
  useEffect(() => {
    let live = true;
    const kinds = Object.keys(OBJECT_KINDS) as ObjectKind[];
    void Promise.all(
      kinds.map((k) =>
        api.get<{ items: ListedObject[] }>(`/v1/${k}`).then(
          (r) => [k, namesOf(k, r.items)] as const,
          () => [k, [] as Names] as const,
        ),
      ),
    ).then((pairs) => {
      if (live) setAll(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [api]);
  return useCallback(
    (k: ObjectKind) => (k === kind && own ? namesOf(kind, own) : (all[k] ?? [])),
    [all, kind, own],
  );
}
