// The reaction, update-profile, profile-cap and jump activities, end to end on the engine with a
// virtual clock: Sarah opens the email (through its real open-pixel token and the feedback
// service) and takes the "opened" path while Tom times out; a purchase sets the loyalty tier that
// a later condition reads; a profile cap of 2 lets exactly two of three profiles through; a jump
// carries journey A's event into journey B's message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TRACKING_ROUTES, verifyOpenToken } from '../../src/channels/tracking/index.ts';
import type { JourneyDefinitionInput } from '../../src/model/journey.ts';
import { lumaWorld, TRACKING_SECRET, type LumaWorld } from '../support/luma.ts';

const MINUTE = 60_000;

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

/** A small event type of this test: an email identity and an order total. */
async function eventType(w: LumaWorld, name: string): Promise<void> {
  await w.app.objects.put('prod', 'eventType', {
    name,
    identity: { path: 'email', namespace: 'Email' },
    schema: {
      type: 'object',
      required: ['email'],
      properties: {
        email: { type: 'string' },
        total: { type: 'number' },
        product: { type: 'string' },
        when: { type: 'string' },
      },
    },
  });
}

async function publish(w: LumaWorld, id: string, def: JourneyDefinitionInput): Promise<void> {
  const saved = await w.app.journeys.create('prod', id, def);
  assert.deepEqual(saved.problems, [], `${id} has no problems`);
  await w.app.journeys.publish('prod', id);
}

const email = (subject: string, html: string, next: string[]) => ({
  kind: 'email' as const,
  configuration: 'EmailMarketing',
  category: 'transactional' as const,
  content: { subject, html },
  next,
});

async function profileOf(w: LumaWorld, address: string) {
  const id = await w.app.reads.findProfileId('prod', 'Email', address);
  assert.ok(id, `a profile for ${address}`);
  return id;
}

async function pathOf(w: LumaWorld, profileId: string, journeyId: string): Promise<string[]> {
  const [i] = (await w.app.reads.instances('prod', { profileId, limit: 10 })).filter(
    (x) => x.journeyId === journeyId,
  );
  assert.ok(i, `an instance of ${journeyId}`);
  return i.path.map((p) => `${p.node}:${p.outcome}`);
}

describe('journey activities', () => {
  test('reaction: Sarah opens the email and takes the opened path, Tom takes the timeout path', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'ReactionEvent');
      await publish(w, 'reactions', {
        name: 'Reactions',
        start: 'start',
        nodes: [
          { id: 'start', kind: 'event', event: 'ReactionEvent', next: ['mail'] },
          { id: 'mail', ...email('News', '<p>Hello</p>', ['opened']) },
          {
            id: 'opened',
            kind: 'reaction',
            message: 'mail',
            reaction: 'opened',
            next: ['thanks'],
            timeout: { duration: 'PT1H', next: ['late'] },
          },
          { id: 'thanks', kind: 'end' },
          { id: 'late', kind: 'end' },
        ],
      });
      await w.send([
        { id: 'r1', type: 'ReactionEvent', payload: { email: 'sarah@luma.example' } },
        { id: 'r2', type: 'ReactionEvent', payload: { email: 'tom@luma.example' } },
      ]);
      await w.advance(2000);
      const sarah = await profileOf(w, 'sarah@luma.example');
      const tom = await profileOf(w, 'tom@luma.example');
      const [sent] = await w.app.reads.messages('prod', { profileId: sarah, limit: 5 });
      assert.equal(sent?.status, 'sent');
      // The open pixel in the email Sarah received: its signed token goes through the feedback service.
      const mail = await until(() => w.inbox.list({ to: 'sarah@luma.example' })[0]);
      const pixel = new RegExp(`${TRACKING_ROUTES.open}([^"']+)\\.gif`).exec(mail.html);
      assert.ok(pixel, 'the email carries an open pixel');
      const claims = verifyOpenToken(pixel[1]!, TRACKING_SECRET);
      assert.ok(claims.ok);
      await w.advance(10 * MINUTE);
      await w.app.feedback.record(claims.claims);
      await w.advance(2000);
      assert.deepEqual(await pathOf(w, sarah, 'reactions'), [
        'start:ReactionEvent',
        'mail:sent',
        'opened:opened',
        'thanks:end',
      ]);
      assert.deepEqual((await pathOf(w, tom, 'reactions')).slice(2), ['opened:undefined']);
      await w.advance(61 * MINUTE);
      assert.deepEqual((await pathOf(w, tom, 'reactions')).slice(2), [
        'opened:timeout',
        'late:end',
      ]);
    } finally {
      await w.close();
    }
  });

  test('update profile: a purchase sets the loyalty tier, and a later condition reads it', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'TierPurchase');
      await publish(w, 'tiers', {
        name: 'Tiers',
        start: 'buy',
        nodes: [
          { id: 'buy', kind: 'event', event: 'TierPurchase', next: ['tier'] },
          {
            id: 'tier',
            kind: 'updateProfile',
            attribute: 'loyalty.tier',
            value: 'if (@event{TierPurchase.total} > 100) then ("gold") else ("silver")',
            next: ['pause'],
          },
          { id: 'pause', kind: 'wait', duration: 'PT5M', next: ['check'] },
          {
            id: 'check',
            kind: 'condition',
            paths: [
              {
                label: 'gold',
                expression:
                  '#{ExperiencePlatform.ProfileFieldGroup.profile.loyalty.tier} == "gold"',
                next: ['welcome'],
              },
            ],
            otherwise: { label: 'others', next: ['done'] },
          },
          { id: 'welcome', ...email('Welcome to gold', '<p>Gold</p>', []) },
          { id: 'done', kind: 'end' },
        ],
      });
      await w.send([
        { id: 't1', type: 'TierPurchase', payload: { email: 'ann@luma.example', total: 250 } },
        { id: 't2', type: 'TierPurchase', payload: { email: 'bob@luma.example', total: 20 } },
      ]);
      const ann = await profileOf(w, 'ann@luma.example');
      const bob = await profileOf(w, 'bob@luma.example');
      const tierOf = async (id: string) =>
        ((await w.app.reads.getProfile('prod', id))?.attributes.loyalty as { tier?: string })?.tier;
      assert.equal(await tierOf(ann), 'gold', 'written with the step that crossed the activity');
      assert.equal(await tierOf(bob), 'silver');
      await w.advance(6 * MINUTE);
      assert.deepEqual((await pathOf(w, ann, 'tiers')).slice(1), [
        'tier:updated',
        'pause:waited',
        'check:gold',
        'welcome:sent',
      ]);
      assert.deepEqual((await pathOf(w, bob, 'tiers')).slice(3), ['check:others', 'done:end']);
    } finally {
      await w.close();
    }
  });

  test('profile cap: cap 2, three profiles enter in one request, exactly two take the capped path', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'CapEvent');
      await publish(w, 'capped', {
        name: 'Capped',
        start: 'in',
        nodes: [
          { id: 'in', kind: 'event', event: 'CapEvent', next: ['cap'] },
          {
            id: 'cap',
            kind: 'condition',
            mode: 'profileCap',
            cap: 2,
            paths: [{ label: 'first two', next: ['firsts'] }],
            otherwise: { label: 'the rest', next: ['rest'] },
          },
          { id: 'firsts', kind: 'end' },
          { id: 'rest', kind: 'end' },
        ],
      });
      // Sent concurrently: the requests are grouped into shared units of work by the writer.
      await Promise.all(
        ['a', 'b', 'c'].map((n) =>
          w.app.engine.ingest('prod', [
            { id: `c-${n}`, type: 'CapEvent', payload: { email: `${n}@luma.example` } },
          ]),
        ),
      );
      await w.app.engine.settle();
      const outcomes: string[] = [];
      for (const n of ['a', 'b', 'c']) {
        const id = await profileOf(w, `${n}@luma.example`);
        outcomes.push((await pathOf(w, id, 'capped'))[1]!);
      }
      assert.deepEqual(outcomes.sort(), ['cap:first two', 'cap:first two', 'cap:the rest']);
      // A fourth, later, goes the other way too.
      await w.send([{ id: 'c-d', type: 'CapEvent', payload: { email: 'd@luma.example' } }]);
      const d = await profileOf(w, 'd@luma.example');
      assert.equal((await pathOf(w, d, 'capped'))[1], 'cap:the rest');
    } finally {
      await w.close();
    }
  });

  test("jump: the profile jumps from journey A into B, and B's message uses A's event data", async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'JumpA');
      await eventType(w, 'JumpB');
      await publish(w, 'journey-b', {
        name: 'Journey B',
        start: 'b-in',
        nodes: [
          { id: 'b-in', kind: 'event', event: 'JumpB', next: ['b-mail'] },
          {
            id: 'b-mail',
            ...email(
              'About {{context.journey.events.JumpB.product}}',
              '<p>You liked {{context.journey.events.JumpB.product}}</p>',
              [],
            ),
          },
        ],
      });
      await publish(w, 'journey-a', {
        name: 'Journey A',
        start: 'a-in',
        nodes: [
          { id: 'a-in', kind: 'event', event: 'JumpA', next: ['to-b'] },
          { id: 'to-b', kind: 'jump', journey: 'journey-b', next: [] },
        ],
      });
      await w.send([
        {
          id: 'j1',
          type: 'JumpA',
          payload: { email: 'jo@luma.example', product: 'Didi Sport Watch' },
        },
      ]);
      await w.advance(2000);
      const jo = await profileOf(w, 'jo@luma.example');
      assert.deepEqual(await pathOf(w, jo, 'journey-a'), [
        'a-in:JumpA',
        'to-b:jumped to journey-b',
      ]);
      assert.deepEqual(await pathOf(w, jo, 'journey-b'), ['b-in:jumped in', 'b-mail:sent']);
      const [mail] = await w.app.reads.messages('prod', { profileId: jo, limit: 5 });
      assert.equal(mail?.subject, 'About Didi Sport Watch');

      // A jump back from B to A would make a cycle: refused when B's next version is validated.
      const problems = await w.app.journeys.validate(
        'prod',
        {
          name: 'Journey B',
          entry: { type: 'event' },
          reentrance: { allowed: true, waitSeconds: 300 },
          timeZone: 'UTC',
          testMode: { waitSeconds: 10 },
          actionTimeoutSeconds: 30,
          labels: [],
          start: 'b-in',
          nodes: [
            { id: 'b-in', kind: 'event', event: 'JumpB', next: ['back'] },
            { id: 'back', kind: 'jump', journey: 'journey-a', next: [] },
          ],
        },
        'journey-b',
      );
      assert.deepEqual(
        problems.map((p) => p.code),
        ['jump_cycle'],
      );
      assert.match(problems[0]!.message, /jump activity "back".*journey-b → journey-a → journey-b/);
    } finally {
      await w.close();
    }
  });

  test('custom wait: an expression gives the time to resume (local in the journey zone, or absolute; a past time goes on at once)', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Booking');
      await publish(w, 'reminders', {
        name: 'Reminders',
        timeZone: 'Europe/Paris',
        start: 'booked',
        nodes: [
          { id: 'booked', kind: 'event', event: 'Booking', next: ['until'] },
          {
            id: 'until',
            kind: 'wait',
            until: 'toDateTimeOnly(@event{Booking.when})',
            next: ['remind'],
          },
          { id: 'remind', ...email('Your visit', '<p>See you soon</p>', []) },
        ],
      });
      // The clock starts at 2026-11-02T09:00Z (10:00 in Paris).
      await w.send([
        {
          id: 'b1',
          type: 'Booking',
          payload: { email: 'eve@luma.example', when: '2026-11-02T12:00:00' },
        },
        {
          id: 'b2',
          type: 'Booking',
          payload: { email: 'max@luma.example', when: '2026-11-01T12:00:00' },
        },
      ]);
      const eve = await profileOf(w, 'eve@luma.example');
      const max = await profileOf(w, 'max@luma.example');
      assert.deepEqual((await pathOf(w, max, 'reminders')).slice(1), [
        'until:waited',
        'remind:sent',
      ]);
      assert.deepEqual((await pathOf(w, eve, 'reminders')).slice(1), ['until:undefined']);
      await w.advance(2 * 60 * MINUTE - 2000);
      assert.deepEqual((await pathOf(w, eve, 'reminders')).slice(1), ['until:undefined']);
      await w.advance(3000);
      assert.deepEqual((await pathOf(w, eve, 'reminders')).slice(1), [
        'until:waited',
        'remind:sent',
      ]);
    } finally {
      await w.close();
    }
  });
});
