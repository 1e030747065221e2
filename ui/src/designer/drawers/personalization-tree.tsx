// The tree of what a message can use (role=tree): branches expand with a click, Enter or the arrow
// keys; a leaf's "+" adds {{path}} at the caret, and a text leaf also offers "Add with fallback"
// ({%= path ?: "fallback" %}). A search filters by label and path and opens every match.
import { useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { PersonalizationNode } from '../contracts.ts';
import { filterTree, isInsertable, visibleRows } from './tree-model.ts';
import type { RowId, TreeRow } from './tree-model.ts';

export function PersonalizationTree(p: {
  label: string;
  nodes: readonly PersonalizationNode[];
  onAdd(n: PersonalizationNode): void;
  onAddWithFallback(n: PersonalizationNode): void;
}) {
  const [query, setQuery] = useState('');
  const [expanded, setExpanded] = useState<ReadonlySet<RowId>>(new Set());
  const [active, setActive] = useState<RowId | null>(null);
  const list = useRef<HTMLUListElement>(null);
  const shown = useMemo(() => filterTree(p.nodes, query), [p.nodes, query]);
  const searching = query.trim().length > 0;
  const rows = useMemo(() => visibleRows(shown, expanded, searching), [shown, expanded, searching]);
  const current = rows.find((r) => r.id === active)?.id ?? rows[0]?.id ?? null;

  const toggle = (id: RowId, open?: boolean) =>
    setExpanded((s) => {
      const n = new Set(s);
      if (open ?? !n.has(id)) n.add(id);
      else n.delete(id);
      return n;
    });
  const focusRow = (id: RowId | null) => {
    if (id === null) return;
    setActive(id);
    requestAnimationFrame(() =>
      list.current?.querySelector<HTMLElement>(`[data-row="${CSS.escape(id)}"]`)?.focus(),
    );
  };
  const isOpen = (r: TreeRow) => searching || expanded.has(r.id);

  const onKey = (e: KeyboardEvent, r: TreeRow, i: number) => {
    if (e.target !== e.currentTarget) return;
    const k = e.key;
    if (k === 'ArrowDown') focusRow(rows[i + 1]?.id ?? null);
    else if (k === 'ArrowUp') focusRow(rows[i - 1]?.id ?? null);
    else if (k === 'Home') focusRow(rows[0]?.id ?? null);
    else if (k === 'End') focusRow(rows[rows.length - 1]?.id ?? null);
    else if (k === 'ArrowRight') {
      if (r.expandable && !isOpen(r)) toggle(r.id, true);
      else if (r.expandable) focusRow(rows[i + 1]?.id ?? null);
    } else if (k === 'ArrowLeft') {
      if (r.expandable && isOpen(r) && !searching) toggle(r.id, false);
      else focusRow(r.parent);
    } else if (k === 'Enter' || k === ' ') {
      if (isInsertable(r.node) && !r.expandable) p.onAdd(r.node);
      else if (r.expandable && !searching) toggle(r.id);
      else if (isInsertable(r.node)) p.onAdd(r.node);
    } else return;
    e.preventDefault();
  };

  return (
    <div className="p13n-tree">
      <input
        type="search"
        className="drawer-search"
        aria-label={`Search ${p.label.toLowerCase()}`}
        placeholder="Search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {rows.length === 0 ? (
        <p className="muted drawer-empty">
          {searching
            ? `Nothing matches “${query.trim()}”.`
            : 'Nothing to show here for this message.'}
        </p>
      ) : (
        <ul role="tree" aria-label={p.label} ref={list}>
          {rows.map((r, i) => {
            const leaf = !r.expandable;
            const insertable = isInsertable(r.node);
            return (
              <li
                key={r.id}
                role="treeitem"
                aria-label={r.node.label}
                aria-level={r.depth + 1}
                aria-expanded={r.expandable ? isOpen(r) : undefined}
                aria-selected={r.id === current}
                tabIndex={r.id === current ? 0 : -1}
                data-row={r.id}
                className={`p13n-row ${leaf ? 'leaf' : 'branch'}`}
                style={{ paddingLeft: `${r.depth * 14 + 4}px` }}
                onKeyDown={(e) => onKey(e, r, i)}
                onFocus={(e) => {
                  if (e.target === e.currentTarget) setActive(r.id);
                }}
                onClick={(e) => {
                  if (
                    e.target === e.currentTarget ||
                    (e.target as HTMLElement).classList.contains('p13n-label')
                  ) {
                    setActive(r.id);
                    if (r.expandable && !searching) toggle(r.id);
                  }
                }}
              >
                <span className="p13n-caret" aria-hidden="true">
                  {r.expandable ? (isOpen(r) ? '▾' : '▸') : ''}
                </span>
                <span className="p13n-label" title={r.node.path ?? r.node.help}>
                  {r.node.label}
                </span>
                {r.node.type && leaf && <span className="p13n-type">{r.node.type}</span>}
                {insertable && (
                  <span className="p13n-actions">
                    <button
                      type="button"
                      className="icon-button"
                      tabIndex={r.id === current ? 0 : -1}
                      aria-label={`Add ${r.node.label}`}
                      title={`Add {{${r.node.path}}}`}
                      onClick={() => p.onAdd(r.node)}
                    >
                      +
                    </button>
                    {(r.node.type === 'string' || r.node.type === undefined) && leaf && (
                      <button
                        type="button"
                        className="icon-button"
                        tabIndex={r.id === current ? 0 : -1}
                        aria-label={`Add ${r.node.label} with fallback`}
                        title="Add with a fallback text for when it is empty"
                        onClick={() => p.onAddWithFallback(r.node)}
                      >
                        ?:
                      </button>
                    )}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="small muted">Arrows move, → opens, Enter adds at the cursor.</p>
    </div>
  );
}
