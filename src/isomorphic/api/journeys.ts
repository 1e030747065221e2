// GET /v1/journeys: each journey with its latest and live versions; with ?include=counts, one entry
// per journey as lists show it, with its totals. The schemas the console's types are inferred
// from; test/api/answer-schemas.test.ts holds the server to them.
import { z } from 'zod';
import { JourneyStatus, journeyDefinitionSchema } from '../../model/journey.ts';
import { FINISHED } from '../../journey/lifecycle.ts';

const statusSchema = z.enum(Object.values(JourneyStatus) as [JourneyStatus, ...JourneyStatus[]]);
/** A status as lists show it: the stored one, or "finished" for a closed version no profile is left in. */
const shownStatusSchema = z.union([statusSchema, z.literal(FINISHED)]);

/** One stored version of a journey (GET /v1/journeys/:id/versions/:version). */
export const journeyVersionSchema = z
  .object({
    journeyId: z.string(),
    version: z.number().int(),
    status: statusSchema,
    definition: journeyDefinitionSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Goes up by one with every stored change of this version (If-Match on drafts). */
    revision: z.number().int().optional(),
    publishedAt: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .strict();

/** GET /v1/journeys/:id, and each item of GET /v1/journeys. */
export const journeySummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    latest: journeyVersionSchema,
    live: journeyVersionSchema.nullable(),
    versions: z.array(
      z
        .object({ version: z.number().int(), status: shownStatusSchema, updatedAt: z.string() })
        .strict(),
    ),
    /** The latest version's status as lists show it. */
    status: shownStatusSchema,
  })
  .strict();

export const journeySummaryListAnswer = z.object({ items: z.array(journeySummarySchema) }).strict();

export const journeyCountsSchema = z
  .object({
    entered: z.number().int(),
    active: z.number().int(),
    exited: z.number().int(),
    errors: z.number().int(),
    timeouts: z.number().int(),
  })
  .strict();

export const journeyListEntrySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The latest version's status. */
    status: z.string(),
    /** The live version's status, null when no version is live. */
    liveStatus: z.string().nullable(),
    latestVersion: z.number().int(),
    liveVersion: z.number().int().nullable(),
    versions: z.array(
      z.object({ version: z.number().int(), status: z.string(), updatedAt: z.string() }).strict(),
    ),
    /** The latest change to any version. */
    updatedAt: z.string(),
    /** With ?include=counts: the journey's totals over every version. */
    counts: journeyCountsSchema.optional(),
  })
  .strict();

/** GET /v1/journeys?include=counts. */
export const journeyListAnswer = z.object({ items: z.array(journeyListEntrySchema) }).strict();
