import { z } from 'zod';
import { identifierSchema, jsonSchemaSchema } from './common.ts';

export const eventTypeSchema = z.object({
  name: identifierSchema,
  description: z.string().max(1000).optional(),
  /** JSON Schema of the payload, checked at ingest. */
  schema: jsonSchemaSchema,
  /** Where the profile identifier sits in the payload (dot path) and its namespace. */
  identity: z.object({
    path: z.string().min(1),
    namespace: z.string().min(1),
  }),
});
export type EventType = z.infer<typeof eventTypeSchema>;
