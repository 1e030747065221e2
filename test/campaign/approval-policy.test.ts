// Which approval policy applies to a campaign: by AJO campaign type and channel, the most recent
// match winning, none when nothing matches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchingPolicy, type CampaignApprovalPolicy } from '../../src/campaign/approval-policy.ts';

const scheduledEmail = {
  type: 'scheduled',
  mode: 'marketing',
  action: { channel: 'email' },
} as const;
const transactionalSms = {
  type: 'api-triggered',
  mode: 'transactional',
  action: { channel: 'sms' },
} as const;
const policy = (p: Partial<CampaignApprovalPolicy> & { name: string }): CampaignApprovalPolicy => ({
  allowSelfApproval: false,
  ...p,
});

test('a policy applies by campaign type and channel; without conditions to every campaign', () => {
  const marketingEmail = policy({
    name: 'Marketing email',
    campaignTypes: ['scheduled-marketing'],
    channels: ['email'],
  });
  assert.equal(matchingPolicy([marketingEmail], scheduledEmail), marketingEmail);
  assert.equal(matchingPolicy([marketingEmail], transactionalSms), null);
  const transactional = policy({
    name: 'Transactional',
    campaignTypes: ['api-triggered-transactional'],
  });
  assert.equal(matchingPolicy([transactional], transactionalSms), transactional);
  assert.equal(
    matchingPolicy([transactional], { ...transactionalSms, mode: 'marketing' }),
    null,
    'an API-triggered marketing campaign is another type',
  );
  const all = policy({ name: 'Everything' });
  assert.equal(matchingPolicy([all], transactionalSms), all);
  assert.equal(matchingPolicy([], scheduledEmail), null);
});

test('of several matching policies the most recently added wins', () => {
  const older = policy({ name: 'Older' });
  const newer = policy({ name: 'Newer', channels: ['email'], allowSelfApproval: true });
  assert.equal(matchingPolicy([older, newer], scheduledEmail), newer);
  assert.equal(matchingPolicy([older, newer], transactionalSms), older);
});
