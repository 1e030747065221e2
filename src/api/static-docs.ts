// Serves the built documentation site (docs/.vitepress/dist, made by `npm run docs`) at /docs, so
// the docs work offline next to the console. Public like the console's files. VitePress pages carry
// two small inline scripts (the colour scheme, the platform class): their hashes are added to the
// page's Content-Security-Policy, so they run and no other inline script does.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

export interface StaticDocsOptions {
  /** The folder holding the built site (index.html, assets/). */
  readonly root: string;
}

const ONE_YEAR_MS = 365 * 86_400 * 1000;
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;

/** The page's policy: the server's, with the hashes of the page's own inline scripts. */
export function docsPolicyFor(html: string): string {
  const hashes = [...html.matchAll(INLINE_SCRIPT)]
    .map((m) => m[1] ?? '')
    .filter((body) => body.trim() !== '')
    .map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
  if (hashes.length === 0) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace(
    "script-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`,
  );
}

function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const isFile = (file: string): boolean => existsSync(file) && statSync(file).isFile();

/** Registers GET /docs and /docs/* on `f` (before `f.ready()`). Without a built site: a short page saying how to build it. */
export async function registerStaticDocs(
  f: FastifyInstance,
  opts: StaticDocsOptions,
): Promise<void> {
  const root = resolve(opts.root);
  const policies = new Map<string, string>();

  const sendPage = (reply: FastifyReply, rel: string, status = 200): FastifyReply => {
    const file = join(root, rel);
    let policy = policies.get(file);
    if (policy === undefined) {
      policy = docsPolicyFor(readFileSync(file, 'utf8'));
      policies.set(file, policy);
    }
    return reply
      .status(status)
      .header('content-security-policy', policy)
      .header('cache-control', 'no-cache')
      .sendFile(rel, root, { cacheControl: false });
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const path = decodedPath(req.url);
    if (path === '/docs') return reply.redirect('/docs/', 301);
    if (!isFile(join(root, 'index.html'))) {
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Waymark docs</title><p>The documentation site is not built. Run <code>npm run docs</code>.</p>',
        );
    }
    const rel = normalize(path.slice('/docs/'.length)).replace(/^[/\\]+/, '');
    const inside = (file: string): boolean => (file + sep).startsWith(root + sep);
    if (rel === '' || rel === '.') return sendPage(reply, 'index.html');
    const file = join(root, rel);
    if (inside(file) && isFile(file)) {
      if (rel.endsWith('.html')) return sendPage(reply, rel);
      const hashed = rel.startsWith(`assets${sep}`) || rel.startsWith('assets/');
      return hashed
        ? reply.sendFile(rel, root, { maxAge: ONE_YEAR_MS, immutable: true })
        : reply.sendFile(rel, root, { maxAge: 0, cacheControl: true });
    }
    // Clean URLs (/docs/guides/on-call) and folders (/docs/concepts/) answer their page.
    for (const candidate of [`${rel}.html`, join(rel, 'index.html')]) {
      if (inside(join(root, candidate)) && isFile(join(root, candidate)))
        return sendPage(reply, candidate);
    }
    if (isFile(join(root, '404.html'))) return sendPage(reply, '404.html', 404);
    return reply.status(404).type('text/plain').send('not found');
  };
  for (const url of ['/docs', '/docs/*'])
    f.get(url, { schema: { hide: true }, config: { permission: 'public' } }, handler);
}
