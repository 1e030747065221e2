// The structured email document -> MJML -> responsive HTML, once at compile time. Personalization
// stays inert through MJML (tokens), then the whole HTML becomes one compiled template. A plain-text
// template is built from the same document.
import type { Component, Condition, EmailDocument, LeafBlock, PlainBlock, Structure } from '../../model/message-content.ts';
import type { FieldCompiler } from '../field-compiler.ts';
import { diag, type FieldRef } from '../diagnostics.ts';
import { Pieces } from '../protect.ts';
import { htmlToText } from '../html-text.ts';
import { applyFields, usable } from '../fragments.ts';
import { conditionSource } from './condition.ts';
import type * as Mjml from 'mjml';

type MjmlModule = typeof Mjml;

const attr = (name: string, v: string | undefined): string => (v === undefined ? '' : ` ${name}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`);

interface Out { mjml: string; text: string }

class DocumentCompiler {
  readonly pieces = new Pieces();
  constructor(readonly fc: FieldCompiler, readonly field: string) {}

  ref(block: string | undefined, path: string): FieldRef {
    return block === undefined ? { field: `${this.field}.${path}` } : { field: `${this.field}.${path}`, block };
  }

  /** Template text (expanded fragments) -> token for MJML, plus its text-part rendering. */
  textual(source: string, ref: FieldRef, asText: (s: string) => string = htmlToTextProtected): { token: string; text: string } | undefined {
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

  variants<T>(id: string, defaultName: string, variants: ReadonlyArray<{ name: string; condition: Condition; body: T }>, defaultBody: T, render: (b: T, path: string) => Out, path: string): Out {
    if (variants.length === 0) return render(defaultBody, path);
    let mjml = '';
    let text = '';
    variants.forEach((v, i) => {
      const cond = conditionSource(v.condition, this.ref(id, `${path}.variants[${i}].condition`), this.fc);
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
  leaf(b: LeafBlock, path: string, fields: Readonly<Record<string, string>> = {}, depth = 0): Out {
    if (b.variants.length === 0) return this.plain(b, path, fields, depth);
    return this.variants(b.id, 'Default variant', b.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.block })), b as PlainBlock,
      (x, p) => this.plain(x, p, fields, depth), path);
  }

  plain(b: PlainBlock, path: string, fields: Readonly<Record<string, string>> = {}, depth = 0): Out {
    const r = (p: string): FieldRef => this.ref(b.id, `${path}.${p}`);
    const f = (s: string | undefined): string | undefined => (s === undefined || Object.keys(fields).length === 0 ? s : applyFields(s, fields));
    const pad = attr('padding', b.padding);
    switch (b.kind) {
      case 'text': {
        const t = this.textual(f(b.content) ?? '', r('content'));
        if (t === undefined) return { mjml: '', text: '' };
        return { mjml: `<mj-text${attr('align', b.align)}${attr('color', b.color)}${attr('font-size', b.fontSize)}${pad}>${t.token}</mj-text>`, text: `${t.text}\n\n` };
      }
      case 'html': {
        const t = this.textual(f(b.content) ?? '', r('content'));
        if (t === undefined) return { mjml: '', text: '' };
        return { mjml: `<mj-text padding="${b.padding ?? '0'}">${t.token}</mj-text>`, text: `${t.text}\n\n` };
      }
      case 'image': {
        let src = f(b.src);
        if (b.assetId !== undefined) {
          const a = this.fc.library.asset(b.assetId);
          if (a === undefined) this.fc.diagnostics.push(diag(r('assetId'), 'unknown_asset', `asset "${b.assetId}" does not exist`));
          else src = b.rendition !== undefined && this.fc.library.renditionUrl !== undefined ? this.fc.library.renditionUrl(a, b.rendition) : a.url;
        }
        if (src === undefined) { this.fc.diagnostics.push(diag(r('src'), 'missing_src', 'an image needs src or assetId')); return { mjml: '', text: '' }; }
        const alt = f(b.alt) ?? '';
        const altText = alt === '' ? '' : `${this.pieces.protect(alt)}\n\n`;
        return {
          mjml: `<mj-image${attr('src', this.attrValue(src, r('src')))}${attr('alt', this.attrValue(alt, r('alt')))}${attr('href', this.attrValue(f(b.href), r('href')))}${attr('width', b.width)}${attr('align', b.align)}${pad} />`,
          text: altText,
        };
      }
      case 'button': {
        const label = this.textual(f(b.label) ?? '', r('label'), (s) => s);
        const href = this.attrValue(f(b.href), r('href'));
        if (label === undefined) return { mjml: '', text: '' };
        return {
          mjml: `<mj-button${attr('href', href)}${attr('background-color', b.backgroundColor)}${attr('color', b.color)}${attr('align', b.align)}${pad}>${label.token}</mj-button>`,
          text: `${this.pieces.protect(f(b.label) ?? '')}: ${href ?? ''}\n\n`,
        };
      }
      case 'divider':
        return { mjml: `<mj-divider${attr('border-color', b.color)}${attr('border-width', b.width)}${pad} />`, text: '----------\n\n' };
      case 'spacer':
        return { mjml: `<mj-spacer height="${b.height}" />`, text: '' };
      case 'social': {
        const els = b.links.map((l, i) => `<mj-social-element name="${l.network === 'x' ? 'twitter' : l.network}"${attr('href', this.attrValue(l.href, r(`links[${i}].href`)))}>${l.label === undefined ? '' : this.pieces.protect(l.label)}</mj-social-element>`).join('');
        return { mjml: `<mj-social mode="horizontal"${attr('align', b.align)}${attr('icon-size', b.iconSize)}${pad}>${els}</mj-social>`, text: b.links.map((l) => `${l.label ?? l.network}: ${this.pieces.protect(l.href)}\n`).join('') + (b.links.length ? '\n' : '') };
      }
      case 'fragment': {
        const ref = r('fragmentId');
        if (depth >= 2) { this.fc.diagnostics.push(diag(ref, 'fragment_nesting', `fragment "${b.fragmentId}" is nested more than one level deep`)); return { mjml: '', text: '' }; }
        const frag = this.fc.library.fragment(b.fragmentId);
        const bad = usable(frag, b.fragmentId, ref, this.fc, 'visual');
        if (bad !== undefined || frag === undefined || frag.content.type !== 'visual') { if (bad !== undefined) this.fc.diagnostics.push(bad); return { mjml: '', text: '' }; }
        const outs = frag.content.blocks.map((x, i) => this.leaf(x, `${path}(${frag.id}).blocks[${i}]`, b.fields, depth + 1));
        return { mjml: outs.map((o) => o.mjml).join(''), text: outs.map((o) => o.text).join('') };
      }
    }
  }

  component(c: Component, path: string): Out {
    if (c.kind !== 'container') return this.leaf(c, path);
    const renderBlocks = (blocks: readonly LeafBlock[], p: string): Out => {
      const outs = blocks.map((x, i) => this.leaf(x, `${p}.blocks[${i}]`));
      return { mjml: outs.map((o) => o.mjml).join(''), text: outs.map((o) => o.text).join('') };
    };
    return this.variants(c.id, c.defaultName, c.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.blocks })), c.blocks, renderBlocks, path);
  }

  structure(s: Structure, path: string): Out {
    const renderColumns = (cols: Structure['columns'], p: string): Out => {
      let mjml = `<mj-section${attr('background-color', s.backgroundColor)}${attr('padding', s.padding)}>`;
      let text = '';
      cols.forEach((col, ci) => {
        mjml += `<mj-column${attr('width', col.width)}>`;
        col.blocks.forEach((c, bi) => {
          const o = this.component(c, `${p}.columns[${ci}].blocks[${bi}]`);
          mjml += o.mjml;
          text += o.text;
        });
        mjml += '</mj-column>';
      });
      return { mjml: `${mjml}</mj-section>`, text };
    };
    return this.variants(s.id, 'Default variant', s.variants.map((v) => ({ name: v.name, condition: v.condition, body: v.columns })), s.columns, renderColumns, path);
  }
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

export async function compileDocument(doc: EmailDocument, fc: FieldCompiler, field: string, preheader: string | undefined): Promise<{ html: string; text: string } | undefined> {
  const dc = new DocumentCompiler(fc, field);
  const body = doc.body.map((s, i) => dc.structure(s, `body[${i}]`));
  const head = [
    doc.title === undefined ? '' : `<mj-title>${dc.pieces.protect(doc.title)}</mj-title>`,
    preheader === undefined ? '' : `<mj-preview>${dc.pieces.protect(preheader)}</mj-preview>`,
    doc.fontFamily === undefined ? '' : `<mj-attributes><mj-all font-family="${doc.fontFamily}" /></mj-attributes>`,
  ].join('');
  const source = `<mjml><mj-head>${head}</mj-head><mj-body${attr('width', doc.width)}${attr('background-color', doc.backgroundColor)}>${body.map((b) => b.mjml).join('')}</mj-body></mjml>`;
  if (dc.pieces.collision) fc.diagnostics.push(diag({ field }, 'reserved_text', 'the document contains text of the form WMPH<digits>X, which is reserved'));
  if (fc.failed) return undefined;
  let html: string;
  try {
    const out = await (await mjml()).default(source, { validationLevel: 'soft', keepComments: false });
    for (const e of out.errors) fc.diagnostics.push(diag({ field }, 'mjml', `${e.tagName}: ${e.message}`, e.line, undefined, 'warning'));
    html = out.html;
  } catch (e) {
    fc.diagnostics.push(diag({ field }, 'mjml', e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  const text = body.map((b) => b.text).join('').replace(/\n{3,}/g, '\n\n').trim();
  return { html: dc.pieces.restore(html), text: dc.pieces.restore(text) };
}
