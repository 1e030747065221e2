// Scheduled campaigns: a campaign to an audience sends once to each eligible member at its time
// (the excluded counted by reason), a recurring one runs and reports each run, and a stopped one
// stops sending. Real SMTP on loopback, a virtual clock, on the store WAYMARK_TEST_STORE names.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignReportAnswer, campaignViewSchema } from '../../src/isomorphic/api/campaigns.ts';
import { T0 } from '../support/luma.ts';
import {
  addressOf,
  advance,
  campaignWorld,
  dailyCap,
  emailContent,
  seedAudience,
  type MemberKind,
} from './support.ts';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** 1,000 members with an ECID: 20 without consent, 20 suppressed, 20 without an address, 40 capped; 10 more without an ECID. */
const kindOf = (i: number): MemberKind =>
  i < 20
    ? 'noConsent'
    : i < 40
      ? 'suppressed'
      : i < 60
        ? 'noAddress'
        : i < 100
          ? 'capped'
          : i >= 1000
            ? 'noEcid'
            : 'plain';

const springSale = (over: Record<string, unknown> = {}) => ({
  id: 'spring-sale',
  name: 'Luma - Spring Sale',
  type: 'scheduled',
  mode: 'marketing',
  action: {
    channel: 'email',
    configuration: 'CampaignMail',
    ruleSet: 'Campaign daily cap',
    content: emailContent(
      'Spring Sale, {{profile.person.name.firstName}}',
      '<p>Hello {{profile.person.name.firstName}}, 20% off this week.</p>',
    ),
  },
  audience: { audience: 'Spring shoppers', namespace: 'ECID' },
  throttle: { ratePerSecond: 500 },
  ...over,
});

describe('scheduled campaigns', () => {
  test('a campaign to 1,000 profiles sends once to each eligible one at the scheduled time, the excluded counted by reason', async () => {
    const w = await campaignWorld();
    try {
      await dailyCap(w);
      await seedAudience(w, 'Spring shoppers', 1010, kindOf);
      const at = T0 + HOUR;
      const created = await w.request(
        'POST',
        '/v1/campaigns',
        springSale({ schedule: { kind: 'at', at: iso(at) } }),
      );
      assert.equal(created.status, 201, JSON.stringify(created.body));
      campaignViewSchema.parse(created.body);
      assert.deepEqual(created.body.problems, []);
      const estimate = await w.request('GET', '/v1/campaigns/spring-sale/audience-estimate');
      assert.equal(estimate.status, 200);
      assert.deepEqual([estimate.body.members, estimate.body.withIdentity], [1010, 1000]);

      const activated = await w.request('POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(activated.status, 200, JSON.stringify(activated.body));
      assert.equal(activated.body.status, 'scheduled');
      assert.equal(activated.body.nextRunAt, iso(at));

      // Nothing before the time.
      await advance(w, HOUR - 1000, HOUR);
      assert.equal(w.smtp.mails.length, 0);
      // At 500 messages a second, the 1,000 members are read in two seconds.
      await advance(w, 10_000);
      const live = await w.request('GET', '/v1/campaigns/spring-sale');
      assert.equal(live.body.status, 'completed');

      const counts = w.smtp.countsByRecipient();
      assert.equal(counts.size, 900, 'every eligible member got the mail');
      assert.ok(
        [...counts.values()].every((n) => n === 1),
        'nobody got it twice',
      );
      assert.equal(counts.get(addressOf(500)), 1);
      assert.ok(!counts.has(addressOf(5)), 'no consent: not sent');
      assert.ok(!counts.has(addressOf(25)), 'a suppressed address: not sent');
      assert.ok(!counts.has(addressOf(80)), 'capped: not sent');
      assert.ok(!counts.has(addressOf(1005)), 'no ECID identity: not targeted');
      const mail = w.smtp.mails.find((m) => m.to === addressOf(500))!;
      assert.equal(mail.subject, 'Spring Sale, Shopper 500');

      const report = await w.request('GET', '/v1/campaigns/spring-sale/report');
      assert.equal(report.status, 200);
      campaignReportAnswer.parse(report.body);
      const t = report.body.totals;
      assert.equal(t.targeted, 1000);
      assert.equal(t.sent, 900);
      assert.equal(t.excluded, 100);
      assert.deepEqual(
        {
          consent: t.excludedBy.consent,
          suppression: t.excludedBy.suppression,
          missingAddress: t.excludedBy.missingAddress,
          capping: t.excludedBy.capping,
        },
        { consent: 20, suppression: 20, missingAddress: 20, capping: 40 },
      );
      assert.equal(report.body.runs.length, 1);
      assert.equal(report.body.runs[0].status, 'completed');
      assert.equal(report.body.runs[0].scheduledAt, iso(at));

      // Done means done: later, nothing more.
      await advance(w, 2 * 86_400_000, 86_400_000);
      assert.equal(w.smtp.mails.length, 900);
      const list = await w.request('GET', '/v1/campaigns');
      const listed = list.body.items.find((c: { id: string }) => c.id === 'spring-sale');
      assert.equal(listed.status, 'completed');
      assert.equal(listed.counts.sent, 900);
    } finally {
      await w.close();
    }
  });

  test('a recurring campaign runs three times and reports each run', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', 25);
      const r = await w.request(
        'POST',
        '/v1/campaigns',
        springSale({
          action: {
            channel: 'email',
            configuration: 'CampaignMail',
            content: emailContent('Daily deal', '<p>Today only.</p>'),
          },
          schedule: {
            kind: 'recurring',
            recurrence: { frequency: 'daily', time: '10:00' },
            endAt: iso(T0 + 3 * 86_400_000 - HOUR),
          },
          timeZone: 'Europe/Paris',
        }),
      );
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const a = await w.request('POST', '/v1/campaigns/spring-sale/activate');
      assert.equal(a.status, 200, JSON.stringify(a.body));
      // 10:00 in Paris is 09:00 UTC in November: the first slot (T0, 09:00 UTC) is now.
      assert.equal(a.body.nextRunAt, iso(T0 + 86_400_000));
      await advance(w, 3 * 86_400_000, HOUR);
      assert.equal(w.smtp.mails.length, 75, 'three runs of 25');
      assert.ok([...w.smtp.countsByRecipient().values()].every((n) => n === 3));
      const report = (await w.request('GET', '/v1/campaigns/spring-sale/report')).body;
      campaignReportAnswer.parse(report);
      assert.deepEqual(
        report.runs.map((x: any) => [x.scheduledAt, x.status, x.counts.targeted, x.counts.sent]),
        [
          [iso(T0), 'completed', 25, 25],
          [iso(T0 + 86_400_000), 'completed', 25, 25],
          [iso(T0 + 2 * 86_400_000), 'completed', 25, 25],
        ],
      );
      assert.equal(report.totals.sent, 75);
      assert.equal(report.status, 'completed');
    } finally {
      await w.close();
    }
  });
});
