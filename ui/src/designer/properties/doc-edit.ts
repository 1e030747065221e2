// The properties panel's pure edits of an email document: find a structure, column or block by id
// (blocks inside containers and their variants too), replace it, columns and their ratios, fragment
// fields and "break inheritance", conditional content variants, and the template locks in force.
import type {
  Column,
  Component,
  EmailContent,
  EmailDocument,
  LeafBlock,
  PlainBlock,
  Structure,
} from '@waymark/shared/model/message-content.ts';
import type { Governance } from '@waymark/shared/model/content-template.ts';

export type Found =
  | { readonly type: 'structure'; readonly structure: Structure }
  | {
      readonly type: 'column';
      readonly column: Column;
      readonly structure: Structure;
      readonly index: number;
    }
  | {
      readonly type: 'block';
      readonly block: Component;
      readonly structure: Structure;
      readonly column: Column;
      readonly container?: Component & { kind: 'container' };
      /** Set for a variant's replacement block: the block it belongs to and the variant's index. */
      readonly owner?: { readonly block: LeafBlock; readonly index: number };
    };

export function findNode(doc: EmailDocument, id: string): Found | null {
  for (const structure of doc.body) {
    if (structure.id === id) return { type: 'structure', structure };
    const columns = [...structure.columns, ...structure.variants.flatMap((v) => v.columns)];
    for (const [index, column] of columns.entries()) {
      if (column.id === id) return { type: 'column', column, structure, index };
      for (const block of column.blocks) {
        if (block.id === id) return { type: 'block', block, structure, column };
        const leaves =
          block.kind === 'container'
            ? [...block.blocks, ...block.variants.flatMap((v) => v.blocks)]
            : [block];
        const container = block.kind === 'container' ? block : undefined;
        for (const leaf of leaves) {
          if (leaf.id === id)
            return {
              type: 'block',
              block: leaf,
              structure,
              column,
              ...(container ? { container } : {}),
            };
          for (const [index, v] of leaf.variants.entries()) {
            if (v.block.id === id)
              return {
                type: 'block',
                block: { ...v.block, variants: [] },
                structure,
                column,
                ...(container ? { container } : {}),
                owner: { block: leaf, index },
              };
          }
        }
      }
    }
  }
  return null;
}

type AnyNode = Structure | Column | Component;

/** The document with the node `id` replaced by `fn(node)` (an array result replaces one block by many). */
export function replaceNode(
  doc: EmailDocument,
  id: string,
  fn: (n: AnyNode) => AnyNode | AnyNode[],
): EmailDocument {
  const blocks = <B extends Component>(list: readonly B[]): B[] =>
    list.flatMap((b) => {
      if (b.id === id) return fn(b) as B | B[];
      if (b.kind === 'container') {
        return [
          {
            ...b,
            blocks: blocks(b.blocks),
            variants: b.variants.map((v) => ({ ...v, blocks: blocks(v.blocks) })),
          } as B,
        ];
      }
      // A variant's replacement block (edited as a block without variants of its own).
      if (b.variants.some((v) => v.block.id === id)) {
        return [
          {
            ...b,
            variants: b.variants.map((v) => {
              if (v.block.id !== id) return v;
              const { variants: _v, ...plain } = fn({ ...v.block, variants: [] }) as LeafBlock;
              return { ...v, block: plain as PlainBlock };
            }),
          } as B,
        ];
      }
      return [b];
    });
  const columns = (list: readonly Column[]): Column[] =>
    list.map((c) => (c.id === id ? (fn(c) as Column) : { ...c, blocks: blocks(c.blocks) }));
  return {
    ...doc,
    body: doc.body.map((s) =>
      s.id === id
        ? (fn(s) as Structure)
        : {
            ...s,
            columns: columns(s.columns),
            variants: s.variants.map((v) => ({ ...v, columns: columns(v.columns) })),
          },
    ),
  };
}

/** The content with the open document changed: the locale's document when a locale is open and has one. */
export function withDoc(
  c: EmailContent,
  locale: string | null,
  fn: (d: EmailDocument) => EmailDocument,
): EmailContent {
  const localeDoc = locale ? c.locales?.[locale]?.document : undefined;
  if (locale && localeDoc)
    return {
      ...c,
      locales: { ...c.locales, [locale]: { ...c.locales![locale], document: fn(localeDoc) } },
    };
  return c.document ? { ...c, document: fn(c.document) } : c;
}

let counter = 0;
/** A new id, unique enough within a document: `base_xxxxx`. */
export function freshId(base: string): string {
  counter = (counter + 1) % 1296;
  return `${base}_${Date.now().toString(36).slice(-3)}${counter.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The block with fresh ids (its variants' blocks too); a copy of a copy does not grow its id. */
export function withFreshIds<B extends LeafBlock | PlainBlock>(b: B): B {
  const copy = { ...b, id: freshId(b.id.replace(/_[a-z0-9]{4,9}$/, '')) } as B;
  if ('variants' in copy && Array.isArray(copy.variants)) {
    return {
      ...copy,
      variants: (copy as LeafBlock).variants.map((v) => ({ ...v, block: withFreshIds(v.block) })),
    } as B;
  }
  return copy;
}

/** The component with fresh ids: a container's blocks and its variants' blocks too. */
export function componentWithFreshIds(c: Component): Component {
  if (c.kind !== 'container') return withFreshIds(c);
  return {
    ...c,
    id: freshId(c.id.replace(/_[a-z0-9]{4,9}$/, '')),
    blocks: c.blocks.map((b) => withFreshIds(b)),
    variants: c.variants.map((v) => ({ ...v, blocks: v.blocks.map((b) => withFreshIds(b)) })),
  };
}

/** Copies of columns with fresh ids for them and everything in them (ids are unique in a document). */
export function columnsWithFreshIds(columns: readonly Column[]): Column[] {
  return columns.map((c) => ({
    ...c,
    id: freshId(c.id.replace(/_[a-z0-9]{4,9}$/, '')),
    blocks: c.blocks.map(componentWithFreshIds),
  }));
}

// --- columns --------------------------------------------------------------------------------------

/** Each column's share in percent: explicit percentages, the rest shared equally. */
export function columnShares(columns: readonly Column[]): number[] {
  const explicit = columns.map((c) =>
    c.width && /%\s*$/.test(c.width) ? Number.parseFloat(c.width) : null,
  );
  const used = explicit.reduce<number>((a, x) => a + (x ?? 0), 0);
  const free = explicit.filter((x) => x === null).length;
  const each = free ? Math.max(0, 100 - used) / free : 0;
  return explicit.map((x) => Math.round((x ?? each) * 100) / 100);
}

/** "1:2" or "30:70" -> percentages, or a problem: each column at least 10%. */
export function parseRatios(
  text: string,
  count: number,
): { ok: true; shares: number[] } | { ok: false; problem: string } {
  const parts = text
    .split(/[:/,\s]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length !== count || parts.some((n) => !Number.isFinite(n) || n <= 0))
    return {
      ok: false,
      problem: `Give ${count} positive numbers separated by ":", e.g. ${Array(count).fill(1).join(':')}`,
    };
  const sum = parts.reduce((a, b) => a + b, 0);
  const shares = parts.map((n) => Math.round((n / sum) * 10000) / 100);
  if (shares.some((s) => s < 10))
    return { ok: false, problem: 'Each column needs at least 10% of the width.' };
  return { ok: true, shares };
}

export const ratioText = (columns: readonly Column[]): string =>
  columnShares(columns)
    .map((s) => String(Math.round(s * 100) / 100))
    .join(':');

export const percent = (n: number): string => `${Math.round(n * 100) / 100}%`;

export function setShares(s: Structure, shares: readonly number[]): Structure {
  return {
    ...s,
    columns: s.columns.map((c, i) => ({
      ...c,
      width: percent(shares[i] ?? 100 / s.columns.length),
    })),
  };
}

export function addColumn(s: Structure): Structure {
  if (s.columns.length >= 10) return s;
  const n = s.columns.length + 1;
  const cols = [...s.columns, { id: freshId(`${s.id}-col`), blocks: [] }];
  return { ...s, columns: cols.map((c) => ({ ...c, width: percent(100 / n) })) };
}

/** Removes an empty column (its share goes to the others, equally); a column with blocks stays. */
export function removeColumn(s: Structure, columnId: string): Structure {
  const col = s.columns.find((c) => c.id === columnId);
  if (!col || col.blocks.length > 0 || s.columns.length <= 1) return s;
  const rest = s.columns.filter((c) => c.id !== columnId);
  return { ...s, columns: rest.map((c) => ({ ...c, width: percent(100 / rest.length) })) };
}

// --- fragments ------------------------------------------------------------------------------------

export interface FragmentField {
  readonly id: string;
  readonly label: string;
  readonly defaultValue: string;
}

const INLINE_RE =
  /\{\{#inline\s+(["'])([^"']+)\1((?:\s+[\w-]+=(?:"[^"]*"|'[^']*'))*)\s*\}\}([\s\S]*?)\{\{\/inline\}\}/g;

/** The editable fields a fragment's source declares: {{#inline "id" name="Label"}}default{{/inline}}. */
export function fragmentFields(sources: readonly string[]): FragmentField[] {
  const out: FragmentField[] = [];
  for (const src of sources) {
    for (const m of src.matchAll(INLINE_RE)) {
      const id = m[2]!;
      if (out.some((f) => f.id === id)) continue;
      const label = /name=(["'])(.*?)\1/.exec(m[3] ?? '')?.[2] ?? id;
      out.push({ id, label, defaultValue: m[4] ?? '' });
    }
  }
  return out;
}

/** The template sources of a fragment's blocks (where fields are declared). */
export function blockSources(blocks: readonly (LeafBlock | PlainBlock)[]): string[] {
  return blocks.flatMap((b) => {
    const own =
      b.kind === 'text' || b.kind === 'html' ? [b.content] : b.kind === 'button' ? [b.label] : [];
    const vs =
      'variants' in b ? (b as LeafBlock).variants.flatMap((v) => blockSources([v.block])) : [];
    return [...own, ...vs];
  });
}

/** A source with the fields' values in place of their defaults (the declarations stay, so {{{id}}} still works). */
export function applyFields(source: string, values: Readonly<Record<string, string>>): string {
  return source.replace(INLINE_RE, (whole, q: string, id: string, attrs: string) =>
    Object.hasOwn(values, id) ? `{{#inline ${q}${id}${q}${attrs}}}${values[id]}{{/inline}}` : whole,
  );
}

/** "Break inheritance": copies of the fragment's blocks with fresh ids and the field values applied. */
export function breakInheritance(
  blocks: readonly LeafBlock[],
  values: Readonly<Record<string, string>>,
): LeafBlock[] {
  const apply = <B extends LeafBlock | PlainBlock>(b: B): B => {
    const own =
      b.kind === 'text' || b.kind === 'html'
        ? { ...b, content: applyFields(b.content, values) }
        : b.kind === 'button'
          ? { ...b, label: applyFields(b.label, values) }
          : b;
    if ('variants' in own && Array.isArray(own.variants))
      return {
        ...own,
        variants: (own as LeafBlock).variants.map((v) => ({ ...v, block: apply(v.block) })),
      } as B;
    return own as B;
  };
  return blocks.map((b) => withFreshIds(apply(b)));
}

// --- conditional content --------------------------------------------------------------------------

/** Variant names: letters, digits and spaces. */
export const validVariantName = (n: string): string | null =>
  /^[A-Za-z0-9 ]+$/.test(n.trim()) && n.trim() ? null : 'Use letters, digits and spaces only.';

/** The block without its own variants: what a new variant starts from. */
export function plainOf(b: LeafBlock): PlainBlock {
  const { variants: _v, ...rest } = b;
  return rest as PlainBlock;
}

export type StructureVariant = Structure['variants'][number];

/** A structure's new variant: a copy of its default columns (fresh ids), shown to an audience at first. */
export function newStructureVariant(
  s: Structure,
  name: string,
  condition: StructureVariant['condition'],
): StructureVariant {
  return { name, condition, columns: columnsWithFreshIds(s.columns) };
}

/** Which variant of its structure a column belongs to (null: the default columns, or not found). */
export function variantOfColumn(
  s: Structure,
  columnId: string,
): { readonly index: number; readonly name: string } | null {
  const index = s.variants.findIndex((v) => v.columns.some((c) => c.id === columnId));
  return index < 0 ? null : { index, name: s.variants[index]!.name };
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const copy = [...list];
  const [x] = copy.splice(from, 1);
  copy.splice(to, 0, x!);
  return copy;
}

// --- locks ----------------------------------------------------------------------------------------

export type Lock = 'editable' | 'editable-content-only' | 'locked';

/** The lock in force on a node: its own, else its structure's; a read-only template locks all. */
export function lockOf(
  governance: Governance | undefined,
  locksApply: boolean,
  id: string,
  structureId: string | undefined,
): Lock {
  if (!governance || !locksApply) return 'editable';
  if (governance.mode === 'read-only') return 'locked';
  return (
    governance.locks[id] ?? (structureId ? governance.locks[structureId] : undefined) ?? 'editable'
  );
}

export function lockReason(lock: Lock): string | null {
  if (lock === 'locked') return 'Locked by the content template: it cannot be changed here.';
  if (lock === 'editable-content-only')
    return 'The content template lets only the text of this component change.';
  return null;
}
