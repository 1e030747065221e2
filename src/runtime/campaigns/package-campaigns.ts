// Campaigns in packages: `{ kind: campaign, id, spec: <definition>, publish?: true }`. A new one is
// created as a draft (and activated with `publish`); a draft is replaced; an activated campaign is
// never changed by a package (AJO: live campaigns are not edited), so a different one is skipped.
import { isDeepStrictEqual } from 'node:util';
import { toWaymarkError, type ErrorIssue } from '../../errors.ts';
import { campaignDefinitionSchema } from '../../model/campaign.ts';
import type { PackageObject } from '../../model/package.ts';
import { zodIssues } from '../zod-issues.ts';
import type { CampaignService } from './service.ts';
import { CAMPAIGN_KIND } from './stored.ts';

export { CAMPAIGN_KIND };

export function campaignPackageIssues(o: PackageObject, at: string): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (!o.id)
    issues.push({
      path: `${at}.id`,
      message: 'a campaign needs an id',
      expected: 'string',
      received: 'nothing',
    });
  const r = campaignDefinitionSchema.safeParse(o.spec);
  if (!r.success)
    for (const x of zodIssues(r.error)) issues.push({ ...x, path: `${at}.spec.${x.path}` });
  return issues;
}

export async function campaignPackageState(
  campaigns: CampaignService,
  sandbox: string,
  o: PackageObject,
): Promise<'new' | 'same' | 'differs'> {
  const existing = await campaigns.load(sandbox, o.id!).catch(() => null);
  if (!existing) return 'new';
  const def = campaignDefinitionSchema.parse(o.spec);
  return isDeepStrictEqual(
    JSON.parse(JSON.stringify(def)),
    JSON.parse(JSON.stringify(existing.c.definition)),
  )
    ? 'same'
    : 'differs';
}

export async function applyCampaign(
  campaigns: CampaignService,
  sandbox: string,
  o: PackageObject,
): Promise<{
  status: 'created' | 'updated' | 'unchanged' | 'skipped' | 'published' | 'publish_failed';
  message?: string;
}> {
  const id = o.id!;
  const existing = await campaigns.load(sandbox, id).catch(() => null);
  let status: 'created' | 'updated' | 'unchanged';
  if (!existing) {
    await campaigns.create(sandbox, id, o.spec);
    status = 'created';
  } else if ((await campaignPackageState(campaigns, sandbox, o)) === 'same') status = 'unchanged';
  else if (existing.c.state !== 'draft')
    return {
      status: 'skipped',
      message: `campaign "${id}" is ${existing.c.state === 'active' ? 'activated' : existing.c.state}: it cannot change`,
    };
  else {
    await campaigns.update(sandbox, id, o.spec);
    status = 'updated';
  }
  const now = await campaigns.load(sandbox, id);
  if (!o.publish || now.c.state !== 'draft') return { status };
  try {
    await campaigns.activate(sandbox, id);
    return { status: 'published' };
  } catch (e) {
    const err = toWaymarkError(e);
    return {
      status: 'publish_failed',
      message: [err.message, ...err.issues.map((i) => `${i.path}: ${i.message}`)].join('; '),
    };
  }
}
