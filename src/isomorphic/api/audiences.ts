// Audiences at run time: size and sample, members, evaluate now, the batch schedule, uploads, an
// audience from feedback, the audience jobs, and a profile's memberships. The schemas the console's
// types are inferred from; test/api/answer-schemas-audiences.test.ts holds the server to them.
import { z } from 'zod';
import { audienceSchema } from '../../model/audience.ts';
import { identitySchema } from './profiles.ts';

const membershipStatus = z.enum(['realized', 'exited']);
const isoOrNull = z.string().nullable();

export const audienceMemberSchema = z
  .object({
    profileId: z.string(),
    status: membershipStatus,
    realizedAt: isoOrNull,
    exitedAt: isoOrNull,
    identities: z.array(identitySchema),
  })
  .strict();

/** GET /v1/audiences/:name/size: counts and a uniform random sample of realized members. */
export const audienceSizeAnswer = z
  .object({
    audience: z.string(),
    realized: z.number().int(),
    exited: z.number().int(),
    sample: z.array(audienceMemberSchema),
  })
  .strict();

/** GET /v1/audiences/:name/members: in profile id order; `next` is the ?after= of the next page. */
export const audienceMembersAnswer = z
  .object({ items: z.array(audienceMemberSchema), next: z.string().nullable() })
  .strict();

/** One batch evaluation (POST /v1/audiences/:name/evaluate answers it). */
export const batchRunSchema = z
  .object({
    audience: z.string(),
    evaluated: z.number().int(),
    size: z.number().int(),
    /** Profile ids of some members. */
    sample: z.array(z.string()),
    realized: z.number().int(),
    exited: z.number().int(),
  })
  .strict();

/** PUT /v1/audiences/:name/schedule. */
export const audienceScheduleAnswer = z
  .object({
    schedule: z.object({ everySeconds: z.number(), nextRunAt: z.string() }).strict().nullable(),
  })
  .strict();

/** POST /v1/audiences/:name/upload: the CSV's rows, with the file line of each one refused. */
export const audienceUploadAnswer = z
  .object({
    audience: z.string(),
    mode: z.enum(['replace', 'append']),
    rows: z.number().int(),
    realized: z.number().int(),
    exited: z.number().int(),
    createdProfiles: z.number().int(),
    errors: z.array(z.object({ line: z.number().int(), message: z.string() }).strict()),
  })
  .strict();

/** POST /v1/audiences/from-feedback (201): the audience created, and its first evaluation. */
export const fromFeedbackAnswer = z
  .object({ audience: audienceSchema, run: batchRunSchema })
  .strict();

/** GET /v1/audience-jobs: read-audience runs, batch schedules and one-off evaluations, retention. */
export const audienceJobSchema = z.discriminatedUnion('kind', [
  z
    .object({
      id: z.string(),
      kind: z.literal('read'),
      journeyId: z.string(),
      version: z.number().int(),
      nextRunAt: z.number().nullable(),
      run: z
        .object({
          startedAt: z.number(),
          cursor: z.string(),
          read: z.number().int(),
          realizedAfter: z.number().optional(),
          dueCounts: z.record(z.string(), z.number()).optional(),
        })
        .strict()
        .nullable(),
      lastRunStartedAt: z.number().nullable(),
      runs: z.number().int(),
      entered: z.number().int(),
      /** Fleet mode: the share of one partition. */
      partition: z.number().int().optional(),
    })
    .strict(),
  z
    .object({
      id: z.string(),
      kind: z.literal('batch'),
      audience: z.string(),
      /** Between runs; 0: run once, then the job goes. */
      everyMs: z.number(),
      nextRunAt: z.number(),
      running: z
        .object({ cursor: z.string(), startedAt: z.number(), result: batchRunSchema })
        .strict()
        .optional(),
      lastRun: batchRunSchema.extend({ at: z.number() }).strict().optional(),
    })
    .strict(),
  z
    .object({
      id: z.string(),
      kind: z.literal('retention'),
      days: z.number(),
      nextRunAt: z.number(),
    })
    .strict(),
  /** A campaign experiment's winner send to the rest of the audience, due at `at`. */
  z
    .object({
      id: z.string(),
      kind: z.literal('winner'),
      campaignId: z.string(),
      run: z.number().int(),
      at: z.number(),
    })
    .strict(),
  /** A draft's dry run that ends by itself at `at` (its start + 14 days). */
  z
    .object({
      id: z.string(),
      kind: z.literal('dryRunEnd'),
      journeyId: z.string(),
      version: z.number().int(),
      at: z.number(),
      /** Fleet mode: the share of one partition. */
      partition: z.number().int().optional(),
    })
    .strict(),
]);

export const audienceJobsAnswer = z.object({ items: z.array(audienceJobSchema) }).strict();

/** GET /v1/profiles/:namespace/:id/audiences. */
export const profileAudiencesAnswer = z
  .object({
    profileId: z.string(),
    items: z.array(
      z
        .object({
          audience: z.string(),
          status: membershipStatus,
          realizedAt: isoOrNull,
          exitedAt: isoOrNull,
        })
        .strict(),
    ),
  })
  .strict();
