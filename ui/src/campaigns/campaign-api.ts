// The campaign pages' requests (/v1/campaigns, docs/campaigns.md), typed from the server's schemas.
import type { Answer, Body } from '@waymark/shared/api/answer.ts';
import type {
  audienceEstimateAnswer,
  campaignAudienceAnswer,
  campaignAudienceBody,
  campaignListAnswer,
  campaignReportAnswer,
  campaignViewSchema,
  createCampaignBody,
  triggerBody,
} from '@waymark/shared/api/campaigns.ts';
import type { Permission } from '@waymark/shared/access/permissions.ts';
import type { Api } from '../api/client.ts';
import type { ApprovalView } from '@waymark/shared/api/access.ts';
import { CampaignStatus as CampaignStatuses } from '@waymark/shared/model/campaign.ts';

export type CampaignView = Answer<typeof campaignViewSchema>;
export type CampaignDef = CampaignView['definition'];
export type CampaignListEntry = Answer<typeof campaignListAnswer>['items'][number];
export type CampaignReport = Answer<typeof campaignReportAnswer>;
export type CampaignCounts = CampaignReport['totals'];
export type AudienceEstimate = Answer<typeof audienceEstimateAnswer>;
export type CreateCampaign = Body<typeof createCampaignBody>;
export type TriggerCall = Body<typeof triggerBody>;
/** An audience from one cell of the report: the outcome, and the run, treatment or reason. */
export type CellAudienceBody = Body<typeof campaignAudienceBody>;
export type CellAudienceAnswer = Answer<typeof campaignAudienceAnswer>;
export type CampaignStatus = CampaignView['status'];
export type CampaignChannel = CampaignDef['action']['channel'];
export type CampaignSchedule = CampaignDef['schedule'];
export type CampaignExperiment = NonNullable<CampaignDef['experiment']>;

/** What each campaign page needs (src/api/route-permissions.ts). */
export const CAMPAIGN_PERMISSION = {
  view: 'campaigns.view',
  manage: 'campaigns.manage',
  publish: 'campaigns.publish',
  delete: 'campaigns.delete',
} as const satisfies Record<string, Permission>;

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = Object.values(CampaignStatuses);

/** A campaign's approval requests (newest first) and the policy that applies to it now. */
export interface CampaignApprovals {
  readonly items: readonly ApprovalView[];
  readonly policy: { readonly name: string; readonly allowSelfApproval: boolean } | null;
}
/** A request or decision, and the campaign after it (approval null: activated, no policy applied). */
export interface CampaignDecision {
  readonly approval: ApprovalView | null;
  readonly campaign: CampaignView;
}

const path = (id: string, tail = '') => `/v1/campaigns/${encodeURIComponent(id)}${tail}`;

export interface Stored {
  readonly view: CampaignView;
  /** The revision's ETag, sent back as If-Match. */
  readonly etag: string;
}

const stored = (r: { body: CampaignView; etag: string | null }): Stored => ({
  view: r.body,
  etag: r.etag ?? r.body.etag,
});

export const campaignApi = (api: Api) => ({
  list: () => api.get<Answer<typeof campaignListAnswer>>('/v1/campaigns').then((r) => r.items),
  read: (id: string) => api.exchange<CampaignView>('GET', path(id)).then(stored),
  create: (body: CreateCampaign) =>
    api.exchange<CampaignView>('POST', '/v1/campaigns', body).then(stored),
  update: (id: string, def: CampaignDef, etag: string) =>
    api.exchange<CampaignView>('PUT', path(id), def, { 'if-match': etag }).then(stored),
  remove: (id: string) => api.del(path(id)),
  activate: (id: string) =>
    api.exchange<CampaignView>('POST', path(id, '/activate'), {}).then(stored),
  stop: (id: string) => api.exchange<CampaignView>('POST', path(id, '/stop'), {}).then(stored),
  approvals: (id: string) => api.get<CampaignApprovals>(path(id, '/approval-requests')),
  requestApproval: (id: string, comment: string) =>
    api.post<CampaignDecision>(path(id, '/approval-requests'), comment ? { comment } : {}),
  approve: (id: string) => api.post<CampaignDecision>(path(id, '/approve'), {}),
  requestChanges: (id: string, comment: string) =>
    api.post<CampaignDecision>(path(id, '/request-changes'), { comment }),
  cancelApproval: (id: string) =>
    api.post<CampaignDecision>(path(id, '/approval-requests/cancel'), {}),
  report: (id: string) => api.get<CampaignReport>(path(id, '/report')),
  estimate: (id: string) => api.get<AudienceEstimate>(path(id, '/audience-estimate')),
  audienceFromCell: (id: string, body: CellAudienceBody) =>
    api.post<CellAudienceAnswer>(path(id, '/audiences'), body),
});
export type CampaignApi = ReturnType<typeof campaignApi>;
