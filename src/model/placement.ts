// Placements: where an offer shows (e.g. "email banner 600x200"), on one channel, with one content type.
import { z } from 'zod';
import { objectKeySchema } from './common.ts';

export const PLACEMENT_CHANNELS = ['email', 'push', 'sms', 'inApp', 'web', 'code'] as const;
export const PLACEMENT_CONTENT_TYPES = ['text', 'html', 'imageLink', 'json'] as const;

export const placementSchema = z.object({
  id: objectKeySchema,
  name: z.string().min(1).max(200),
  description: z.string().max(2_000).optional(),
  channel: z.enum(PLACEMENT_CHANNELS),
  contentType: z.enum(PLACEMENT_CONTENT_TYPES),
});
export type Placement = z.infer<typeof placementSchema>;
export type PlacementInput = z.input<typeof placementSchema>;
