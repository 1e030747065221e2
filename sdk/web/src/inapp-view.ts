// Draws an in-app message in the page: inside a shadow root (the site's styles do not reach it,
// its styles do not leak), as a dialog named by its title with real buttons. Every string from the
// server is inserted as text, never as HTML; image and button URLs must be http(s).
import { safeUrl } from './triggers.ts';
import type { InAppButton, InAppMessage } from './types.ts';

export type ViewOutcome =
  | { readonly kind: 'clicked'; readonly button: InAppButton; readonly url: string | null }
  | { readonly kind: 'dismissed'; readonly button?: InAppButton };

const STYLE = `
:host { all: initial; }
.backdrop { position: fixed; inset: 0; background: rgba(15, 23, 42, 0.55); display: flex;
  align-items: center; justify-content: center; z-index: 2147483000; font: 15px/1.45 system-ui, sans-serif; }
.backdrop.banner { inset: auto 0 0 0; background: none; align-items: flex-end; padding: 12px; }
.card { background: #fff; color: #1f2937; border-radius: 12px; max-width: 420px; width: calc(100% - 32px);
  box-shadow: 0 20px 50px rgba(0, 0, 0, 0.3); padding: 24px; box-sizing: border-box; position: relative; }
.banner .card { max-width: 720px; display: flex; gap: 16px; align-items: center; padding: 14px 18px; }
.fullscreen .card { max-width: none; width: 100%; height: 100%; border-radius: 0; display: flex;
  flex-direction: column; justify-content: center; align-items: center; text-align: center; }
h2 { margin: 0 0 8px; font-size: 20px; line-height: 1.25; }
.banner h2 { font-size: 16px; margin: 0 0 2px; }
p { margin: 0 0 16px; white-space: pre-line; }
.banner p { margin: 0; }
img { max-width: 100%; border-radius: 8px; margin-bottom: 12px; }
.banner img { max-width: 64px; margin: 0; }
.text { flex: 1; }
.buttons { display: flex; gap: 8px; flex-wrap: wrap; }
button { font: inherit; border-radius: 8px; padding: 8px 14px; cursor: pointer; border: 1px solid #d1d5db;
  background: #fff; color: #1f2937; }
button.primary { background: #e8590c; border-color: #e8590c; color: #fff; }
button.close { position: absolute; top: 8px; right: 8px; border: none; background: none; font-size: 20px;
  padding: 2px 8px; line-height: 1; }
button:focus-visible { outline: 3px solid #1b2a4a; outline-offset: 2px; }
`;

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Shows `m` and resolves with what the visitor did; the view is removed by then. */
export function showInAppMessage(
  doc: Document,
  m: InAppMessage,
  onShown: () => void,
): Promise<ViewOutcome> {
  return new Promise((resolve) => {
    const host = el(doc, 'div', { 'data-waymark-inapp': m.messageId });
    const root = host.attachShadow({ mode: 'open' });
    const style = el(doc, 'style', {}, STYLE);
    const layout = m.layout === 'banner' || m.layout === 'fullscreen' ? m.layout : 'modal';
    const backdrop = el(doc, 'div', { class: `backdrop ${layout}` });
    const card = el(doc, 'div', {
      class: 'card',
      role: 'dialog',
      'aria-label': m.title,
      ...(layout === 'banner' ? {} : { 'aria-modal': 'true' }),
    });
    const image = m.imageUrl ? safeUrl(m.imageUrl, doc.baseURI) : null;
    if (image) card.append(el(doc, 'img', { src: image, alt: '' }));
    const text = el(doc, 'div', { class: 'text' });
    text.append(el(doc, 'h2', {}, m.title));
    if (m.body) text.append(el(doc, 'p', {}, m.body));
    card.append(text);
    const previousFocus = doc.activeElement as HTMLElement | null;
    const finish = (outcome: ViewOutcome) => {
      doc.removeEventListener('keydown', onKey, true);
      host.remove();
      previousFocus?.focus?.();
      resolve(outcome);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') finish({ kind: 'dismissed' });
    };
    const buttons = el(doc, 'div', { class: 'buttons' });
    m.buttons.slice(0, 2).forEach((b, i) => {
      const button = el(
        doc,
        'button',
        { type: 'button', class: i === 0 ? 'primary' : '' },
        b.label,
      );
      button.addEventListener('click', () =>
        finish(
          b.action === 'url'
            ? { kind: 'clicked', button: b, url: b.url ? safeUrl(b.url, doc.baseURI) : null }
            : { kind: 'dismissed', button: b },
        ),
      );
      buttons.append(button);
    });
    if (buttons.childElementCount > 0) card.append(buttons);
    // Always a way out, named for screen readers.
    const close = el(doc, 'button', { type: 'button', class: 'close', 'aria-label': 'Close' }, '×');
    close.addEventListener('click', () => finish({ kind: 'dismissed' }));
    card.append(close);
    backdrop.append(card);
    root.append(style, backdrop);
    doc.body.append(host);
    doc.addEventListener('keydown', onKey, true);
    (buttons.querySelector('button') ?? close).focus();
    onShown();
  });
}
