// The personalization tree as the dialog walks it: filtering by a search, the rows shown for the
// expanded branches (arrow-key navigation goes through them), and the arrays the `each` form loops
// over with their items' fields. Pure.
import type { PersonalizationNode } from '../contracts.ts';

/** A node's stable id in the tree: its path when it has one, else the labels from the root. */
export type RowId = string;

export interface TreeRow {
  readonly id: RowId;
  readonly node: PersonalizationNode;
  readonly depth: number;
  readonly parent: RowId | null;
  readonly expandable: boolean;
}

const idOf = (n: PersonalizationNode, parent: RowId | null): RowId => `${parent ?? ''}/${n.label}`;

const matches = (n: PersonalizationNode, q: string): boolean =>
  n.label.toLowerCase().includes(q) || (n.path ?? '').toLowerCase().includes(q);

/** The nodes that match `query` (label or path), with their ancestors; a matching branch keeps all its children. */
export function filterTree(
  nodes: readonly PersonalizationNode[],
  query: string,
): PersonalizationNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...nodes];
  const out: PersonalizationNode[] = [];
  for (const n of nodes) {
    if (matches(n, q)) {
      out.push(n);
      continue;
    }
    const kids = n.children ? filterTree(n.children, q) : [];
    if (kids.length) out.push({ ...n, children: kids });
  }
  return out;
}

/** The rows shown: roots, and the children of expanded rows (all of them when `all`). */
export function visibleRows(
  nodes: readonly PersonalizationNode[],
  expanded: ReadonlySet<RowId>,
  all = false,
): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (list: readonly PersonalizationNode[], depth: number, parent: RowId | null) => {
    for (const node of list) {
      const id = idOf(node, parent);
      const expandable = !!node.children?.length;
      rows.push({ id, node, depth, parent, expandable });
      if (expandable && (all || expanded.has(id))) walk(node.children!, depth + 1, id);
    }
  };
  walk(nodes, 0, null);
  return rows;
}

/** Whether a node can be inserted as a value (it has a path). */
export const isInsertable = (n: PersonalizationNode): boolean =>
  typeof n.path === 'string' && n.path.length > 0;

/** Every array-typed node with a path, depth first (what `each` can loop over). */
export function arrayNodes(nodes: readonly PersonalizationNode[]): PersonalizationNode[] {
  const out: PersonalizationNode[] = [];
  const walk = (list: readonly PersonalizationNode[]) => {
    for (const n of list) {
      if (n.type === 'array' && isInsertable(n)) out.push(n);
      if (n.children) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

/**
 * The fields of an array's items, as paths relative to the item ("name", "price.total"). The tree
 * gives an array's children either as the item's fields (paths under the array's) or as one "item"
 * node holding them; both are read.
 */
export function itemFields(array: PersonalizationNode): string[] {
  const base = array.path ?? '';
  const out: string[] = [];
  const walk = (list: readonly PersonalizationNode[], prefix: string) => {
    for (const n of list) {
      const rel = relative(n, base, prefix);
      if (n.children?.length && n.type !== 'array') walk(n.children, rel);
      else out.push(rel);
    }
  };
  walk(array.children ?? [], '');
  return out.filter((f) => f.length > 0);
}

function relative(n: PersonalizationNode, base: string, prefix: string): string {
  const p = n.path ?? '';
  for (const head of [`${base}.`, `${base}[].`, `${base}.[].`, `${base}[0].`])
    if (base && p.startsWith(head)) return p.slice(head.length);
  // An "item" wrapper node (no path, or the array's own path) contributes no segment.
  if (!p || p === base)
    return /^(item|items|\[\])$/i.test(n.label)
      ? prefix
      : prefix
        ? `${prefix}.${n.label}`
        : n.label;
  const last = p.split('.').pop() ?? n.label;
  return prefix ? `${prefix}.${last}` : last;
}

/** The first node whose path is `path`. */
export function findByPath(
  nodes: readonly PersonalizationNode[],
  path: string,
): PersonalizationNode | null {
  for (const n of nodes) {
    if (n.path === path) return n;
    const found = n.children ? findByPath(n.children, path) : null;
    if (found) return found;
  }
  return null;
}

/** Which tab of the dialog's side menu a root belongs to, from its label. */
export type TreeTab = 'profile' | 'audiences' | 'context' | 'helpers' | 'fragments';
export function tabOf(root: PersonalizationNode): TreeTab | null {
  const l = root.label.toLowerCase();
  const p = (root.path ?? root.children?.find((c) => c.path)?.path ?? '').toLowerCase();
  if (l.includes('profile') || p.startsWith('profile')) return 'profile';
  if (l.includes('audience') || p.startsWith('inaudience') || p.startsWith('audience'))
    return 'audiences';
  if (l.includes('context') || l.includes('journey') || p.startsWith('context')) return 'context';
  if (l.includes('helper') || l.includes('function')) return 'helpers';
  if (l.includes('fragment')) return 'fragments';
  return null;
}
