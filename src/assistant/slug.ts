// VitePress's heading anchors (its `slugify`): accents dropped, punctuation and spaces to '-',
// lowercase; a repeated heading on a page gets -1, -2…. Pure.

const control = /[\u0000-\u001f]/g;
const special = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
const combining = /[\u0300-\u036F]/g;

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(combining, '')
    .replace(control, '')
    .replace(special, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/** The text a heading renders to: links to their text, code and emphasis marks dropped. */
export function headingText(markdown: string): string {
  return markdown
    .replace(/\{#[^}]*\}\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .replace(/<[^>]+>/g, '')
    .trim();
}
