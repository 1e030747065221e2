// A campaign in fleet mode: its audience read runs as one share per partition, each fired by the
// partition's owner. The campaign's status and report read the progress summed over the shares:
// live while some partition still reads, completed (the run too) once every partition has, with
// every member targeted once across the engines. Real PostgreSQL, NATS and SMTP on loopback.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordingSmtp } from '../campaigns/support.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { dropRouteStream } from './fleet-harness.ts';
import { startTestFleet, until, type TestEngine } from './in-process-fleet.ts';
import { openFleetSetup, putGoldAudience } from './support/fleet-world.ts';

const MEMBERS = 300;
const RATE = 200;
const AUD = 'Fleet shoppers';
const address = (i: number): string => `fleet${String(i).padStart(4, '0')}@luma.example`;

test(
  `fleet campaign: ${MEMBERS} members over two engines, the status completed once every partition has read`,
  { timeout: 180_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleetcamp');
    const smtp = await recordingSmtp();
    // The configuration, the audience, its members and the campaign, written before the fleet starts.
    const setup = await openFleetSetup(schema, { allowHosts: { '*': ['127.0.0.1'] } });
    await setup.objects.put('prod', 'channelConfiguration', {
      channel: 'email',
      name: 'CampaignMail',
      fromName: 'Luma',
      fromAddress: 'news@luma.example',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
    });
    await putGoldAudience(setup, AUD);
    for (let i = 0; i < MEMBERS; i++)
      await setup.profiles.put('prod', 'Email', address(i), {
        attributes: {
          loyalty: { tier: 'gold' },
          personalEmail: { address: address(i) },
          consents: { marketing: { email: 'y' } },
        },
        identities: [],
      });
    await setup.campaigns.create('prod', 'fleet-sale', {
      name: 'Fleet sale',
      type: 'scheduled',
      action: {
        channel: 'email',
        configuration: 'CampaignMail',
        content: { subject: 'Sale', html: '<p>Sale</p>' },
      },
      audience: { audience: AUD, namespace: 'Email' },
      throttle: { ratePerSecond: RATE },
    });
    await setup.close();
    let engines: TestEngine[] = [];
    try {
      engines = await startTestFleet(POSTGRES_TEST_URL, schema, 2);
      const [a, b] = engines as [TestEngine, TestEngine];
      const activated = await a.app.campaigns.activate('prod', 'fleet-sale');
      assert.ok(['live', 'scheduled'].includes(activated.status), activated.status);
      // Under way (some sent, not all): live, its run sending, on either engine.
      const mid = await until(
        'the send under way',
        async () => {
          const n = smtp.mails.length;
          return n > 0 && n < MEMBERS ? b.app.campaigns.report('prod', 'fleet-sale') : null;
        },
        60_000,
      );
      if (mid.totals.targeted < MEMBERS) {
        assert.equal(mid.status, 'live');
        assert.equal(mid.runs[0]!.status, 'sending');
      }
      const done = await until(
        'the campaign completed',
        async () => {
          const r = await b.app.campaigns.report('prod', 'fleet-sale');
          return r.status === 'completed' && r.totals.sent === MEMBERS ? r : null;
        },
        90_000,
      );
      assert.equal(done.runs.length, 1);
      assert.equal(done.runs[0]!.status, 'completed', 'the run is completed too');
      assert.ok(done.runs[0]!.startedAt !== null && done.runs[0]!.finishedAt !== null);
      assert.equal(done.totals.targeted, MEMBERS, 'every member targeted once');
      assert.equal((await a.app.campaigns.get('prod', 'fleet-sale')).status, 'completed');
      const counts = smtp.countsByRecipient();
      assert.equal(counts.size, MEMBERS, 'every member got the mail');
      assert.ok(
        [...counts.values()].every((n) => n === 1),
        'nobody got it twice',
      );
    } finally {
      for (const e of engines) await e.stop();
      await smtp.close();
      await dropRouteStream(schema);
      await dropSchema(schema);
    }
  },
);
