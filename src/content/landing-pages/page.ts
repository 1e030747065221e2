// A landing page's lifecycle and HTML, pure: whether it answers (live, draft, unpublished, expired),
// which of its pages a path names, the rendered document with its form put in, and the friendly
// pages people see when a page is gone or a link is not valid.
import type { LandingPage, LandingPageContent } from '../../model/landing-page.ts';
import { reservedFieldIssues, FORM_CSS } from './form.ts';

export type PageState = 'live' | 'draft' | 'unpublished' | 'expired';

/** Whether the public address answers at `now` (epoch ms). */
export function pageState(page: LandingPage, now: number): PageState {
  switch (page.status) {
    case 'draft':
      return 'draft';
    case 'unpublished':
      return 'unpublished';
    case 'published':
      return page.expiresAt !== undefined && Date.parse(page.expiresAt) <= now ? 'expired' : 'live';
  }
}

/** The primary page (no sub-page slug) or the named sub-page. */
export function findPage(page: LandingPage, subPage?: string): LandingPageContent | undefined {
  if (subPage === undefined) return page.primary;
  return page.subPages.find((s) => s.slug === subPage);
}

/** Every page of a landing page with its label: [undefined, primary], then the sub-pages. */
export function allPages(page: LandingPage): Array<[string | undefined, LandingPageContent]> {
  return [
    [undefined, page.primary],
    ...page.subPages.map((s) => [s.slug, s] as [string, LandingPageContent]),
  ];
}

/** What publishing refuses beyond the schema: reserved field names, an expiry in the past. */
export function publishIssues(page: LandingPage, now: number): string[] {
  const out: string[] = [];
  for (const [slug, p] of allPages(page)) {
    if (p.form) for (const m of reservedFieldIssues(p.form)) out.push(`${slug ?? 'primary'}: ${m}`);
    if (!p.content.document && p.content.html.trim() === '')
      out.push(`${slug ?? 'primary'}: the page has no content (design it first)`);
  }
  if (page.expiresAt !== undefined && Date.parse(page.expiresAt) <= now)
    out.push(`expiresAt ${page.expiresAt} is in the past`);
  return out;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The rendered document (an email's HTML) as a page: the title, the form's styles in the head and
 * the form where the content says `<!--form-->` (a text block holding it), else after the content.
 */
export function assemblePage(html: string, title: string, form: string | undefined): string {
  let out = /<html[\s>]/i.test(html)
    ? html
    : `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>${html}</body></html>`;
  const head = `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${FORM_CSS}</style>`;
  out = out.replace(/<title>[\s\S]*?<\/title>/i, '');
  out = /<\/head>/i.test(out) ? out.replace(/<\/head>/i, `${head}</head>`) : head + out;
  if (form === undefined) return out;
  if (out.includes('<!--form-->')) return out.replace('<!--form-->', form);
  return /<\/body>/i.test(out)
    ? out.replace(/<\/body>(?![\s\S]*<\/body>)/i, `${form}</body>`)
    : out + form;
}

/** A small page of its own (gone, not found, link not valid, too many tries). */
export function messagePage(title: string, text: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#2c2c2c}</style>
</head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>
`;
}
