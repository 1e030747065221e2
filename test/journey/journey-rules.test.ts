// The journey rules of issue #19 that were still missing, end to end on the engine with a virtual
// clock: business event journeys, dry run, exit criteria on leaving an audience, and entry
// management by namespace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { compileJourney, type JourneyCatalog } from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';
import { buildDryRunReport, buildReport } from '../../src/runtime/report.ts';
import { dryRunReportSchema, journeyReportSchema } from '../../src/isomorphic/api/reports.ts';
import { instancesOf, putEmailEventType } from '../support/journeys.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const GOLD = 'Gold members';

const eventType = (w: LumaWorld, name: string) =>
  putEmailEventType(w, name, { total: { type: 'number' } });

async function goldAudience(w: LumaWorld): Promise<void> {
  await w.app.objects.put('prod', 'audience', {
    name: GOLD,
    origin: 'streaming',
    namespace: 'Email',
    definition: { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'gold' },
  });
}

const tier = (w: LumaWorld, email: string, t: string) =>
  w.app.profiles.put('prod', 'Email', email, {
    attributes: { loyalty: { tier: t } },
    identities: [],
  });

async function emailOf(w: LumaWorld, profileId: string): Promise<string> {
  const p = await w.app.reads.getProfile('prod', profileId);
  return p?.identities.find((i) => i.namespace === 'Email')?.id ?? '';
}

const catalog: JourneyCatalog = {
  events: {
    Signup: { schema: { type: 'object' }, namespace: 'Email' },
    FlashSale: { schema: { type: 'object' }, namespace: '', business: true },
  },
  actions: {},
  audiences: [GOLD],
  audienceNamespaces: { [GOLD]: 'Email' },
  namespaces: ['Email', 'ECID', 'CRMID'],
};
const issuesOf = (def: JourneyDefinitionInput) => {
  const r = compileJourney('j', 1, journeyDefinitionSchema.parse(def), catalog);
  return r.ok ? [] : r.issues.map((i) => [i.path, i.code, i.node]);
};

describe('business events', () => {
  const flash = (businessEvent = 'FlashSale'): JourneyDefinitionInput => ({
    name: 'Flash sale',
    entry: {
      type: 'readAudience',
      audience: GOLD,
      namespace: 'Email',
      ratePerSecond: 20_000,
      businessEvent,
    },
    start: 'big',
    nodes: [
      {
        id: 'big',
        kind: 'condition',
        paths: [
          { label: 'Big sale', expression: '@event{FlashSale.discount} > 10', next: ['wait'] },
        ],
        otherwise: { label: 'Small sale', next: ['wait'] },
      },
      { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
      { id: 'done', kind: 'end' },
    ],
  });

  test('a business event runs the read for the audience with its payload in context', async () => {
    const w = await lumaWorld();
    try {
      await goldAudience(w);
      await w.app.objects.put('prod', 'eventType', {
        name: 'FlashSale',
        business: true,
        schema: {
          type: 'object',
          required: ['sale', 'discount'],
          properties: { sale: { type: 'string' }, discount: { type: 'number' } },
        },
      });
      await tier(w, 'sarah@luma.example', 'gold');
      await tier(w, 'tom@luma.example', 'gold');
      await tier(w, 'ana@luma.example', 'silver');
      // Gold, but with no Email identity: read, and discarded (entry management by namespace).
      await w.app.profiles.put('prod', 'ECID', 'ecid-gold', {
        attributes: { loyalty: { tier: 'gold' } },
        identities: [],
      });
      const saved = await w.app.journeys.create('prod', 'flash', flash());
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'flash');
      await w.advance(2000);
      assert.equal((await instancesOf(w, 'flash')).length, 0, 'nothing is read before the event');

      // No identity: the business event belongs to no profile.
      const [r] = await w.send([
        { id: 'sale-1', type: 'FlashSale', payload: { sale: 'winter', discount: 20 } },
      ]);
      assert.equal(r?.status, 'accepted');
      assert.deepEqual(r?.status === 'accepted' ? r.journeys : [], ['flash']);
      await w.advance(2000);
      const first = await instancesOf(w, 'flash');
      assert.deepEqual(
        (await Promise.all(first.map((i) => emailOf(w, i.profileId)))).sort(),
        ['sarah@luma.example', 'tom@luma.example'],
        'the gold members, not Ana',
      );
      for (const i of first) {
        assert.deepEqual(i.context.events.FlashSale, { sale: 'winter', discount: 20 });
        assert.equal(i.path.find((p) => p.node === 'big')?.outcome, 'Big sale');
      }
      const report = await buildReport(w.app, 'prod', 'flash');
      assert.deepEqual(report.versions[0]?.discardedBy, { missing_namespace: 1 });
      // A resend of the same event is a duplicate: no second run.
      const [again] = await w.send([
        { id: 'sale-1', type: 'FlashSale', payload: { sale: 'winter', discount: 20 } },
      ]);
      assert.equal(again?.status, 'duplicate');

      // A member who joins after the export is not read by a new event within the hour (the
      // export is reused); the profiles still in the journey end their paths and re-enter with it.
      w.clock.advance(10 * MINUTE);
      await tier(w, 'jean@luma.example', 'gold');
      await w.send([{ id: 'sale-2', type: 'FlashSale', payload: { sale: 'spring', discount: 5 } }]);
      await w.advance(2000);
      const second = await instancesOf(w, 'flash');
      const active = second.filter((i) => i.status === 'active');
      assert.equal(active.length, 2, 'Sarah and Tom again, not Jean (export reused)');
      for (const i of active) {
        assert.deepEqual(i.context.events.FlashSale, { sale: 'spring', discount: 5 });
        assert.equal(i.path.find((p) => p.node === 'big')?.outcome, 'Small sale');
      }
      assert.equal(
        second.filter((i) => i.exitReason === 'journey_stopped').length,
        2,
        'the first run ended',
      );
      // After the hour a new export is made: Jean is read.
      w.clock.advance(2 * HOUR);
      await w.send([
        { id: 'sale-3', type: 'FlashSale', payload: { sale: 'summer', discount: 30 } },
      ]);
      await w.advance(2000);
      const third = (await instancesOf(w, 'flash')).filter((i) => i.status === 'active');
      assert.deepEqual((await Promise.all(third.map((i) => emailOf(w, i.profileId)))).sort(), [
        'jean@luma.example',
        'sarah@luma.example',
        'tom@luma.example',
      ]);
      // A business event type needs no identity; any other one does.
      await assert.rejects(
        w.app.objects.put('prod', 'eventType', { name: 'NoIdentity', schema: { type: 'object' } }),
        /invalid/,
      );
    } finally {
      await w.close();
    }
  });

  test('in test mode, a business event sent from the test runs reads for the version under test only', async () => {
    const w = await lumaWorld();
    try {
      await goldAudience(w);
      await w.app.objects.put('prod', 'eventType', {
        name: 'FlashSale',
        business: true,
        schema: { type: 'object', properties: { discount: { type: 'number' } } },
      });
      await w.app.profiles.put('prod', 'Email', 'tester@luma.example', {
        attributes: { loyalty: { tier: 'gold' } },
        identities: [],
        testProfile: true,
      });
      await tier(w, 'sarah@luma.example', 'gold');
      for (const id of ['flash', 'flash-live']) {
        const saved = await w.app.journeys.create('prod', id, flash());
        assert.deepEqual(saved.problems, []);
      }
      await w.app.journeys.publish('prod', 'flash-live');
      await w.app.journeys.testMode('prod', 'flash', true);
      await w.advance(2000);
      const [r] = await w.app.engine.ingest(
        'prod',
        [{ id: 'sale-t', type: 'FlashSale', payload: { discount: 20 } }],
        { test: { journeyId: 'flash', version: 1 } },
      );
      assert.deepEqual(r?.status === 'accepted' ? r.journeys : [], ['flash']);
      await w.advance(2000);
      const tested = await instancesOf(w, 'flash');
      assert.deepEqual(await Promise.all(tested.map((i) => emailOf(w, i.profileId))), [
        'tester@luma.example',
      ]);
      assert.equal((await instancesOf(w, 'flash-live')).length, 0, 'the live journey did not read');
    } finally {
      await w.close();
    }
  });

  test('validation: the event and audience exist, and a business event cannot start a unitary journey', () => {
    assert.deepEqual(issuesOf(flash()), []);
    const entryIssues = (d: JourneyDefinitionInput) =>
      issuesOf(d).filter(([path]) => String(path).startsWith('entry.'));
    assert.deepEqual(entryIssues(flash('Nope')), [['entry.businessEvent', 'unknown_event', null]]);
    assert.deepEqual(entryIssues(flash('Signup')), [
      ['entry.businessEvent', 'not_business_event', null],
    ]);
    const def = flash();
    assert.deepEqual(
      issuesOf({ ...def, entry: { ...(def.entry as object), audience: 'Nope' } as never }),
      [['entry.audience', 'unknown_audience', null]],
    );
    assert.deepEqual(
      issuesOf({
        name: 'Unitary',
        start: 'sale',
        nodes: [
          { id: 'sale', kind: 'event', event: 'FlashSale', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      }),
      [['nodes[0].event', 'business_event_unitary', 'sale']],
    );
    // Nor does it mix with unitary events.
    const mixed = flash();
    assert.deepEqual(
      issuesOf({
        ...mixed,
        nodes: [
          ...mixed.nodes.filter((n) => n.id !== 'done'),
          { id: 'done', kind: 'event', event: 'Signup', next: [] },
        ],
      }),
      [['nodes[2].event', 'business_journey_unitary_event', 'done']],
    );
  });
});

describe('dry run', () => {
  test('dry run sends nothing (SMTP inbox empty, no action call) but reports what it would have sent', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Signup');
      const saved = await w.app.journeys.create('prod', 'welcome', {
        name: 'Welcome',
        start: 'signup',
        nodes: [
          { id: 'signup', kind: 'event', event: 'Signup', next: ['loyalty'] },
          {
            id: 'loyalty',
            kind: 'action',
            action: 'LoyaltyService',
            parameters: { loyaltyId: '@event{Signup.email}', orderValue: '@event{Signup.total}' },
            next: ['tier'],
          },
          {
            id: 'tier',
            kind: 'updateProfile',
            attribute: 'loyalty.tier',
            value: '"platinum"',
            next: ['big'],
          },
          {
            id: 'big',
            kind: 'condition',
            paths: [{ label: 'Big', expression: '@event{Signup.total} > 100', next: ['mail'] }],
            otherwise: { label: 'Small', next: ['pause'] },
          },
          { id: 'pause', kind: 'wait', duration: 'PT1H', next: ['mail'] },
          {
            id: 'mail',
            kind: 'email',
            configuration: 'EmailMarketing',
            category: 'transactional',
            content: {
              subject: 'Welcome',
              html: '<p>Your offer: {{context.journey.actions.LoyaltyService.LoyaltyOffer}}</p>',
            },
            next: [],
          },
        ],
      });
      assert.deepEqual(saved.problems, []);
      const started = await w.app.journeys.dryRun('prod', 'welcome', true);
      assert.equal(started.status, 'dryRun');
      // Real profiles on real events: not test profiles.
      await w.send([
        { id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example', total: 250 } },
        { id: 's2', type: 'Signup', payload: { email: 'tom@luma.example', total: 20 } },
      ]);
      await w.advance(2000);
      // Tom waits an hour on the real clock, then would be sent the email too.
      const tom = (await instancesOf(w, 'welcome')).find((i) =>
        i.path.some((p) => p.outcome === 'Small'),
      );
      assert.equal(tom?.status, 'active', 'Tom waits');
      await w.advance(HOUR + 2000);
      await delay(300); // any SMTP or HTTP traffic would have arrived by now
      assert.deepEqual(w.inbox.list(), [], 'the SMTP inbox stays empty');
      assert.equal(w.loyalty.calls.length, 0, 'the loopback custom action got no call');
      assert.equal(
        (await w.app.reads.messages('prod', { journeyId: 'welcome', limit: 10 })).length,
        0,
      );
      const sarahId = await w.app.reads.findProfileId('prod', 'Email', 'sarah@luma.example');
      const sarah = await w.app.reads.getProfile('prod', sarahId!);
      assert.notEqual(
        (sarah?.attributes as { loyalty?: { tier?: string } }).loyalty?.tier,
        'platinum',
        'the profile is not changed',
      );
      for (const i of await instancesOf(w, 'welcome')) {
        assert.equal(i.status, 'exited');
        assert.equal(i.context.actions.LoyaltyService, null, 'the action response is null');
      }

      const report = await buildDryRunReport(w.app, 'prod', 'welcome');
      dryRunReportSchema.parse(report);
      assert.equal(report.running, true);
      assert.equal(report.journey.entered, 2);
      assert.deepEqual(report.wouldSend, { email: 2 });
      const at = (id: string) => report.activities.find((a) => a.id === id)!;
      assert.equal(at('loyalty').wouldCall, 2);
      assert.equal(at('tier').wouldUpdate, 2);
      assert.deepEqual(at('big').paths, { Big: 1, Small: 1 });
      assert.equal(at('mail').wouldSend, 2);
      // The live report of the journey is apart: no version there counted a message.
      const live2 = await buildReport(w.app, 'prod', 'welcome');
      assert.equal(live2.total.entered, 0, 'the live totals do not count the dry run');
      assert.equal(live2.versions[0]?.activities.find((a) => a.id === 'mail')?.messages?.sent, 0);

      // Meanwhile the draft is neither published nor edited.
      await assert.rejects(w.app.journeys.publish('prod', 'welcome'), /dryRun/);
      await assert.rejects(w.app.journeys.newVersion('prod', 'welcome'), /dry run/);
      // Stopped by hand: back to draft, its report cleared; published, the same journey sends.
      assert.equal((await w.app.journeys.dryRun('prod', 'welcome', false)).status, 'draft');
      assert.equal((await buildDryRunReport(w.app, 'prod', 'welcome')).running, false);
      await w.app.journeys.publish('prod', 'welcome');
      await w.send([
        { id: 's3', type: 'Signup', payload: { email: 'jean@luma.example', total: 250 } },
      ]);
      for (let i = 0; i < 50 && w.inbox.list().length === 0; i++) {
        await w.advance(1000);
        await delay(20);
      }
      assert.equal(w.inbox.list({ to: 'jean@luma.example' }).length, 1, 'live, the email is sent');
      assert.equal(w.loyalty.calls.length, 1, 'live, the action is called');
    } finally {
      await w.close();
    }
  });

  test('a dry run is refused while a version of the journey is live', async () => {
    const w = await lumaWorld();
    try {
      const live = await w.app.journeys.get('prod', 'purchase-journey');
      await w.app.journeys.newVersion('prod', 'purchase-journey');
      await assert.rejects(w.app.journeys.dryRun('prod', 'purchase-journey', true), /is live/);
      assert.equal(live.latest.status, 'live');
    } finally {
      await w.close();
    }
  });
  test('a dry run ends by itself 14 days after it started: back to draft, profiles out, report kept', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Signup');
      await w.app.journeys.create('prod', 'long-welcome', {
        name: 'Long welcome',
        start: 'signup',
        nodes: [
          { id: 'signup', kind: 'event', event: 'Signup', next: ['pause'] },
          { id: 'pause', kind: 'wait', duration: 'P30D', next: ['mail'] },
          {
            id: 'mail',
            kind: 'email',
            configuration: 'EmailMarketing',
            category: 'transactional',
            content: { subject: 'Welcome', html: '<p>Welcome</p>' },
            next: [],
          },
        ],
      });
      const started = await w.app.journeys.dryRun('prod', 'long-welcome', true);
      const startedAt = Date.parse(started.updatedAt);
      await w.send([{ id: 'l1', type: 'Signup', payload: { email: 'sarah@luma.example' } }]);
      await w.advance(2000);
      const running = dryRunReportSchema.parse(
        await buildDryRunReport(w.app, 'prod', 'long-welcome'),
      );
      assert.equal(running.running, true);
      assert.equal(running.startedAt, started.updatedAt);
      assert.equal(running.endsAt, new Date(startedAt + 14 * 24 * HOUR).toISOString());
      assert.equal(running.ended, null);

      // A day short of 14: still running, Sarah still waits.
      w.clock.advance(13 * 24 * HOUR);
      await w.app.engine.settle();
      assert.equal((await w.app.journeys.get('prod', 'long-welcome')).latest.status, 'dryRun');
      assert.equal((await instancesOf(w, 'long-welcome'))[0]?.status, 'active');

      // Past 14 days on the engine's clock: it ended by itself.
      w.clock.advance(24 * HOUR);
      await w.advance(2000);
      const after = await w.app.journeys.get('prod', 'long-welcome');
      assert.equal(after.latest.status, 'draft');
      const [sarah] = await instancesOf(w, 'long-welcome');
      assert.equal(sarah?.status, 'exited', 'the profile in it left');
      const kept = dryRunReportSchema.parse(await buildDryRunReport(w.app, 'prod', 'long-welcome'));
      assert.equal(kept.running, false);
      assert.equal(kept.version, started.version);
      assert.equal(kept.journey.entered, 1, 'the report is kept');
      assert.ok(kept.ended?.automatically, 'it says it ended automatically');
      assert.equal(kept.ended?.at, kept.endsAt);
      const endedAt = Date.parse(kept.ended!.at);
      assert.ok(
        endedAt >= startedAt + 14 * 24 * HOUR && endedAt <= startedAt + 14 * 24 * HOUR + 5000,
      );
      assert.equal(kept.startedAt, started.updatedAt);
      assert.deepEqual(w.inbox.list(), [], 'nothing was sent');
      // The audit log says so, in the words of a stop by hand, by the system.
      const [audited] = (
        await w.app.access.audit.query({ limit: 5, object: 'journey:long-welcome' })
      ).items;
      assert.equal(audited?.action, 'journey.dry-run');
      assert.equal(audited?.actor.kind, 'system');
      assert.deepEqual(audited?.details, {
        enabled: false,
        version: started.version,
        startedAt: started.updatedAt,
        automatically: true,
      });

      // Run again, it starts from nothing (the kept report goes), and its end is 14 days on.
      const again = await w.app.journeys.dryRun('prod', 'long-welcome', true);
      const fresh = dryRunReportSchema.parse(
        await buildDryRunReport(w.app, 'prod', 'long-welcome'),
      );
      assert.equal(fresh.running, true);
      assert.equal(fresh.journey.entered, 0);
      assert.equal(fresh.ended, null);
      assert.equal(
        fresh.endsAt,
        new Date(Date.parse(again.updatedAt) + 14 * 24 * HOUR).toISOString(),
      );
      // Stopped by hand: the report is cleared, and nothing ends it later.
      await w.app.journeys.dryRun('prod', 'long-welcome', false);
      const none = await buildDryRunReport(w.app, 'prod', 'long-welcome');
      assert.equal(none.version, null);
      assert.equal(none.ended, null);
      w.clock.advance(15 * 24 * HOUR);
      await w.advance(2000);
      assert.equal((await w.app.journeys.get('prod', 'long-welcome')).latest.status, 'draft');
      assert.deepEqual(
        (await w.app.audiences.jobs('prod')).filter((j) => j.state.kind === 'dryRunEnd'),
        [],
        'no dry-run job is left',
      );
    } finally {
      await w.close();
    }
  });
  test('in fleet mode a dry run ends by one job share per partition, the last putting it back to draft', async () => {
    const w = await lumaWorld();
    try {
      // As a fleet engine holding every partition: the ending job runs as 256 shares.
      w.app.enterFleetMode({
        rateLimiter: w.app.rateLimiter,
        ownedPartitions: () => Array.from({ length: 256 }, (_, p) => p),
      });
      await eventType(w, 'Signup');
      await w.app.journeys.create('prod', 'fleet-welcome', {
        name: 'Fleet welcome',
        start: 'signup',
        nodes: [
          { id: 'signup', kind: 'event', event: 'Signup', next: ['pause'] },
          { id: 'pause', kind: 'wait', duration: 'P30D', next: [] },
        ],
      });
      await w.app.journeys.dryRun('prod', 'fleet-welcome', true);
      const emails = ['sarah@luma.example', 'tom@luma.example', 'ana@luma.example'];
      await w.send(emails.map((email, i) => ({ id: `f${i}`, type: 'Signup', payload: { email } })));
      await w.advance(2000);
      const shares = (await w.app.audiences.jobs('prod')).filter(
        (j) => j.state.kind === 'dryRunEnd',
      );
      assert.equal(shares.length, 256, 'one share per partition');
      w.clock.advance(14 * 24 * HOUR);
      await w.advance(12_000);
      assert.equal((await w.app.journeys.get('prod', 'fleet-welcome')).latest.status, 'draft');
      const left = await instancesOf(w, 'fleet-welcome');
      assert.equal(left.length, 3);
      assert.ok(
        left.every((i) => i.status === 'exited'),
        'every profile left',
      );
      const kept = dryRunReportSchema.parse(
        await buildDryRunReport(w.app, 'prod', 'fleet-welcome'),
      );
      assert.equal(kept.journey.entered, 3);
      assert.equal(kept.ended?.automatically, true);
      assert.deepEqual(
        (await w.app.audiences.jobs('prod')).filter((j) => j.state.kind === 'dryRunEnd'),
        [],
        'every share is gone',
      );
    } finally {
      await w.close();
    }
  });
});

describe('exit criteria on leaving an audience', () => {
  test('leaving an audience exits the journey from a wait', async () => {
    const w = await lumaWorld();
    try {
      await goldAudience(w);
      await eventType(w, 'Signup');
      await tier(w, 'sarah@luma.example', 'gold');
      await tier(w, 'tom@luma.example', 'gold');
      const saved = await w.app.journeys.create('prod', 'gold-welcome', {
        name: 'Gold welcome',
        exitCriteria: [{ audienceExit: GOLD }],
        start: 'signup',
        nodes: [
          { id: 'signup', kind: 'event', event: 'Signup', next: ['pause'] },
          { id: 'pause', kind: 'wait', duration: 'P3D', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'gold-welcome');
      await w.send([
        { id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example' } },
        { id: 's2', type: 'Signup', payload: { email: 'tom@luma.example' } },
      ]);
      await w.advance(2000);
      w.clock.advance(HOUR);
      await tier(w, 'sarah@luma.example', 'silver');
      await w.advance(2000);
      const all = await instancesOf(w, 'gold-welcome');
      const by = new Map(
        await Promise.all(all.map(async (i) => [await emailOf(w, i.profileId), i] as const)),
      );
      const sarah = by.get('sarah@luma.example');
      assert.equal(sarah?.status, 'exited');
      assert.equal(sarah?.exitReason, 'exit_criteria');
      assert.equal(sarah?.path.at(-1)?.node, 'pause', 'she left from the wait');
      assert.equal(by.get('tom@luma.example')?.status, 'active', 'Tom is still gold');
    } finally {
      await w.close();
    }
  });

  test('validation names an unknown audience, and the audience whose exit enters the journey', () => {
    const base: JourneyDefinitionInput = {
      name: 'x',
      start: 'signup',
      nodes: [
        { id: 'signup', kind: 'event', event: 'Signup', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    };
    assert.deepEqual(issuesOf({ ...base, exitCriteria: [{ audienceExit: 'Nope' }] }), [
      ['exitCriteria[0].audienceExit', 'unknown_audience', null],
    ]);
    assert.deepEqual(
      issuesOf({
        ...base,
        entry: { type: 'audience', audience: GOLD, on: 'exited' },
        start: 'done',
        nodes: [{ id: 'done', kind: 'end' }],
        exitCriteria: [{ audienceExit: GOLD }],
      }),
      [['exitCriteria[0].audienceExit', 'exit_on_entry_audience', null]],
    );
  });
});

describe('entry management by namespace', () => {
  test('a profile without the namespace is discarded', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Signup');
      await w.app.profiles.put('prod', 'Email', 'sarah@luma.example', {
        attributes: {},
        identities: [{ namespace: 'CRMID', id: 'crm-sarah' }],
      });
      const saved = await w.app.journeys.create('prod', 'crm-welcome', {
        name: 'CRM welcome',
        namespace: 'CRMID',
        start: 'signup',
        nodes: [
          { id: 'signup', kind: 'event', event: 'Signup', next: ['pause'] },
          { id: 'pause', kind: 'wait', duration: 'P1D', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'crm-welcome');
      await w.send([
        { id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example' } },
        { id: 's2', type: 'Signup', payload: { email: 'tom@luma.example' } },
      ]);
      await w.advance(2000);
      const all = await instancesOf(w, 'crm-welcome');
      assert.deepEqual(await Promise.all(all.map((i) => emailOf(w, i.profileId))), [
        'sarah@luma.example',
      ]);
      const report = journeyReportSchema.parse(await buildReport(w.app, 'prod', 'crm-welcome'));
      assert.equal(report.total.entered, 1);
      assert.equal(report.total.discarded, 1);
      assert.deepEqual(report.versions[0]?.discardedBy, { missing_namespace: 1 });
    } finally {
      await w.close();
    }
  });

  test('without the setting the entry event namespace applies; an unknown namespace is refused', () => {
    const base: JourneyDefinitionInput = {
      name: 'x',
      start: 'signup',
      nodes: [
        { id: 'signup', kind: 'event', event: 'Signup', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    };
    const r = compileJourney('j', 1, journeyDefinitionSchema.parse(base), catalog);
    assert.ok(r.ok);
    assert.equal(r.journey.namespace, 'Email');
    assert.deepEqual(issuesOf({ ...base, namespace: 'Nope' }), [
      ['namespace', 'unknown_namespace', null],
    ]);
    assert.deepEqual(
      issuesOf({
        name: 'read',
        namespace: 'CRMID',
        entry: { type: 'readAudience', audience: GOLD, namespace: 'Email' },
        start: 'done',
        nodes: [{ id: 'done', kind: 'end' }],
      }),
      [['namespace', 'namespace_mismatch', null]],
    );
  });
});
