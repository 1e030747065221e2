// The rich text editor's pure half: template source (HTML with personalization) <-> the HTML the
// contentEditable holds, where every personalization token is a non-editable chip that carries its
// exact source. Round trips must be exact: the editor only takes text it can give back unchanged
// (the browser's parse + serialize is checked by the caller; see rich-text.tsx).

export type Segment =
  | { readonly kind: 'html'; readonly text: string }
  /** A token: `{{...}}`, `{{{...}}}`, `{%...%}`, or a whole block `{{#x}}...{{/x}}` / `{%#x%}...{%/x%}`. */
  | { readonly kind: 'token'; readonly source: string };

/** The end (exclusive) of the delimiter-closed tag starting at `i`, skipping quoted strings; -1 if unclosed. */
function tagEnd(s: string, i: number): number {
  const triple = s.startsWith('{{{', i);
  const comment = s.startsWith('{{!--', i);
  const close = triple ? '}}}' : comment ? '--}}' : s.startsWith('{%', i) ? '%}' : '}}';
  if (comment) {
    const e = s.indexOf(close, i + 5);
    return e < 0 ? -1 : e + close.length;
  }
  let j = i + (triple ? 3 : 2);
  let quote: string | null = null;
  while (j < s.length) {
    const ch = s[j]!;
    if (quote) {
      if (ch === '\\') j++;
      else if (ch === quote) quote = null;
      j++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      j++;
      continue;
    }
    if (s.startsWith(close, j)) return j + close.length;
    j++;
  }
  return -1;
}

/** The block a tag opens or closes: `{{#each ...}}` -> open 'each', `{%/if%}` -> close 'if'. */
function blockOf(tag: string): { open: boolean; name: string } | null {
  const m = /^(?:\{\{~?|\{%-?)\s*([#/^])\s*([A-Za-z_][\w-]*)?/.exec(tag);
  if (!m) return null;
  if (m[1] === '^') return m[2] ? { open: true, name: m[2] } : null;
  if (!m[2]) return null;
  return { open: m[1] === '#', name: m[2] };
}

const isTagStart = (s: string, i: number): boolean =>
  s.startsWith('{{', i) || s.startsWith('{%', i);

/** The end of the token at `i` (a whole block for block helpers), or -1 when it is not a token. */
function tokenEnd(s: string, i: number): number {
  const first = tagEnd(s, i);
  if (first < 0) return -1;
  const b = blockOf(s.slice(i, first));
  if (!b || !b.open) return first;
  // A block: runs to its matching close, counting nested blocks of any name.
  const stack = [b.name];
  let j = first;
  while (j < s.length) {
    if (!isTagStart(s, j)) {
      j++;
      continue;
    }
    const e = tagEnd(s, j);
    if (e < 0) return first;
    const inner = blockOf(s.slice(j, e));
    if (inner?.open) stack.push(inner.name);
    else if (inner) {
      if (stack[stack.length - 1] !== inner.name) return first;
      stack.pop();
      if (stack.length === 0) return e;
    }
    j = e;
  }
  return first; // unclosed: the opening tag alone (kept exactly all the same)
}

/**
 * The end of a `<table>` at `i` whose rows are made by personalization (a block tag between its rows,
 * e.g. `{{#each items as |item|}}<tr>…</tr>{{/each}}`), or -1. A browser moves such tags out of the
 * table when it parses it, so the whole table is one token: kept exactly, edited as personalization.
 */
export function loopTableEnd(s: string, i: number): number {
  if (!/^<table\b/i.test(s.slice(i, i + 7))) return -1;
  let depth = 0;
  const re = /<(\/?)table\b[^>]*>/gi;
  re.lastIndex = i;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      const end = m.index + m[0].length;
      return /\{\{[#^]|\{%-?\s*#/.test(s.slice(i, end)) ? end : -1;
    }
  }
  return -1;
}

/**
 * Splits source into HTML and tokens. Tokens inside an HTML tag (an attribute value such as
 * href="{{url}}") stay part of the HTML: a chip cannot sit in an attribute.
 */
export function tokenize(source: string): Segment[] {
  const out: Segment[] = [];
  let text = '';
  let i = 0;
  const flush = () => {
    if (text) {
      out.push({ kind: 'html', text });
      text = '';
    }
  };
  while (i < source.length) {
    const ch = source[i]!;
    const table = loopTableEnd(source, i);
    if (table > 0) {
      flush();
      out.push({ kind: 'token', source: source.slice(i, table) });
      i = table;
      continue;
    }
    if (ch === '<' && /[A-Za-z/!]/.test(source[i + 1] ?? '')) {
      // Through the tag, quotes and tokens included.
      let j = i + 1;
      let quote: string | null = null;
      while (j < source.length) {
        const c = source[j]!;
        if (!quote && isTagStart(source, j)) {
          const e = tagEnd(source, j);
          if (e > 0) {
            j = e;
            continue;
          }
        }
        if (quote) {
          if (c === quote) quote = null;
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') {
          j++;
          break;
        }
        j++;
      }
      text += source.slice(i, j);
      i = j;
      continue;
    }
    if (isTagStart(source, i)) {
      const e = tokenEnd(source, i);
      if (e > 0) {
        flush();
        out.push({ kind: 'token', source: source.slice(i, e) });
        i = e;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

const lastSegment = (path: string): string => {
  const parts = path.split('.').filter(Boolean);
  return parts[parts.length - 1] ?? path;
};
const PATH = /^[A-Za-z_@$][\w@$-]*(?:\.[\w@$-]+|\[[^\]]*\])*$/;
const unquote = (v: string): string => v.trim().replace(/^(["'])([\s\S]*)\1$/, '$2');

/** What a chip shows: the path's last name and, with a fallback, " · fallback". */
export function chipLabel(token: string): string {
  if (token.startsWith('<')) {
    // A table whose rows personalization makes: named by its loop.
    const at = token.search(/\{\{[#^]|\{%-?\s*#/);
    return at < 0 ? 'table' : `table · ${chipLabel(token.slice(at))}`;
  }
  const opening = token.slice(0, tagEnd(token, 0) > 0 ? tagEnd(token, 0) : token.length);
  let inner = opening
    .replace(/^\{\{\{?~?|^\{%-?=?/, '')
    .replace(/~?\}\}\}?$|-?%\}$/, '')
    .trim();
  if (inner.startsWith('!')) return 'comment';
  const block = blockOf(opening);
  if (block) inner = inner.replace(/^[#^]\s*/, '');
  // `path ?: "fallback"` (the {% %} form's default operator)
  const fb = /^([\s\S]*?)\s*\?:\s*([\s\S]+)$/.exec(inner);
  if (fb && PATH.test(fb[1]!.trim())) return `${lastSegment(fb[1]!.trim())} · ${unquote(fb[2]!)}`;
  if (PATH.test(inner)) return lastSegment(inner);
  const words = inner.split(/\s+/);
  const head = words[0] ?? '';
  if (head === 'inline') {
    const name = /name=(["'])(.*?)\1/.exec(inner)?.[2];
    return `field · ${name ?? unquote(words[1] ?? '')}`;
  }
  if (head === 'fragment') {
    const id = /id=(["'])(.*?)\1/.exec(inner)?.[2] ?? '';
    return `fragment · ${id.replace(/^ajo:/, '')}`;
  }
  const arg = words.slice(1).find((w) => PATH.test(w) && !/^(true|false|null|as)$/.test(w));
  return arg ? `${head} · ${lastSegment(arg)}` : head || 'personalization';
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const CHIP_CLASS = 'wm-chip';
export const CHIP_ATTR = 'data-wm-token';

/** The chip for one token, as the editor holds it (the source URI-encoded: no escaping can change it). */
export function chipHtml(token: string): string {
  return `<span class="${CHIP_CLASS}" contenteditable="false" ${CHIP_ATTR}="${encodeURIComponent(token)}">${escapeHtml(chipLabel(token))}</span>`;
}

/** Source -> the contentEditable's HTML. */
export function toEditorHtml(source: string): string {
  return tokenize(source)
    .map((s) => (s.kind === 'html' ? s.text : chipHtml(s.source)))
    .join('');
}

const CHIP_RE = new RegExp(`<span\\b[^>]*\\b${CHIP_ATTR}="([^"]*)"[^>]*>[\\s\\S]*?</span>`, 'g');

/** The contentEditable's HTML (its innerHTML) -> source: each chip back to its exact token. */
export function fromEditorHtml(html: string): string {
  return html.replace(CHIP_RE, (_m, enc: string) => {
    try {
      return decodeURIComponent(enc);
    } catch {
      return '';
    }
  });
}

/**
 * Why HTML must not go into the page as it is (scripts, frames, event handlers, javascript: URLs),
 * or null. Such text is edited as code instead, never rendered.
 */
export function unsafeReason(html: string): string | null {
  if (/<\s*(script|iframe|frame|object|embed|style|link|meta|base|form)\b/i.test(html))
    return 'it holds a script, frame or embedded object';
  if (/<[^>]*\son[a-z]+\s*=/i.test(html)) return 'it holds an event handler attribute';
  if (
    /(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(?:javascript|vbscript|data):/i.test(
      html,
    )
  )
    return 'it holds a script URL';
  return null;
}

export const CODE_NOTE = 'This text holds a table built by personalization: edit it as code.';

/** Whether the chip source is a block (each/if/with/inline...), for the editor's title text. */
export const isBlockToken = (token: string): boolean =>
  token.startsWith('<') || blockOf(token.slice(0, Math.max(0, tagEnd(token, 0))))?.open === true;
