// A campaign (AJO's campaigns, issue 17): one message to an audience, sent once, at a date or on a
// recurrence (`scheduled`), or to the recipients of an API call (`api-triggered`). Its message is
// a journey message: the same channel configurations, the same content model
// (src/model/message-content.ts) rendered by the same renderer, the same rule sets. Campaigns are
// sandboxed stored objects with a revision (If-Match while a draft). Pure: no I/O.
import { z } from 'zod';
import { objectKeySchema } from './common.ts';
import { labelsSchema } from './labels.ts';
import { audienceNameSchema } from './audience.ts';

export const CampaignType = { Scheduled: 'scheduled', ApiTriggered: 'api-triggered' } as const;
export type CampaignType = (typeof CampaignType)[keyof typeof CampaignType];

export const CampaignMode = { Marketing: 'marketing', Transactional: 'transactional' } as const;
export type CampaignMode = (typeof CampaignMode)[keyof typeof CampaignMode];

/**
 * draft → (inReview when an approval policy applies) → scheduled (a start in the future, or a
 * recurrence between runs) → live (sending, or an API-triggered campaign accepting calls) →
 * completed (the last run is done, or the end date passed) or stopped (final). failed: a run could
 * not start (the audience or configuration is gone).
 */
export const CampaignStatus = {
  Draft: 'draft',
  InReview: 'inReview',
  Scheduled: 'scheduled',
  Live: 'live',
  Completed: 'completed',
  Stopped: 'stopped',
  Failed: 'failed',
} as const;
export type CampaignStatus = (typeof CampaignStatus)[keyof typeof CampaignStatus];
export const campaignStatusSchema = z.enum(
  Object.values(CampaignStatus) as [CampaignStatus, ...CampaignStatus[]],
);

export const campaignChannelSchema = z.enum(['email', 'push', 'sms', 'inApp', 'code']);
export type CampaignChannel = z.infer<typeof campaignChannelSchema>;

/** The message content, as on a journey's message activity: its shape is messageContentSchema's. */
const contentSchema = z.record(z.string(), z.unknown()).default({}).meta({
  title: 'Content',
  description: 'The message content, as a journey message holds it (subject, body, document).',
});

/** The campaign's one channel action. */
export const campaignActionSchema = z
  .object({
    channel: campaignChannelSchema,
    /** Channel configuration name; its channel must be the action's. '' while a draft. */
    configuration: z.string().max(100).default(''),
    content: contentSchema,
    /** A channel rule set (frequency capping): applies to marketing campaigns only. */
    ruleSet: z.string().max(100).optional(),
  })
  .strict();
export type CampaignAction = z.infer<typeof campaignActionSchema>;

/** Scheduled campaigns: who is targeted. The audience is read when a run starts. */
export const campaignAudienceSchema = z
  .object({
    audience: audienceNameSchema,
    /** Only members with an identity in this namespace are targeted; the others are excluded (missingIdentity). */
    namespace: z.string().min(1).max(30),
    /** Evaluate the audience in batch right before each run (else its stored memberships are read). */
    evaluateBeforeRun: z.boolean().default(false),
  })
  .strict();
export type CampaignAudience = z.infer<typeof campaignAudienceSchema>;

const isoDateTime = z.iso.datetime({ offset: true });
/** A local wall-clock time, `HH:MM`. */
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM');

/** When a recurring campaign runs. Times are wall-clock in the schedule's time zone. */
export const recurrenceSchema = z.discriminatedUnion('frequency', [
  z
    .object({
      frequency: z.literal('daily'),
      /** Every N days. */
      every: z.number().int().min(1).max(365).default(1),
      time: timeOfDay,
    })
    .strict(),
  z
    .object({
      frequency: z.literal('weekly'),
      every: z.number().int().min(1).max(52).default(1),
      /** 0 = Sunday … 6 = Saturday. */
      weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7),
      time: timeOfDay,
    })
    .strict(),
  z
    .object({
      frequency: z.literal('monthly'),
      every: z.number().int().min(1).max(12).default(1),
      /** Day of the month, 1-31 (a shorter month runs on its last day). */
      dayOfMonth: z.number().int().min(1).max(31),
      time: timeOfDay,
    })
    .strict(),
  z
    .object({
      frequency: z.literal('cron'),
      /** Five fields: minute hour day-of-month month day-of-week. */
      expression: z
        .string()
        .regex(/^\s*(\S+\s+){4}\S+\s*$/, 'five cron fields: minute hour day month weekday'),
    })
    .strict(),
]);
export type Recurrence = z.infer<typeof recurrenceSchema>;

/**
 * now: one run at activation. at: one run at a date and time. recurring: runs from `startAt` (or
 * activation) until `endAt` (required, so the campaign completes). API-triggered campaigns accept
 * calls between `startAt` and `endAt` of an `at`/`now` schedule; calls outside fail.
 */
export const campaignScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('now') }).strict(),
  z
    .object({
      kind: z.literal('at'),
      at: isoDateTime,
      /** Calls to an API-triggered campaign fail after this. */
      endAt: isoDateTime.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('recurring'),
      recurrence: recurrenceSchema,
      startAt: isoDateTime.optional(),
      endAt: isoDateTime,
    })
    .strict(),
]);
export type CampaignSchedule = z.infer<typeof campaignScheduleSchema>;

/** Throttling: a rate and a cap on the messages of one run (the rest are excluded: throttleCap). */
export const throttleSchema = z
  .object({
    /** Messages per second (AJO's range 1-2,000). */
    ratePerSecond: z.number().int().min(1).max(2000).optional(),
    /** At most this many messages per run. */
    maxMessages: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict();
export type Throttle = z.infer<typeof throttleSchema>;

export const treatmentSchema = z
  .object({
    /** letters, digits, _ and -; never "holdout". */
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - (at most 40)')
      .refine((s) => s.toLowerCase() !== 'holdout', 'a treatment may not be called holdout'),
    name: z.string().min(1).max(100),
    /** Share of the profiles not held out, in percent. */
    percent: z.number().min(0).max(100),
    /** This treatment's content (same shape as the action's); the first treatment is the control. */
    content: contentSchema,
  })
  .strict();
export type Treatment = z.infer<typeof treatmentSchema>;

export const experimentMetricSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('opens') }).strict(),
  z.object({ kind: z.literal('clicks') }).strict(),
  z.object({ kind: z.literal('uniqueClicks') }).strict(),
  z
    .object({
      kind: z.literal('conversion'),
      /** An event type; a profile converts when it sends one within the window after the message. */
      eventType: z.string().min(1).max(100),
      windowHours: z
        .number()
        .int()
        .min(1)
        .max(7 * 24)
        .default(7 * 24),
    })
    .strict(),
]);
export type ExperimentMetric = z.infer<typeof experimentMetricSchema>;

/** After the test phase: keep splitting (none), or send the winner to the profiles held for it. */
export const winnerOptionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('sendWinnerToRest'),
      /** Hours after the test phase's sends before the winner (or, without one, the control) is sent. */
      afterHours: z
        .number()
        .min(1)
        .max(30 * 24),
    })
    .strict(),
]);
export type WinnerOption = z.infer<typeof winnerOptionSchema>;

/**
 * A content experiment: each targeted profile is bucketed (MurmurHash3 of its identity and the
 * campaign's salt into 10,000 buckets, src/experiment) into a treatment or the holdout. With
 * `sendWinnerToRest`, the holdout receives nothing during the test phase and then the winner.
 */
export const experimentSchema = z
  .object({
    treatments: z.array(treatmentSchema).min(2).max(5),
    /** Held out from the test phase, in percent of the targeted profiles (AJO's default 10). */
    holdoutPercent: z.number().min(0).max(90).default(0),
    metric: experimentMetricSchema,
    /** No winner is called before every treatment has this many exposures. */
    minSamplePerArm: z.number().int().min(1).max(1_000_000).default(100),
    winner: winnerOptionSchema.default({ kind: 'none' }),
    /** The bucketing salt; defaults to the campaign id (a new salt re-buckets everyone). */
    salt: z.string().max(100).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const sum = e.treatments.reduce((s, t) => s + t.percent, 0);
    if (Math.abs(sum - 100) > 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['treatments'],
        message: `the treatments' percents must total 100 (they total ${sum})`,
      });
    const seen = new Set<string>();
    for (const [i, t] of e.treatments.entries()) {
      if (seen.has(t.id))
        ctx.addIssue({
          code: 'custom',
          path: ['treatments', i, 'id'],
          message: `duplicate ${t.id}`,
        });
      seen.add(t.id);
    }
  });
export type Experiment = z.infer<typeof experimentSchema>;

/** The campaign as authored (a draft may leave choices empty; activation validates it whole). */
/** A sample context's bound: a trigger call's (AJO's 200 KB). */
export const MAX_SAMPLE_CONTEXT_CHARS = 200 * 1024;

export const campaignDefinitionSchema = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    type: z.enum(['scheduled', 'api-triggered']),
    mode: z.enum(['marketing', 'transactional']).default('marketing'),
    action: campaignActionSchema,
    /** Scheduled campaigns: the audience. */
    audience: campaignAudienceSchema.optional(),
    /** API-triggered campaigns: the namespace of the recipients' identities. */
    namespace: z.string().min(1).max(30).optional(),
    schedule: campaignScheduleSchema.default({ kind: 'now' }),
    /** Time zone of the schedule's wall-clock times (IANA). */
    timeZone: z.string().min(1).max(64).default('UTC'),
    /** Send each profile's message at the scheduled wall-clock time in the profile's time zone. */
    useProfileTimeZone: z.boolean().default(false),
    throttle: throttleSchema.default({}),
    experiment: experimentSchema.optional(),
    labels: labelsSchema,
    /** A trigger call's context to preview the content with ({{context.…}}); never sent. */
    sampleContext: z
      .record(z.string(), z.unknown())
      .refine(
        (v) => JSON.stringify(v).length <= MAX_SAMPLE_CONTEXT_CHARS,
        `at most ${MAX_SAMPLE_CONTEXT_CHARS / 1024} KB of JSON, as a trigger call's context`,
      )
      .optional(),
  })
  .strict();
export type CampaignDefinition = z.infer<typeof campaignDefinitionSchema>;
export type CampaignDefinitionInput = z.input<typeof campaignDefinitionSchema>;

/** What is stored: the definition with its id, status and lifecycle times. */
export const campaignSchema = z
  .object({
    id: objectKeySchema,
    definition: campaignDefinitionSchema,
    status: campaignStatusSchema,
    /** Goes up by one with every stored change (If-Match on drafts). */
    revision: z.number().int().min(1),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    activatedAt: isoDateTime.optional(),
    stoppedAt: isoDateTime.optional(),
    completedAt: isoDateTime.optional(),
    /** The next run's time while scheduled. */
    nextRunAt: isoDateTime.optional(),
  })
  .strict();
export type Campaign = z.infer<typeof campaignSchema>;

/** Why a targeted profile got no message. */
export const exclusionReasonSchema = z.enum([
  'consent',
  'capping',
  'suppression',
  'missingAddress',
  'missingIdentity',
  'throttleCap',
  'holdout',
  'stopped',
  'renderError',
]);
export type ExclusionReason = z.infer<typeof exclusionReasonSchema>;
export const EXCLUSION_REASONS = exclusionReasonSchema.options;

/** A campaign run's state: one per send of a scheduled campaign, one per trigger call otherwise. */
export const campaignRunStatusSchema = z.enum([
  'pending',
  'sending',
  'completed',
  'stopped',
  'failed',
]);
export type CampaignRunStatus = z.infer<typeof campaignRunStatusSchema>;
