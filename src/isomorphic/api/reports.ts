// A journey's report (GET /v1/journeys/:id/report), its timeline, and what validating a journey
// answers. The schemas the console's types are inferred from; test/api/answer-schemas.test.ts holds
// the server to them.
import { z } from 'zod';
import { JourneyStatus } from '../../model/journey.ts';

const statusSchema = z.enum(Object.values(JourneyStatus) as [JourneyStatus, ...JourneyStatus[]]);
const count = z.number().int();

/** A problem in a journey definition (validate, publish). */
export const validationIssueSchema = z
  .object({
    /** The activity at fault, or null for the journey as a whole. */
    node: z.string().nullable(),
    /** Where in the definition, as a JSON path. */
    path: z.string(),
    code: z.string(),
    message: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  })
  .strict();

/** POST /v1/journeys/:id/validate. */
export const validateAnswer = z
  .object({ valid: z.boolean(), issues: z.array(validationIssueSchema) })
  .strict();

/** What a journey, a version or an activity counted. */
export const countsSchema = z
  .object({
    entered: count,
    exited: count,
    errors: count,
    timeouts: count,
    discarded: count,
    /** Left out by a frequency cap. */
    capped: count,
  })
  .strict();

/** A message activity's outcomes, from the delivery log and the feedback events. */
export const messageCountsSchema = z
  .object({
    targeted: count,
    sent: count,
    delivered: count,
    bounced: count,
    failed: count,
    excluded: count,
    opened: count,
    clicked: count,
    unsubscribed: count,
    /** Excluded messages by reason. */
    excludedBy: z.record(z.string(), count),
  })
  .strict();

export const activityCountsSchema = countsSchema
  .extend({
    id: z.string(),
    /** The activity's label, else its id. */
    label: z.string(),
    kind: z.string(),
    /** Message activities only. */
    messages: messageCountsSchema.optional(),
    /** Custom-action activities that made calls: how many, errors, durations (src/shared/action-latency.ts). */
    action: z
      .object({
        calls: count,
        errors: count,
        totalMs: count,
        meanMs: z.number().nullable(),
        /** Upper bounds of the histogram buckets holding them (ms). */
        p95Ms: z.number().nullable(),
        maxMs: z.number().nullable(),
        overLastBound: z.boolean(),
        buckets: z.array(z.object({ leMs: z.number().nullable(), calls: count }).strict()),
      })
      .strict()
      .optional(),
  })
  .strict();

/** GET /v1/journeys/:id/report. */
export const journeyReportSchema = z
  .object({
    journeyId: z.string(),
    name: z.string(),
    total: countsSchema,
    versions: z.array(
      z
        .object({
          version: z.number().int(),
          status: statusSchema,
          journey: countsSchema,
          /** Discarded entries by reason (missing_namespace: no identity in the journey's namespace). */
          discardedBy: z.record(z.string(), count),
          activities: z.array(activityCountsSchema),
        })
        .strict(),
    ),
    /** Clicks per tracked link, most clicked first. */
    links: z.array(
      z
        .object({ version: z.number().int(), activity: z.string(), url: z.string(), clicks: count })
        .strict(),
    ),
    /** True when the delivery log was too long to read whole: message figures are a lower bound. */
    partial: z.boolean(),
  })
  .strict();

/** GET /v1/journeys/:id/dry-run: the report of the draft in dry run, apart from the live report. */
export const dryRunReportSchema = z
  .object({
    journeyId: z.string(),
    name: z.string(),
    /** The draft version in dry run; null when none is. */
    version: z.number().int().nullable(),
    running: z.boolean(),
    /** When the dry run started; null when there is no report. */
    startedAt: z.string().nullable(),
    /** When it ends by itself (14 days after it started) while running; when it ended, for a kept report. */
    endsAt: z.string().nullable(),
    /** A report kept after the dry run ended by itself: when, and that it was automatic. */
    ended: z.object({ at: z.string(), automatically: z.boolean() }).strict().nullable(),
    journey: countsSchema,
    discardedBy: z.record(z.string(), count),
    /** What the message activities would have sent, by channel. */
    wouldSend: z.record(z.string(), count),
    activities: z.array(
      z
        .object({
          id: z.string(),
          label: z.string(),
          kind: z.string(),
          entered: count,
          exited: count,
          errors: count,
          /** Profiles that left by each path (the outcome: a path label, "would send", "waited" …). */
          paths: z.record(z.string(), count),
          /** Messages it would have sent, actions it would have called, updates and jumps it would have made. */
          wouldSend: count,
          wouldCall: count,
          wouldUpdate: count,
          wouldJump: count,
        })
        .strict(),
    ),
  })
  .strict();

/** GET /v1/journeys/:id/report/timeline. */
export const timelineAnswer = z
  .object({
    bucket: z.enum(['minute', 'hour', 'day']),
    since: z.string(),
    points: z.array(z.object({ at: z.string(), series: z.string(), value: z.number() }).strict()),
  })
  .strict();
