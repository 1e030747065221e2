// A campaign experiment to its end: two treatments tested on 60% of an audience, 40% held back;
// the tested profiles of treatment B open their mail (real SMTP, real tracking pixels), those of A
// hardly; two hours after the run's start the winner is decided once, from the analysis, and the
// held-back rest receives exactly B's content. Nobody receives two mails, the report shows the
// holdout and the decision, and the campaign completes only once the rest is sent. A decision
// already stored (a crash after deciding, before the job went) is never taken again.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { registerCampaignCommands } from '../../src/cli/commands/campaigns.ts';
import { campaignReportAnswer } from '../../src/isomorphic/api/campaigns.ts';
import { createAssign } from '../../src/runtime/campaigns/experiment.ts';
import { decideWinner } from '../../src/runtime/campaigns/winner.ts';
import { cliRunner } from '../support/cli.ts';
import { PUBLIC_URL, T0 } from '../support/luma.ts';
import {
  addressOf,
  advance,
  campaignWorld,
  recordingSmtp,
  seedAudience,
  type CampaignWorld,
  type Mail,
} from './support.ts';

const HOUR = 3_600_000;
const N = 400;
const SUBJECT = { a: 'A: 20% off everything', b: 'B: Your spring picks' } as const;

async function createCampaign(w: CampaignWorld, id: string): Promise<void> {
  const r = await w.request('POST', '/v1/campaigns', {
    id,
    name: `Luma - ${id}`,
    type: 'scheduled',
    action: { channel: 'email', configuration: 'CampaignMail' },
    audience: { audience: 'Spring shoppers', namespace: 'ECID' },
    schedule: { kind: 'at', at: new Date(T0 + HOUR).toISOString() },
    experiment: {
      treatments: [
        {
          id: 'a',
          name: 'Discount',
          percent: 50,
          content: { subject: SUBJECT.a, html: '<p>A</p>' },
        },
        { id: 'b', name: 'Picks', percent: 50, content: { subject: SUBJECT.b, html: '<p>B</p>' } },
      ],
      holdoutPercent: 40,
      metric: { kind: 'opens' },
      minSamplePerArm: 50,
      winner: { kind: 'sendWinnerToRest', afterHours: 2 },
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const a = await w.request('POST', `/v1/campaigns/${id}/activate`);
  assert.equal(a.status, 200, JSON.stringify(a.body));
}

/** Opens the mail (its tracking pixel) as the recipient's mail client would. */
async function open(w: CampaignWorld, mail: Mail): Promise<void> {
  const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(mail.html)?.[1];
  assert.ok(pixel, `an open pixel in ${mail.html}`);
  const r = await w.server.inject({ method: 'GET', url: pixel.slice(PUBLIC_URL.length) });
  assert.equal(r.statusCode, 200);
}

async function report(w: CampaignWorld, id: string) {
  const r = await w.request('GET', `/v1/campaigns/${id}/report`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return campaignReportAnswer.parse(r.body);
}

describe('campaign experiment outcomes', () => {
  test('the winner (B, by opens) is sent to the held-back rest after two hours, once, and nobody gets two mails', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', N);
      await createCampaign(w, 'spring-ab');
      const { c } = await w.app.campaigns.load('prod', 'spring-ab');
      const assign = createAssign();
      const armOf = (i: number) => assign(c, `ecid-${i}`);
      const held = [...Array(N).keys()].filter((i) => armOf(i) === null);
      assert.ok(held.length > 120 && held.length < 200, `about 40% held out: ${held.length}`);

      // The test phase: each tested profile gets its treatment; the rest gets nothing yet.
      await advance(w, HOUR + 30_000, 5000);
      assert.equal(w.smtp.mails.length, N - held.length);
      for (const m of w.smtp.mails) {
        const i = Number(/shopper(\d+)@/.exec(m.to)![1]);
        assert.equal(m.subject, SUBJECT[armOf(i) as 'a' | 'b'], `shopper ${i}`);
      }
      // B's profiles open (60%), A's hardly (5%).
      const mailsOf = (arm: 'a' | 'b') =>
        w.smtp.mails.filter((m) => armOf(Number(/shopper(\d+)@/.exec(m.to)![1])) === arm);
      const opensB = mailsOf('b').filter((_, k) => k % 5 < 3);
      const opensA = mailsOf('a').filter((_, k) => k % 20 === 0);
      for (const m of [...opensB, ...opensB.slice(0, 10), ...opensA]) await open(w, m);
      await w.app.engine.settle();

      const during = await report(w, 'spring-ab');
      assert.equal(during.status, 'live', 'not completed while the rest waits for the winner');
      const x = during.experiment!;
      assert.deepEqual(
        x.arms.map((arm) => [arm.id, arm.exposures, arm.successes]),
        [
          ['a', mailsOf('a').length, opensA.length],
          ['b', mailsOf('b').length, opensB.length],
        ],
        'opens are counted once per profile',
      );
      assert.equal(x.arms[1]!.events, opensB.length + 10, 'every open is an event');
      assert.equal(x.status, 'winner');
      assert.equal(x.winner, 'b');
      assert.ok(x.arms[1]!.probabilityBest > 0.99);
      assert.ok(x.arms[1]!.lift! > 1 && x.arms[1]!.liftLow! > 0, 'B lifts, its interval above 0');
      assert.deepEqual(x.holdout, { percent: 40, size: held.length, successes: null, rate: null });
      assert.deepEqual(x.winnerSends, [
        {
          run: 1,
          at: new Date(T0 + 3 * HOUR).toISOString(),
          state: 'pending',
          treatment: null,
          basis: null,
          decidedAt: null,
        },
      ]);

      // Two hours after the run's start: the winner is decided and sent to the rest.
      await advance(w, 2 * HOUR - 30_000 - 60_000, 60_000);
      assert.equal(w.smtp.mails.length, N - held.length, 'the rest waits for the decision');
      await advance(w, 120_000, 5000);
      assert.equal(w.smtp.mails.length, N, 'everyone has a mail now');
      const counts = w.smtp.countsByRecipient();
      for (let i = 0; i < N; i++) assert.equal(counts.get(addressOf(i)), 1, `shopper ${i} once`);
      for (const i of held) {
        const m = w.smtp.mails.find((x) => x.to === addressOf(i));
        assert.equal(m?.subject, SUBJECT.b, `held-back shopper ${i} gets the winner`);
      }

      const after = await report(w, 'spring-ab');
      assert.equal(after.status, 'completed');
      assert.deepEqual(after.experiment!.winnerSends, [
        {
          run: 1,
          at: new Date(T0 + 3 * HOUR).toISOString(),
          state: 'decided',
          treatment: 'b',
          basis: 'analysis',
          decidedAt: new Date(T0 + 3 * HOUR).toISOString(),
        },
      ]);
      assert.equal(after.runs[0]!.treatments['winner']!.sent, held.length);
      // The test phase's analysis is unchanged by the rest's send.
      assert.deepEqual(
        after.experiment!.arms.map((arm) => arm.exposures),
        x.arms.map((arm) => arm.exposures),
      );

      // The command line's report says the same.
      const cli = cliRunner(
        await w.listen(),
        (program, out) => registerCampaignCommands(program, out),
        () => w.app.engine.settle(),
      );
      const printed = await cli('campaigns', 'report', 'spring-ab');
      assert.match(printed, /experiment \(opens\): winner, winner b/);
      assert.match(printed, new RegExp(`holdout 40%: ${held.length} held out\n`));
      assert.match(printed, /run 1 winner send at \S+: b \(the analysis winner\)/);

      // A later look at the job (a restart) decides nothing again and sends nothing more.
      const again = await decideWinner(
        { store: w.store, catalogs: w.app.catalogs, clock: w.clock },
        assign,
        'prod',
        'spring-ab',
        1,
      );
      assert.equal(again?.decidedAt, T0 + 3 * HOUR);
      await advance(w, HOUR, 60_000);
      assert.equal(w.smtp.mails.length, N);
    } finally {
      await w.close();
    }
  });

  test('without a winner the control goes to the rest; conversions of the holdout before its send are the baseline', async () => {
    const w = await campaignWorld();
    try {
      const n = 200;
      await seedAudience(w, 'Spring shoppers', n);
      const r = await w.request('POST', '/v1/campaigns', {
        id: 'spring-conv',
        name: 'Luma - Spring conversions',
        type: 'scheduled',
        action: { channel: 'email', configuration: 'CampaignMail' },
        audience: { audience: 'Spring shoppers', namespace: 'ECID' },
        schedule: { kind: 'at', at: new Date(T0 + HOUR).toISOString() },
        experiment: {
          treatments: [
            {
              id: 'a',
              name: 'Discount',
              percent: 50,
              content: { subject: SUBJECT.a, html: '<p>A</p>' },
            },
            {
              id: 'b',
              name: 'Picks',
              percent: 50,
              content: { subject: SUBJECT.b, html: '<p>B</p>' },
            },
          ],
          holdoutPercent: 50,
          metric: { kind: 'conversion', eventType: 'LumaPurchaseEvent_Email', windowHours: 24 },
          minSamplePerArm: 1000,
          winner: { kind: 'sendWinnerToRest', afterHours: 2 },
        },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal((await w.request('POST', '/v1/campaigns/spring-conv/activate')).status, 200);
      const { c } = await w.app.campaigns.load('prod', 'spring-conv');
      const assign = createAssign();
      const of = (arm: string | null) =>
        [...Array(n).keys()].filter((i) => assign(c, `ecid-${i}`) === arm);
      const [a, b, held] = [of('a'), of('b'), of(null)];
      await advance(w, HOUR + 30_000, 5000);
      assert.equal(w.smtp.mails.length, a.length + b.length);

      // Purchases, stored as the ingest stores them: 10 of A's profiles, 5 of B's, 8 of the holdout.
      let seq = 0;
      const purchase = async (i: number) =>
        w.store.commit({
          events: [
            {
              sandbox: 'prod',
              eventId: `purchase-${++seq}`,
              type: 'LumaPurchaseEvent_Email',
              profileId: `p${String(i).padStart(5, '0')}`,
              payload: { commerce: { purchases: { value: 1 } } },
              receivedAt: w.clock.now(),
            },
          ],
        });
      for (const i of [...a.slice(0, 10), ...b.slice(0, 5), ...held.slice(0, 8)]) await purchase(i);
      const during = (await report(w, 'spring-conv')).experiment!;
      assert.equal(during.metric, 'conversion:LumaPurchaseEvent_Email');
      assert.deepEqual(
        during.arms.map((x) => [x.id, x.exposures, x.successes]),
        [
          ['a', a.length, 10],
          ['b', b.length, 5],
        ],
      );
      assert.equal(during.status, 'collecting', 'under the minimum sample');
      assert.deepEqual(during.holdout, {
        percent: 50,
        size: held.length,
        successes: 8,
        rate: 8 / held.length,
      });

      await advance(w, 2 * HOUR, 60_000);
      await advance(w, 60_000, 5000);
      const counts = w.smtp.countsByRecipient();
      for (let i = 0; i < n; i++) assert.equal(counts.get(addressOf(i)), 1, `shopper ${i} once`);
      for (const i of held)
        assert.equal(
          w.smtp.mails.find((m) => m.to === addressOf(i))?.subject,
          SUBJECT.a,
          'no winner: the control goes to the rest',
        );
      // A purchase of the holdout after the rest got its mail is not the baseline's.
      await purchase(held[10]!);
      const after = await report(w, 'spring-conv');
      assert.equal(after.status, 'completed');
      assert.equal(after.experiment!.holdout.successes, 8);
      assert.deepEqual(
        after.experiment!.winnerSends.map((x) => [x.state, x.treatment, x.basis]),
        [['decided', 'a', 'control']],
      );
    } finally {
      await w.close();
    }
  });

  test('activation refuses a winner send without a rest: API-triggered, or no holdout', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', 2);
      const experiment = (holdoutPercent: number) => ({
        treatments: [
          { id: 'a', name: 'A', percent: 50, content: { subject: 'A', html: '<p>A</p>' } },
          { id: 'b', name: 'B', percent: 50, content: { subject: 'B', html: '<p>B</p>' } },
        ],
        holdoutPercent,
        metric: { kind: 'clicks' },
        winner: { kind: 'sendWinnerToRest', afterHours: 4 },
      });
      const action = { channel: 'email', configuration: 'CampaignMail' };
      const drafts = [
        {
          id: 'no-rest',
          name: 'No rest',
          type: 'scheduled',
          action,
          audience: { audience: 'Spring shoppers', namespace: 'ECID' },
          experiment: experiment(0),
        },
        {
          id: 'triggered',
          name: 'Triggered',
          type: 'api-triggered',
          namespace: 'ECID',
          action,
          experiment: experiment(10),
        },
      ];
      for (const [d, path] of [
        [drafts[0]!, 'experiment.holdoutPercent'],
        [drafts[1]!, 'experiment.winner'],
      ] as const) {
        assert.equal((await w.request('POST', '/v1/campaigns', d)).status, 201);
        const r = await w.request('POST', `/v1/campaigns/${d.id}/activate`);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.deepEqual(
          r.body.error.issues.map((i: { path: string }) => i.path),
          [path],
        );
      }
    } finally {
      await w.close();
    }
  });

  test('a restart before the winner send: the stored job decides once in the new process, the rest gets the winner, nobody twice', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'waymark-winner-restart-')), 'waymark.db');
    const smtp = await recordingSmtp();
    let w = await campaignWorld({ dbPath, smtp });
    try {
      await seedAudience(w, 'Spring shoppers', N);
      await createCampaign(w, 'spring-ab');
      const { c } = await w.app.campaigns.load('prod', 'spring-ab');
      const assign = createAssign();
      const armOf = (i: number) => assign(c, `ecid-${i}`);
      const held = [...Array(N).keys()].filter((i) => armOf(i) === null);
      await advance(w, HOUR + 30_000, 5000);
      const tested = smtp.mails.filter(
        (m) => armOf(Number(/shopper(\d+)@/.exec(m.to)![1])) === 'b',
      );
      for (const m of tested.filter((_, k) => k % 5 < 3)) await open(w, m);
      await advance(w, HOUR - 30_000, 60_000);
      assert.equal(smtp.mails.length, N - held.length);

      // The server stops an hour before the winner's time and starts again on the same store.
      await w.close();
      w = await campaignWorld({ dbPath, smtp });
      w.clock.advance(2 * HOUR);
      await w.app.engine.settle();
      await advance(w, HOUR + 60_000, 60_000);
      await advance(w, 60_000, 5000);
      assert.equal(smtp.mails.length, N);
      const counts = smtp.countsByRecipient();
      for (let i = 0; i < N; i++) assert.equal(counts.get(addressOf(i)), 1, `shopper ${i} once`);
      for (const i of held)
        assert.equal(smtp.mails.find((m) => m.to === addressOf(i))?.subject, SUBJECT.b);
      const r = await report(w, 'spring-ab');
      assert.equal(r.status, 'completed');
      assert.deepEqual(
        r.experiment!.winnerSends.map((x) => [x.state, x.treatment, x.basis]),
        [['decided', 'b', 'analysis']],
      );
      const stored = await w.app.campaigns.load('prod', 'spring-ab');
      assert.equal(stored.c.winners.length, 1, 'decided once');
    } finally {
      await w.close();
      await smtp.close();
    }
  });

  test('a campaign stopped before the winner send: its job goes, the rest is sent nothing', async () => {
    const w = await campaignWorld();
    try {
      await seedAudience(w, 'Spring shoppers', N);
      await createCampaign(w, 'spring-ab');
      await advance(w, HOUR + 30_000, 5000);
      const tested = w.smtp.mails.length;
      const jobs = async () =>
        ((await w.request('GET', '/v1/audience-jobs')).body.items as Array<{ id: string }>)
          .map((j) => j.id)
          .filter((id) => id.startsWith('winner:'));
      assert.deepEqual(await jobs(), ['winner:spring-ab:1']);
      assert.equal((await w.request('POST', '/v1/campaigns/spring-ab/stop')).status, 200);
      assert.deepEqual(await jobs(), [], 'the stop removes the pending winner send');
      await advance(w, 3 * HOUR, 60_000);
      assert.equal(w.smtp.mails.length, tested, 'the rest gets nothing');
      const { c } = await w.app.campaigns.load('prod', 'spring-ab');
      assert.deepEqual(c.winners, []);
    } finally {
      await w.close();
    }
  });
});
