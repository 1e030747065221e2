// What the drawers do to the selected block: "Use for selected image" gives an image another asset
// (and rendition); "Insert in text" adds an expression fragment to a text block. Looks in the open
// document (the default or the open locale's), inside containers and variants too. Pure.
import type { EmailContent, EmailDocument } from '@waymark/shared/model/message-content.ts';
import type { RenditionPick } from '../contracts.ts';

type Node = { readonly id?: string; readonly kind?: string; readonly [k: string]: unknown };

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The block with `id` in a document (any depth), or null. */
export function findBlock(doc: EmailDocument | undefined, id: string): Node | null {
  let found: Node | null = null;
  const walk = (v: unknown): void => {
    if (found) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isNode(v)) return;
    if (v.id === id && typeof v.kind === 'string') {
      found = v;
      return;
    }
    for (const k of ['body', 'columns', 'blocks', 'variants', 'block']) if (k in v) walk(v[k]);
  };
  walk(doc?.body);
  return found;
}

/** Whether the selection is an image block of the open document. */
export const isImageSelected = (
  doc: EmailDocument | undefined,
  selection: string | null,
): boolean => selection !== null && findBlock(doc, selection)?.kind === 'image';

function replaceIn(v: unknown, id: string, f: (n: Node) => Node): unknown {
  if (Array.isArray(v)) {
    const next = v.map((x) => replaceIn(x, id, f));
    return next.some((x, i) => x !== v[i]) ? next : v;
  }
  if (!isNode(v)) return v;
  if (v.id === id && typeof v.kind === 'string') return f(v);
  let out: Record<string, unknown> | null = null;
  for (const k of ['body', 'columns', 'blocks', 'variants', 'block']) {
    if (!(k in v)) continue;
    const next = replaceIn(v[k], id, f);
    if (next !== v[k]) (out ??= { ...v })[k] = next;
  }
  return out ?? v;
}

/** Whether the selection is a text block of the open document. */
export const isTextSelected = (doc: EmailDocument | undefined, selection: string | null): boolean =>
  selection !== null && findBlock(doc, selection)?.kind === 'text';

/** Replaces block `id` of the open document (the default one, or the locale's) with f(block). */
function editBlock(
  c: EmailContent,
  locale: string | null,
  id: string,
  f: (n: Node) => Node,
): EmailContent {
  if (locale !== null) {
    const loc = c.locales?.[locale];
    if (!loc?.document) return c;
    const document = replaceIn(loc.document, id, f) as EmailDocument;
    return document === loc.document
      ? c
      : { ...c, locales: { ...c.locales, [locale]: { ...loc, document } } };
  }
  if (!c.document) return c;
  const document = replaceIn(c.document, id, f) as EmailDocument;
  return document === c.document ? c : { ...c, document };
}

/** The content with `html` added at the end of text block `id` (its own paragraph). */
export function appendToText(
  c: EmailContent,
  locale: string | null,
  id: string,
  html: string,
): EmailContent {
  return editBlock(c, locale, id, (n) =>
    n.kind === 'text' ? { ...n, content: `${String(n['content'] ?? '')}<p>${html}</p>` } : n,
  );
}

/**
 * The content with image `id` showing `assetId` (its URL dropped: the asset is the source now). The
 * image takes the new asset's `alt` unless its own was written by hand: `inheritedAlts` are the texts
 * it had from its previous asset (that asset's alt and name), which describe the old picture.
 */
export function withImageAsset(
  c: EmailContent,
  locale: string | null,
  id: string,
  assetId: string,
  rendition?: RenditionPick,
  alt?: string,
  inheritedAlts: readonly string[] = [],
): EmailContent {
  const set = (n: Node): Node => {
    if (n.kind !== 'image') return n;
    const {
      src: _src,
      rendition: _r,
      ...rest
    } = n as Node & { src?: unknown; rendition?: unknown };
    const own = typeof n['alt'] === 'string' ? (n['alt'] as string) : '';
    const keepAlt = own.length > 0 && !inheritedAlts.includes(own);
    return {
      ...rest,
      assetId,
      ...(rendition ? { rendition } : {}),
      ...(!keepAlt && alt ? { alt } : {}),
    };
  };
  return editBlock(c, locale, id, set);
}
