// The template source the personalization editor writes: a token, a token with a fallback, an
// `each` loop over an array (a line per item, or an expression fragment per item, wrapped in a table
// when the fragment's source is table rows) and a fragment include. Pure: the dialog and the tests
// share it, and what it produces is what the renderer reads (src/content/README.md, "Language").

/** `{{path}}`: the value, HTML-escaped, empty when missing. */
export const token = (path: string): string => `{{${path}}}`;

/** A string literal of the `{% %}` language (double quotes, backslash escapes). */
export const pqlString = (s: string): string =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `{%= path ?: "fallback" %}`: the value, or the fallback when it is null, missing or empty. */
export const fallbackToken = (path: string, fallback: string): string =>
  `{%= ${path} ?: ${pqlString(fallback)} %}`;

/** `{{fragment id='ajo:<id>'}}`, inline mode when the fragment is rendered inside a loop or a sentence. */
export const fragmentInclude = (id: string, inline = false): string =>
  `{{fragment id='ajo:${id}'${inline ? " mode='inline'" : ''}}}`;

/** A valid loop variable: a letter or underscore, then letters, digits or underscores. */
export const isItemName = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/** What one item of the loop shows. */
export type EachBody =
  /** Fields of the item, each shown on the item's line ("name", "quantity"). */
  | { readonly kind: 'fields'; readonly fields: readonly string[] }
  /** An expression fragment included once per item (it reads the item by its name). */
  | { readonly kind: 'fragment'; readonly id: string; readonly source: string };

export interface EachSpec {
  /** The array's path, e.g. context.journey.events.LumaPurchaseEvent_Email.productListItems. */
  readonly array: string;
  readonly item: string;
  readonly body: EachBody;
}

/** Whether an expression fragment's source is table rows (it must then sit inside a <table>). */
export const isRowSource = (source: string): boolean => /^\s*<tr[\s>]/i.test(source);

/** "priceTotal" -> "Price total", "SKU" -> "SKU", "product_name" -> "Product name". */
export function humanize(field: string): string {
  const words = field
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .split(/\s+/);
  const text = words
    .map((w, i) =>
      /^[A-Z0-9]+$/.test(w)
        ? w
        : i === 0
          ? w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()
          : w.toLowerCase(),
    )
    .join(' ');
  return text || field;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The loop variables a source reads (`item` in {{item.name}}), most used first; `this`/`@root` left out. */
export function itemNamesRead(source: string): string[] {
  const count = new Map<string, number>();
  for (const m of source.matchAll(/\{\{[{#]?[^}]*?\b([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z_]/g)) {
    const v = m[1]!;
    if (['profile', 'context', 'this', 'fragment'].includes(v)) continue;
    count.set(v, (count.get(v) ?? 0) + 1);
  }
  return [...count.entries()].sort((a, b) => b[1] - a[1]).map(([v]) => v);
}

/**
 * Column titles of a row source: one per cell, named for the first item field it shows
 * (`<td>{{item.name}}</td>` -> "Item", `<td>{{toPrecision item.priceTotal 2}}</td>` -> "Price total").
 */
export function rowColumns(source: string, item: string): string[] {
  const cells = [...source.matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/gi)].map((m) => m[1] ?? '');
  const field = new RegExp(`\\b${escapeRe(item)}\\.([A-Za-z_][A-Za-z0-9_]*)`);
  return cells.map((cell, i) => {
    const f = field.exec(cell)?.[1];
    if (!f) return `Column ${i + 1}`;
    return f === 'name' ? 'Item' : humanize(f);
  });
}

/** The source of an `each` loop as the guided form builds it. */
export function eachLoop(spec: EachSpec): string {
  const open = `{{#each ${spec.array} as |${spec.item}|}}`;
  const close = '{{/each}}';
  if (spec.body.kind === 'fields') {
    const line = spec.body.fields.map((f) => token(`${spec.item}.${f}`)).join(' · ');
    return `${open}<p>${line}</p>${close}`;
  }
  const include = fragmentInclude(spec.body.id, true);
  if (!isRowSource(spec.body.source)) return `${open}${include}${close}`;
  const header = rowColumns(spec.body.source, spec.item)
    .map((c) => `<th align="left">${c}</th>`)
    .join('');
  return `<table class="order" width="100%"><tr>${header}</tr>${open}${include}${close}</table>`;
}

/** Puts `text` in place of [from, to) of `source`; answers the new source and where the caret goes. */
export function insertAt(
  source: string,
  from: number,
  to: number,
  text: string,
): { source: string; caret: number } {
  const a = Math.max(0, Math.min(from, source.length));
  const b = Math.max(a, Math.min(to, source.length));
  return { source: source.slice(0, a) + text + source.slice(b), caret: a + text.length };
}

/** An example call of a helper, from its `example` when it has one, else from its name. */
export function helperCall(h: {
  readonly name: string;
  readonly example?: string;
  readonly block?: boolean;
}): string {
  if (h.example && h.example.trim()) return h.example.trim();
  return h.block ? `{{#${h.name} }}{{/${h.name}}}` : `{{${h.name} }}`;
}
