// A campaign as stored (object kind `campaign`, keyed by its id): the definition, the lifecycle
// state it was put in, and, once activated, the start of every run (fixed at activation, so a
// restart or an edit of the clock's zone never moves them). What the API shows (scheduled, live,
// completed) is derived from these and the runs' progress (service.ts).
import { z } from 'zod';
import { campaignDefinitionSchema } from '../../model/campaign.ts';

export const winnerDecisionSchema = z.object({
  run: z.number().int().min(1),
  at: z.number(),
  treatment: z.string(),
  basis: z.enum(['analysis', 'control']),
  decidedAt: z.number(),
});
export type WinnerDecision = z.infer<typeof winnerDecisionSchema>;

export const CAMPAIGN_KIND = 'campaign';
/** Trigger calls seen, by `<campaign id>:<request id>` (the answer given, for replays). */
export const CAMPAIGN_TRIGGER_KIND = 'campaignTrigger';

export const storedCampaignSchema = z.object({
  id: z.string(),
  definition: campaignDefinitionSchema,
  state: z.enum(['draft', 'inReview', 'active', 'stopped']),
  createdAt: z.string(),
  updatedAt: z.string(),
  activatedAt: z.string().optional(),
  stoppedAt: z.string().optional(),
  /** Run starts (ms), fixed at activation. */
  runs: z.array(z.number()).default([]),
  /**
   * The experiment's winner sent to the rest (sendWinnerToRest), one entry per run, written once
   * when decided (winner.ts): the treatment, and whether the analysis called it or, without a
   * winner, the control was taken. `at` is when the rest is sent (the run's start + afterHours).
   */
  winners: z.array(winnerDecisionSchema).default([]),
});
export type StoredCampaign = z.infer<typeof storedCampaignSchema>;

/** The stored body decoded; null when it does not parse (an older or damaged record is skipped, not fatal). */
export function decodeCampaign(body: unknown): StoredCampaign | null {
  const r = storedCampaignSchema.safeParse(body);
  return r.success ? r.data : null;
}
