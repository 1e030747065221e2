// A small picture of a visual fragment's blocks: HTML drawn in a sandboxed iframe (no scripts),
// text with its editable fields at their defaults and tokens left as written, images as boxes.
// Not the renderer's output: a thumbnail to recognise the fragment by. Pure.

// The editable-field syntax of src/content/fragments.ts (not imported: its types pull in the engine).
const inlineRe = /\{\{#inline\s+"([^"]+)"[^}]*\}\}([\s\S]*?)\{\{\/inline\}\}/g;
/** The source with each editable field's declaration removed and its default where it is shown. */
export function withDefaults(source: string): string {
  const defaults = new Map<string, string>();
  for (const m of source.matchAll(inlineRe)) defaults.set(m[1]!, m[2] ?? '');
  let out = source.replace(inlineRe, '');
  for (const [id, v] of defaults) out = out.split(`{{{${id}}}}`).join(v).split(`{{${id}}}`).join(v);
  return out;
}

type Block = { readonly kind?: string; readonly [k: string]: unknown };

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function blockHtml(b: Block): string {
  const align = str(b['align']) ? ` style="text-align:${esc(str(b['align']))}"` : '';
  switch (b.kind) {
    case 'text':
      return `<div${align}>${withDefaults(str(b['content']))}</div>`;
    case 'image':
      return `<div class="img"${align}>${esc(str(b['alt']) || 'Image')}</div>`;
    case 'button':
      return `<div${align}><span class="btn">${esc(str(b['label']) || 'Button')}</span></div>`;
    case 'divider':
      return '<hr>';
    case 'spacer':
      return '<div style="height:12px"></div>';
    case 'social':
      return '<div class="social">● ● ●</div>';
    case 'html':
      return `<div>${str(b['content'])}</div>`;
    case 'fragment':
      return `<div class="img">Fragment ${esc(str(b['fragmentId']))}</div>`;
    default:
      return '';
  }
}

/** The iframe document of a fragment's thumbnail. */
export function thumbnailDocument(blocks: readonly Block[]): string {
  const css =
    'body{margin:0;padding:12px;font:14px/1.4 Helvetica,Arial,sans-serif;color:#333;width:560px;overflow:hidden}' +
    'h1,h2,h3{margin:0 0 6px}p{margin:0 0 6px}hr{border:0;border-top:1px solid #ccc;margin:8px 0}' +
    '.img{background:#e8eef6;color:#667;height:60px;display:flex;align-items:center;justify-content:center;border-radius:4px;margin:4px 0}' +
    '.btn{display:inline-block;background:#1473e6;color:#fff;border-radius:4px;padding:6px 14px}a{color:#1473e6}';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body>${blocks.map(blockHtml).join('')}</body></html>`;
}
