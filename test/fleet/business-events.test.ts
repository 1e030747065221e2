// Business events on a fleet: an event of no profile, taken by any engine, is stored once (its id)
// and every partition's read share of the business event journey runs it, fired by the partition's
// owner (src/runtime/audiences/business-events.ts). Two engines, an audience spread
// over the partitions, the event sent to one engine: every member enters once with the event's
// payload, one email each, and the same event id sent to the other engine is a duplicate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevSmtpServer, type DevMail } from '../../src/channels/email/dev-server.ts';
import { partitionOfIdentity } from '../../src/shared/partition.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';
import { dropRouteStream } from './fleet-harness.ts';
import { startTestFleet, until, type TestEngine } from './in-process-fleet.ts';
import {
  goldEmails,
  openFleetReader,
  openFleetSetup,
  putGoldAudience,
  putGoldMembers,
} from './support/fleet-world.ts';

const MEMBERS = 300;
const AUD = 'Gold members';

test(
  `fleet business event: ${MEMBERS} members over the partitions of two engines, each enters and is mailed once`,
  { timeout: 120_000 },
  async () => {
    const schema = freshSchemaName('waymark_fleetbiz');
    const mails: DevMail[] = [];
    const smtp = await startDevSmtpServer({ port: 0, onMessage: (m) => void mails.push(m) });
    let engines: TestEngine[] = [];
    const reader = await openFleetReader(schema);
    try {
      // The audience, its members, the business event and the journey, before the fleet starts.
      const setup = await openFleetSetup(schema);
      await putGoldAudience(setup, AUD);
      const emails = goldEmails(MEMBERS);
      await putGoldMembers(setup, emails);
      // Not a member: never read.
      await setup.profiles.put('prod', 'Email', 'silver@fleet.example', {
        attributes: { loyalty: { tier: 'silver' } },
        identities: [],
      });
      await setup.objects.put('prod', 'eventType', {
        name: 'FlashSale',
        business: true,
        schema: {
          type: 'object',
          required: ['sale', 'discount'],
          properties: { sale: { type: 'string' }, discount: { type: 'number' } },
        },
      });
      await setup.objects.put('prod', 'channelConfiguration', {
        channel: 'email',
        name: 'EmailMarketing',
        fromName: 'Fleet',
        fromAddress: 'news@fleet.example',
        smtp: { host: '127.0.0.1', port: smtp.port, secure: 'none' },
      });
      const created = await setup.journeys.create('prod', 'flash', {
        name: 'Flash sale',
        entry: {
          type: 'readAudience',
          audience: AUD,
          namespace: 'Email',
          ratePerSecond: 5000,
          businessEvent: 'FlashSale',
        },
        start: 'mail',
        nodes: [
          {
            id: 'mail',
            kind: 'email',
            configuration: 'EmailMarketing',
            category: 'transactional',
            content: {
              subject: 'The {{context.journey.events.FlashSale.sale}} sale',
              html: '<p>{{context.journey.events.FlashSale.discount}}% off</p>',
            },
            next: ['wait'],
          },
          { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      await setup.close();
      assert.deepEqual(created.problems, []);
      const partitions = new Set(emails.map((e) => partitionOfIdentity('Email', e)));
      engines = await startTestFleet(POSTGRES_TEST_URL, schema, 2);
      const [a, b] = engines as [TestEngine, TestEngine];
      // Members in partitions of both engines.
      assert.ok([...partitions].some((p) => a.fleet.leases.held.has(p)));
      assert.ok([...partitions].some((p) => b.fleet.leases.held.has(p)));
      await a.app.journeys.publish('prod', 'flash');
      // Nothing reads before the event (the shares exist and wait).
      await sleep(1000);
      assert.equal((await reader.instances('prod', { journeyId: 'flash', limit: 10 })).length, 0);

      // Sent to engine a as POST /v1/events does (the router): no identity, no partition.
      const sale = { id: 'sale-1', type: 'FlashSale', payload: { sale: 'winter', discount: 20 } };
      const [r] = await a.app.router!.ingest('prod', [sale]);
      assert.equal(r?.status, 'accepted', JSON.stringify(r));
      assert.deepEqual(r?.status === 'accepted' ? r.journeys : [], ['flash']);

      await until(
        'every member entered',
        async () =>
          (await reader.instances('prod', { journeyId: 'flash', limit: 5000 })).length >= MEMBERS,
        30_000,
      );
      await until('every member mailed', async () => mails.length >= MEMBERS, 30_000);
      // The same id again, at the other engine: a duplicate, no second run.
      const [again] = await b.app.router!.ingest('prod', [sale]);
      assert.equal(again?.status, 'duplicate', JSON.stringify(again));
      await sleep(1500); // anything entered or sent twice would show by now

      const final = await reader.instances('prod', { journeyId: 'flash', limit: 5000 });
      assert.equal(final.length, MEMBERS, 'one instance per member, none twice');
      assert.equal(new Set(final.map((i) => i.profileId)).size, MEMBERS);
      for (const i of final)
        assert.deepEqual(i.context.events.FlashSale, { sale: 'winter', discount: 20 });
      assert.equal(mails.length, MEMBERS, 'one email per member');
      assert.deepEqual(
        mails.flatMap((m) => m.to).sort(),
        [...emails].sort(),
        'each member mailed, nobody else',
      );
      assert.ok(mails.every((m) => m.subject === 'The winter sale'));
      const sent = await reader.pool.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM messages WHERE sandbox = 'prod' AND journey_id = 'flash'",
      );
      assert.equal(Number(sent.rows[0]!.n), MEMBERS, 'the email/send count is the audience size');
      const stored = await reader.pool.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM events WHERE sandbox = 'prod' AND event_id = 'sale-1'",
      );
      assert.equal(Number(stored.rows[0]!.n), 1, 'the event stored once');
      // Every share ran once (its partition's owner), and their entries add up to the members.
      const shares = (await reader.audienceJobs('prod')).filter((j) =>
        j.id.startsWith('read:flash:1:p'),
      );
      assert.equal(shares.length, 256, 'one share per partition');
      const states = shares.map(
        (j) => j.state as { runs: number; entered: number; businessSeen?: object },
      );
      assert.ok(states.every((s) => s.runs === 1 && s.businessSeen && 'sale-1' in s.businessSeen));
      assert.equal(
        states.reduce((n, s) => n + s.entered, 0),
        MEMBERS,
      );

      // A second event, sent to engine b, which dies at once (nothing given back): engine a takes
      // its partitions, and their shares find the event. Every member is read again once (the
      // first run's paths end), nothing lost, nothing twice.
      const spring = { id: 'sale-2', type: 'FlashSale', payload: { sale: 'spring', discount: 5 } };
      const [r2] = await b.app.router!.ingest('prod', [spring]);
      assert.equal(r2?.status, 'accepted', JSON.stringify(r2));
      await b.fleet.abandon();
      await b.app.close();
      engines = [a];
      const second = await until(
        'every member read again',
        async () => {
          const got = await reader.instances('prod', { journeyId: 'flash', limit: 5000 });
          return got.length >= 2 * MEMBERS ? got : null;
        },
        40_000,
      );
      assert.equal(a.fleet.leases.held.size, 256, 'engine a took every partition');
      const [again2] = await a.app.router!.ingest('prod', [spring]);
      assert.equal(again2?.status, 'duplicate');
      await sleep(1500);
      const after = await reader.instances('prod', { journeyId: 'flash', limit: 5000 });
      assert.equal(after.length, 2 * MEMBERS, `two instances per member (${second.length} seen)`);
      const active = after.filter((i) => i.status === 'active');
      assert.equal(active.length, MEMBERS);
      assert.equal(new Set(active.map((i) => i.profileId)).size, MEMBERS);
      for (const i of active)
        assert.deepEqual(i.context.events.FlashSale, { sale: 'spring', discount: 5 });
      assert.equal(
        after.filter((i) => i.exitReason === 'journey_stopped').length,
        MEMBERS,
        'the first run ended',
      );
      const sends = async (): Promise<number> =>
        Number(
          (
            await reader.pool.query<{ n: string }>(
              "SELECT COUNT(*) AS n FROM messages WHERE sandbox = 'prod' AND journey_id = 'flash'",
            )
          ).rows[0]!.n,
        );
      await until('the second sends recorded', async () => (await sends()) >= 2 * MEMBERS, 30_000);
      await sleep(1000);
      assert.equal(await sends(), 2 * MEMBERS, 'one send per member and event');
      // A send the dead engine made but did not record is made again (at least once, as any send).
      await until('the second mails', async () => mails.length >= 2 * MEMBERS, 30_000);
    } finally {
      for (const e of engines) await e.stop();
      await reader.close();
      await smtp.close();
      await dropRouteStream(schema);
      await dropSchema(schema);
    }
  },
);
