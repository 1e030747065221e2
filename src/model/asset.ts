// Assets: images in collections, with tags and versions; image blocks reference them by id.
import { z } from 'zod';

export const assetVersionSchema = z.object({
  version: z.number().int().min(1),
  url: z.string().min(1),
  mimeType: z.string().min(1),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  bytes: z.number().int().nonnegative().optional(),
});

export const assetSchema = z.object({
  id: z.string().min(1).max(120).describe('Image blocks name the asset by this id.'),
  name: z.string().min(1),
  collection: z.string().default('default').describe('The folder of the asset library.'),
  tags: z.array(z.string()).default([]).describe('Words to find the asset by.'),
  /** Current version; renditions are derived from it. */
  version: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('The current version; renditions are made from it.'),
  url: z.string().min(1).describe('Where the image is served from.'),
  mimeType: z.string().default('image/png').meta({ title: 'MIME type' }),
  width: z.number().int().positive().optional().describe('In pixels.'),
  height: z.number().int().positive().optional().describe('In pixels.'),
  alt: z.string().optional().meta({
    title: 'Alternative text',
    description: 'Read by screen readers and shown when images are blocked.',
  }),
  history: z
    .array(assetVersionSchema.meta({ title: 'Version' }))
    .default([])
    .meta({ title: 'Earlier versions' }),
});
export type Asset = z.infer<typeof assetSchema>;
export type AssetInput = z.input<typeof assetSchema>;

/** A rendition: resized and/or re-encoded from the asset's current version. */
export const renditionSpecSchema = z.object({
  width: z.number().int().min(1).max(4096).optional(),
  height: z.number().int().min(1).max(4096).optional(),
  fit: z.enum(['cover', 'contain', 'inside']).default('inside'),
  format: z.enum(['png', 'jpeg', 'webp', 'avif']).optional(),
  quality: z.number().int().min(1).max(100).optional(),
});
export type RenditionSpec = z.infer<typeof renditionSpecSchema>;
