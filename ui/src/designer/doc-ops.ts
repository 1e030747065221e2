// Pure operations on the email document the designer edits: find, insert a dragged payload at a
// target, move, duplicate (fresh ids), remove, update, new structures and components, fragment
// documents. No React, no I/O: the reducer (state.ts) and the pure tests use them as they are.
import type {
  Column,
  Component,
  EmailContent,
  EmailDocument,
  LeafBlock,
  Structure,
} from '@waymark/shared/model/message-content.ts';
import type { Governance, LockType } from '@waymark/shared/model/content-template.ts';
import type { ComponentKind, DragPayload } from './contracts.ts';

/** A list of blocks: a column's, or a container's default (variant null) or variant blocks. */
export type ListRef =
  { readonly column: string } | { readonly container: string; readonly variant: number | null };
/** Where a payload goes: into a list at an index, between structures, or onto a block (an asset onto an image). */
export type Target =
  | { readonly kind: 'list'; readonly list: ListRef; readonly index: number }
  | { readonly kind: 'body'; readonly index: number }
  | { readonly kind: 'onto'; readonly id: string };

export type Located =
  | { readonly kind: 'structure'; readonly index: number; readonly structure: Structure }
  | {
      readonly kind: 'column';
      readonly structure: Structure;
      readonly index: number;
      readonly column: Column;
    }
  | {
      readonly kind: 'block';
      readonly structure: Structure;
      readonly list: ListRef;
      readonly index: number;
      readonly block: Component;
    };

export const sameList = (a: ListRef, b: ListRef): boolean =>
  'column' in a
    ? 'column' in b && a.column === b.column
    : 'container' in b && a.container === b.container && a.variant === b.variant;

/** Every list of blocks in a structure, with the blocks (default and variant columns, containers). */
function* listsOf(s: Structure): Generator<{ ref: ListRef; blocks: readonly Component[] }> {
  const cols = [...s.columns, ...s.variants.flatMap((v) => v.columns)];
  for (const c of cols) {
    yield { ref: { column: c.id }, blocks: c.blocks };
    for (const b of c.blocks) {
      if (b.kind !== 'container') continue;
      yield { ref: { container: b.id, variant: null }, blocks: b.blocks };
      for (let i = 0; i < b.variants.length; i++)
        yield { ref: { container: b.id, variant: i }, blocks: b.variants[i]!.blocks };
    }
  }
}

export function locate(doc: EmailDocument, id: string): Located | null {
  for (let si = 0; si < doc.body.length; si++) {
    const s = doc.body[si]!;
    if (s.id === id) return { kind: 'structure', index: si, structure: s };
    const cols = [...s.columns, ...s.variants.flatMap((v) => v.columns)];
    const ci = cols.findIndex((c) => c.id === id);
    if (ci >= 0) return { kind: 'column', structure: s, index: ci, column: cols[ci]! };
    for (const l of listsOf(s)) {
      const bi = l.blocks.findIndex((b) => b.id === id);
      if (bi >= 0)
        return { kind: 'block', structure: s, list: l.ref, index: bi, block: l.blocks[bi]! };
    }
  }
  return null;
}

export function getList(doc: EmailDocument, ref: ListRef): readonly Component[] | null {
  for (const s of doc.body) for (const l of listsOf(s)) if (sameList(l.ref, ref)) return l.blocks;
  return null;
}

/** The structure a list belongs to. */
export function structureOfList(doc: EmailDocument, ref: ListRef): Structure | null {
  for (const s of doc.body) for (const l of listsOf(s)) if (sameList(l.ref, ref)) return s;
  return null;
}

/** Rewrites one list (columns and containers alike); the rest of the document is shared. */
export function mapList(
  doc: EmailDocument,
  ref: ListRef,
  fn: (blocks: readonly Component[]) => Component[],
): EmailDocument {
  const mapCols = (cols: readonly Column[]): Column[] =>
    cols.map((c) => {
      if ('column' in ref && c.id === ref.column) return { ...c, blocks: fn(c.blocks) };
      if (!('container' in ref) || !c.blocks.some((b) => b.id === ref.container)) return c;
      return {
        ...c,
        blocks: c.blocks.map((b) => {
          if (b.kind !== 'container' || b.id !== ref.container) return b;
          if (ref.variant === null) return { ...b, blocks: asLeaves(fn(b.blocks)) };
          return {
            ...b,
            variants: b.variants.map((v, i) =>
              i === ref.variant ? { ...v, blocks: asLeaves(fn(v.blocks)) } : v,
            ),
          };
        }),
      };
    });
  return mapStructures(doc, (s) => ({
    ...s,
    columns: mapCols(s.columns),
    variants: s.variants.map((v) => ({ ...v, columns: mapCols(v.columns) })),
  }));
}

/** Maps structures, keeping every structure whose columns came back unchanged (the canvas memoizes on them). */
function mapStructures(doc: EmailDocument, fn: (s: Structure) => Structure): EmailDocument {
  let changed = false;
  const body = doc.body.map((s) => {
    const n = fn(s);
    const same =
      n.columns.every((c, i) => c === s.columns[i]) &&
      n.variants.every((v, i) => v.columns.every((c, j) => c === s.variants[i]!.columns[j]));
    if (same) return s;
    changed = true;
    return n;
  });
  return changed ? { ...doc, body } : doc;
}

/** Containers hold leaf blocks only (a container in a container is refused before this point). */
const asLeaves = (bs: readonly Component[]): LeafBlock[] =>
  bs.filter((b): b is LeafBlock => b.kind !== 'container');

/** Every id in the document (structures, columns, blocks, variant blocks). */
export function allIds(doc: EmailDocument): Set<string> {
  const ids = new Set<string>();
  const block = (b: Component) => {
    ids.add(b.id);
    if (b.kind === 'container') {
      b.blocks.forEach(block);
      b.variants.forEach((v) => v.blocks.forEach(block));
    } else b.variants.forEach((v) => ids.add(v.block.id));
  };
  const col = (c: Column) => {
    ids.add(c.id);
    c.blocks.forEach(block);
  };
  for (const s of doc.body) {
    ids.add(s.id);
    s.columns.forEach(col);
    s.variants.forEach((v) => v.columns.forEach(col));
  }
  return ids;
}

/** Makes ids unique against `taken` (and adds them to it). */
export function idMaker(taken: Set<string>): (prefix: string) => string {
  return (prefix) => {
    let n = taken.size + 1;
    let id = `${prefix}-${n}`;
    while (taken.has(id)) id = `${prefix}-${++n}`;
    taken.add(id);
    return id;
  };
}

/** Column widths as percentages from ratios ([1, 2] -> 33.33%, 66.67%); equal ratios leave widths to MJML. */
export function newStructure(ratios: readonly number[], id: (p: string) => string): Structure {
  const total = ratios.reduce((a, b) => a + b, 0);
  const equal = ratios.every((r) => r === ratios[0]);
  return {
    kind: 'structure',
    id: id('structure'),
    stackOnMobile: true,
    variants: [],
    columns: ratios.map((r) => ({
      id: id('column'),
      blocks: [],
      ...(equal ? {} : { width: `${Math.round((r / total) * 10000) / 100}%` }),
    })),
  };
}

/** "1:1:2" -> [1, 1, 2], or a problem (each column at least 10% of the width, 1 to 10 columns). */
export function parseRatios(text: string): number[] | string {
  const parts = text.split(/[:\s,]+/).filter(Boolean);
  const nums = parts.map(Number);
  if (parts.length < 1 || parts.length > 10) return 'one to ten columns, e.g. 1:1:2';
  if (nums.some((n) => !Number.isFinite(n) || n <= 0))
    return 'positive numbers separated by colons, e.g. 1:1:2';
  const total = nums.reduce((a, b) => a + b, 0);
  if (nums.some((n) => n / total < 0.1)) return 'each column takes at least 10% of the width';
  return nums;
}

export const COMPONENT_LABEL: Record<ComponentKind | 'fragment', string> = {
  text: 'Text',
  image: 'Image',
  button: 'Button',
  divider: 'Divider',
  spacer: 'Spacer',
  social: 'Social',
  html: 'HTML',
  decision: 'Offer decision',
  container: 'Container',
  fragment: 'Fragment',
};

export const DEFAULT_TEXT = '<p>Please type your text here.</p>';

export function newComponent(kind: ComponentKind, id: (p: string) => string): Component {
  const base = { id: id(kind) };
  switch (kind) {
    case 'text':
      return { kind, ...base, content: DEFAULT_TEXT, variants: [] };
    case 'image':
      return { kind, ...base, alt: '', tracked: true, variants: [] };
    case 'button':
      return { kind, ...base, label: 'Button', href: 'https://', tracked: true, variants: [] };
    case 'divider':
      return { kind, ...base, variants: [] };
    case 'spacer':
      return { kind, ...base, height: '20px', variants: [] };
    case 'social':
      return {
        kind,
        ...base,
        iconSize: '24px',
        tracked: true,
        variants: [],
        links: [
          { network: 'facebook', href: 'https://facebook.com' },
          { network: 'instagram', href: 'https://instagram.com' },
          { network: 'x', href: 'https://x.com' },
        ],
      };
    case 'html':
      return { kind, ...base, content: '<p>Your HTML here</p>', variants: [] };
    // The policy is chosen in the block's properties (the block renders nothing until then).
    case 'decision':
      return { kind, ...base, policy: '', align: 'center', tracked: true, variants: [] };
    case 'container':
      return { kind, ...base, defaultName: 'Default variant', blocks: [], variants: [] };
  }
}

export interface PayloadContext {
  /** An asset's alt text or name (an image dropped from the asset selector takes it as alt). */
  assetAlt?(assetId: string): string | undefined;
}

export interface Applied {
  readonly doc: EmailDocument;
  readonly selected: string | null;
  readonly label: string;
}

/** Inserts what was dropped; null when it cannot go there (a container into a container, nothing to move). */
export function insertPayload(
  doc: EmailDocument,
  p: DragPayload,
  target: Target,
  ctx: PayloadContext = {},
): Applied | null {
  if (p.type === 'move') return moveNode(doc, p.id, target);
  const id = idMaker(allIds(doc));
  if (target.kind === 'onto') {
    const at = locate(doc, target.id);
    if (p.type === 'asset' && at?.kind === 'block' && at.block.kind === 'image') {
      const alt = at.block.alt || ctx.assetAlt?.(p.assetId) || '';
      const next = updateBlock(doc, target.id, (b) =>
        b.kind === 'image'
          ? withoutSrc({
              ...b,
              assetId: p.assetId,
              alt,
              ...(p.rendition ? { rendition: p.rendition } : {}),
            })
          : b,
      );
      return { doc: next, selected: target.id, label: 'Replace image' };
    }
    return at ? insertPayload(doc, p, afterTarget(doc, target.id), ctx) : null;
  }
  if (p.type === 'structure') {
    const s = newStructure(p.ratios, id);
    const index = target.kind === 'body' ? target.index : bodyIndexAfterList(doc, target.list);
    return {
      doc: { ...doc, body: [...doc.body.slice(0, index), s, ...doc.body.slice(index)] },
      selected: s.id,
      label: `Add ${p.ratios.length}-column structure`,
    };
  }
  let block: Component;
  let label: string;
  if (p.type === 'component') {
    block = newComponent(p.kind, id);
    label = `Add ${COMPONENT_LABEL[p.kind].toLowerCase()}`;
  } else if (p.type === 'asset') {
    const rendition = p.rendition ? { rendition: p.rendition } : {};
    block = {
      kind: 'image',
      id: id('image'),
      assetId: p.assetId,
      alt: ctx.assetAlt?.(p.assetId) ?? '',
      tracked: true,
      variants: [],
      ...rendition,
    };
    label = 'Add image';
  } else {
    block = {
      kind: 'fragment',
      id: id('fragment'),
      fragmentId: p.fragmentId,
      fields: {},
      variants: [],
    };
    label = 'Add fragment';
  }
  return { doc: placeBlock(doc, block, target, id), selected: block.id, label };
}

function withoutSrc<T extends { src?: string }>(b: T): T {
  const { src: _s, ...rest } = b;
  return rest as T;
}

/** Just after a block (in its list), or after a structure. */
function afterTarget(doc: EmailDocument, id: string): Target {
  const at = locate(doc, id);
  if (at?.kind === 'block') return { kind: 'list', list: at.list, index: at.index + 1 };
  if (at?.kind === 'column')
    return { kind: 'list', list: { column: at.column.id }, index: at.column.blocks.length };
  if (at?.kind === 'structure') return { kind: 'body', index: at.index + 1 };
  return { kind: 'body', index: doc.body.length };
}

function bodyIndexAfterList(doc: EmailDocument, ref: ListRef): number {
  const s = structureOfList(doc, ref);
  return s ? doc.body.indexOf(s) + 1 : doc.body.length;
}

/** Puts a block at a target: into a list, or in a new one-column structure between structures. */
function placeBlock(
  doc: EmailDocument,
  block: Component,
  target: Target,
  id: (p: string) => string,
): EmailDocument {
  if (target.kind === 'list' && !(block.kind === 'container' && 'container' in target.list)) {
    return mapList(doc, target.list, (bs) => [
      ...bs.slice(0, target.index),
      block,
      ...bs.slice(target.index),
    ]);
  }
  if (target.kind === 'list') {
    // A container dropped into a container goes right after that container.
    const at = locate(doc, (target.list as { container: string }).container);
    if (at?.kind === 'block')
      return mapList(doc, at.list, (bs) => [
        ...bs.slice(0, at.index + 1),
        block,
        ...bs.slice(at.index + 1),
      ]);
  }
  const index = target.kind === 'body' ? target.index : doc.body.length;
  const s = newStructure([1], id);
  const filled: Structure = { ...s, columns: [{ ...s.columns[0]!, blocks: [block] }] };
  return { ...doc, body: [...doc.body.slice(0, index), filled, ...doc.body.slice(index)] };
}

export function moveNode(doc: EmailDocument, id: string, target: Target): Applied | null {
  const at = locate(doc, id);
  if (!at || target.kind === 'onto') return null;
  if (at.kind === 'structure') {
    let index = target.kind === 'body' ? target.index : bodyIndexAfterList(doc, target.list);
    if (index > at.index) index--;
    if (index === at.index) return null;
    const rest = doc.body.filter((s) => s.id !== id);
    return {
      doc: { ...doc, body: [...rest.slice(0, index), at.structure, ...rest.slice(index)] },
      selected: id,
      label: 'Move structure',
    };
  }
  if (at.kind !== 'block') return null;
  if (
    target.kind === 'list' &&
    'container' in target.list &&
    (at.block.kind === 'container' || target.list.container === id)
  )
    return null;
  let t = target;
  if (t.kind === 'list' && sameList(t.list, at.list)) {
    const index = t.index > at.index ? t.index - 1 : t.index;
    if (index === at.index) return null;
    t = { ...t, index };
  }
  const removed = mapList(doc, at.list, (bs) => bs.filter((b) => b.id !== id));
  const next = placeBlock(removed, at.block, t, idMaker(allIds(doc)));
  return {
    doc: dropEmptyAuto(next),
    selected: id,
    label: `Move ${COMPONENT_LABEL[at.block.kind].toLowerCase()}`,
  };
}

/** Nothing is dropped automatically: empty columns stay (they show "Drop content here"). */
const dropEmptyAuto = (d: EmailDocument): EmailDocument => d;

/**
 * Moves a block up or down: within its list, and at the list's edge into the neighbouring structure's
 * column (so the keyboard reaches everywhere a mouse can drop). Structures move among structures.
 */
export function moveBy(doc: EmailDocument, id: string, delta: -1 | 1): Applied | null {
  const at = locate(doc, id);
  if (!at) return null;
  if (at.kind === 'structure') {
    const to = at.index + delta;
    if (to < 0 || to >= doc.body.length) return null;
    return moveNode(doc, id, { kind: 'body', index: delta > 0 ? to + 1 : to });
  }
  if (at.kind !== 'block') return null;
  const list = getList(doc, at.list) ?? [];
  const to = at.index + delta;
  if (to >= 0 && to < list.length)
    return moveNode(doc, id, { kind: 'list', list: at.list, index: delta > 0 ? to + 1 : to });
  if (!('column' in at.list)) return null;
  const si = doc.body.indexOf(at.structure);
  const ci = at.structure.columns.findIndex((c) => 'column' in at.list && c.id === at.list.column);
  const neighbour = doc.body[si + delta];
  if (!neighbour) return null;
  const col = neighbour.columns[Math.min(Math.max(ci, 0), neighbour.columns.length - 1)]!;
  return moveNode(doc, id, {
    kind: 'list',
    list: { column: col.id },
    index: delta > 0 ? 0 : col.blocks.length,
  });
}

/** A deep copy with fresh ids for everything inside (locks and diagnostics refer to ids). */
function freshIds<T>(value: T, id: (p: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o))
      out[k] =
        k === 'id' && typeof x === 'string'
          ? id(typeof o['kind'] === 'string' ? o['kind'] : 'column')
          : walk(x);
    return out;
  };
  return walk(value) as T;
}

export function duplicate(doc: EmailDocument, id: string): Applied | null {
  const at = locate(doc, id);
  const make = idMaker(allIds(doc));
  if (at?.kind === 'structure') {
    const copy = freshIds(at.structure, make);
    return {
      doc: {
        ...doc,
        body: [...doc.body.slice(0, at.index + 1), copy, ...doc.body.slice(at.index + 1)],
      },
      selected: copy.id,
      label: 'Duplicate structure',
    };
  }
  if (at?.kind === 'block') {
    const copy = freshIds(at.block, make);
    return {
      doc: mapList(doc, at.list, (bs) => [
        ...bs.slice(0, at.index + 1),
        copy,
        ...bs.slice(at.index + 1),
      ]),
      selected: copy.id,
      label: `Duplicate ${COMPONENT_LABEL[at.block.kind].toLowerCase()}`,
    };
  }
  return null;
}

/** Removes a structure, a block, or a column (a structure keeps at least one). Selects a neighbour. */
export function remove(doc: EmailDocument, id: string): Applied | null {
  const at = locate(doc, id);
  if (!at) return null;
  if (at.kind === 'structure') {
    const body = doc.body.filter((s) => s.id !== id);
    return {
      doc: { ...doc, body },
      selected: body[Math.min(at.index, body.length - 1)]?.id ?? null,
      label: 'Delete structure',
    };
  }
  if (at.kind === 'column') {
    if (at.structure.columns.length < 2 || !at.structure.columns.some((c) => c.id === id))
      return null;
    const next = updateStructure(doc, at.structure.id, (s) => ({
      ...s,
      columns: s.columns
        .filter((c) => c.id !== id)
        .map((c) => {
          const { width: _w, ...rest } = c;
          return rest;
        }),
    }));
    return { doc: next, selected: at.structure.id, label: 'Delete column' };
  }
  const list = getList(doc, at.list) ?? [];
  const neighbour =
    list[at.index + 1]?.id ??
    list[at.index - 1]?.id ??
    ('column' in at.list ? at.list.column : at.list.container);
  return {
    doc: mapList(doc, at.list, (bs) => bs.filter((b) => b.id !== id)),
    selected: neighbour,
    label: `Delete ${COMPONENT_LABEL[at.block.kind].toLowerCase()}`,
  };
}

export function updateBlock(
  doc: EmailDocument,
  id: string,
  fn: (b: Component) => Component,
): EmailDocument {
  const at = locate(doc, id);
  if (at?.kind !== 'block') return doc;
  return mapList(doc, at.list, (bs) => bs.map((b) => (b.id === id ? fn(b) : b)));
}

export function updateStructure(
  doc: EmailDocument,
  id: string,
  fn: (s: Structure) => Structure,
): EmailDocument {
  return { ...doc, body: doc.body.map((s) => (s.id === id ? fn(s) : s)) };
}

export function updateColumn(
  doc: EmailDocument,
  id: string,
  fn: (c: Column) => Column,
): EmailDocument {
  const mapCols = (cols: readonly Column[]) => cols.map((c) => (c.id === id ? fn(c) : c));
  return mapStructures(doc, (s) => ({
    ...s,
    columns: mapCols(s.columns),
    variants: s.variants.map((v) => ({ ...v, columns: mapCols(v.columns) })),
  }));
}

export const EMPTY_DOCUMENT: EmailDocument = { version: 1, width: '600px', body: [] };

/** The document of a locale (created from the default document when it is first edited), or the default one. */
export function docOf(c: EmailContent, locale: string | null): EmailDocument {
  return (locale ? c.locales?.[locale]?.document : undefined) ?? c.document ?? EMPTY_DOCUMENT;
}

export function withDoc(c: EmailContent, locale: string | null, doc: EmailDocument): EmailContent {
  if (!locale) return { ...c, document: doc };
  const locales = c.locales ?? {};
  return { ...c, locales: { ...locales, [locale]: { ...(locales[locale] ?? {}), document: doc } } };
}

/** A visual fragment's blocks as a document: one structure, one column. */
export function fragmentDocument(blocks: readonly LeafBlock[]): EmailDocument {
  return {
    version: 1,
    width: '600px',
    body: [
      {
        kind: 'structure',
        id: 'fragment',
        stackOnMobile: true,
        variants: [],
        columns: [{ id: 'fragment-column', blocks: [...blocks] }],
      },
    ],
  };
}

/** The blocks a fragment keeps: every leaf block of the document in order (containers are flattened to their default blocks). */
export function fragmentBlocks(doc: EmailDocument): LeafBlock[] {
  return doc.body.flatMap((s) =>
    s.columns.flatMap((c) => c.blocks.flatMap((b) => (b.kind === 'container' ? b.blocks : [b]))),
  );
}

// ---- Locks (content templates) ----

/** The lock that applies to an id: its own, else its structure's (a column follows its structure). */
export function lockOf(doc: EmailDocument, gov: Governance | undefined, id: string): LockType {
  if (!gov) return 'editable';
  if (gov.mode === 'read-only') return 'locked';
  const own = gov.locks[id];
  if (own) return own;
  const at = locate(doc, id);
  if (at?.kind === 'block' && 'container' in at.list && gov.locks[at.list.container])
    return gov.locks[at.list.container]!;
  if (at && at.kind !== 'structure') return gov.locks[at.structure.id] ?? 'editable';
  return 'editable';
}

/** May the id be moved or deleted? Locked and content-only parts may not (a locked structure in allowDelete may be deleted). */
export function canRemove(doc: EmailDocument, gov: Governance | undefined, id: string): boolean {
  const lock = lockOf(doc, gov, id);
  if (lock === 'editable') return true;
  return (
    lock === 'locked' && !!gov?.allowDelete.includes(id) && locate(doc, id)?.kind === 'structure'
  );
}
export const canMove = (doc: EmailDocument, gov: Governance | undefined, id: string): boolean =>
  lockOf(doc, gov, id) === 'editable';

/** May a payload land at a target under the template's addition rule and locks? */
export function canInsert(
  doc: EmailDocument,
  gov: Governance | undefined,
  p: DragPayload,
  target: Target,
): boolean {
  if (!gov) return true;
  if (gov.mode === 'read-only') return false;
  if (p.type === 'move') {
    if (!canMove(doc, gov, p.id)) return false;
    return (
      target.kind !== 'list' ||
      lockOf(doc, gov, 'column' in target.list ? target.list.column : target.list.container) ===
        'editable'
    );
  }
  if (target.kind === 'onto') return lockOf(doc, gov, target.id) === 'editable';
  if (gov.addition === 'none') return false;
  if (p.type === 'structure' || target.kind === 'body')
    return gov.addition === 'structure-and-content';
  return (
    lockOf(doc, gov, 'column' in target.list ? target.list.column : target.list.container) ===
    'editable'
  );
}
