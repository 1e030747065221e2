// API-triggered campaigns: a transactional send renders the call's context, reaches a profile
// that withdrew marketing consent and is capped, still honours suppression, and sends to an
// address nobody has a profile for; a call repeated with its request id sends nothing again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { triggerAnswer } from '../../src/isomorphic/api/campaigns.ts';
import { ROLE_KEYS } from '../support/server.ts';
import { addressOf, campaignWorld, dailyCap, seedAudience, type CampaignWorld } from './support.ts';

const orderShipped = {
  id: 'order-shipped',
  name: 'Luma - Order Shipped',
  type: 'api-triggered',
  mode: 'transactional',
  namespace: 'ECID',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    ruleSet: 'Campaign daily cap',
    content: {
      subject: 'Order {{context.order.id}} has shipped',
      html: '<p>Hi {{profile.person.name.firstName}}, your order {{context.order.id}} is on its way: {{context.trackingUrl}}</p>',
    },
  },
};

async function live(w: CampaignWorld): Promise<void> {
  await dailyCap(w);
  // 0: no marketing consent; 1: capped (an email an hour ago, one a day allowed); 2: suppressed.
  await seedAudience(w, 'Known shoppers', 3, (i) =>
    i === 0 ? 'noConsent' : i === 1 ? 'capped' : 'suppressed',
  );
  const c = await w.request('POST', '/v1/campaigns', orderShipped);
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const a = await w.request('POST', '/v1/campaigns/order-shipped/activate');
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.equal(a.body.status, 'live');
}

describe('API-triggered campaigns', () => {
  test('a transactional send renders the context, bypasses consent and capping, honours suppression', async () => {
    const w = await campaignWorld();
    try {
      await live(w);
      const r = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'ship-1001',
        recipients: [
          { identity: 'ecid-0' },
          { identity: 'ecid-1', context: { order: { id: 'B-7' } } },
          { identity: 'ecid-2' },
          { address: 'newcomer@example.org' },
          { identity: 'ecid-404' },
        ],
        context: { order: { id: 'A-1001' }, trackingUrl: 'https://track.example/A-1001' },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      triggerAnswer.parse(r.body);
      assert.deepEqual(
        r.body.recipients.map((x: any) => x.status),
        ['accepted', 'accepted', 'accepted', 'accepted', 'rejected'],
      );
      assert.match(r.body.recipients[4].reason, /^unknown_profile/);
      assert.equal(new Set(r.body.recipients.map((x: any) => x.requestId)).size, 5);

      const byTo = new Map(w.smtp.mails.map((m) => [m.to, m]));
      assert.equal(byTo.get(addressOf(0))?.subject, 'Order A-1001 has shipped', 'no consent: sent');
      assert.match(byTo.get(addressOf(0))!.text, /https:\/\/track\.example\/A-1001/);
      assert.equal(
        byTo.get(addressOf(1))?.subject,
        'Order B-7 has shipped',
        'capped: sent, with its own context',
      );
      assert.ok(!byTo.has(addressOf(2)), 'a suppressed address is never sent to');
      assert.equal(byTo.get('newcomer@example.org')?.subject, 'Order A-1001 has shipped');
      assert.equal(w.smtp.mails.length, 3);
      const profile = await w.app.profiles.get('prod', 'Email', 'newcomer@example.org');
      assert.equal(profile.id, r.body.recipients[3].profileId, 'a profile made for the address');

      const report = (await w.request('GET', '/v1/campaigns/order-shipped/report')).body;
      assert.equal(report.totals.targeted, 4);
      assert.equal(report.totals.sent, 3);
      assert.equal(report.totals.excludedBy.suppression, 1);
    } finally {
      await w.close();
    }
  });

  test('an address on the suppression list is excluded with the reason, transactional or not', async () => {
    const w = await campaignWorld();
    try {
      await live(w);
      const added = await w.request('POST', '/v1/suppressions', {
        address: 'Blocked@Example.org',
        reason: 'complaint',
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      const r = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'ship-3003',
        recipients: [{ address: 'blocked@example.org' }, { address: 'open@example.org' }],
        context: { order: { id: 'E-5' } },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.deepEqual(
        w.smtp.mails.map((m) => m.to),
        ['open@example.org'],
      );
      const logged = await w.app.reads.messages('prod', { channel: 'email', limit: 10 });
      const blocked = logged.find((m) => m.recipient === 'blocked@example.org');
      assert.equal(blocked?.status, 'excluded');
      assert.equal(blocked?.reason, 'suppressed: complaint');
      const report = (await w.request('GET', '/v1/campaigns/order-shipped/report')).body;
      assert.equal(report.totals.excludedBy.suppression, 1);
    } finally {
      await w.close();
    }
  });

  test('a call repeated with its request id sends nothing again; the same id with another call is a conflict', async () => {
    const w = await campaignWorld();
    try {
      await live(w);
      const call = {
        requestId: 'ship-2002',
        recipients: [{ identity: 'ecid-0' }],
        context: { order: { id: 'C-3' } },
      };
      const first = await w.request('POST', '/v1/campaigns/order-shipped/trigger', call);
      const second = await w.request('POST', '/v1/campaigns/order-shipped/trigger', call);
      assert.equal(first.status, 202);
      assert.equal(second.status, 202);
      assert.equal(first.body.replayed, false);
      assert.equal(second.body.replayed, true);
      assert.deepEqual(second.body.recipients, first.body.recipients);
      assert.equal(w.smtp.mails.length, 1, 'one mail for two calls');
      const other = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        ...call,
        context: { order: { id: 'D-4' } },
      });
      assert.equal(other.status, 409);
      assert.equal(w.smtp.mails.length, 1);
    } finally {
      await w.close();
    }
  });

  test('bad calls are refused with where, what was expected and what came', async () => {
    const w = await campaignWorld();
    try {
      await live(w);
      const empty = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'x',
        recipients: [],
      });
      assert.equal(empty.status, 400);
      assert.ok(empty.body.error.issues.some((i: any) => i.path === 'recipients'));
      const big = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'big',
        recipients: [{ identity: 'ecid-0' }],
        context: { blob: 'x'.repeat(210 * 1024) },
      });
      assert.equal(big.status, 400);
      assert.equal(big.body.error.issues[0].path, 'context');
      // A viewer may read campaigns, not trigger them.
      const viewer = await w.request(
        'POST',
        '/v1/campaigns/order-shipped/trigger',
        { requestId: 'v', recipients: [{ identity: 'ecid-0' }] },
        { authorization: `Bearer ${ROLE_KEYS.viewer}` },
      );
      assert.equal(viewer.status, 403);
      const read = await w.request('GET', '/v1/campaigns/order-shipped', undefined, {
        authorization: `Bearer ${ROLE_KEYS.viewer}`,
      });
      assert.equal(read.status, 200);
      // After a stop, calls are refused.
      await w.request('POST', '/v1/campaigns/order-shipped/stop');
      const late = await w.request('POST', '/v1/campaigns/order-shipped/trigger', {
        requestId: 'late',
        recipients: [{ identity: 'ecid-0' }],
      });
      assert.equal(late.status, 409);
      assert.equal(w.smtp.mails.length, 0);
    } finally {
      await w.close();
    }
  });
});
