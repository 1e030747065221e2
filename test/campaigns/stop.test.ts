// Stopping a live campaign stops its send: nobody not yet sent is sent, and stopped is final.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { advance, campaignWorld, dailyCap, emailContent, seedAudience } from './support.ts';

const springSale = (over: Record<string, unknown> = {}) => ({
  id: 'spring-sale',
  name: 'Luma - Spring Sale',
  type: 'scheduled',
  mode: 'marketing',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    ruleSet: 'Campaign daily cap',
    content: emailContent('Spring Sale', '<p>20% off this week.</p>'),
  },
  audience: { audience: 'Spring shoppers', namespace: 'ECID' },
  ...over,
});

describe('stopping a campaign', () => {
  test('stopping a live campaign stops its send: nobody not yet sent is sent', async () => {
    const w = await campaignWorld();
    try {
      await dailyCap(w);
      await seedAudience(w, 'Spring shoppers', 1000);
      await w.request('POST', '/v1/campaigns', springSale({ throttle: { ratePerSecond: 100 } }));
      const a = await w.request('POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(a.body.status, 'live', JSON.stringify(a.body));
      await advance(w, 2000, 500);
      const stopped = await w.request('POST', '/v1/campaigns/spring-sale/stop');
      assert.equal(stopped.status, 200);
      assert.equal(stopped.body.status, 'stopped');
      const sentAtStop = w.smtp.mails.length;
      assert.ok(sentAtStop > 0 && sentAtStop < 400, `${sentAtStop} sent in the first 2 s at 100/s`);
      await advance(w, 60_000);
      assert.equal(w.smtp.mails.length, sentAtStop, 'nothing after the stop');
      const report = (await w.request('GET', '/v1/campaigns/spring-sale/report')).body;
      assert.equal(report.status, 'stopped');
      assert.equal(report.runs[0].status, 'stopped');
      assert.equal(report.totals.sent, sentAtStop);
      // Stopped is final.
      const again = await w.request('POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(again.status, 409);
      // The audit log holds who created, activated and stopped it, with what changed.
      const log = await w.request('GET', '/v1/audit-log?object=campaign:spring-sale');
      const actions = (log.body.items as Array<{ action: string }>).map((e) => e.action);
      assert.deepEqual(
        actions.filter((a) => a.startsWith('campaign.')),
        ['campaign.stop', 'campaign.activate', 'campaign.create'],
        JSON.stringify(log.body).slice(0, 800),
      );
    } finally {
      await w.close();
    }
  });
});
