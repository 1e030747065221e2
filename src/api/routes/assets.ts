// Asset images: upload a version (authenticated), and serve renditions publicly (they are in emails).
import type { FastifyInstance } from 'fastify';
import type { AssetService } from '../../runtime/assets.ts';
import { MAX_ASSET_BYTES } from '../../runtime/assets.ts';
import { sandboxOf } from '../context.ts';

const IMAGE = /^image\/(png|jpeg|webp|gif|avif)$/;

export function assetUploadRoutes(assets: AssetService) {
  return async (f: FastifyInstance): Promise<void> => {
    f.addContentTypeParser(
      IMAGE,
      { parseAs: 'buffer', bodyLimit: MAX_ASSET_BYTES },
      (_req, body, done) => done(null, body),
    );
    f.put<{
      Params: { id: string };
      Querystring: { name?: string; collection?: string; tags?: string };
    }>(
      '/assets/:id/content',
      {
        schema: {
          tags: ['asset'],
          summary:
            'Upload an image as the next version of an asset (Content-Type image/png, jpeg, webp, gif or avif)',
        },
      },
      async (req) => {
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim();
        return assets.upload(sandboxOf(req), req.params.id, req.body as Buffer, type, {
          ...(req.query.name ? { name: req.query.name } : {}),
          ...(req.query.collection ? { collection: req.query.collection } : {}),
          ...(req.query.tags
            ? {
                tags: req.query.tags
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
              }
            : {}),
        });
      },
    );
  };
}

export function assetServingRoutes(assets: AssetService) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get<{
      Params: { sandbox: string; id: string };
      Querystring: Record<string, string | undefined>;
    }>(
      '/assets/:sandbox/:id',
      { schema: { hide: true }, config: { permission: 'public' } },
      async (req, reply) => {
        const r = await assets.rendition(req.params.sandbox, req.params.id, req.query);
        if (req.headers['if-none-match'] && req.headers['if-none-match'] === r.headers.ETag)
          return reply.status(304).headers(r.headers).send();
        return reply.headers(r.headers).send(Buffer.from(r.bytes));
      },
    );
  };
}
