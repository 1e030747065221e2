// GET /v1/<kind> (event-types, actions, fragments, ...): the stored objects of one kind, secrets
// redacted. The schema the console's types are inferred from; test/api/answer-schemas.test.ts
// holds the server to it.
import { z } from 'zod';

export const storedObjectSchema = z
  .object({
    key: z.string(),
    /** What people call it (the spec's name or title, else the key). */
    name: z.string(),
    revision: z.number().int(),
    /** The revision as an ETag, for If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** The object as stored, its secrets replaced. Each kind's own schema is in src/model. */
    spec: z.record(z.string(), z.unknown()),
    /** Secret paths that came redacted from a package: the object fails on use until they are sent. */
    needsSecret: z.array(z.string()).optional(),
  })
  .strict();

/** A list entry: the object, whether a journey or another object uses it, and whether it is archived. */
export const objectListEntrySchema = storedObjectSchema
  .extend({ inUse: z.boolean(), archived: z.literal(true).optional() })
  .strict();

export const objectListAnswer = z.object({ items: z.array(objectListEntrySchema) }).strict();
