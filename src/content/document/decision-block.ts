// A decision block as template source: `decide` on its policy, each offer drawn from the
// representation the decision picked for the placement (its image, then its HTML or else its text,
// linked when the offer has a link). The runtime decides before the render (propositions recorded
// with the message), so the block reads only what `decide` answers. Pure.
import type { PlainBlock } from '../../model/message-content.ts';

type DecisionBlock = Extract<PlainBlock, { kind: 'decision' }>;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** The block's template: one `<div class="wm-offer">` per proposed offer, nothing when none. */
export function decisionTemplate(b: DecisionBlock): string {
  const notrack = b.tracked ? '' : ' data-wm-notrack';
  const a = (inner: string): string =>
    `{{#if offer.link}}<a href="{{offer.link}}"${notrack} data-wm-offer="{{offer.id}}">${inner}</a>{{else}}${inner}{{/if}}`;
  const margin = b.align === 'center' ? '0 auto' : b.align === 'right' ? '0 0 0 auto' : '0';
  const img = `<img src="{{offer.imageUrl}}" alt="{{offer.name}}" style="display:block;max-width:100%;width:${esc(b.imageWidth ?? '100%')};margin:${margin};border:0" />`;
  const align = b.align === undefined ? '' : `text-align:${b.align};`;
  return (
    `{{#each (decide ${JSON.stringify(b.policy)}) as |offer|}}` +
    `<div class="wm-offer" style="${align}margin:0 0 12px 0">` +
    `{{#if offer.imageUrl}}${a(img)}{{/if}}` +
    `{{#if offer.html}}<div>{{{offer.html}}}</div>` +
    `{{else if offer.text}}<p style="margin:8px 0 0 0">${a('{{offer.text}}')}</p>{{/if}}` +
    `</div>{{/each}}`
  );
}
