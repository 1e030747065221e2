// The asset library: GET /v1/asset-library (search) and /v1/asset-library/:id/renditions. The
// schemas the designer's asset drawer takes its types from; the route types its replies with them
// and test/api/answer-schemas-content.test.ts parses real answers with them.
import { z } from 'zod';

/** A collection or tag with how many assets carry it. */
export const facetSchema = z.object({ name: z.string(), count: z.number().int() }).strict();

export const libraryItemSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    collection: z.string(),
    tags: z.array(z.string()),
    mimeType: z.string(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    alt: z.string().optional(),
    version: z.number().int(),
    /** The asset's URL as content uses it (absolute: it goes into messages). */
    url: z.string(),
    /** A small WebP rendition for the selector, same-origin. */
    thumbnailUrl: z.string(),
  })
  .strict();

/** GET /v1/asset-library: facets over every match, a page of assets, and the total. */
export const libraryPageAnswer = z
  .object({
    collections: z.array(facetSchema),
    tags: z.array(facetSchema),
    items: z.array(libraryItemSchema),
    total: z.number().int(),
  })
  .strict();

export const renditionChoiceSchema = z
  .object({
    label: z.enum(['Original', 'Email 600 px', 'Retina 1200 px', 'Thumbnail']),
    spec: z
      .object({ width: z.number().int().optional(), format: z.literal('webp').optional() })
      .strict(),
    /** Absolute URL, as the message will carry it. */
    url: z.string(),
    /** Same-origin URL for the console's preview of it. */
    previewUrl: z.string(),
  })
  .strict();

export const renditionListAnswer = z.object({ items: z.array(renditionChoiceSchema) }).strict();
