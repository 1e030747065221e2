// What the Assistant's documentation index holds, read once at start: the docs site's pages
// (docs/**/*.md, cited as /docs/… with their section anchors), the README and the modules' READMEs
// (where the sources are present), the expression and personalization function tables, and the
// field descriptions of the stored objects' schemas (cited as their console pages).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { jsonSchemaOf } from '../../shared/json-schema.ts';
import { markdownPassages } from '../../assistant/doc-sections.ts';
import type { DocPassage } from '../../assistant/types.ts';
import { helperCatalog } from '../../content/functions/catalog.ts';
import { FUNCTIONS } from '../../expr/functions/index.ts';
import { PACKAGE_ROOT } from '../../package-files.ts';
import { objectKinds } from '../object-kinds.ts';

/** A passage and how much it counts against others (site pages first). */
export interface WeightedPassage extends DocPassage {
  readonly weight: number;
}

function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

/** The docs site address of a page (cleanUrls is off: pages end in .html; index.md is the folder). */
export function siteHref(relPath: string): string {
  const p = relPath.split(sep).join('/').replace(/\.md$/, '');
  if (p === 'index') return '/docs/';
  if (p.endsWith('/index')) return `/docs/${p.slice(0, -'index'.length)}`;
  return `/docs/${p}.html`;
}

export function docPassages(root: string = PACKAGE_ROOT): WeightedPassage[] {
  const out: WeightedPassage[] = [];
  const docsDir = join(root, 'docs');
  for (const file of markdownFiles(docsDir)) {
    const rel = relative(docsDir, file);
    const href = siteHref(rel);
    for (const p of markdownPassages(readFileSync(file, 'utf8'), {
      id: `docs/${rel}`,
      href,
      fallbackTitle: rel,
    }))
      // The generated references (docs/reference: every route and command in tables) answer
      // "which route or command" and weigh less than the prose pages for everything else.
      out.push({ ...p, weight: rel.startsWith(`reference${sep}`) ? 0.4 : 1.5 });
  }
  // Not on the docs site: cited by their path in the repository.
  const readmes = [
    join(root, 'README.md'),
    ...markdownFiles(join(root, 'src')).filter((f) => f.endsWith(`${sep}README.md`)),
  ];
  for (const file of readmes) {
    if (!existsSync(file)) continue;
    const rel = relative(root, file).split(sep).join('/');
    for (const p of markdownPassages(readFileSync(file, 'utf8'), {
      id: rel,
      href: rel,
      fallbackTitle: rel,
    }))
      out.push({
        ...p,
        title: rel === 'README.md' ? `README › ${p.title}` : `${rel} › ${p.title}`,
        weight: 0.8,
      });
  }
  out.push(...functionPassages(), ...schemaPassages());
  return out;
}

function functionPassages(): WeightedPassage[] {
  const out: WeightedPassage[] = [];
  for (const f of FUNCTIONS.values())
    out.push({
      id: `expr:${f.name}`,
      title: `Expression function ${f.name}() (${f.category})`,
      href: '/docs/concepts/journeys.html#expressions',
      text: `${f.name}: ${f.description} Used in journey conditions, waits and action parameters.`,
      weight: 1,
    });
  for (const h of helperCatalog)
    out.push({
      id: `helper:${h.name}`,
      title: `Personalization ${h.block ? 'block helper' : 'function'} ${h.name} (${h.category})`,
      href: '/docs/concepts/content.html',
      text: `${h.signature}. ${h.help} Example: ${h.example}`,
      weight: 1,
    });
  return out;
}

function schemaPassages(): WeightedPassage[] {
  const out: WeightedPassage[] = [];
  for (const k of objectKinds) {
    let json: unknown;
    try {
      json = jsonSchemaOf(k.schema);
    } catch {
      continue;
    }
    const fields: string[] = [];
    collectDescriptions(json, '', fields, 0);
    if (fields.length === 0) continue;
    out.push({
      id: `schema:${k.kind}`,
      title: `${k.title[0]!.toUpperCase()}${k.title.slice(1)}: fields`,
      href: `/objects/${k.route}`,
      text: fields.join('\n'),
      weight: 0.9,
    });
  }
  return out;
}

function collectDescriptions(node: unknown, path: string, out: string[], depth: number): void {
  if (depth > 6 || typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  if (typeof o['description'] === 'string' && path !== '') out.push(`${path}: ${o['description']}`);
  const props = o['properties'];
  if (typeof props === 'object' && props !== null)
    for (const [name, child] of Object.entries(props))
      collectDescriptions(child, path === '' ? name : `${path}.${name}`, out, depth + 1);
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf'] as const) {
    const v = o[key];
    if (Array.isArray(v)) for (const c of v) collectDescriptions(c, path, out, depth + 1);
    else if (typeof v === 'object' && v !== null) collectDescriptions(v, path, out, depth + 1);
  }
}
