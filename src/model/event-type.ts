import { z } from 'zod';
import { identifierSchema, jsonSchemaSchema } from './common.ts';

export const eventTypeSchema = z
  .object({
    name: identifierSchema.describe(
      'Journeys listen for the event by this name: letters, digits and _, starting with a letter (at most 30).',
    ),
    description: z
      .string()
      .max(1000)
      .optional()
      .describe('What the event means and which system sends it.'),
    /** JSON Schema of the payload, checked at ingest. */
    schema: jsonSchemaSchema.meta({
      title: 'Payload schema',
      description:
        'JSON Schema of the payload: events that do not match it are rejected when they arrive.',
    }),
    /**
     * A business event (AJO): not tied to a profile, so it has no identity; it starts the
     * read-audience journeys that name it (src/runtime/audiences/read-audience.ts).
     */
    business: z.boolean().optional().meta({
      title: 'Business event',
      description:
        'Not tied to a profile (no identity): it runs the audience read of the journeys it starts.',
    }),
    /** Where the profile identifier sits in the payload (dot path) and its namespace; none for a business event. */
    identity: z
      .object({
        path: z.string().min(1).meta({
          title: 'Identifier path',
          description:
            'Dot path of the profile identifier in the payload, e.g. email or customer.id.',
        }),
        namespace: z.string().min(1).meta({
          title: 'Identity namespace',
          description: 'The namespace of that identifier (Email, Phone, CRMID …).',
        }),
      })
      .meta({ title: 'Profile identity', description: 'Which profile an event belongs to.' })
      .optional(),
  })
  .refine((t) => t.business === true || t.identity !== undefined, {
    message: 'an event type needs a profile identity unless it is a business event',
    path: ['identity'],
  });
export type EventType = z.infer<typeof eventTypeSchema>;
