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
    const { prose, code } = splitCode(s.lines);
    const text = plainText(prose);
    if (text.length < 20 && code.length === 0) return;
    const title = s.heading === null ? pageTitle : `${pageTitle} › ${s.heading}`;
    const href = s.anchor === null ? page.href : `${page.href}#${s.anchor}`;
    chunks(text).forEach((chunk, j) =>
      out.push({
        id: `${page.id}#${i}.${j}`,
        title,
        href,
        text: chunk,
        ...(j === 0 && code.length > 0 ? { code } : {}),
      }),
    );
  });
  return out;
}

/** A section's lines as prose and code samples (fenced blocks). */
function splitCode(lines: readonly string[]): { prose: string; code: string } {
  const prose: string[] = [];
  const code: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    (inFence ? code : prose).push(line);
  }
  return { prose: prose.join('\n'), code: code.join('\n') };
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

/**
 * The sentences of a passage that best match `query` (in their order), up to about `max`
 * characters; without a query, its first sentences.
 */
export function excerpt(text: string, max = 420, query = ''): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const terms = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 3)
    .map((t) => t.slice(0, 5));
  if (flat.length > max && terms.length > 0) {
    const sentences = flat.split(/(?<=[.!?])\s+(?=[A-Z`(])/);
    const scored = sentences.map((s, i) => {
      const words = s.toLowerCase().split(/[^a-z0-9]+/);
      const score = terms.reduce((n, t) => n + words.filter((w) => w.startsWith(t)).length, 0);
      return { i, s, score };
    });
    const picked = new Set<number>();
    let length = 0;
    for (const c of [...scored].sort((a, b) => b.score - a.score || a.i - b.i)) {
      if (c.score === 0 || length + c.s.length > max) break;
      picked.add(c.i);
      length += c.s.length + 1;
    }
    if (picked.size > 0) {
      // Sentences in their order; a gap between two of them is marked with an ellipsis.
      let out = '';
      let last = -2;
      for (const c of scored.filter((x) => picked.has(x.i))) {
        out += out === '' ? c.s : c.i === last + 1 ? ` ${c.s}` : ` … ${c.s}`;
        last = c.i;
      }
      return out;
    }
  }
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('; '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.replace(/\s+\S*$/, '')}…`;
}
