// Markdown helpers for the generated reference pages (VitePress compiles each page as a Vue
// template: braces and angle brackets in text must stay text).

/** Text safe in a Markdown paragraph or table cell. */
export function text(s) {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ');
}

/** Inline code that may itself hold backticks or pipes (a table cell). */
export function code(s) {
  const body = String(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return body.includes('`') ? '`` ' + body + ' ``' : '`' + body + '`';
}

/** A GitHub-style heading anchor, as VitePress makes it for plain-word headings. */
export function slug(s) {
  return String(s)
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ +/g, '-');
}
