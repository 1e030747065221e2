// The code view: an email document as MJML source, personalization as written ({{...}}, {%...%}).
//
// Encoding (read back by from-mjml.ts, lossless for anything the designer makes):
// - Every structure, column and block is an MJML element carrying css-class="wm-b-<id>" (the id
//   with characters outside [A-Za-z0-9_-] as "_"), preceded by an XML comment `<!-- wm:{json} -->`
//   holding what MJML cannot express: kind, id, variants (with their blocks), conditions, tracked,
//   hideOn, assets and renditions, fragment fields. Everything MJML can express (text, labels,
//   links, colours, padding, widths...) is in the element's attributes and content only, so an edit
//   of the code wins. In the JSON, "--" is written "-\u002d" (a comment cannot hold "--").
// - The document's own settings (theme, fonts, title...) are a `<!-- wm:doc {json} -->` in mj-head;
//   the theme is also written as mj-attributes/mj-style so the source renders as the designer shows.
// - A container (conditional content) is its comment, its default blocks, then `<!-- /wm:container -->`.
// - Columns that do not stack on mobile are inside an mj-group. A fragment is an mj-raw holding its
//   reference tag, {{fragment id='ajo:<id>' field="value"}}; an html block is an mj-raw.
import type {
  Column,
  Component,
  EmailDocument,
  LeafBlock,
  PlainBlock,
  Structure,
} from '../../model/message-content.ts';
import type { ContentLibrary } from '../types.ts';
import { blockClass, themeHead } from './compile.ts';
import { encodeAttr } from './markup-parse.ts';
import { fragmentTag } from './fragment-html.ts';

/** Document fields -> MJML attribute names, per kind (the rest travels in the wm comment). */
export const ATTRS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  structure: [
    ['backgroundColor', 'background-color'],
    ['padding', 'padding'],
    ['border', 'border'],
  ],
  column: [
    ['width', 'width'],
    ['backgroundColor', 'background-color'],
    ['verticalAlign', 'vertical-align'],
  ],
  text: [
    ['align', 'align'],
    ['color', 'color'],
    ['fontSize', 'font-size'],
    ['lineHeight', 'line-height'],
    ['fontFamily', 'font-family'],
    ['padding', 'padding'],
    ['backgroundColor', 'container-background-color'],
  ],
  image: [
    ['src', 'src'],
    ['alt', 'alt'],
    ['href', 'href'],
    ['title', 'title'],
    ['width', 'width'],
    ['align', 'align'],
    ['padding', 'padding'],
    ['border', 'border'],
    ['backgroundColor', 'container-background-color'],
  ],
  button: [
    ['href', 'href'],
    ['target', 'target'],
    ['backgroundColor', 'background-color'],
    ['color', 'color'],
    ['border', 'border'],
    ['borderRadius', 'border-radius'],
    ['fontSize', 'font-size'],
    ['align', 'align'],
    ['padding', 'padding'],
  ],
  divider: [
    ['color', 'border-color'],
    ['width', 'border-width'],
    ['style', 'border-style'],
    ['padding', 'padding'],
    ['backgroundColor', 'container-background-color'],
  ],
  spacer: [
    ['height', 'height'],
    ['padding', 'padding'],
    ['backgroundColor', 'container-background-color'],
  ],
  social: [
    ['align', 'align'],
    ['iconSize', 'icon-size'],
    ['padding', 'padding'],
    ['backgroundColor', 'container-background-color'],
  ],
  html: [],
  fragment: [],
  decision: [],
};
/** Fields carried as the element's content rather than an attribute. */
export const CONTENT_FIELD: Readonly<Record<string, string>> = {
  text: 'content',
  button: 'label',
  html: 'content',
};
export const TAG: Readonly<Record<string, string>> = {
  text: 'mj-text',
  image: 'mj-image',
  button: 'mj-button',
  divider: 'mj-divider',
  spacer: 'mj-spacer',
  social: 'mj-social',
  html: 'mj-raw',
  fragment: 'mj-raw',
  decision: 'mj-raw',
};

/** A wm comment: JSON with "--" made safe. */
export const wmComment = (tag: string, value: unknown): string =>
  `<!-- ${tag}${JSON.stringify(value).replace(/--/g, '-\\u002d')} -->`;

const omit = (o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([k, v]) => !keys.includes(k) && v !== undefined));
const attrs = (
  o: Record<string, unknown>,
  table: ReadonlyArray<readonly [string, string]>,
): string =>
  table
    .map(([field, name]) =>
      typeof o[field] === 'string' ? ` ${name}="${encodeAttr(o[field])}"` : '',
    )
    .join('');

export { fragmentTag };

/** Field names usable in a fragment tag's hash (parseHash reads [A-Za-z_][\w-]*). */
const hashKey = /^[A-Za-z_][\w-]*$/;
/** Content an ending tag cannot hold as written: it then travels in the comment. */
const unsafeInner = (tag: string, s: string): boolean => new RegExp(`</${tag}\\s*>`, 'i').test(s);

class Writer {
  constructor(readonly library: ContentLibrary | undefined) {}

  block(b: PlainBlock & { variants?: unknown }, indent: string): string {
    const o = b as unknown as Record<string, unknown>;
    const table = ATTRS[b.kind] ?? [];
    const contentField = CONTENT_FIELD[b.kind];
    const tag = TAG[b.kind] ?? 'mj-raw';
    const hidden = [
      ...table.map(([f]) => f),
      ...(contentField === undefined ? [] : [contentField]),
    ];
    const meta = omit(o, hidden);
    if (b.kind === 'social') meta['links'] = undefined;
    let inner = contentField === undefined ? '' : String(o[contentField] ?? '');
    if (contentField !== undefined && unsafeInner(tag, inner)) {
      meta[contentField] = inner;
      inner = '';
    }
    const cls = ` css-class="${blockClass(b.id)}"`;
    let extra = '';
    if (b.kind === 'image' && b.src === undefined && b.assetId !== undefined) {
      // Shown from the library so the source renders; read back as "no src of its own" while unchanged.
      const url = this.library?.asset(b.assetId)?.url;
      if (url !== undefined) {
        extra = ` src="${encodeAttr(url)}"`;
        meta['$assetSrc'] = url;
      }
    }
    if (b.kind === 'fragment') {
      const safe = Object.keys(b.fields).every((k) => hashKey.test(k));
      inner = safe ? fragmentTag(b.fragmentId, b.fields) : '';
      if (unsafeInner('mj-raw', inner)) inner = '';
    }
    if (b.kind === 'social') {
      const els = b.links
        .map(
          (l) =>
            `<mj-social-element name="${l.network}-noshare" href="${encodeAttr(l.href)}">${l.label ?? ''}</mj-social-element>`,
        )
        .join('');
      const labels = b.links.map((l) => l.label);
      if (labels.some((l) => l === '' || (l !== undefined && unsafeInner('mj-social-element', l))))
        meta['links'] = b.links;
      inner = els;
    }
    const selfClose = inner === '' && ['image', 'divider', 'spacer'].includes(b.kind);
    const open = `<${tag}${b.kind === 'html' || b.kind === 'fragment' || b.kind === 'decision' ? '' : cls}${extra}${attrs(o, table)}`;
    return `${indent}${wmComment('wm:', clean(meta))}\n${indent}${selfClose ? `${open} />` : `${open}>${inner}</${tag}>`}\n`;
  }

  component(c: Component, indent: string): string {
    if (c.kind !== 'container') return this.block(c as LeafBlock, indent);
    const meta = omit(c as unknown as Record<string, unknown>, ['blocks']);
    return `${indent}${wmComment('wm:', clean(meta))}\n${c.blocks.map((b) => this.block(b, indent)).join('')}${indent}<!-- /wm:container -->\n`;
  }

  column(col: Column, indent: string): string {
    const o = col as unknown as Record<string, unknown>;
    const meta = omit(o, [...(ATTRS['column'] ?? []).map(([f]) => f), 'blocks']);
    return `${indent}${wmComment('wm:', clean(meta))}\n${indent}<mj-column css-class="${blockClass(col.id)}"${attrs(o, ATTRS['column'] ?? [])}>\n${col.blocks.map((c) => this.component(c, `${indent}  `)).join('')}${indent}</mj-column>\n`;
  }

  structure(s: Structure, indent: string): string {
    const o = s as unknown as Record<string, unknown>;
    const meta = omit(o, [
      ...(ATTRS['structure'] ?? []).map(([f]) => f),
      'columns',
      'stackOnMobile',
    ]);
    const inner = s.stackOnMobile ? indent + '  ' : indent + '    ';
    const cols = s.columns.map((c) => this.column(c, inner)).join('');
    const body = s.stackOnMobile ? cols : `${indent}  <mj-group>\n${cols}${indent}  </mj-group>\n`;
    return `${indent}${wmComment('wm:', clean(meta))}\n${indent}<mj-section css-class="${blockClass(s.id)}"${attrs(o, ATTRS['structure'] ?? [])}>\n${body}${indent}</mj-section>\n`;
  }
}

/** Drops undefined values deeply (JSON does anyway) so comments stay small. */
const clean = (v: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

export function documentToMjml(doc: EmailDocument, library?: ContentLibrary): string {
  const w = new Writer(library);
  const meta = omit(doc as unknown as Record<string, unknown>, [
    'body',
    'width',
    'backgroundColor',
    'title',
  ]);
  if (doc.title !== undefined && unsafeInner('mj-title', doc.title)) meta['title'] = doc.title;
  const head = [
    `    ${wmComment('wm:doc ', clean(meta))}\n`,
    doc.title === undefined || unsafeInner('mj-title', doc.title)
      ? ''
      : `    <mj-title>${doc.title}</mj-title>\n`,
    (() => {
      const t = themeHead(doc);
      return t === '' ? '' : `    ${t}\n`;
    })(),
  ].join('');
  const bodyAttrs = `${doc.width === undefined ? '' : ` width="${encodeAttr(doc.width)}"`}${doc.backgroundColor === undefined ? '' : ` background-color="${encodeAttr(doc.backgroundColor)}"`}`;
  return `<mjml>\n  <mj-head>\n${head}  </mj-head>\n  <mj-body${bodyAttrs}>\n${doc.body.map((s) => w.structure(s, '    ')).join('')}  </mj-body>\n</mjml>\n`;
}
