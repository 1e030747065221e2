// A link check for a built static site: every internal link (href or src, relative or under the
// site's base) must name a file of the site, or a page (`x` for `x.html`, `x/` for `x/index.html`,
// as `waymark serve` answers them), and every #fragment an element id on the target page.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';

export interface BrokenLink {
  /** The page holding the link, relative to the site's folder. */
  readonly page: string;
  readonly link: string;
  readonly reason: string;
}

function htmlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) htmlFiles(path, out);
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

const LINK = /<(?:a|link|script|img)\b[^>]*?\s(?:href|src)="([^"]*)"/g;
const ID = /\sid="([^"]*)"/g;

const decodeEntities = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");

/** Checks every internal link of the site built in `root`, served under `base` (e.g. '/docs/'). */
export function checkSiteLinks(
  root: string,
  base: string,
): { pages: number; links: number; broken: BrokenLink[] } {
  const pages = htmlFiles(root).map((f) => relative(root, f).split('\\').join('/'));
  const html = new Map(pages.map((p) => [p, readFileSync(join(root, p), 'utf8')]));
  const ids = new Map<string, Set<string>>();
  const idsOf = (page: string): Set<string> => {
    let set = ids.get(page);
    if (!set) {
      set = new Set([...(html.get(page) ?? '').matchAll(ID)].map((m) => decodeEntities(m[1]!)));
      ids.set(page, set);
    }
    return set;
  };
  const isFile = (rel: string): boolean => {
    try {
      return statSync(join(root, rel)).isFile();
    } catch {
      return false;
    }
  };
  /** The file a site path answers, or undefined. */
  const resolveTarget = (rel: string): string | undefined => {
    const candidates =
      rel === '' || rel.endsWith('/')
        ? [`${rel}index.html`]
        : [rel, `${rel}.html`, `${rel}/index.html`];
    return candidates.find(isFile);
  };

  const broken: BrokenLink[] = [];
  let links = 0;
  for (const page of pages) {
    for (const m of html.get(page)!.matchAll(LINK)) {
      const link = decodeEntities(m[1]!);
      if (link === '' || /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//')) continue;
      links++;
      const [beforeHash, fragment] = link.split('#', 2) as [string, string | undefined];
      const pathPart = beforeHash.split('?')[0]!;
      let sitePath: string;
      if (pathPart === '') sitePath = page;
      else if (pathPart.startsWith('/')) {
        if (!pathPart.startsWith(base) && `${pathPart}/` !== base) {
          broken.push({ page, link, reason: `outside the site's base ${base}` });
          continue;
        }
        sitePath = pathPart.slice(base.length);
      } else sitePath = posix.normalize(posix.join(posix.dirname(page), pathPart));
      if (sitePath.startsWith('..')) {
        broken.push({ page, link, reason: 'leaves the site' });
        continue;
      }
      const target = pathPart === '' ? page : resolveTarget(sitePath === '.' ? '' : sitePath);
      if (target === undefined) {
        broken.push({ page, link, reason: 'no such page or file' });
        continue;
      }
      if (fragment !== undefined && fragment !== '' && target.endsWith('.html')) {
        if (!idsOf(target).has(decodeURIComponent(fragment)))
          broken.push({ page, link, reason: `no element #${fragment} in ${target}` });
      }
    }
  }
  return { pages: pages.length, links, broken };
}
