// One page per object kind: the list on the left (names, marks, search, sort), the selected object's
// editor on the right (object-editor.tsx), mounted afresh for each object so that nothing typed for
// one object shows in another.
import { useEffect, useMemo, useState } from 'react';
import { OBJECT_KINDS, OBJECT_SINGULAR } from '../app/menu.ts';
import type { ObjectKind } from '../app/menu.ts';
import { usePageTitle } from '../app/page-title.ts';
import { navigate, unsavedReason } from '../app/router.ts';
import { useDialogs } from '../app/dialog.tsx';
import { useApi } from '../app/session.tsx';
import { useObjectAccess } from '../app/object-access.ts';
import { useLoad } from '../app/use-load.ts';
import { objectApi } from './object-api.ts';
import { ObjectEditor } from './object-editor.tsx';
import { ObjectList, nameOf } from './object-list.tsx';
import { useReferenceNames } from './use-reference-names.ts';
import './objects.css';
import { HelpLink } from '../app/help-link.tsx';
import { OBJECT_HELP } from '../app/help-links.ts';

const pageOf = (kind: ObjectKind, key?: string) =>
  `/objects/${kind}${key === undefined ? '' : `/${encodeURIComponent(key)}`}`;

/** Which objects something uses, for the list's "In use" mark: asked per object unless the list says. */
function useInUse(
  kind: ObjectKind,
  keys: readonly string[] | undefined,
  known: boolean,
): ReadonlyMap<string, boolean> {
  const api = useApi();
  const [map, setMap] = useState<ReadonlyMap<string, boolean>>(new Map());
  const joined = (keys ?? []).join('\n');
  useEffect(() => {
    if (known || !keys || keys.length === 0 || keys.length > 60) return;
    let live = true;
    const objects = objectApi(api);
    void Promise.all(
      keys.map((k) =>
        objects.references(kind, k).then(
          (r) => [k, r.inUse] as const,
          () => [k, false] as const,
        ),
      ),
    ).then((pairs) => {
      if (live) setMap(new Map(pairs));
    });
    return () => {
      live = false;
    };
    // Recomputed when the set of objects changes.
  }, [api, kind, joined, known]); // eslint-disable-line react-hooks/exhaustive-deps
  return map;
}

export function ObjectPage(p: { kind: ObjectKind; selected?: string }) {
  const api = useApi();
  const dialogs = useDialogs();
  const list = useLoad(() => objectApi(api).list(p.kind), [api, p.kind]);
  const [creating, setCreating] = useState(false);
  const [version, setVersion] = useState(0);
  const title = OBJECT_KINDS[p.kind];
  const access = useObjectAccess(p.kind);
  const items = list.data;
  const current = items?.find((o) => o.key === p.selected);
  const references = useReferenceNames(p.kind, items);
  const inUse = useInUse(
    p.kind,
    useMemo(() => items?.map((o) => o.key), [items]),
    items?.some((o) => o.inUse !== undefined) ?? false,
  );

  // Picking an object (or the list page) ends creating.
  useEffect(() => {
    if (p.selected !== undefined) setCreating(false);
  }, [p.selected]);
  usePageTitle(
    creating ? `New ${OBJECT_SINGULAR[p.kind]}` : current ? nameOf(p.kind, current) : p.selected,
    title,
  );

  async function create() {
    // Already on the list page (a new object being typed): navigate() has nothing to guard, so ask here.
    const reason = location.pathname === pageOf(p.kind) ? unsavedReason() : null;
    if (
      reason &&
      !(await dialogs.confirm({
        title: 'Leave without saving?',
        body: <p>{reason}</p>,
        confirmLabel: 'Leave and discard',
        danger: true,
      }))
    )
      return;
    if (!(await navigate(pageOf(p.kind)))) return;
    setCreating(true);
    setVersion((v) => v + 1);
  }
  const reload = () => list.reload();

  const showing = creating ? null : p.selected;
  return (
    <section className="page objects">
      <div className="page-head">
        <h1>{title}</h1>
        <HelpLink topic={OBJECT_HELP[p.kind]} />
        {/* A sandbox has one profile schema: nothing to create once it is there. */}
        {access.manage === true &&
          (p.kind !== 'profile-schemas' || (items !== undefined && items.length === 0)) && (
            <button type="button" className="primary" onClick={() => void create()}>
              Create {OBJECT_SINGULAR[p.kind]}
            </button>
          )}
      </div>
      {list.error && (
        <p className="error" role="alert">
          {list.error}
        </p>
      )}
      <div className="split">
        <ObjectList
          kind={p.kind}
          title={title}
          items={items}
          loading={list.loading}
          selected={showing ?? undefined}
          inUse={inUse}
        />
        {creating || showing !== undefined ? (
          <ObjectEditor
            key={creating ? `new:${version}` : `object:${showing}`}
            kind={p.kind}
            objectKey={creating ? null : showing!}
            archived={!!current?.archived}
            names={(items ?? []).map((o) => o.key)}
            references={references}
            onCreated={(key) => {
              setCreating(false);
              void navigate(pageOf(p.kind, key), { force: true });
            }}
            onChanged={reload}
            onDeleted={() => {
              reload();
              void navigate(pageOf(p.kind), { force: true });
            }}
          />
        ) : (
          <div className="object-detail empty-detail">
            <p className="muted">
              {items && items.length > 0
                ? `Pick one of the ${title.toLowerCase()} on the left${access.manage === true ? ', or create a new one' : ''}.`
                : `No ${title.toLowerCase()} in this sandbox yet.`}
            </p>
            {p.kind === 'namespaces' && (
              <p className="muted small">
                Email, Phone, ECID and CRMID are built in: they are always there and are not listed.
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
