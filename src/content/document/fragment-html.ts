// A visual fragment used where HTML is written (an email's `html` field, a text block): its blocks
// drawn as plain, email-safe HTML (no MJML: the surrounding HTML is the layout). Variants become
// the same conditional branches as in documents; nested fragments stay reference tags, expanded by
// the caller like any other reference (so nesting and the per-message count still apply).
import type { LeafBlock, PlainBlock } from '../../model/message-content.ts';
import type { FieldRef } from '../diagnostics.ts';
import type { FieldCompiler } from '../field-compiler.ts';
import { conditionSource } from './condition.ts';
import { decisionTemplate } from './decision-block.ts';

/** The reference tag of a fragment: {{fragment id='ajo:<id>' field="value"}}. */
export function fragmentTag(fragmentId: string, fields: Readonly<Record<string, string>>): string {
  const hash = Object.entries(fields)
    .map(([k, v]) => ` ${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join('');
  return `{{fragment id='ajo:${fragmentId}'${hash}}}`;
}

const esc = (s: string): string =>
  s.replace(/&(?![a-z]+;|#\d+;)/gi, '&amp;').replace(/"/g, '&quot;');
const style = (pairs: ReadonlyArray<readonly [string, string | undefined]>): string => {
  const s = pairs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
  return s === '' ? '' : ` style="${s}"`;
};
const box = (b: PlainBlock): Array<readonly [string, string | undefined]> => [
  ['padding', b.padding],
  ['background-color', b.backgroundColor],
  ['border', b.kind === 'button' ? undefined : b.border],
];
const link = (href: string, tracked: boolean, inner: string, css = ''): string =>
  `<a href="${esc(href)}"${tracked ? '' : ' data-wm-notrack'}${css}>${inner}</a>`;

function plainHtml(b: PlainBlock, fc: FieldCompiler): string {
  switch (b.kind) {
    case 'text':
      return `<div${style([['text-align', b.align], ['color', b.color], ['font-size', b.fontSize], ['line-height', b.lineHeight], ['font-family', b.fontFamily], ...box(b)])}>${b.content}</div>`;
    case 'html':
      return b.content;
    case 'image': {
      let src = b.src ?? '';
      if (b.assetId !== undefined) {
        const a = fc.library.asset(b.assetId);
        if (a !== undefined)
          src =
            b.rendition !== undefined && fc.library.renditionUrl !== undefined
              ? fc.library.renditionUrl(a, b.rendition)
              : a.url;
      }
      const img = `<img src="${esc(src)}" alt="${esc(b.alt)}"${b.title === undefined ? '' : ` title="${esc(b.title)}"`}${style(
        [
          ['display', 'block'],
          ['max-width', '100%'],
          ['width', b.width],
          ['border', b.border],
          [
            'margin',
            b.align === 'center' ? '0 auto' : b.align === 'right' ? '0 0 0 auto' : undefined,
          ],
        ],
      )} />`;
      return `<div${style([
        ['padding', b.padding],
        ['background-color', b.backgroundColor],
      ])}>${b.href === undefined ? img : link(b.href, b.tracked, img)}</div>`;
    }
    case 'button':
      return `<div${style([
        ['text-align', b.align ?? 'center'],
        ['padding', b.padding],
      ])}>${link(
        b.href,
        b.tracked,
        b.label,
        style([
          ['display', 'inline-block'],
          ['padding', '10px 25px'],
          ['background-color', b.backgroundColor ?? '#414141'],
          ['color', b.color ?? '#ffffff'],
          ['border', b.border],
          ['border-radius', b.borderRadius ?? '3px'],
          ['font-size', b.fontSize],
          ['text-decoration', 'none'],
        ]),
      )}</div>`;
    case 'divider':
      return `<div${style(box(b))}><hr${style([
        ['border', 'none'],
        ['border-top', `${b.width ?? '1px'} ${b.style ?? 'solid'} ${b.color ?? '#000000'}`],
      ])} /></div>`;
    case 'spacer':
      return `<div${style([
        ['height', b.height],
        ['line-height', b.height],
        ['background-color', b.backgroundColor],
      ])}>&#8202;</div>`;
    case 'social':
      return `<div${style([['text-align', b.align], ...box(b)])}>${b.links.map((l) => link(l.href, b.tracked, l.label ?? l.network)).join(' ')}</div>`;
    case 'fragment':
      return fragmentTag(b.fragmentId, b.fields);
    case 'decision':
      return `<div${style(box(b))}>${decisionTemplate(b)}</div>`;
  }
}

/** The blocks of a visual fragment as one HTML template source (editable-field declarations kept, for applyFields). */
export function visualFragmentHtml(
  blocks: readonly LeafBlock[],
  fc: FieldCompiler,
  ref: FieldRef,
): string {
  return blocks
    .map((b) => {
      if (b.variants.length === 0) return plainHtml(b, fc);
      let out = '';
      b.variants.forEach((v, i) => {
        out += `{{${i === 0 ? '#if' : 'else if'} ${conditionSource(v.condition, ref, fc)}}}{{__variant "${b.id}" ${JSON.stringify(v.name)}}}${plainHtml(v.block, fc)}`;
      });
      return `${out}{{else}}{{__variant "${b.id}" "Default variant"}}${plainHtml(b, fc)}{{/if}}`;
    })
    .join('');
}
