// The code view, read back: MJML (as documentToMjml writes it, or written by hand) and plain HTML
// into the email document. Nothing is dropped: an element that the document cannot represent
// becomes an html block holding that element's source, and `notes` says so.
import {
  emailDocumentSchema,
  socialNetworks,
  type Component,
  type EmailDocument,
  type LeafBlock,
} from '../../model/message-content.ts';
import { fragmentIdOf, parseHash } from '../fragments.ts';
import {
  elementsOf,
  htmlDialect,
  mjmlDialect,
  parseMarkup,
  type MarkupElement,
  type MarkupNode,
} from './markup-parse.ts';
import { ATTRS, CONTENT_FIELD, fragmentTag } from './to-mjml.ts';

export interface FromCodeResult {
  readonly document: EmailDocument;
  /** What was kept as html, ignored or adjusted, for the person who wrote the code. */
  readonly notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const TAG_KIND: Readonly<Record<string, string>> = {
  'mj-text': 'text',
  'mj-image': 'image',
  'mj-button': 'button',
  'mj-divider': 'divider',
  'mj-spacer': 'spacer',
  'mj-social': 'social',
};

/** `<!-- wm:{json} -->` -> the JSON object, else undefined. */
function wmMeta(n: MarkupNode, prefix = 'wm:'): Obj | undefined {
  if (n.type !== 'comment') return undefined;
  const t = n.text.trim();
  if (!t.startsWith(prefix) || (prefix === 'wm:' && t.startsWith('wm:doc'))) return undefined;
  try {
    const v: unknown = JSON.parse(t.slice(prefix.length));
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

class Reader {
  readonly notes: string[] = [];
  private readonly ids = new Set<string>();
  private n = 0;
  constructor(readonly src: string) {
    for (const m of src.matchAll(/"id":"((?:\\.|[^"\\])*)"/g)) this.ids.add(m[1] ?? '');
  }

  id(prefix: string): string {
    let id: string;
    do id = `${prefix}-${++this.n}`;
    while (this.ids.has(id));
    this.ids.add(id);
    return id;
  }

  line(at: number): number {
    return this.src.slice(0, at).split('\n').length;
  }

  /** The block object to fill: the comment's when it describes this kind, else a fresh one. */
  base(kind: string, meta: Obj | undefined, prefix = 'block'): Obj {
    if (meta !== undefined && meta['kind'] === kind) return { ...meta };
    if (meta !== undefined)
      this.notes.push(
        `a wm comment for a ${String(meta['kind'])} was followed by a ${kind}: comment ignored`,
      );
    return { kind, id: this.id(prefix) };
  }

  fromAttrs(o: Obj, el: MarkupElement, kind: string): void {
    for (const [field, name] of ATTRS[kind] ?? []) {
      const v = el.attrs[name];
      if (v !== undefined) o[field] = v;
    }
  }

  html(content: string, meta?: Obj): LeafBlock {
    const o = this.base('html', meta?.['kind'] === 'html' ? meta : undefined);
    // Content an mj-raw could not hold as written travelled in the comment.
    if (!(typeof o['content'] === 'string' && content === '')) o['content'] = content;
    return o as unknown as LeafBlock;
  }

  keep(el: MarkupElement, why: string): LeafBlock {
    this.notes.push(`<${el.name}> on line ${this.line(el.start)} ${why}: kept as an html block`);
    return this.html(this.src.slice(el.start, el.end));
  }

  leaf(el: MarkupElement, meta: Obj | undefined): LeafBlock {
    if (el.name === 'mj-raw') {
      const inner = el.inner ?? '';
      if (meta?.['kind'] === 'fragment') {
        const o: Obj = { ...meta };
        if (
          inner.trim() !== '' &&
          inner !==
            fragmentTag(
              String(meta['fragmentId']),
              isObj(meta['fields']) ? (meta['fields'] as Record<string, string>) : {},
            )
        ) {
          const ref = this.fragmentRef(inner);
          if (ref !== undefined) {
            o['fragmentId'] = ref.fragmentId;
            o['fields'] = ref.fields;
          }
        }
        return o as unknown as LeafBlock;
      }
      // A decision block travels whole in its comment (its content is drawn at send time).
      if (meta?.['kind'] === 'decision') return { ...meta } as unknown as LeafBlock;
      const ref = meta === undefined ? this.fragmentRef(inner) : undefined;
      if (ref !== undefined)
        return {
          kind: 'fragment',
          id: this.id('fragment'),
          fragmentId: ref.fragmentId,
          fields: ref.fields,
          variants: [],
        } as unknown as LeafBlock;
      return this.html(inner, meta);
    }
    const kind = TAG_KIND[el.name];
    if (kind === undefined) return this.keep(el, 'has no designer block');
    const o = this.base(kind, meta);
    this.fromAttrs(o, el, kind);
    const cf = CONTENT_FIELD[kind];
    if (cf !== undefined) {
      const inner = el.inner ?? '';
      if (!(typeof o[cf] === 'string' && inner === '')) o[cf] = inner;
    }
    if (kind === 'image' && typeof o['$assetSrc'] === 'string' && o['src'] === o['$assetSrc'])
      delete o['src'];
    delete o['$assetSrc'];
    if (kind === 'social' && !Array.isArray(o['links'])) {
      o['links'] = elementsOf(el.children)
        .filter((c) => c.name === 'mj-social-element')
        .map((c) => {
          let network = (c.attrs['name'] ?? 'web').replace(/-noshare$/, '');
          if (network === 'twitter') network = 'x';
          if (!(socialNetworks as readonly string[]).includes(network)) {
            this.notes.push(
              `social network "${network}" on line ${this.line(c.start)} is not supported: made a web link`,
            );
            network = 'web';
          }
          const label = c.inner ?? '';
          return { network, href: c.attrs['href'] ?? '', ...(label === '' ? {} : { label }) };
        });
    }
    return o as unknown as LeafBlock;
  }

  fragmentRef(inner: string): { fragmentId: string; fields: Record<string, string> } | undefined {
    const m = /^\s*\{\{\s*fragment\s+([\s\S]*?)\}\}\s*$/.exec(inner);
    if (m === null) return undefined;
    const { id, mode: _mode, render: _render, ...fields } = parseHash(m[1] ?? '');
    if (id === undefined) return undefined;
    return { fragmentId: fragmentIdOf(id), fields };
  }

  components(nodes: readonly MarkupNode[]): Component[] {
    const out: Component[] = [];
    let container: Obj | undefined;
    let pending: Obj | undefined;
    const close = (): void => {
      if (container !== undefined) out.push(container as unknown as Component);
      container = undefined;
    };
    for (const n of nodes) {
      if (n.type === 'comment') {
        if (n.text.trim().startsWith('/wm:container')) {
          close();
          continue;
        }
        const meta = wmMeta(n);
        if (meta?.['kind'] === 'container') {
          close();
          container = { ...meta, blocks: [] };
        } else if (meta !== undefined) pending = meta;
        continue;
      }
      let block: LeafBlock;
      if (n.type === 'text') {
        if (n.text.trim() === '') continue;
        this.notes.push(
          `text outside a component on line ${this.line(n.start)}: kept as an html block`,
        );
        block = this.html(n.text);
      } else {
        block = this.leaf(n, pending);
      }
      pending = undefined;
      if (container !== undefined) (container['blocks'] as LeafBlock[]).push(block);
      else out.push(block);
    }
    if (container !== undefined)
      this.notes.push(
        `a container (${String(container['id'])}) was not closed with <!-- /wm:container -->: it ends with its column`,
      );
    close();
    return out;
  }

  column(el: MarkupElement, meta: Obj | undefined): Obj {
    const o: Obj =
      meta !== undefined && meta['kind'] === undefined && typeof meta['id'] === 'string'
        ? { ...meta }
        : { id: this.id('column') };
    this.fromAttrs(o, el, 'column');
    o['blocks'] = this.components(el.children);
    return o;
  }

  section(el: MarkupElement, meta: Obj | undefined): Obj {
    const o = this.base('structure', meta, 'structure');
    this.fromAttrs(o, el, 'structure');
    const columns: Obj[] = [];
    let stack = true;
    let pending: Obj | undefined;
    const walk = (nodes: readonly MarkupNode[]): void => {
      for (const n of nodes) {
        if (n.type === 'comment') {
          pending = wmMeta(n) ?? pending;
          continue;
        }
        if (n.type === 'text') {
          if (n.text.trim() !== '')
            columns.push({ id: this.id('column'), blocks: [this.html(n.text)] });
          continue;
        }
        if (n.name === 'mj-group') {
          stack = false;
          walk(n.children);
          continue;
        }
        if (n.name === 'mj-column') columns.push(this.column(n, pending));
        else columns.push({ id: this.id('column'), blocks: [this.leaf(n, pending)] });
        pending = undefined;
      }
    };
    walk(el.children);
    if (columns.length === 0) columns.push({ id: this.id('column'), blocks: [] });
    if (columns.length > 10) {
      this.notes.push(
        `the section on line ${this.line(el.start)} has ${columns.length} columns: the 11th and later are kept as html in the 10th`,
      );
      const extra = columns.splice(9);
      columns.push({
        id: this.id('column'),
        blocks: extra.flatMap((c) => c['blocks'] as Component[]),
      });
    }
    o['columns'] = columns;
    o['stackOnMobile'] = stack;
    return o;
  }

  body(nodes: readonly MarkupNode[]): Obj[] {
    const out: Obj[] = [];
    let pending: Obj | undefined;
    for (const n of nodes) {
      if (n.type === 'comment') {
        pending = wmMeta(n) ?? pending;
        continue;
      }
      if (n.type === 'text' && n.text.trim() === '') continue;
      if (n.type === 'element' && n.name === 'mj-section') {
        out.push(this.section(n, pending));
        pending = undefined;
        continue;
      }
      const block =
        n.type === 'text'
          ? this.html(n.text)
          : n.name === 'mj-raw'
            ? this.leaf(n, pending)
            : this.keep(n, 'is not a section');
      pending = undefined;
      out.push({
        kind: 'structure',
        id: this.id('structure'),
        columns: [{ id: this.id('column'), blocks: [block] }],
      });
    }
    return out;
  }
}

/** Ids name one structure, column or block: a second use (code copied with its wm comment) gets a new id. */
function uniqueIds(v: unknown, seen: Set<string>, notes: string[]): void {
  if (Array.isArray(v)) {
    for (const x of v) uniqueIds(x, seen, notes);
    return;
  }
  if (!isObj(v)) return;
  if (
    typeof v['id'] === 'string' &&
    (typeof v['kind'] === 'string' || Array.isArray(v['blocks']))
  ) {
    const id = v['id'];
    if (seen.has(id)) {
      let n = 2;
      while (seen.has(`${id}-${n}`)) n++;
      v['id'] = `${id}-${n}`;
      notes.push(`id "${id}" was used twice: the second is now "${id}-${n}"`);
    }
    seen.add(String(v['id']));
  }
  for (const x of Object.values(v)) if (typeof x === 'object') uniqueIds(x, seen, notes);
}

/** Validates, removing (with a note) values the schema refuses rather than failing the whole import. */
function validated(raw: Obj, notes: string[]): EmailDocument {
  uniqueIds(raw['body'], new Set(), notes);
  let doc: unknown = raw;
  for (let i = 0; i < 50; i++) {
    const r = emailDocumentSchema.safeParse(doc);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    if (issue === undefined) break;
    const path = issue.path.map(String);
    notes.push(`${path.join('.') || '(document)'}: ${issue.message}; value removed`);
    doc = removeAt(
      doc,
      issue.path.map((p) => (typeof p === 'number' ? p : String(p))),
    );
  }
  return emailDocumentSchema.parse({ body: [] });
}

function removeAt(v: unknown, path: ReadonlyArray<string | number>): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path;
  if (Array.isArray(v) && typeof head === 'number') {
    if (rest.length === 0) return v.filter((_x, i) => i !== head);
    return v.map((x, i) => (i === head ? removeAt(x, rest) : x));
  }
  if (isObj(v) && head !== undefined) {
    const copy: Obj = { ...v };
    if (rest.length === 0) delete copy[String(head)];
    else copy[String(head)] = removeAt(copy[String(head)], rest);
    return copy;
  }
  return v;
}

const find = (nodes: readonly MarkupNode[], name: string): MarkupElement | undefined => {
  for (const n of nodes) {
    if (n.type !== 'element') continue;
    if (n.name === name) return n;
    const inner = find(n.children, name);
    if (inner !== undefined) return inner;
  }
  return undefined;
};

export function mjmlToDocument(source: string): FromCodeResult {
  const r = new Reader(source);
  const nodes = parseMarkup(source, mjmlDialect);
  const root = find(nodes, 'mjml');
  if (root === undefined) r.notes.push('no <mjml> element: the whole source is read as the body');
  const head = find(root?.children ?? [], 'mj-head');
  const body = find(root?.children ?? nodes, 'mj-body');
  const meta = (head?.children ?? []).map((n) => wmMeta(n, 'wm:doc')).find((m) => m !== undefined);
  const doc: Obj = meta === undefined ? {} : { ...meta };
  if (meta === undefined && head !== undefined) {
    const all = find(head.children, 'mj-all');
    if (all?.attrs['font-family'] !== undefined) doc['fontFamily'] = all.attrs['font-family'];
  }
  const title = find(head?.children ?? [], 'mj-title');
  if (title !== undefined) doc['title'] = title.inner ?? '';
  if (body?.attrs['width'] !== undefined) doc['width'] = body.attrs['width'];
  if (body?.attrs['background-color'] !== undefined)
    doc['backgroundColor'] = body.attrs['background-color'];
  doc['body'] = r.body(
    body?.children ??
      (root === undefined ? nodes : elementsOf(root.children).filter((e) => e.name !== 'mj-head')),
  );
  return { document: validated(doc, r.notes), notes: r.notes };
}

const TEXTUAL = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'blockquote', 'pre']);

/**
 * Imported HTML. Simple HTML (headings, paragraphs, lists, images, lone links, rules at the top
 * level) becomes text, image, button and divider blocks, anything else at the top level an html
 * block; HTML that is laid out (no simple element at the top level) or styled in its head stays as
 * one html block (compatibility mode), so it renders as it came.
 */
export function htmlToDocument(html: string): FromCodeResult {
  const r = new Reader(html);
  const nodes = parseMarkup(html, htmlDialect);
  const bodyEl = find(nodes, 'body');
  const top =
    bodyEl?.children ??
    nodes.filter((n) => !(n.type === 'element' && (n.name === 'html' || n.name === 'head')));
  const htmlEl = find(nodes, 'html');
  const children =
    bodyEl === undefined && htmlEl !== undefined
      ? htmlEl.children.filter((n) => !(n.type === 'element' && n.name === 'head'))
      : top;
  const styles: MarkupElement[] = [];
  const collect = (ns: readonly MarkupNode[]): void => {
    for (const n of ns)
      if (n.type === 'element') {
        if (n.name === 'style') styles.push(n);
        else collect(n.children);
      }
  };
  collect(nodes);
  const simple = (n: MarkupNode): boolean =>
    n.type === 'element' &&
    (TEXTUAL.has(n.name) ||
      n.name === 'img' ||
      n.name === 'hr' ||
      (n.name === 'a' && isLoneLink(n)));
  const inner =
    bodyEl === undefined
      ? html
      : html.slice(
          bodyEl.children[0]?.start ?? bodyEl.end,
          bodyEl.children.at(-1)?.end ?? bodyEl.end,
        );
  const one = (blocks: Component[]): FromCodeResult => ({
    document: validated(
      { body: [{ kind: 'structure', id: 'imported', columns: [{ id: 'imported-col', blocks }] }] },
      r.notes,
    ),
    notes: r.notes,
  });
  if (styles.length > 0 || !children.some(simple)) {
    r.notes.push(
      styles.length > 0
        ? 'the HTML has style sheets: kept as one html block (compatibility mode)'
        : 'the HTML is laid out with elements the designer does not draw: kept as one html block (compatibility mode)',
    );
    const css = styles.map((s) => html.slice(s.start, s.end)).join('');
    return one([r.html(css + inner.trim())]);
  }
  const blocks: Component[] = [];
  let text = '';
  const flush = (): void => {
    if (text.trim() !== '')
      blocks.push({ kind: 'text', id: r.id('text'), content: text.trim() } as unknown as Component);
    text = '';
  };
  for (const n of children) {
    if (n.type === 'comment') continue;
    if (n.type === 'text') {
      if (n.text.trim() !== '') text += `<p>${n.text.trim()}</p>`;
      continue;
    }
    const source = html.slice(n.start, n.end);
    if (TEXTUAL.has(n.name)) {
      text += source;
      continue;
    }
    if (n.name === 'br') continue;
    flush();
    if (n.name === 'img') blocks.push(imageOf(n, r.id('image')));
    else if (n.name === 'hr')
      blocks.push({ kind: 'divider', id: r.id('divider') } as unknown as Component);
    else if (n.name === 'a' && isLoneLink(n)) {
      const img = elementsOf(n.children).find((c) => c.name === 'img');
      if (img !== undefined)
        blocks.push({
          ...imageOf(img, r.id('image')),
          href: n.attrs['href'] ?? '',
        } as unknown as Component);
      else
        blocks.push({
          kind: 'button',
          id: r.id('button'),
          label: n.children
            .map((c) => (c.type === 'text' ? c.text : ''))
            .join('')
            .trim(),
          href: n.attrs['href'] ?? '',
        } as unknown as Component);
    } else {
      r.notes.push(`<${n.name}> on line ${r.line(n.start)}: kept as an html block`);
      blocks.push(r.html(source));
    }
  }
  flush();
  return one(blocks);
}

/** A link holding only text or only one image: a button or a linked image. */
function isLoneLink(n: MarkupElement): boolean {
  const els = elementsOf(n.children);
  return (
    n.attrs['href'] !== undefined &&
    (els.length === 0 ||
      (els.length === 1 &&
        els[0]?.name === 'img' &&
        n.children.every((c) => c.type !== 'text' || c.text.trim() === '')))
  );
}

function imageOf(n: MarkupElement, id: string): Component {
  const w = n.attrs['width'];
  return {
    kind: 'image',
    id,
    src: n.attrs['src'] ?? '',
    alt: n.attrs['alt'] ?? '',
    ...(w !== undefined && /^\d+$/.test(w) ? { width: `${w}px` } : {}),
  } as unknown as Component;
}
