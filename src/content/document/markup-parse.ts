// A small, tolerant parser for the markup the code view exchanges: MJML and plain HTML. It never
// throws: unclosed elements close at their parent's end, stray closing tags are ignored. Every node
// keeps its source span, so what cannot be represented can be kept as written.

export type MarkupNode =
  | {
      readonly type: 'element';
      readonly name: string;
      readonly attrs: Readonly<Record<string, string>>;
      readonly children: MarkupNode[];
      readonly inner?: string;
      readonly start: number;
      end: number;
    }
  | {
      readonly type: 'comment';
      readonly text: string;
      readonly start: number;
      readonly end: number;
    }
  | { readonly type: 'text'; readonly text: string; readonly start: number; readonly end: number };
export type MarkupElement = Extract<MarkupNode, { type: 'element' }>;

export interface MarkupDialect {
  /** Elements whose content is taken as written up to the closing tag (MJML's ending tags, HTML's script/style). */
  readonly raw: ReadonlySet<string>;
  /** Elements that never have content (HTML's img, br...). */
  readonly void: ReadonlySet<string>;
}

export const mjmlDialect: MarkupDialect = {
  raw: new Set([
    'mj-text',
    'mj-button',
    'mj-raw',
    'mj-table',
    'mj-navbar-link',
    'mj-social-element',
    'mj-accordion-title',
    'mj-accordion-text',
    'mj-style',
    'mj-title',
    'mj-preview',
  ]),
  void: new Set(),
};
export const htmlDialect: MarkupDialect = {
  raw: new Set(['script', 'style', 'textarea', 'title']),
  void: new Set([
    'area',
    'base',
    'br',
    'col',
    'embed',
    'hr',
    'img',
    'input',
    'link',
    'meta',
    'source',
    'track',
    'wbr',
  ]),
};

const ENTITIES: Record<string, string> = {
  amp: '&',
  quot: '"',
  lt: '<',
  gt: '>',
  apos: "'",
  '#39': "'",
  nbsp: '\u00a0',
};
export const decodeAttr = (s: string): string =>
  s.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+\d*);/gi, (m, e: string) => {
    const l = e.toLowerCase();
    if (l.startsWith('#x')) return String.fromCodePoint(Number.parseInt(l.slice(2), 16));
    if (l.startsWith('#') && l !== '#39')
      return String.fromCodePoint(Number.parseInt(l.slice(1), 10));
    return ENTITIES[l] ?? m;
  });
export const encodeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ATTR = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(ATTR))
    out[(m[1] ?? '').toLowerCase()] = decodeAttr(m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** The end of a tag starting at `i` (the index after its '>'), honouring quoted attribute values. */
function tagEnd(src: string, i: number): number {
  let quote = '';
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (quote !== '') {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
  }
  return src.length;
}

export function parseMarkup(src: string, dialect: MarkupDialect): MarkupNode[] {
  const root: MarkupElement = {
    type: 'element',
    name: '#root',
    attrs: {},
    children: [],
    start: 0,
    end: src.length,
  };
  const stack: MarkupElement[] = [root];
  const top = (): MarkupElement => stack[stack.length - 1] ?? root;
  let i = 0;
  let textStart = 0;
  const flush = (to: number): void => {
    if (to > textStart)
      top().children.push({
        type: 'text',
        text: src.slice(textStart, to),
        start: textStart,
        end: to,
      });
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) break;
    if (src.startsWith('<!--', lt)) {
      flush(lt);
      const close = src.indexOf('-->', lt + 4);
      const end = close < 0 ? src.length : close + 3;
      top().children.push({
        type: 'comment',
        text: src.slice(lt + 4, close < 0 ? src.length : close),
        start: lt,
        end,
      });
      i = textStart = end;
      continue;
    }
    const closing = /^<\/([A-Za-z][\w:-]*)\s*>?/.exec(src.slice(lt, lt + 200));
    if (closing !== null) {
      flush(lt);
      const name = (closing[1] ?? '').toLowerCase();
      const end = tagEnd(src, lt);
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) {
        while (stack.length > at) {
          const e = stack.pop();
          if (e !== undefined) e.end = end;
        }
      }
      i = textStart = end;
      continue;
    }
    const open = /^<([A-Za-z][\w:-]*)/.exec(src.slice(lt, lt + 200));
    if (open === null || src.startsWith('<!', lt) || src.startsWith('<?', lt)) {
      if (src.startsWith('<!', lt) || src.startsWith('<?', lt)) {
        flush(lt);
        i = textStart = tagEnd(src, lt);
        continue;
      }
      i = lt + 1;
      continue;
    }
    flush(lt);
    const name = (open[1] ?? '').toLowerCase();
    const end = tagEnd(src, lt);
    const body = src.slice(lt + 1 + name.length, end - 1);
    const selfClosing = body.trimEnd().endsWith('/');
    const attrs = parseAttrs(selfClosing ? body.trimEnd().slice(0, -1) : body);
    if (selfClosing || dialect.void.has(name)) {
      top().children.push({ type: 'element', name, attrs, children: [], start: lt, end });
      i = textStart = end;
      continue;
    }
    if (dialect.raw.has(name)) {
      const re = new RegExp(`</${name}\\s*>`, 'i');
      const m = re.exec(src.slice(end));
      const innerEnd = m === null ? src.length : end + m.index;
      const outerEnd = m === null ? src.length : innerEnd + m[0].length;
      top().children.push({
        type: 'element',
        name,
        attrs,
        children: [],
        inner: src.slice(end, innerEnd),
        start: lt,
        end: outerEnd,
      });
      i = textStart = outerEnd;
      continue;
    }
    const el: MarkupElement = {
      type: 'element',
      name,
      attrs,
      children: [],
      start: lt,
      end: src.length,
    };
    top().children.push(el);
    stack.push(el);
    i = textStart = end;
  }
  textStart = Math.max(textStart, 0);
  flush(src.length);
  return root.children;
}

/** The element children of a node (comments and blank text left out). */
export const elementsOf = (nodes: readonly MarkupNode[]): MarkupElement[] =>
  nodes.filter((n): n is MarkupElement => n.type === 'element');
