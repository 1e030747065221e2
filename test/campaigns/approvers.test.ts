// Named approvers: a campaign approval policy (and the sandbox's journey approvals) may name the
// users and roles who decide. Then only they approve or request changes, even if others hold the
// publish permission; GET /v1/approvals/notifications tells each caller what waits for them and
// which of their requests were decided. Real HTTP routes (inject), API keys and a signed-in user.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { approvalNotificationsAnswer } from '../../src/access/api-schemas.ts';
import { apiKey } from '../../src/api/auth.ts';
import { buildServer } from '../../src/api/server.ts';
import { builtInRole } from '../../src/access/roles.ts';
import { ADMIN_KEY } from '../support/server.ts';
import { campaignWorld, emailContent, seedAudience } from './support.ts';

const ALICE = 'test-alice-campaign-manager-0123456789';
const CARL = 'test-carl-not-an-approver-0123456789';
const DORA = 'test-dora-brand-reviewer-0123456789';

const springSale = {
  id: 'spring-sale',
  name: 'Luma - Spring Sale',
  type: 'scheduled',
  mode: 'marketing',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    content: emailContent('Spring Sale', '<p>20% off this week.</p>'),
  },
  audience: { audience: 'Spring shoppers', namespace: 'ECID' },
};

describe('named approvers', () => {
  test('only the named users and roles decide; notifications say what waits for whom', async () => {
    const w = await campaignWorld();
    const server = await buildServer({
      app: w.app,
      keys: [
        apiKey('admin', ADMIN_KEY),
        apiKey('alice', ALICE, ['prod'], 'journey-manager'),
        apiKey('carl', CARL, ['prod'], 'journey-manager'),
        apiKey('dora', DORA, ['prod'], {
          ...builtInRole('viewer')!,
          name: 'brand-reviewer',
          title: 'Brand reviewer',
          permissions: [
            ...builtInRole('viewer')!.permissions,
            'campaigns.publish',
            'journeys.publish',
          ],
          builtIn: false,
        }),
      ],
    });
    type Headers = Record<string, string>;
    const call = async (
      headers: Headers,
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      body?: unknown,
    ) => {
      const res = await server.inject({
        method,
        url,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      await w.app.engine.settle();
      return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as any) : null };
    };
    const as = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
      call({ authorization: `Bearer ${key}` }, method, url, body);
    const notes = async (headers: Headers) => {
      const r = await call(headers, 'GET', '/v1/approvals/notifications');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      approvalNotificationsAnswer.parse(r.body);
      return {
        waiting: (r.body.waitingForYou as Array<{ object: { id: string } }>).map(
          (a) => a.object.id,
        ),
        decided: (
          r.body.yourRequestsDecided as Array<{ object: { id: string }; status: string }>
        ).map((a) => [a.object.id, a.status]),
      };
    };
    try {
      await seedAudience(w, 'Spring shoppers', 5);
      // Ben, a person, signs in to the console.
      const ben = await as(ADMIN_KEY, 'POST', '/v1/users', {
        email: 'ben@luma.example',
        name: 'Ben',
        password: 'correct horse battery',
        roles: [{ role: 'journey-manager', sandboxes: ['prod'] }],
      });
      assert.equal(ben.status, 201, JSON.stringify(ben.body));
      const session = await server.inject({
        method: 'POST',
        url: '/v1/session',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'ben@luma.example', password: 'correct horse battery' }),
      });
      assert.equal(session.statusCode, 200, session.body);
      const BEN: Headers = {
        cookie: String(session.headers['set-cookie'] ?? '').split(';')[0]!,
        'x-csrf-token': (JSON.parse(session.body) as { csrfToken: string }).csrfToken,
        'x-sandbox-name': 'prod',
      };

      const approvers = { users: ['BEN@luma.example'], roles: ['brand-reviewer'] };
      const put = await as(ADMIN_KEY, 'PUT', '/v1/sandboxes/prod/settings', {
        retentionDays: null,
        approvals: {
          journeyPublish: true,
          journeyApprovers: { users: [], roles: ['brand-reviewer'] },
          campaigns: [{ name: 'Brand review', approvers }],
        },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const settings = await as(ADMIN_KEY, 'GET', '/v1/sandboxes/prod/settings');
      assert.deepEqual(settings.body.approvals.campaigns[0].approvers, approvers);
      assert.deepEqual(settings.body.approvals.journeyApprovers, {
        users: [],
        roles: ['brand-reviewer'],
      });

      assert.equal((await as(ALICE, 'POST', '/v1/campaigns', springSale)).status, 201);
      const asked = await as(ALICE, 'POST', '/v1/campaigns/spring-sale/approval-requests', {});
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      assert.deepEqual(asked.body.approval.approvers, approvers, 'the request names its deciders');
      const policy = await as(ALICE, 'GET', '/v1/campaigns/spring-sale/approval-requests');
      assert.deepEqual(policy.body.policy.approvers, approvers);

      // Who it waits for: Ben (named) and Dora (her role); not Carl, not the requester.
      assert.deepEqual((await notes(BEN)).waiting, ['spring-sale']);
      assert.deepEqual((await notes({ authorization: `Bearer ${DORA}` })).waiting, ['spring-sale']);
      assert.deepEqual((await notes({ authorization: `Bearer ${CARL}` })).waiting, []);
      assert.deepEqual((await notes({ authorization: `Bearer ${ALICE}` })).waiting, []);

      // Carl holds campaigns.publish but is not named: refused, either way.
      const carl = await as(CARL, 'POST', '/v1/campaigns/spring-sale/approve', {});
      assert.equal(carl.status, 403, JSON.stringify(carl.body));
      assert.equal(carl.body.error.details.reason, 'notAnApprover');
      assert.match(
        carl.body.error.message,
        /Brand review.*ben@luma\.example.*role brand-reviewer/i,
      );
      assert.equal(
        (await as(CARL, 'POST', '/v1/campaigns/spring-sale/request-changes', { comment: 'no' }))
          .status,
        403,
      );
      // Ben, named by email (in any case), approves.
      const approved = await call(BEN, 'POST', '/v1/campaigns/spring-sale/approve', {});
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.approval.decidedBy.name, 'ben@luma.example');
      assert.equal(approved.body.campaign.status, 'live');

      // Alice hears of it; nothing waits for Ben any more.
      assert.deepEqual((await notes({ authorization: `Bearer ${ALICE}` })).decided, [
        ['spring-sale', 'approved'],
      ]);
      assert.deepEqual((await notes(BEN)).waiting, []);

      // Journeys: the sandbox's journey approvers (the role) decide; Ben is not one of them.
      assert.equal((await as(ALICE, 'POST', '/v1/journeys/purchase-journey/versions')).status, 201);
      const journey = await as(
        ALICE,
        'POST',
        '/v1/journeys/purchase-journey/approval-requests',
        {},
      );
      assert.equal(journey.status, 201, JSON.stringify(journey.body));
      assert.deepEqual(journey.body.approvers, { users: [], roles: ['brand-reviewer'] });
      const byBen = await call(BEN, 'POST', `/v1/approvals/${journey.body.id}/approve`, {});
      assert.equal(byBen.status, 403, JSON.stringify(byBen.body));
      assert.equal(byBen.body.error.details.reason, 'notAnApprover');
      assert.deepEqual((await notes({ authorization: `Bearer ${DORA}` })).waiting, [
        'purchase-journey',
      ]);
      const byDora = await as(DORA, 'POST', `/v1/approvals/${journey.body.id}/reject`, {
        comment: 'Wording',
      });
      assert.equal(byDora.status, 200, JSON.stringify(byDora.body));
      assert.deepEqual((await notes({ authorization: `Bearer ${ALICE}` })).decided, [
        ['purchase-journey', 'rejected'],
        ['spring-sale', 'approved'],
      ]);
    } finally {
      await server.close();
      await w.close();
    }
  });
});
