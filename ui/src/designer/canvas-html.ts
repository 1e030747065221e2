// Text and HTML blocks as the canvas draws them: sanitized (no scripts, frames, event handlers or
// javascript: URLs ever run in the console) and with personalization shown as chips that name the
// path and the fallback. Results are cached by source: a long email is sanitized once, not per render.
import { loopTableEnd } from './properties/rich-text-model.ts';

/** {{ … }}, {{{ … }}} and {% … %} */
const TOKEN = /\{\{\{?[\s\S]*?\}?\}\}|\{%[\s\S]*?%\}/g;
const DROP_TAGS =
  'script,iframe,frame,frameset,object,embed,link,meta,base,style,form,input,textarea,select,button';
const URL_ATTRS = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
]);

export interface TokenInfo {
  readonly path: string;
  readonly fallback?: string;
  readonly block: boolean;
}

/** What a token shows: its path (or helper) and its fallback value, if any. */
export function tokenInfo(raw: string): TokenInfo {
  const inner = raw.replace(/^\{\{\{?|\}?\}\}$|^\{%=?|%\}$/g, '').trim();
  const block = /^[#/]|^else\b/.test(inner) || (raw.startsWith('{%') && !raw.startsWith('{%='));
  // {%= path ?: "fallback" %} and {{path default="fallback"}} (either quote).
  const fb = /\?:\s*(["'])(.*?)\1\s*$/.exec(inner) ?? /\bdefault=(["'])(.*?)\1/.exec(inner);
  const path = (fb ? inner.slice(0, fb.index) : inner).trim();
  return fb ? { path, fallback: fb[2]!, block } : { path, block };
}

/** A visual fragment's fields: `{{#inline "id" name=…}}default{{/inline}}` declarations out, `{{{id}}}` in. */
export function applyFragmentFields(
  source: string,
  fields: Readonly<Record<string, string>>,
): string {
  const defaults: Record<string, string> = {};
  const body = source.replace(
    /\{\{#inline\s+"([^"]+)"[^}]*\}\}([\s\S]*?)\{\{\/inline\}\}/g,
    (_m, id: string, def: string) => {
      defaults[id] = def;
      return '';
    },
  );
  return body.replace(
    /\{\{\{\s*([\w-]+)\s*\}\}\}/g,
    (m, id: string) => fields[id] ?? defaults[id] ?? m,
  );
}

const safeUrl = (v: string) =>
  !/^\s*(javascript|vbscript|data:text\/html)/i.test(v.replace(/[\u0000-\u001f\s]+/g, ''));

function clean(root: Element): void {
  root.querySelectorAll(DROP_TAGS).forEach((e) => e.remove());
  root.querySelectorAll('*').forEach((e) => {
    for (const a of [...e.attributes]) {
      const n = a.name.toLowerCase();
      if (
        n.startsWith('on') ||
        n === 'srcdoc' ||
        (URL_ATTRS.has(n) && !safeUrl(a.value)) ||
        (n === 'style' && /expression\(|url\(\s*['"]?\s*javascript/i.test(a.value))
      )
        e.removeAttribute(a.name);
    }
    // Links in the canvas never navigate away from the designer.
    if (e.tagName === 'A') e.setAttribute('tabindex', '-1');
  });
}

function chips(doc: Document, root: Element): void {
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (/\{\{|\{%/.test((n as Text).data)) texts.push(n as Text);
  for (const t of texts) {
    const frag = doc.createDocumentFragment();
    let last = 0;
    for (const m of t.data.matchAll(TOKEN)) {
      frag.append(t.data.slice(last, m.index));
      const info = tokenInfo(m[0]);
      const chip = doc.createElement('span');
      chip.className = info.block ? 'wm-token wm-token-block' : 'wm-token';
      chip.setAttribute('data-token', m[0]);
      chip.title = m[0];
      chip.textContent = chipText(info);
      if (info.fallback !== undefined) {
        const f = doc.createElement('span');
        f.className = 'wm-token-fallback';
        f.textContent = info.fallback;
        chip.append(f);
      }
      frag.append(chip);
      last = m.index + m[0].length;
    }
    frag.append(t.data.slice(last));
    t.replaceWith(frag);
  }
}

/** What a chip reads: a path, or a block helper by name and its list ("each · productListItems", "end each"). */
function chipText(info: TokenInfo): string {
  if (!info.block) return info.path;
  const words = info.path.replace(/^[#/]\s*/, '').split(/\s+/);
  const helper = words[0] ?? '';
  if (info.path.startsWith('/')) return `end ${helper}`;
  const arg = words.slice(1).find((w) => /^[A-Za-z_@][\w.@-]*$/.test(w) && w !== 'as');
  return arg ? `${helper} · ${arg.split('.').pop()}` : info.path;
}

/**
 * A table whose rows personalization makes (`<tr>…</tr>{{#each …}}{{fragment …}}{{/each}}`): the
 * browser would move the tags out of the table, above it. Each run of tags between rows gets a row
 * of its own, so the canvas shows the loop where its rows will be.
 */
function loopRows(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const at = source.slice(i).search(/<table\b/i);
    if (at < 0) {
      out += source.slice(i);
      break;
    }
    out += source.slice(i, i + at);
    const start = i + at;
    const end = loopTableEnd(source, start);
    if (end < 0) {
      out += source.slice(start, start + 6);
      i = start + 6;
      continue;
    }
    out += source
      .slice(start, end)
      .replace(
        /(<table\b[^>]*>|<\/?tbody\b[^>]*>|<\/?thead\b[^>]*>|<\/tr>)(\s*)((?:\{\{\{?[^<]*?\}?\}\}|\{%[^<]*?%\}|\s)*?(?:\{\{|\{%)[^<]*?)(?=\s*<)/gi,
        '$1$2<tr><td colspan="99" class="wm-loop-row">$3</td></tr>',
      );
    i = end;
  }
  return out;
}

const cache = new Map<string, string>();

/** Safe HTML for the canvas, with token chips. */
export function canvasHtml(source: string): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const doc = new DOMParser().parseFromString(
    `<!doctype html><body>${loopRows(source)}</body>`,
    'text/html',
  );
  clean(doc.body);
  chips(doc, doc.body);
  const out = doc.body.innerHTML;
  if (cache.size > 500) cache.clear();
  cache.set(source, out);
  return out;
}

/** Plain text of a block's HTML for its accessible name ("Text: Here are the details…"). */
export function textOf(source: string, max = 40): string {
  const t = source
    .replace(/<[^>]*>/g, ' ')
    .replace(TOKEN, (m) => tokenInfo(m).path)
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}
