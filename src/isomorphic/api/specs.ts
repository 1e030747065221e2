// The specs of event types and custom actions as GET /v1/event-types and /v1/actions answer them
// (each item's `spec`), from the model's own zod schemas, and JSON Schema as the console reads it.
// test/api/answer-schemas.test.ts parses the Luma lab's stored specs with them.
import { z } from 'zod';
import { customActionSchema } from '../../model/custom-action.ts';
import { eventTypeSchema } from '../../model/event-type.ts';

/**
 * A JSON Schema, with the keywords the console reads (forms, samples, field trees) typed; the
 * others pass through untouched (JSON Schema has many more).
 */
export const jsonSchemaSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  get properties() {
    return z.record(z.string(), jsonSchemaSchema).optional();
  },
  get items() {
    return jsonSchemaSchema.optional();
  },
  required: z.array(z.string()).optional(),
  enum: z.array(z.unknown()).optional(),
  format: z.string().optional(),
  minimum: z.number().optional(),
  minItems: z.number().int().optional(),
  description: z.string().optional(),
  default: z.unknown().optional(),
});

/** An event type: its name, the JSON Schema of its payload, and where the profile's identity is. */
export const eventTypeSpecSchema = eventTypeSchema
  .safeExtend({ schema: jsonSchemaSchema })
  .strict();

/** A custom action (secrets redacted as stored objects are). */
export const actionSpecSchema = customActionSchema.strict();
