// Campaign approvals: with the sandbox's policy for scheduled email campaigns, Activate is refused
// (approval_required); Alice requests approval, the campaign is in review and locked, she cannot
// approve it herself; Bob approves, the campaign activates and its audience receives the mail.
// A second campaign gets changes requested and is a draft again, with the message in its trail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { ADMIN_KEY } from '../support/server.ts';
import { advance, campaignWorld, emailContent, seedAudience } from './support.ts';

const ALICE = 'test-alice-campaign-manager-0123456789';
const BOB = 'test-bob-campaign-approver-0123456789';
const VIEWER = 'test-vera-viewer-0123456789';

const springSale = (id: string, name: string) => ({
  id,
  name,
  type: 'scheduled',
  mode: 'marketing',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    content: emailContent('Spring Sale', '<p>20% off this week.</p>'),
  },
  audience: { audience: 'Spring shoppers', namespace: 'ECID' },
});

describe('campaign approvals', () => {
  test('request, no self-approval, approve → live and sending; request changes → draft', async () => {
    const w = await campaignWorld();
    const server = await buildServer({
      app: w.app,
      keys: [
        apiKey('admin', ADMIN_KEY),
        apiKey('alice', ALICE, ['prod'], 'journey-manager'),
        apiKey('bob', BOB, ['prod'], 'journey-manager'),
        apiKey('vera', VIEWER, ['prod'], 'viewer'),
      ],
    });
    const as = async (key: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
      const res = await server.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      await w.app.engine.settle();
      return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as any) : null };
    };
    try {
      await seedAudience(w, 'Spring shoppers', 20);
      const settings = await as(ADMIN_KEY, 'PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: {
          journeyPublish: false,
          campaigns: [
            {
              name: 'Marketing email review',
              campaignTypes: ['scheduled-marketing'],
              channels: ['email'],
            },
          ],
        },
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      assert.deepEqual(settings.body.approvals.campaigns, [
        {
          name: 'Marketing email review',
          campaignTypes: ['scheduled-marketing'],
          channels: ['email'],
          allowSelfApproval: false,
        },
      ]);

      for (const [id, name] of [
        ['spring-sale', 'Luma - Spring Sale'],
        ['summer-sale', 'Luma - Summer Sale'],
      ])
        assert.equal(
          (await as(ALICE, 'POST', '/v1/campaigns', springSale(id!, name!))).status,
          201,
        );

      const direct = await as(ALICE, 'POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(direct.status, 409);
      assert.equal(direct.body.error.code, 'approval_required');
      assert.match(direct.body.error.message, /Marketing email review/);

      assert.equal(
        (await as(VIEWER, 'POST', '/v1/campaigns/spring-sale/approval-requests', {})).status,
        403,
        'a viewer cannot request approval',
      );
      const asked = await as(ALICE, 'POST', '/v1/campaigns/spring-sale/approval-requests', {
        comment: 'Spring wording',
      });
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.equal(asked.body.campaign.status, 'inReview');
      assert.deepEqual(
        {
          status: asked.body.approval.status,
          object: asked.body.approval.object.kind,
          policy: asked.body.approval.policy,
        },
        {
          status: 'pending',
          object: 'campaign',
          policy: { name: 'Marketing email review', allowSelfApproval: false },
        },
      );
      // In review: locked, and one request at a time.
      const edit = await as(ALICE, 'PUT', '/v1/campaigns/spring-sale', {
        ...springSale('spring-sale', 'Changed'),
        id: undefined,
      });
      assert.equal(edit.status, 409);
      assert.equal(edit.body.error.code, 'in_review');
      assert.equal(
        (await as(ALICE, 'POST', '/v1/campaigns/spring-sale/approval-requests', {})).status,
        409,
      );
      // The shared queue shows it next to journey requests.
      const queue = await as(BOB, 'GET', '/v1/approvals?status=pending');
      assert.deepEqual(
        queue.body.items.map((a: { object: { kind: string; id: string } }) => a.object),
        [
          {
            kind: 'campaign',
            id: 'spring-sale',
            version: asked.body.campaign.revision,
            name: 'Luma - Spring Sale',
          },
        ],
      );

      const self = await as(ALICE, 'POST', '/v1/campaigns/spring-sale/approve', {});
      assert.equal(self.status, 403, JSON.stringify(self.body));
      assert.match(self.body.error.message, /self-approval/);
      assert.equal((await as(VIEWER, 'POST', '/v1/campaigns/spring-sale/approve', {})).status, 403);
      assert.equal(w.smtp.mails.length, 0, 'nothing sent before the approval');

      const approved = await as(BOB, 'POST', '/v1/campaigns/spring-sale/approve', {
        comment: 'Looks right',
      });
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.approval.status, 'approved');
      assert.equal(approved.body.approval.decidedBy.name, 'bob');
      assert.equal(approved.body.campaign.status, 'live');
      await advance(w, 30_000);
      assert.equal(w.smtp.mails.length, 20, 'every member of the audience is sent the mail');

      // Request changes: back to draft, with the message; editable and requestable again.
      assert.equal(
        (await as(ALICE, 'POST', '/v1/campaigns/summer-sale/approval-requests', {})).status,
        201,
      );
      const noMessage = await as(BOB, 'POST', '/v1/campaigns/summer-sale/request-changes', {});
      assert.equal(noMessage.status, 400, JSON.stringify(noMessage.body));
      const changes = await as(BOB, 'POST', '/v1/campaigns/summer-sale/request-changes', {
        comment: 'Use the summer banner',
      });
      assert.equal(changes.status, 200, JSON.stringify(changes.body));
      assert.equal(changes.body.campaign.status, 'draft');
      assert.equal(changes.body.approval.status, 'rejected');
      assert.equal(
        (
          await as(ALICE, 'PUT', '/v1/campaigns/summer-sale', {
            ...springSale('summer-sale', 'Luma - Summer Sale 2'),
            id: undefined,
          })
        ).status,
        200,
      );
      const trail = await as(VIEWER, 'GET', '/v1/campaigns/summer-sale/approval-requests');
      assert.deepEqual(
        trail.body.items.map((a: { status: string; decisionComment: string | null }) => [
          a.status,
          a.decisionComment,
        ]),
        [['rejected', 'Use the summer banner']],
      );
      assert.equal(w.smtp.mails.length, 20, 'the summer sale sent nothing');

      // Journey decisions are not taken on campaign requests.
      const viaJourneyRoute = await as(
        BOB,
        'POST',
        `/v1/approvals/${asked.body.approval.id}/approve`,
        {},
      );
      assert.equal(viaJourneyRoute.status, 409);

      // The audit log: who asked, who approved, who requested changes.
      const log = await as(ADMIN_KEY, 'GET', '/v1/audit-log?object=campaign:spring-sale');
      assert.deepEqual(
        (log.body.items as Array<{ action: string; actor: { name: string } }>)
          .filter((e) => e.action.startsWith('campaign.'))
          .map((e) => [e.action, e.actor.name]),
        [
          ['campaign.approval.approve', 'bob'],
          ['campaign.approval.request', 'alice'],
          ['campaign.create', 'alice'],
        ],
      );
    } finally {
      await server.close();
      await w.close();
    }
  });

  test('a campaign no policy matches activates directly; self-approval where the policy allows it', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', 3);
      const put = await w.request('PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: {
          journeyPublish: false,
          campaigns: [{ name: 'SMS only', channels: ['sms'] }],
        },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      await w.request('POST', '/v1/campaigns', springSale('spring-sale', 'Luma - Spring Sale'));
      const a = await w.request('POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(a.body.status, 'live');

      await w.request('PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: {
          journeyPublish: false,
          campaigns: [{ name: 'Self-service', allowSelfApproval: true }],
        },
      });
      await w.request('POST', '/v1/campaigns', springSale('summer-sale', 'Luma - Summer Sale'));
      const asked = await w.request('POST', '/v1/campaigns/summer-sale/approval-requests', {});
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      const self = await w.request('POST', '/v1/campaigns/summer-sale/approve', {});
      assert.equal(self.status, 200, JSON.stringify(self.body));
      assert.equal(self.body.campaign.status, 'live');
    } finally {
      await w.close();
    }
  });
});
