// A Segment source: how the Segment-spec calls a pipeline sends to /v1/segment/* (from Segment,
// RudderStack, Jitsu or the analytics libraries themselves) become Waymark events and profile
// updates. Paths are dot paths into the Segment message (`properties.total`,
// `context.traits.email`, `userId`) and into the event payload or the profile's attributes.
import { z } from 'zod';
import { identifierSchema, objectKeySchema } from './common.ts';

const dotPath = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/, 'a dot path such as properties.total');

/** Target path → source path, e.g. `{"_aeppartner1.identification.core.email": "context.traits.email"}`. */
const fieldMapSchema = z
  .record(dotPath, dotPath)
  .refine((m) => Object.keys(m).length <= 200, 'at most 200 fields');

export const segmentIdentitySchema = z
  .object({
    namespace: z.string().min(1).max(60).describe('An identity namespace code (Email, CRMID …).'),
    from: dotPath.describe(
      'Where the identifier is in the message: userId, anonymousId, traits.email …',
    ),
  })
  .meta({ title: 'Identity' });
export type SegmentIdentity = z.infer<typeof segmentIdentitySchema>;

export const segmentEventMappingSchema = z
  .object({
    eventType: identifierSchema.describe('The Waymark event type the call becomes.'),
    payload: fieldMapSchema
      .optional()
      .describe(
        'The payload, field by field (target path → message path); absent: the message properties as they are.',
      ),
  })
  .meta({ title: 'Event mapping' });
export type SegmentEventMapping = z.infer<typeof segmentEventMappingSchema>;

export const segmentSourceSchema = z
  .object({
    id: objectKeySchema,
    name: z.string().min(1).max(200),
    description: z.string().max(2_000).optional(),
    apiKeys: z.array(z.string().min(1).max(200)).max(50).optional().meta({
      title: 'Write keys',
      description:
        'Names of the API keys (write keys) this source is for; absent: every key that has no source of its own.',
    }),
    identities: z
      .array(segmentIdentitySchema)
      .min(1)
      .max(10)
      .describe(
        'The identities a call carries, most specific first: the first one present names the profile, the others are linked to it.',
      ),
    track: z.record(z.string().min(1).max(200), segmentEventMappingSchema).default({}).meta({
      title: 'Track calls',
      description: 'Track calls by event name ("Order Completed") → event type.',
    }),
    unmappedTrack: identifierSchema.optional().meta({
      title: 'Other track calls',
      description:
        'The event type of track calls no mapping names; absent: such calls are answered as ignored.',
    }),
    page: segmentEventMappingSchema
      .optional()
      .meta({ title: 'Page calls', description: 'Page calls → event type; absent: ignored.' }),
    screen: segmentEventMappingSchema
      .optional()
      .meta({ title: 'Screen calls', description: 'Screen calls → event type; absent: ignored.' }),
    traits: fieldMapSchema.optional().meta({
      title: 'Identify traits',
      description:
        'Identify calls: profile attribute path → message path; absent: the traits are merged into the attributes as they are.',
    }),
  })
  .meta({ title: 'Segment source' });
export type SegmentSource = z.infer<typeof segmentSourceSchema>;
export type SegmentSourceInput = z.input<typeof segmentSourceSchema>;
