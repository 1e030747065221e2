// The asset selector's API (the email designer): browse and search the sandbox's assets by
// collection and tag, with thumbnails; list the renditions of one to pick from. Uploads go through
// PUT /v1/assets/:id/content (routes/assets.ts); images are served publicly at /assets/:sandbox/:id.
//   GET /v1/asset-library?q=&tag=&collection=&limit=&offset=
//       -> {collections: [{name, count}], tags: [{name, count}], items: [{id, name, collection, tags, mimeType,
//           width?, height?, alt?, version, url, thumbnailUrl}], total}
//   GET /v1/asset-library/:id/renditions -> {items: [{label, spec: {width?, format?}, url, previewUrl}]}
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AssetLibrary } from '../../runtime/asset-library.ts';
import type { Waymark } from '../../runtime/app.ts';
import { sandboxOf } from '../context.ts';
import { openApi, parseInput } from './request-input.ts';
import type { Answer } from '../../shared/schema-types.ts';
import type { libraryPageAnswer, renditionListAnswer } from '../../isomorphic/api/asset-library.ts';

const text = z.string().max(200);
const searchQuery = z.object({
  q: text.optional().describe('Words matched against name, id and tags (all of them, any case).'),
  tag: text.optional().describe('Only assets with this tag (exact).'),
  collection: text.optional().describe('Only assets of this collection (exact).'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export function assetLibraryRoutes(app: Waymark) {
  const library = new AssetLibrary(app.reads, app.assets);
  return async (f: FastifyInstance): Promise<void> => {
    const tags = ['asset'];
    f.get(
      '/asset-library',
      {
        schema: {
          tags,
          summary:
            'Search the asset library: collections and tags with counts, a page of assets with thumbnails',
          querystring: openApi(searchQuery),
        },
      },
      async (req): Promise<Answer<typeof libraryPageAnswer>> => {
        const q = parseInput(searchQuery, req.query, 'query');
        const blank = (s: string | undefined): string | undefined =>
          s === undefined || s.trim() === '' ? undefined : s;
        const [qq, tag, collection] = [blank(q.q), blank(q.tag), blank(q.collection)];
        return library.search(sandboxOf(req), {
          limit: q.limit,
          offset: q.offset,
          ...(qq ? { q: qq } : {}),
          ...(tag ? { tag } : {}),
          ...(collection ? { collection } : {}),
        });
      },
    );
    f.get<{ Params: { id: string } }>(
      '/asset-library/:id/renditions',
      {
        schema: {
          tags,
          summary:
            'The renditions of an asset to pick from (original, email 600 px, retina 1200 px, thumbnail), with URLs',
        },
      },
      async (req): Promise<Answer<typeof renditionListAnswer>> => ({
        items: await library.renditions(sandboxOf(req), req.params.id),
      }),
    );
  };
}
