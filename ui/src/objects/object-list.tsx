// The list beside an object page's editor: each object by its name (the key under it when they
// differ), archived and in-use marks, when it was last changed; a search over names and keys and a
// sort. Picking an item goes through navigate(), so unsaved edits are asked about first.
import { useMemo, useState } from 'react';
import type { ObjectKind } from '../app/menu.ts';
import { navigate } from '../app/router.ts';
import { displayName } from './form-engine.ts';
import type { ListedObject } from './object-api.ts';

export type SortOrder = 'name' | 'modified';

const hrefOf = (kind: ObjectKind, key: string) => `/objects/${kind}/${encodeURIComponent(key)}`;

/** "just now", "5 minutes ago", "3 Dec 2026". */
export function when(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) {
    const m = Math.max(1, Math.round(s / 60));
    return `${m} minute${m === 1 ? '' : 's'} ago`;
  }
  if (s < 86_400) {
    const h = Math.round(s / 3600);
    return `${h} hour${h === 1 ? '' : 's'} ago`;
  }
  return new Date(t).toLocaleDateString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export const nameOf = (
  kind: ObjectKind,
  o: { key: string; spec: Record<string, unknown> },
): string => displayName(kind, o.spec) ?? o.key;

export function ObjectList(p: {
  kind: ObjectKind;
  title: string;
  items: readonly ListedObject[] | undefined;
  loading: boolean;
  selected?: string;
  inUse: ReadonlyMap<string, boolean>;
}) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortOrder>('name');
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const all = (p.items ?? [])
      .map((o) => ({ o, name: nameOf(p.kind, o) }))
      .filter(
        ({ o, name }) =>
          !needle || name.toLowerCase().includes(needle) || o.key.toLowerCase().includes(needle),
      );
    return all.sort((a, b) =>
      sort === 'name'
        ? a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })
        : (b.o.updatedAt ?? '').localeCompare(a.o.updatedAt ?? ''),
    );
  }, [p.items, p.kind, filter, sort]);
  return (
    <div className="object-list">
      <div className="list-tools">
        <input
          type="search"
          aria-label={`Search ${p.title}`}
          placeholder="Search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <select
          aria-label="Sort by"
          value={sort}
          onChange={(e) => setSort(e.target.value as SortOrder)}
        >
          <option value="name">A–Z</option>
          <option value="modified">Latest</option>
        </select>
      </div>
      <ul aria-label={p.title}>
        {rows.map(({ o, name }) => {
          const used = o.inUse ?? p.inUse.get(o.key);
          return (
            <li key={o.key}>
              <a
                href={hrefOf(p.kind, o.key)}
                className={o.key === p.selected ? 'active' : ''}
                aria-current={o.key === p.selected ? 'page' : undefined}
                onClick={(e) => {
                  if (e.metaKey || e.ctrlKey) return;
                  e.preventDefault();
                  void navigate(hrefOf(p.kind, o.key));
                }}
              >
                <span className="item-name">{name}</span>
                <span className="item-meta">
                  {o.archived && <span className="badge archived">Archived</span>}
                  {used === true && (
                    <span className="badge in-use" title="Something in this sandbox uses it">
                      In use
                    </span>
                  )}
                  {name !== o.key && <span className="item-key">{o.key}</span>}
                  {o.updatedAt && (
                    <span className="item-when" title={new Date(o.updatedAt).toLocaleString()}>
                      {when(o.updatedAt)}
                    </span>
                  )}
                </span>
              </a>
            </li>
          );
        })}
        {!p.loading && rows.length === 0 && (
          <li className="muted empty">
            {filter ? 'Nothing matches.' : 'None in this sandbox yet.'}
          </li>
        )}
      </ul>
    </div>
  );
}
