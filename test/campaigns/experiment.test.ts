// Content experiments in campaigns: the split over 10,000 profiles is within 2 points of the one
// configured and the same on every evaluation; each profile gets its treatment's content; the
// report computes the documented statistics (docs/experiments.md) on a known dataset.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignReportAnswer } from '../../src/isomorphic/api/campaigns.ts';
import { campaignDefinitionSchema } from '../../src/model/campaign.ts';
import { createAssign, experimentAnalysis } from '../../src/runtime/campaigns/experiment.ts';
import type { StoredCampaign } from '../../src/runtime/campaigns/stored.ts';
import { advance, campaignWorld, seedAudience, addressOf } from './support.ts';

const treatments = [
  { id: 'a', name: 'Subject A', percent: 50, content: { subject: 'A: 20% off', html: '<p>A</p>' } },
  {
    id: 'b',
    name: 'Subject B',
    percent: 30,
    content: { subject: 'B: Spring deals', html: '<p>B</p>' },
  },
  {
    id: 'c',
    name: 'Subject C',
    percent: 20,
    content: { subject: 'C: Last days', html: '<p>C</p>' },
  },
];

function stored(holdoutPercent: number, minSamplePerArm = 100): StoredCampaign {
  return {
    id: 'spring-test',
    definition: campaignDefinitionSchema.parse({
      name: 'Spring test',
      type: 'scheduled',
      action: { channel: 'email', configuration: 'CampaignMail' },
      audience: { audience: 'Spring shoppers', namespace: 'ECID' },
      experiment: { treatments, holdoutPercent, metric: { kind: 'opens' }, minSamplePerArm },
    }),
    state: 'active',
    createdAt: '2026-11-02T09:00:00.000Z',
    updatedAt: '2026-11-02T09:00:00.000Z',
    runs: [],
    winners: [],
  };
}

describe('campaign experiments', () => {
  test('10,000 profiles split within 2 points of 50/30/20 with a 10% holdout, the same every time', () => {
    const c = stored(10);
    const first = createAssign();
    const again = createAssign();
    const counts = new Map<string | null, number>();
    for (let i = 0; i < 10_000; i++) {
      const identity = `ecid-${i}`;
      const t = first(c, identity);
      assert.equal(again(c, identity), t, `profile ${identity} keeps its treatment`);
      counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const share = (t: string | null): number => ((counts.get(t) ?? 0) / 10_000) * 100;
    for (const [t, expected] of [
      [null, 10],
      ['a', 45],
      ['b', 27],
      ['c', 18],
    ] as const)
      assert.ok(
        Math.abs(share(t) - expected) <= 2,
        `${t ?? 'holdout'}: ${share(t)}% for ${expected}%`,
      );
  });

  test('each profile gets its treatment, recorded with the message; the report splits by treatment', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', 300);
      const r = await w.request('POST', '/v1/campaigns', {
        id: 'spring-test',
        name: 'Spring test',
        type: 'scheduled',
        action: { channel: 'email', configuration: 'CampaignMail' },
        audience: { audience: 'Spring shoppers', namespace: 'ECID' },
        experiment: { treatments, metric: { kind: 'opens' } },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const a = await w.request('POST', '/v1/campaigns/spring-test/activate');
      assert.equal(a.status, 200, JSON.stringify(a.body));
      await advance(w, 5000);
      assert.equal(w.smtp.mails.length, 300);
      const stored = await w.app.campaigns.load('prod', 'spring-test');
      const assign = createAssign();
      const subjects: Record<string, string> = {
        a: 'A: 20% off',
        b: 'B: Spring deals',
        c: 'C: Last days',
      };
      for (let i = 0; i < 300; i++) {
        const t = assign(stored.c, `ecid-${i}`)!;
        const mail = w.smtp.mails.find((m) => m.to === addressOf(i));
        assert.equal(mail?.subject, subjects[t], `shopper ${i} is in ${t}`);
      }
      const report = (await w.request('GET', '/v1/campaigns/spring-test/report')).body;
      campaignReportAnswer.parse(report);
      const perTreatment = report.runs[0].treatments;
      assert.deepEqual(Object.keys(perTreatment).sort(), ['a', 'b', 'c']);
      assert.equal(perTreatment.a.sent + perTreatment.b.sent + perTreatment.c.sent, 300);
      assert.equal(report.experiment.status, 'collecting', 'no opens tracked, under the minimum');
      assert.deepEqual(
        report.experiment.arms.map((x: any) => [x.id, x.control, x.exposures]),
        [
          ['a', true, perTreatment.a.sent],
          ['b', false, perTreatment.b.sent],
          ['c', false, perTreatment.c.sent],
        ],
      );
    } finally {
      await w.close();
    }
  });

  test('the report computes rate, lift with its 95% interval and the probability to be best on a known dataset', () => {
    const arm = (id: string, exposures: number, successes: number) => ({
      id,
      exposures,
      successes,
      events: successes,
    });
    const perArm = {
      arms: [arm('a', 1000, 100), arm('b', 1000, 150), arm('c', 1000, 100)],
      holdout: { size: 0, successes: null },
    };
    const x = experimentAnalysis(stored(0), perArm)!;
    assert.equal(x.metric, 'opens');
    assert.deepEqual(
      x.arms.map((arm) => [arm.id, arm.control, arm.exposures, arm.successes, arm.rate]),
      [
        ['a', true, 1000, 100, 0.1],
        ['b', false, 1000, 150, 0.15],
        ['c', false, 1000, 100, 0.1],
      ],
    );
    const b = x.arms[1]!;
    assert.ok(Math.abs(b.lift! - 0.5) < 1e-12);
    // Katz's log rate-ratio interval: ln(1.5) ± 1.959964·√(1/150 − 1/1000 + 1/100 − 1/1000).
    const se = Math.sqrt(1 / 150 - 1 / 1000 + 1 / 100 - 1 / 1000);
    assert.ok(Math.abs(b.liftLow! - (Math.exp(Math.log(1.5) - 1.959964 * se) - 1)) < 1e-5);
    assert.ok(Math.abs(b.liftHigh! - (Math.exp(Math.log(1.5) + 1.959964 * se) - 1)) < 1e-5);
    assert.equal(x.arms[0]!.lift, null, 'the control has no lift');
    assert.ok(Math.abs(x.arms.reduce((s, arm) => s + arm.probabilityBest, 0) - 1) < 1e-6);
    assert.ok(b.probabilityBest > 0.99, `P(best) of b: ${b.probabilityBest}`);
    assert.equal(x.status, 'winner');
    assert.equal(x.winner, 'b');
    // Under the minimum sample no winner is called.
    const few = experimentAnalysis(stored(0, 2000), perArm)!;
    assert.equal(few.status, 'collecting');
    assert.equal(few.winner, null);
  });
});
