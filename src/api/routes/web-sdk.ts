// The browser SDK's files (GET /sdk/waymark-web.js, /sdk/waymark-sw.js: public, cacheable, loadable
// from other origins) and, with `waymark serve --demo`, the Luma storefront that uses it
// (/demo/luma/): static files, its page given the demo's write key in a meta tag (the page's own
// script reads it; the console's policy runs no inline script).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

const SDK_FILES = ['waymark-web.js', 'waymark-sw.js'];

export function webSdkRoutes(root: string) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get<{ Params: { file: string } }>(
      '/sdk/:file',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const name = req.params.file;
        if (!SDK_FILES.includes(name))
          return reply
            .status(404)
            .send({ error: { code: 'not_found', message: `no SDK file ${name}` } });
        const file = join(root, name);
        if (!existsSync(file))
          return reply.status(503).send({
            error: {
              code: 'not_built',
              message:
                'the browser SDK is not built: run node scripts/build-sdk.mjs (npm start does)',
            },
          });
        return reply
          .type(TYPES['.js']!)
          .header('cache-control', 'public, max-age=300')
          .header('last-modified', statSync(file).mtime.toUTCString())
          .header('access-control-allow-origin', '*')
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(readFileSync(file));
      },
    );
  };
}

export interface StorefrontOptions {
  /** examples/luma/storefront */
  readonly root: string;
  /** The demo's write key (events.ingest in prod), put in the page. Never logged. */
  readonly writeKey: string;
  /** The Luma images (examples/luma/assets), at /demo/luma/images/<name>.png. */
  readonly images: string;
}

const escapeAttr = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function storefrontRoutes(opts: StorefrontOptions) {
  const root = resolve(opts.root);
  const page = (reply: FastifyReply) => {
    const html = readFileSync(join(root, 'index.html'), 'utf8').replace(
      '__WAYMARK_WRITE_KEY__',
      escapeAttr(opts.writeKey),
    );
    return reply.type(TYPES['.html']!).header('cache-control', 'no-store').send(html);
  };
  const within = (base: string, rel: string): string | null => {
    const file = resolve(base, normalize(rel).replace(/^[/\\]+/, ''));
    return file.startsWith(base + sep) && existsSync(file) && statSync(file).isFile() ? file : null;
  };
  return async (f: FastifyInstance): Promise<void> => {
    const cfg = { schema: { hide: true }, config: { permission: 'public' as const } };
    f.get('/demo/luma', cfg, async (_req, reply) => reply.redirect('/demo/luma/'));
    f.get<{ Params: { '*': string } }>('/demo/luma/*', cfg, async (req, reply) => {
      const rel = req.params['*'];
      const ext = extname(rel);
      // Pages (/demo/luma/, /demo/luma/cart): the storefront's one page, which shows the right part.
      if (ext === '') return page(reply);
      const file = rel.startsWith('images/')
        ? within(resolve(opts.images), rel.slice('images/'.length))
        : within(root, rel);
      const type = TYPES[ext];
      if (!file || !type || rel === 'index.html')
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: `no storefront file ${rel}` } });
      return reply.type(type).header('cache-control', 'no-cache').send(readFileSync(file));
    });
  };
}
