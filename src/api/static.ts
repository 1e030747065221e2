// Serves the built web console (ui/dist) at `/`: hashed files (ui/dist/static/) with long cache headers, index.html
// (never cached) for every other GET path outside /v1, so the app's own routes survive a reload.
import { existsSync, statSync } from 'node:fs';
import { join, normalize, posix, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface StaticUiOptions {
  /** The folder holding index.html and assets/ (normally `<repo>/ui/dist`). */
  readonly root: string;
}

const ONE_YEAR_MS = 365 * 86_400 * 1000;
const API_PREFIXES = ['/v1/', '/v1', '/healthz', '/openapi.json'];

function decodedPath(url: string): string {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** True when `root` holds a built console (index.html). */
export function hasBuiltUi(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

/**
 * Registers the console on `f`. Call it before `f.ready()`; it adds `GET /*` (and HEAD), which
 * answers the JSON 404 of the API for unknown `/v1` paths. Without a built UI it serves a short
 * page saying how to build it.
 */
export async function registerStaticUi(f: FastifyInstance, opts: StaticUiOptions): Promise<void> {
  const root = resolve(opts.root);
  await f.register(fastifyStatic, { root, serve: false, decorateReply: true });

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const path = decodedPath(req.url);
    // Compared as the router could read it (decoded, dot segments and doubled slashes resolved, any
    // case), so no spelling of an API path is answered with the console's page.
    const apiLike = posix.normalize(path.replace(/;[^/]*/g, '')).toLowerCase();
    if (API_PREFIXES.some((p) => apiLike === p || (p.endsWith('/') && apiLike.startsWith(p)))) {
      return reply
        .status(404)
        .send({ error: { code: 'not_found', message: `no route ${req.method} ${path}` } });
    }
    if (!hasBuiltUi(root)) {
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Waymark</title><p>The web console is not built. Run <code>npm run build:ui</code> (or <code>npm start</code>, which builds it).</p>',
        );
    }
    const rel = normalize(path).replace(/^[/\\]+/, '');
    const file = join(root, rel);
    if (
      rel !== '' &&
      (file + sep).startsWith(root + sep) &&
      existsSync(file) &&
      statSync(file).isFile()
    ) {
      const hashed = rel.startsWith(`static${sep}`) || rel.startsWith('static/');
      return hashed
        ? reply.sendFile(rel, { maxAge: ONE_YEAR_MS, immutable: true })
        : reply.sendFile(rel, { maxAge: 0, cacheControl: true });
    }
    if (rel.startsWith('static/')) return reply.status(404).type('text/plain').send('not found');
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  };
  f.get('/*', { schema: { hide: true }, config: { permission: 'public' } }, handler);
  f.get('/', { schema: { hide: true }, config: { permission: 'public' } }, handler);
}
