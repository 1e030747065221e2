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
  id: z.string().min(1).max(120),
  name: z.string().min(1),
  collection: z.string().default('default'),
  tags: z.array(z.string()).default([]),
  /** Current version; renditions are derived from it. */
  version: z.number().int().min(1).default(1),
  url: z.string().min(1),
  mimeType: z.string().default('image/png'),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  alt: z.string().optional(),
  history: z.array(assetVersionSchema).default([]),
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
