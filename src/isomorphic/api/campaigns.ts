// /v1/campaigns: the bodies the server accepts and the answers it gives. The schemas the console's
// types are inferred from; the campaign tests hold the server to them. docs/campaigns.md lists the
// routes.
import { z } from 'zod';
import { cellOutcomes } from '../../campaign/report-cell.ts';
import { audienceNameSchema } from '../../model/audience.ts';
import {
  campaignChannelSchema,
  campaignDefinitionSchema,
  campaignRunStatusSchema,
  campaignStatusSchema,
  exclusionReasonSchema,
} from '../../model/campaign.ts';

export {
  campaignDefinitionSchema,
  campaignStatusSchema,
  exclusionReasonSchema,
} from '../../model/campaign.ts';

/** POST /v1/campaigns: the definition, and an id (else one is made from the name). */
export const createCampaignBody = campaignDefinitionSchema.extend({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'letters, digits, _ . - (at most 80)')
    .optional(),
});
/** PUT /v1/campaigns/:id (a draft; If-Match: the revision's ETag): the whole definition. */
export const updateCampaignBody = campaignDefinitionSchema;

/** GET /v1/campaigns/:id, and the answer of create, update, activate and stop. */
export const campaignViewSchema = z
  .object({
    id: z.string(),
    definition: campaignDefinitionSchema,
    status: campaignStatusSchema,
    revision: z.number().int(),
    /** The revision as an ETag, for If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    activatedAt: z.string().optional(),
    stoppedAt: z.string().optional(),
    completedAt: z.string().optional(),
    /** While scheduled: when the next run starts. */
    nextRunAt: z.string().optional(),
    /** What blocks activation (empty when it may be activated), each naming the field. */
    problems: z.array(z.object({ path: z.string(), message: z.string() }).strict()),
  })
  .strict();
export type CampaignView = z.infer<typeof campaignViewSchema>;

/** Counts of one run, of one treatment, or of the whole campaign. */
export const campaignCountsSchema = z
  .object({
    /** Profiles (or recipients) considered, before exclusions. */
    targeted: z.number().int(),
    excluded: z.number().int(),
    /** Excluded profiles by reason (every reason present, 0 when none). */
    excludedBy: z.record(exclusionReasonSchema, z.number().int()),
    sent: z.number().int(),
    delivered: z.number().int(),
    bounced: z.number().int(),
    opened: z.number().int(),
    clicked: z.number().int(),
    unsubscribed: z.number().int(),
    errors: z.number().int(),
  })
  .strict();
export type CampaignCounts = z.infer<typeof campaignCountsSchema>;

/** Each item of GET /v1/campaigns. */
export const campaignListEntrySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(['scheduled', 'api-triggered']),
    mode: z.enum(['marketing', 'transactional']),
    channel: campaignChannelSchema,
    status: campaignStatusSchema,
    revision: z.number().int(),
    updatedAt: z.string(),
    nextRunAt: z.string().optional(),
    labels: z.array(z.string()),
    /** Totals over every run. */
    counts: campaignCountsSchema,
    /** The latest run that started: when, and what it sent (none before the first run). */
    lastRun: z.object({ at: z.string(), sent: z.number().int() }).strict().optional(),
  })
  .strict();
export const campaignListAnswer = z.object({ items: z.array(campaignListEntrySchema) }).strict();

/** A recipient of a trigger call: a profile by identity, or (transactional) an address. */
export const triggerRecipientSchema = z.union([
  z
    .object({
      /** The identity in the campaign's namespace (or `namespace`). */
      identity: z.string().min(1).max(200),
      namespace: z.string().min(1).max(30).optional(),
      /** Per-recipient context, merged over the call's. */
      context: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
  z
    .object({
      /** Transactional only: an email address or phone number for someone who may have no profile. */
      address: z.string().min(3).max(320),
      context: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);
export type TriggerRecipient = z.infer<typeof triggerRecipientSchema>;

/** POST /v1/campaigns/:id/trigger. */
export const triggerBody = z
  .object({
    /** Idempotency key: the same key answers the first call's answer again and sends nothing. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'letters, digits, _ . : - (at most 100)'),
    recipients: z.array(triggerRecipientSchema).min(1).max(20),
    /** Usable in content as {{context.x}}; at most 200 KB. */
    context: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type TriggerBody = z.infer<typeof triggerBody>;

export const triggerRecipientResultSchema = z
  .object({
    /** The recipient's position in the call. */
    index: z.number().int(),
    /** This recipient's message request id (delivery log, reports). */
    requestId: z.string(),
    status: z.enum(['accepted', 'excluded', 'rejected']),
    /** Why excluded (a reason) or rejected (unknown profile, no address, bad address). */
    reason: z.string().optional(),
    profileId: z.string().optional(),
  })
  .strict();

/** The answer to a trigger call (202). */
export const triggerAnswer = z
  .object({
    campaignId: z.string(),
    requestId: z.string(),
    /** True when this key was seen before: the first call's answer, nothing sent again. */
    replayed: z.boolean(),
    recipients: z.array(triggerRecipientResultSchema),
  })
  .strict();
export type TriggerAnswer = z.infer<typeof triggerAnswer>;

/** One arm of an experiment's analysis. */
export const experimentArmAnalysisSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    control: z.boolean(),
    /** Profiles sent the treatment (metric clicks: messages sent). */
    exposures: z.number().int(),
    /** Of those, the profiles (clicks: messages) that did the metric. */
    successes: z.number().int(),
    /** Every event counted (opens, clicks, conversions), repeats included. */
    events: z.number().int(),
    /** successes / exposures. */
    rate: z.number(),
    /** Relative lift of the rate against the control's; null for the control or a control at 0. */
    lift: z.number().nullable(),
    /** The lift's confidence interval (at `confidence`). */
    liftLow: z.number().nullable(),
    liftHigh: z.number().nullable(),
    /** P(this treatment's true rate is the highest), Bayesian beta-binomial. */
    probabilityBest: z.number(),
    hasMinimumSample: z.boolean(),
  })
  .strict();

/** A run's winner send to the rest (sendWinnerToRest). */
export const winnerSendSchema = z
  .object({
    run: z.number().int(),
    /** When the rest is (or was) sent: the run's start + afterHours. */
    at: z.string(),
    /** pending: not decided yet; decided: the winner is stored and the rest is being (or was) sent. */
    state: z.enum(['pending', 'decided']),
    /** The treatment sent to the rest; null while pending. */
    treatment: z.string().nullable(),
    /** analysis: the analysis called it; control: no winner was called, the control is sent. */
    basis: z.enum(['analysis', 'control']).nullable(),
    decidedAt: z.string().nullable(),
  })
  .strict();
export type WinnerSendView = z.infer<typeof winnerSendSchema>;

export const experimentAnalysisSchema = z
  .object({
    /** The metric, e.g. opens, clicks, uniqueClicks, conversion:<event type>. */
    metric: z.string(),
    /** Conversion metrics: the window after the send, in hours. */
    windowHours: z.number().nullable(),
    /** How it is computed (docs/experiments.md). */
    method: z.string(),
    status: z.enum(['collecting', 'inconclusive', 'winner']),
    winner: z.string().nullable(),
    /** The treatment most likely to be best so far. */
    leader: z.string(),
    confidence: z.number(),
    minSamplePerArm: z.number().int(),
    arms: z.array(experimentArmAnalysisSchema),
    /**
     * The profiles held out of the test (the audience's members the split holds out): their number,
     * and for conversion metrics those that converted within the window (the baseline with no
     * message; null for opens and clicks).
     */
    holdout: z
      .object({
        /** The share held out, in percent of the targeted profiles. */
        percent: z.number(),
        size: z.number().int(),
        successes: z.number().int().nullable(),
        rate: z.number().nullable(),
      })
      .strict(),
    /** With sendWinnerToRest: per run, when the rest is (or was) sent and what. */
    winnerSends: z.array(winnerSendSchema),
  })
  .strict();
export type ExperimentAnalysisView = z.infer<typeof experimentAnalysisSchema>;

export const campaignRunReportSchema = z
  .object({
    runId: z.string(),
    /** The run's scheduled time (API-triggered campaigns: the run of the day, in UTC). */
    scheduledAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    status: campaignRunStatusSchema,
    counts: campaignCountsSchema,
    /** Per treatment id (and "holdout"), for experiments. */
    treatments: z.record(z.string(), campaignCountsSchema),
  })
  .strict();
export type CampaignRunReport = z.infer<typeof campaignRunReportSchema>;

/** GET /v1/campaigns/:id/report. */
export const campaignReportAnswer = z
  .object({
    campaignId: z.string(),
    status: campaignStatusSchema,
    totals: campaignCountsSchema,
    runs: z.array(campaignRunReportSchema),
    /** The experiment's analysis over every run; null without an experiment. */
    experiment: experimentAnalysisSchema.nullable(),
    /** Sends per hour over every run. */
    overTime: z.array(z.object({ hour: z.string(), sent: z.number().int() }).strict()),
  })
  .strict();
export type CampaignReport = z.infer<typeof campaignReportAnswer>;

/** GET /v1/campaigns/:id/audience-estimate: the audience's size now, before activation. */
export const audienceEstimateAnswer = z
  .object({
    audience: z.string(),
    namespace: z.string(),
    /** Realized members of the audience. */
    members: z.number().int(),
    /** Members with an identity in the campaign's namespace: the targeted count at a run now. */
    withIdentity: z.number().int(),
    estimatedAt: z.string(),
  })
  .strict();
export type AudienceEstimate = z.infer<typeof audienceEstimateAnswer>;

/**
 * POST /v1/campaigns/:id/audiences: an audience of the profiles one report cell counts (an outcome
 * of every run, of one run, or of one treatment of a run), read from the campaign's stored records.
 */
export const campaignAudienceBody = z
  .object({
    name: audienceNameSchema.describe('The new audience (unique in the sandbox).'),
    outcome: z.enum(cellOutcomes).describe("The report's column."),
    /** With outcome "excluded" only (refused with another): one reason's column. */
    reason: exclusionReasonSchema.optional(),
    /** The run's number (1 is the first); every run when absent. */
    run: z.number().int().min(1).max(100_000).optional(),
    /** A treatment id, or "winner" (the rest, sent after the test); every treatment when absent. */
    treatment: z.string().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    /** The identity namespace the audience's members are read in (read-audience journeys). */
    namespace: z.string().min(1).max(30).optional(),
  })
  .strict();
export type CampaignAudienceBody = z.infer<typeof campaignAudienceBody>;

/** The answer (201): the audience made and its size (its members are stored already). */
export const campaignAudienceAnswer = z
  .object({
    audience: z
      .object({
        name: z.string(),
        description: z.string().optional(),
        origin: z.literal('uploaded'),
        namespace: z.string().optional(),
      })
      .strict(),
    size: z.number().int(),
  })
  .strict();
export type CampaignAudienceAnswer = z.infer<typeof campaignAudienceAnswer>;
