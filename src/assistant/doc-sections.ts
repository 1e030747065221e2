// Markdown pages cut into sections (one per ## or ### heading, the text before the first one
// under the page title), each with the link to its anchor on the docs site. Pure.
import { headingText, slugify } from './slug.ts';
import type { DocPassage } from './types.ts';

/** Longer sections are cut into passages of about this many characters (at paragraph breaks). */
const PASSAGE_CHARS = 1600;

/**
 * `href`: the page's address (/docs/concepts/journeys.html); `null` for a file that is not on the
 * docs site (the README of a module), whose passages cite `source` instead.
 */
export function markdownPassages(
  markdown: string,
  page: { readonly id: string; readonly href: string; readonly fallbackTitle: string },
): DocPassage[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const lines = body.split('\n');
  let pageTitle = page.fallbackTitle;
  const seen = new Map<string, number>();
  const sections: Array<{ heading: string | null; anchor: string | null; lines: string[] }> = [
    { heading: null, anchor: null, lines: [] },
  ];
  let fence: string | null = null;
  for (const line of lines) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]!.slice(0, 3);
      else if (line.trim().startsWith(fence)) fence = null;
      sections.at(-1)!.lines.push(line);
      continue;
    }
    const h = fence === null ? /^(#{1,3})\s+(.*)$/.exec(line) : null;
    if (h && h[1]!.length === 1) {
      pageTitle = headingText(h[2]!);
      continue;
    }
    if (h) {
      const text = headingText(h[2]!);
      const explicit = /\{#([^}]+)\}\s*$/.exec(h[2]!)?.[1];
      const base = explicit ?? slugify(text);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      sections.push({ heading: text, anchor: n === 0 ? base : `${base}-${n}`, lines: [] });
      continue;
    }
    sections.at(-1)!.lines.push(line);
  }
  const out: DocPassage[] = [];
  sections.forEach((s, i) => {
    const text = plainText(s.lines.join('\n'));
    if (text.length < 20) return;
    const title = s.heading === null ? pageTitle : `${pageTitle} › ${s.heading}`;
    const href = s.anchor === null ? page.href : `${page.href}#${s.anchor}`;
    chunks(text).forEach((chunk, j) =>
      out.push({ id: `${page.id}#${i}.${j}`, title, href, text: chunk }),
    );
  });
  return out;
}

/** Markdown to searchable text: links to their text, tables and emphasis marks to spaces. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s*\|?[\s:|-]+\|?\s*$/gm, ' ')
    .replace(/[|*_`>]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function chunks(text: string): string[] {
  if (text.length <= PASSAGE_CHARS) return [text];
  const out: string[] = [];
  let current = '';
  for (const para of text.split(/\n\n+/)) {
    if (current.length > 0 && current.length + para.length > PASSAGE_CHARS) {
      out.push(current);
      current = '';
    }
    current = current.length === 0 ? para : `${current}\n\n${para}`;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The first sentences of a passage, up to about `max` characters, for an answer. */
export function excerpt(text: string, max = 420): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
}
