// The structured email document -> MJML -> responsive HTML, once at compile time. Personalization
// stays inert through MJML (tokens), then the whole HTML becomes one compiled template. A plain-text
// template is built from the same document.
import type {
  Component,
  Condition,
  EmailDocument,
  LeafBlock,
  PlainBlock,
  Structure,
} from '../../model/message-content.ts';
import type { FieldCompiler } from '../field-compiler.ts';
import { diag, type FieldRef } from '../diagnostics.ts';
import { Pieces } from '../protect.ts';
import { htmlToText } from '../html-text.ts';
import { applyFields, usable } from '../fragments.ts';
import { conditionSource } from './condition.ts';
import { decisionTemplate } from './decision-block.ts';
import type * as Mjml from 'mjml';

type MjmlModule = typeof Mjml;

const attr = (name: string, v: string | undefined): string =>
  v === undefined ? '' : ` ${name}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;

interface Out {
  mjml: string;
  text: string;
}

export interface CompileDocumentOptions {
  /** Adds css-class="wm-b-<id>" to sections and components, so a designer can find blocks in the HTML. Off for sent mail. */
  readonly annotate?: boolean;
}

/** The class a block carries in annotated HTML: `wm-b-` and its id, characters outside [A-Za-z0-9_-] as `_`. */
export const blockClass = (id: string): string => `wm-b-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Untracked links: MJML cannot put an attribute on the <a> it draws, so the href carries this marker until the HTML is out. */
const NOTRACK = 'WMNOTRACK_';
const notrack = (href: string | undefined, tracked: boolean): string | undefined =>
  href === undefined || tracked ? href : `${NOTRACK}${href}`;
export function restoreNotrack(html: string): string {
  return html.includes(NOTRACK)
    ? html.replace(/href="WMNOTRACK_([^"]*)"/g, 'href="$1" data-wm-notrack').replaceAll(NOTRACK, '')
    : html;
}

/** Networks MJML has no icon for: their name is shown instead (links are direct, "-noshare", not share dialogs). */
const ICONLESS: ReadonlySet<string> = new Set(['tiktok']);
const NETWORK_NAMES: Readonly<Record<string, string>> = { tiktok: 'TikTok' };

/** Hiding per device: MJML's breakpoint is 480 px. */
/** Outlook on the desktop reads no media queries: hidden-on-desktop blocks are hidden there outright. */
const HIDE_OUTLOOK =
  '<mj-raw><!--[if mso]><style>.wm-hide-desktop,.wm-hide-desktop-outlook{display:none !important;mso-hide:all !important;}</style><![endif]--></mj-raw>';
export const HIDE_STYLE =
  '@media only screen and (max-width:480px){.wm-hide-mobile{display:none !important;max-height:0 !important;overflow:hidden !important;mso-hide:all !important;}}' +
  '@media only screen and (min-width:481px){.wm-hide-desktop{display:none !important;max-height:0 !important;overflow:hidden !important;}}';

class DocumentCompiler {
  readonly pieces = new Pieces();
  /** Set when some block hides on a device: the media queries go into the head once. */
  hides = false;
  /** The body's width and the column being laid out, in px: MJML takes image widths in px only. */
  bodyPx = 600;
  columnPx = 600;
  constructor(
    readonly fc: FieldCompiler,
    readonly field: string,
    readonly opts: CompileDocumentOptions = {},
  ) {}

  /** css-class of a section or component: hiding per device, and the block's id when annotating. `owner` is the id a fragment's blocks answer to. */
  cssClass(
    b: { id: string; hideOn?: 'mobile' | 'desktop' | undefined },
    owner?: { id: string; hideOn?: 'mobile' | 'desktop' | undefined },
  ): string {
    const classes: string[] = [];
    for (const x of owner === undefined ? [b] : [owner, b]) {
      if (x.hideOn !== undefined) {
        this.hides = true;
        classes.push(`wm-hide-${x.hideOn}`);
      }
    }
    if (this.opts.annotate === true) classes.push(blockClass((owner ?? b).id));
    return classes.length === 0 ? '' : attr('css-class', [...new Set(classes)].join(' '));
  }

  ref(block: string | undefined, path: string): FieldRef {
    return block === undefined
      ? { field: `${this.field}.${path}` }
      : { field: `${this.field}.${path}`, block };
  }

  /** Template text (expanded fragments) -> token for MJML, plus its text-part rendering. */
  textual(
    source: string,
    ref: FieldRef,
    asText: (s: string) => string = htmlToTextProtected,
  ): { token: string; text: string } | undefined {
    const expanded = this.fc.expand(source, ref);
    if (expanded === undefined) return undefined;
    this.fc.check(expanded, ref);
    return { token: this.pieces.token(expanded), text: asText(expanded) };
  }

  /** A value for an MJML attribute: tags replaced by tokens, the rest escaped. */
  attrValue(source: string | undefined, ref: FieldRef): string | undefined {
    if (source === undefined) return undefined;
    const expanded = this.fc.expand(source, ref);
    if (expanded === undefined) return '';
    this.fc.check(expanded, ref);
    return this.pieces.protect(expanded);
  }

  branch(open: string): string {
    return `<mj-raw>${this.pieces.token(open)}</mj-raw>`;
  }

  variants<T>(
    id: string,
    defaultName: string,
    variants: ReadonlyArray<{ name: string; condition: Condition; body: T }>,
    defaultBody: T,
    render: (b: T, path: string) => Out,
    path: string,
  ): Out {
    if (variants.length === 0) return render(defaultBody, path);
    let mjml = '';
    let text = '';
    variants.forEach((v, i) => {
      const cond = conditionSource(
        v.condition,
        this.ref(id, `${path}.variants[${i}].condition`),
        this.fc,
      );
      const tag = `{{${i === 0 ? '#if' : 'else if'} ${cond}}}{{__variant "${id}" ${JSON.stringify(v.name)}}}`;
      mjml += this.branch(tag);
      text += this.pieces.token(tag);
      const o = render(v.body, `${path}.variants[${i}]`);
      mjml += o.mjml;
      text += o.text;
    });
    const els = `{{else}}{{__variant "${id}" ${JSON.stringify(defaultName)}}}`;
    mjml += this.branch(els);
    text += this.pieces.token(els);
    const d = render(defaultBody, path);
    mjml += d.mjml + this.branch('{{/if}}');
    text += d.text + this.pieces.token('{{/if}}');
    return { mjml, text };
  }

  /** A block with its own variants: the first whose condition holds replaces it. */
  leaf(
    b: LeafBlock,
    path: string,
    fields: Readonly<Record<string, string>> = {},
    depth = 0,
    owner?: PlainBlock,
  ): Out {
    if (b.variants.length === 0) return this.plain(b, path, fields, depth, owner);
    return this.variants(
      b.id,
      'Default variant',
      b.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.block })),
      b as PlainBlock,
      (x, p) => this.plain(x, p, fields, depth, owner),
      path,
    );
  }

  plain(
    b: PlainBlock,
    path: string,
    fields: Readonly<Record<string, string>> = {},
    depth = 0,
    owner?: PlainBlock,
  ): Out {
    const r = (p: string): FieldRef => this.ref(b.id, `${path}.${p}`);
    const f = (s: string | undefined): string | undefined =>
      s === undefined || Object.keys(fields).length === 0 ? s : applyFields(s, fields);
    // A fragment's own background and padding apply to its blocks that have none.
    const bg = attr('container-background-color', b.backgroundColor ?? owner?.backgroundColor);
    const pad =
      attr('padding', b.padding ?? owner?.padding) +
      this.cssClass(b, owner) +
      (b.kind === 'button' ? '' : bg);
    switch (b.kind) {
      case 'text': {
        const t = this.textual(f(b.content) ?? '', r('content'));
        if (t === undefined) return { mjml: '', text: '' };
        const body = this.bordered(t.token, b.border);
        return {
          mjml: `<mj-text${attr('align', b.align)}${attr('color', b.color)}${attr('font-size', b.fontSize)}${attr('line-height', b.lineHeight)}${attr('font-family', b.fontFamily)}${pad}>${body}</mj-text>`,
          text: `${t.text}\n\n`,
        };
      }
      case 'html': {
        const t = this.textual(f(b.content) ?? '', r('content'));
        if (t === undefined) return { mjml: '', text: '' };
        return {
          mjml: `<mj-text${attr('padding', b.padding ?? owner?.padding ?? '0')}${this.cssClass(b, owner)}${bg}>${this.bordered(t.token, b.border)}</mj-text>`,
          text: `${t.text}\n\n`,
        };
      }
      case 'image': {
        let src = f(b.src);
        if (b.assetId !== undefined) {
          const a = this.fc.library.asset(b.assetId);
          if (a === undefined)
            this.fc.diagnostics.push(
              diag(r('assetId'), 'unknown_asset', `asset "${b.assetId}" does not exist`),
            );
          else
            src =
              b.rendition !== undefined && this.fc.library.renditionUrl !== undefined
                ? this.fc.library.renditionUrl(a, b.rendition)
                : a.url;
        }
        if (src === undefined) {
          this.fc.diagnostics.push(diag(r('src'), 'missing_src', 'an image needs src or assetId'));
          return { mjml: '', text: '' };
        }
        const alt = f(b.alt) ?? '';
        const altText = alt === '' ? '' : `${this.pieces.protect(alt)}\n\n`;
        return {
          mjml: `<mj-image${attr('src', this.attrValue(src, r('src')))}${attr('alt', this.attrValue(alt, r('alt')))}${attr('href', notrack(this.attrValue(f(b.href), r('href')), b.tracked))}${attr('title', this.attrValue(f(b.title), r('title')))}${attr('width', imageWidth(b.width, this.columnPx, b.padding))}${attr('align', b.align)}${attr('border', b.border)}${pad} />`,
          text: altText,
        };
      }
      case 'button': {
        const label = this.textual(f(b.label) ?? '', r('label'), (s) => s);
        const href = this.attrValue(f(b.href), r('href'));
        if (label === undefined) return { mjml: '', text: '' };
        return {
          mjml: `<mj-button${attr('href', notrack(href, b.tracked))}${attr('target', b.target)}${attr('background-color', b.backgroundColor)}${attr('color', b.color)}${attr('border', b.border)}${attr('border-radius', b.borderRadius)}${attr('font-size', b.fontSize)}${attr('align', b.align)}${pad}>${label.token}</mj-button>`,
          text: `${this.pieces.protect(f(b.label) ?? '')}: ${href ?? ''}\n\n`,
        };
      }
      case 'divider':
        return {
          mjml: `<mj-divider${attr('border-color', b.color)}${attr('border-width', b.width)}${pad} />`,
          text: '----------\n\n',
        };
      case 'spacer':
        return {
          mjml: `<mj-spacer height="${b.height}"${this.cssClass(b, owner)}${bg} />`,
          text: '',
        };
      case 'social': {
        const els = b.links
          .map(
            (l, i) =>
              `<mj-social-element name="${l.network}-noshare"${attr('href', notrack(this.attrValue(l.href, r(`links[${i}].href`)), b.tracked))}>${l.label === undefined ? (ICONLESS.has(l.network) ? (NETWORK_NAMES[l.network] ?? l.network) : '') : this.pieces.protect(l.label)}</mj-social-element>`,
          )
          .join('');
        return {
          mjml: `<mj-social mode="horizontal"${attr('align', b.align)}${attr('icon-size', b.iconSize)}${pad}>${els}</mj-social>`,
          text:
            b.links
              .map((l) => `${l.label ?? l.network}: ${this.pieces.protect(l.href)}\n`)
              .join('') + (b.links.length ? '\n' : ''),
        };
      }
      case 'decision': {
        const t = this.textual(decisionTemplate(b), r('policy'));
        if (t === undefined) return { mjml: '', text: '' };
        return {
          mjml: `<mj-text${attr('align', b.align)}${pad}>${this.bordered(t.token, b.border)}</mj-text>`,
          text: `${t.text}\n\n`,
        };
      }
      case 'fragment': {
        const ref = r('fragmentId');
        if (depth >= 2) {
          this.fc.diagnostics.push(
            diag(
              ref,
              'fragment_nesting',
              `fragment "${b.fragmentId}" is nested more than one level deep`,
            ),
          );
          return { mjml: '', text: '' };
        }
        const frag = this.fc.library.fragment(b.fragmentId);
        const bad = usable(frag, b.fragmentId, ref, this.fc, 'visual');
        if (bad !== undefined || frag === undefined || frag.content.type !== 'visual') {
          if (bad !== undefined) this.fc.diagnostics.push(bad);
          return { mjml: '', text: '' };
        }
        const outs = frag.content.blocks.map((x, i) =>
          this.leaf(x, `${path}(${frag.id}).blocks[${i}]`, b.fields, depth + 1, owner ?? b),
        );
        return { mjml: outs.map((o) => o.mjml).join(''), text: outs.map((o) => o.text).join('') };
      }
    }
  }

  /** mj-text has no border: the content goes in a bordered div. */
  bordered(token: string, border: string | undefined): string {
    return border === undefined ? token : `<div style="border:${border}">${token}</div>`;
  }

  component(c: Component, path: string): Out {
    if (c.kind !== 'container') return this.leaf(c, path);
    const renderBlocks = (blocks: readonly LeafBlock[], p: string): Out => {
      const outs = blocks.map((x, i) => this.leaf(x, `${p}.blocks[${i}]`));
      return { mjml: outs.map((o) => o.mjml).join(''), text: outs.map((o) => o.text).join('') };
    };
    return this.variants(
      c.id,
      c.defaultName,
      c.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.blocks })),
      c.blocks,
      renderBlocks,
      path,
    );
  }

  structure(s: Structure, path: string): Out {
    const renderColumns = (cols: Structure['columns'], p: string): Out => {
      let mjml = `<mj-section${attr('background-color', s.backgroundColor)}${attr('padding', s.padding)}${attr('border', s.border)}${this.cssClass(s)}>`;
      if (!s.stackOnMobile) mjml += '<mj-group>';
      let text = '';
      const widths = columnWidthsPx(cols, this.bodyPx);
      cols.forEach((col, ci) => {
        this.columnPx = widths[ci]!;
        mjml += `<mj-column${attr('width', col.width ?? (s.stackOnMobile ? undefined : `${(100 / cols.length).toFixed(2)}%`))}${attr('background-color', col.backgroundColor)}${attr('vertical-align', col.verticalAlign)}${this.opts.annotate === true ? attr('css-class', blockClass(col.id)) : ''}>`;
        col.blocks.forEach((c, bi) => {
          const o = this.component(c, `${p}.columns[${ci}].blocks[${bi}]`);
          mjml += o.mjml;
          text += o.text;
        });
        mjml += '</mj-column>';
      });
      return { mjml: `${mjml}${s.stackOnMobile ? '' : '</mj-group>'}</mj-section>`, text };
    };
    return this.variants(
      s.id,
      'Default variant',
      s.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.columns })),
      s.columns,
      renderColumns,
      path,
    );
  }
}

/** Each column's width in px: its own (% of the body, or px), the others sharing what is left. */
function columnWidthsPx(cols: Structure['columns'], bodyPx: number): number[] {
  const own = cols.map((c) =>
    c.width === undefined
      ? undefined
      : c.width.endsWith('%')
        ? (Number.parseFloat(c.width) / 100) * bodyPx
        : Number.parseFloat(c.width),
  );
  const taken = own.reduce<number>(
    (a, w) => a + (w !== undefined && Number.isFinite(w) ? w : 0),
    0,
  );
  const free = own.filter((w) => w === undefined || !Number.isFinite(w)).length;
  return own.map((w) =>
    w !== undefined && Number.isFinite(w) ? w : free === 0 ? 0 : Math.max(0, bodyPx - taken) / free,
  );
}

/** A percentage image width as the px MJML needs: of the column's width less the image's side padding (25 px each by default). */
export function imageWidth(
  width: string | undefined,
  columnPx: number,
  padding: string | undefined,
): string | undefined {
  if (width === undefined || !width.trim().endsWith('%')) return width;
  const pct = Number.parseFloat(width);
  if (!Number.isFinite(pct) || pct <= 0) return undefined;
  const sides = (padding ?? '10px 25px')
    .trim()
    .split(/\s+/)
    .map((v) => Number.parseFloat(v) || 0);
  const [, right = 25, , left = right] =
    sides.length === 1
      ? [sides[0], sides[0], sides[0], sides[0]]
      : sides.length === 2
        ? [sides[0], sides[1], sides[0], sides[1]]
        : sides.length === 3
          ? [sides[0], sides[1], sides[2], sides[1]]
          : sides;
  return `${Math.max(1, Math.round((Math.min(pct, 100) / 100) * Math.max(0, columnPx - left - right)))}px`;
}

/** MJML takes seconds to load: only messages with documents pay for it, once. */
let mjmlModule: Promise<MjmlModule> | undefined;
function mjml(): Promise<MjmlModule> {
  mjmlModule ??= import('mjml');
  return mjmlModule;
}

function htmlToTextProtected(source: string): string {
  const p = new Pieces();
  return p.restore(htmlToText(p.protect(source)));
}

/** The theme (and the document's own font) as MJML defaults and a style sheet. */
export function themeHead(doc: EmailDocument): string {
  const t = doc.theme;
  const font = t?.fontFamily ?? doc.fontFamily;
  const defaults = [
    font === undefined ? '' : `<mj-all${attr('font-family', font)} />`,
    t === undefined || (t.textColor ?? t.fontSize ?? t.lineHeight) === undefined
      ? ''
      : `<mj-text${attr('color', t.textColor)}${attr('font-size', t.fontSize)}${attr('line-height', t.lineHeight)} />`,
    t === undefined || (t.buttonColor ?? t.buttonTextColor) === undefined
      ? ''
      : `<mj-button${attr('background-color', t.buttonColor)}${attr('color', t.buttonTextColor)} />`,
    t?.contentBackground === undefined
      ? ''
      : `<mj-section${attr('background-color', t.contentBackground)} />`,
  ].join('');
  const css = [
    t?.linkColor === undefined ? '' : `a{color:${t.linkColor};}`,
    t?.headingColor === undefined ? '' : `h1,h2,h3{color:${t.headingColor};}`,
  ].join('');
  return (
    (defaults === '' ? '' : `<mj-attributes>${defaults}</mj-attributes>`) +
    (css === '' ? '' : `<mj-style>${css}</mj-style>`)
  );
}

export async function compileDocument(
  doc: EmailDocument,
  fc: FieldCompiler,
  field: string,
  preheader: string | undefined,
  opts: CompileDocumentOptions = {},
): Promise<{ html: string; text: string } | undefined> {
  const dc = new DocumentCompiler(fc, field, opts);
  dc.bodyPx =
    doc.width.endsWith('px') && Number.parseFloat(doc.width) > 0
      ? Number.parseFloat(doc.width)
      : 600;
  const body = doc.body.map((s, i) => dc.structure(s, `body[${i}]`));
  const head = [
    doc.title === undefined ? '' : `<mj-title>${dc.pieces.protect(doc.title)}</mj-title>`,
    preheader === undefined ? '' : `<mj-preview>${dc.pieces.protect(preheader)}</mj-preview>`,
    themeHead(doc),
    dc.hides ? `<mj-style>${HIDE_STYLE}</mj-style>${HIDE_OUTLOOK}` : '',
  ].join('');
  const source = `<mjml><mj-head>${head}</mj-head><mj-body${attr('width', doc.width)}${attr('background-color', doc.backgroundColor)}>${body.map((b) => b.mjml).join('')}</mj-body></mjml>`;
  if (dc.pieces.collision)
    fc.diagnostics.push(
      diag(
        { field },
        'reserved_text',
        'the document contains text of the form WMPH<digits>X, which is reserved',
      ),
    );
  if (fc.failed) return undefined;
  let html: string;
  try {
    const out = await (
      await mjml()
    ).default(source, { validationLevel: 'soft', keepComments: false });
    for (const e of out.errors)
      fc.diagnostics.push(
        diag({ field }, 'mjml', `${e.tagName}: ${e.message}`, e.line, undefined, 'warning'),
      );
    html = restoreNotrack(out.html);
  } catch (e) {
    fc.diagnostics.push(diag({ field }, 'mjml', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  const text = body
    .map((b) => b.text)
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { html: dc.pieces.restore(html), text: dc.pieces.restore(text) };
}
