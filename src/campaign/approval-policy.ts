// Campaign approval policies (AJO's approval policies with scope Campaigns): a sandbox lists them
// in its settings; with one matching a campaign, Activate becomes Request approval and someone
// holding campaigns.publish approves (activating it) or requests changes. Pure: no I/O.
import { z } from 'zod';
import { namedApproversSchema, type NamedApprovers } from '../access/approval-decision.ts';
import {
  campaignChannelSchema,
  type CampaignChannel,
  type CampaignDefinition,
} from '../model/campaign.ts';

/** AJO's campaign types: what a policy's condition names. */
export const approvalCampaignTypeSchema = z.enum([
  'scheduled-marketing',
  'api-triggered-marketing',
  'api-triggered-transactional',
]);
export type ApprovalCampaignType = z.infer<typeof approvalCampaignTypeSchema>;

export const campaignApprovalPolicySchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Campaigns of these types only; every type when absent. */
    campaignTypes: z.array(approvalCampaignTypeSchema).min(1).optional(),
    /** Campaigns sending on these channels only; every channel when absent. */
    channels: z.array(campaignChannelSchema).min(1).optional(),
    /** Whether the requester may approve their own request (AJO: Block self-approval off). */
    allowSelfApproval: z.boolean().default(false),
    /** Only these users (ids or emails) and roles decide; anyone with campaigns.publish when absent. */
    approvers: namedApproversSchema.optional(),
  })
  .strict();
/** A policy as read (settings answers are deeply read-only). */
export interface CampaignApprovalPolicy {
  readonly name: string;
  readonly campaignTypes?: readonly ApprovalCampaignType[] | undefined;
  readonly channels?: readonly CampaignChannel[] | undefined;
  readonly allowSelfApproval: boolean;
  readonly approvers?: NamedApprovers | undefined;
}

/** A definition's AJO campaign type (a scheduled campaign is always marketing). */
export function approvalTypeOf(
  def: Pick<CampaignDefinition, 'type' | 'mode'>,
): ApprovalCampaignType {
  switch (def.type) {
    case 'scheduled':
      return 'scheduled-marketing';
    case 'api-triggered':
      return def.mode === 'transactional'
        ? 'api-triggered-transactional'
        : 'api-triggered-marketing';
    default: {
      const never: never = def.type;
      throw new Error(`unhandled campaign type ${String(never)}`);
    }
  }
}

/**
 * The policy that applies to a campaign, or null. Policies are listed oldest first, so the last
 * match is the most recently added: AJO lets the most recently activated policy win.
 */
export function matchingPolicy(
  policies: readonly CampaignApprovalPolicy[],
  def: Pick<CampaignDefinition, 'type' | 'mode'> & { action: { channel: CampaignChannel } },
): CampaignApprovalPolicy | null {
  const type = approvalTypeOf(def);
  return (
    policies.findLast(
      (p) =>
        (p.campaignTypes === undefined || p.campaignTypes.includes(type)) &&
        (p.channels === undefined || p.channels.includes(def.action.channel)),
    ) ?? null
  );
}
