// Who uses an object (GET /v1/<kind>/:key/references), archive and unarchive, and what a journey
// uses (GET /v1/journeys/:id/dependencies). The schemas the console's object pages take their
// types from; the routes type their replies with them and test/api/answer-schemas-objects.test.ts
// parses real answers with them.
import { z } from 'zod';

export const objectRefSchema = z.object({ kind: z.string(), key: z.string() }).strict();

/** A journey version, template, fragment or audience that uses the object. */
export const referenceSchema = z
  .object({
    kind: z.string(),
    key: z.string(),
    name: z.string(),
    version: z.number().int().optional(),
    status: z.string().optional(),
    /** The objects between the user and the object asked about, user side first. */
    via: z.array(objectRefSchema),
    /** Whether it keeps the object from being deleted (a closed journey version does not). */
    blocking: z.boolean(),
  })
  .strict();

export const referencesAnswer = z
  .object({
    kind: z.string(),
    key: z.string(),
    archived: z.boolean(),
    inUse: z.boolean(),
    items: z.array(referenceSchema),
    /** Users the caller may not see (access labels): counted, not named. */
    hidden: z.number().int(),
  })
  .strict();

/** POST /v1/<kind>/:key/archive and /unarchive. */
export const archiveAnswer = z
  .object({
    kind: z.string(),
    key: z.string(),
    archived: z.boolean(),
    archivedAt: z.string().optional(),
  })
  .strict();

/** GET /v1/journeys/:id/dependencies: every object the journey uses, transitively. */
export const dependenciesAnswer = z
  .object({ journey: z.string(), items: z.array(objectRefSchema), hidden: z.number().int() })
  .strict();
