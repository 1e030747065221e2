// Audience-qualification journeys and time windows: a profile that qualifies enters once; when the
// window passes it leaves the audience with no new event (a timer at nextCheckAt), which triggers
// the journeys entered "on exited".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cart, lumaEvent, lumaWorld, T0, type LumaWorld } from '../support/luma.ts';

const RECENT = 'Checked out in the last hour';
const HOUR = 3_600_000;

async function setup(w: LumaWorld): Promise<void> {
  await w.app.objects.put('prod', 'audience', {
    name: RECENT,
    origin: 'streaming',
    namespace: 'Email',
    definition: {
      kind: 'event',
      eventType: 'LumaCheckoutEvent_Email',
      count: { op: 'atLeast', value: 1 },
      within: { amount: 1, unit: 'hours' },
    },
  });
  for (const [id, on] of [
    ['welcome-recent', 'realized'],
    ['after-recent', 'exited'],
  ] as const) {
    await w.app.journeys.create('prod', id, {
      name: id,
      entry: { type: 'audience', audience: RECENT, on },
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'P2D', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    });
    await w.app.journeys.publish('prod', id);
  }
}

const instancesOf = async (w: LumaWorld, journeyId: string, profileId: string) =>
  await w.app.reads.instances('prod', { journeyId, profileId, limit: 10 });

describe('audience qualification and windows', () => {
  test('qualifying enters the journey once; the window expiring exits the audience with no new event', async () => {
    const w = await lumaWorld();
    try {
      await setup(w);
      const [r] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart),
      ]);
      const profileId = r?.status === 'accepted' ? r.profileId : '';
      const row = async () =>
        (await w.app.reads.profileMemberships('prod', profileId)).find(
          (m) => m.audience === RECENT,
        );
      assert.deepEqual(await row(), {
        sandbox: 'prod',
        profileId,
        audience: RECENT,
        status: 'realized',
        realizedAt: T0,
        exitedAt: null,
      });
      assert.equal(
        (await instancesOf(w, 'welcome-recent', profileId)).length,
        1,
        'entered on qualification',
      );

      // A second checkout keeps the profile in the audience: no second entry.
      w.clock.advance(10 * 60_000);
      await w.send([lumaEvent('LumaCheckoutEvent_Email', 'tom.baker@luma.example', cart)]);
      assert.equal((await instancesOf(w, 'welcome-recent', profileId)).length, 1, 'entered once');
      assert.equal((await instancesOf(w, 'after-recent', profileId)).length, 0);

      // The window is counted from the latest checkout: still a member just before it ends…
      w.clock.set(T0 + 10 * 60_000 + HOUR);
      await w.app.engine.settle();
      assert.equal((await row())?.status, 'realized');
      // …and out one millisecond after, with no event: the audience timer fired.
      w.clock.set(T0 + 10 * 60_000 + HOUR + 1);
      await w.app.engine.settle();
      assert.deepEqual(await row(), {
        sandbox: 'prod',
        profileId,
        audience: RECENT,
        status: 'exited',
        realizedAt: T0,
        exitedAt: T0 + 10 * 60_000 + HOUR + 1,
      });
      const after = await instancesOf(w, 'after-recent', profileId);
      assert.equal(after.length, 1, 'the exit triggered the "on exited" journey');
      assert.equal(after[0]!.enteredAt, T0 + 10 * 60_000 + HOUR + 1);
      assert.equal((await w.app.reads.nextTimerDue()) !== null, true);
      const profile = await w.app.reads.getProfile('prod', profileId);
      assert.deepEqual(await w.app.engine.memberships('prod', profile), {
        [RECENT]: 'exited',
        'Not Luma Mobile App Users': 'realized',
      });
    } finally {
      await w.close();
    }
  });

  test('entry validation: the audience must exist, its namespace must match, and the entry cannot change between versions', async () => {
    const w = await lumaWorld();
    try {
      await setup(w);
      const base = { name: 'x', start: 'done', nodes: [{ id: 'done', kind: 'end' }] };
      const unknown = await w.app.journeys.create('prod', 'unknown-aud', {
        ...base,
        entry: { type: 'audience', audience: 'Nobody' },
      });
      assert.ok(
        unknown.issues.some((i) => i.code === 'unknown_audience' && i.message.includes('"Nobody"')),
      );
      const mismatch = await w.app.journeys.create('prod', 'mismatch', {
        ...base,
        entry: { type: 'audience', audience: RECENT, namespace: 'ECID' },
      });
      assert.ok(
        mismatch.issues.some((i) => i.code === 'namespace_mismatch'),
        JSON.stringify(mismatch.issues),
      );
      const mixed = await w.app.journeys.create('prod', 'mixed', {
        name: 'mixed',
        entry: { type: 'readAudience', audience: RECENT, namespace: 'Email' },
        start: 'e',
        nodes: [
          { id: 'e', kind: 'event', event: 'LumaPurchaseEvent_Email', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      assert.deepEqual(mixed.issues, [], 'an event of the same namespace may follow');

      await w.app.journeys.newVersion('prod', 'welcome-recent');
      const v2 = (await w.app.journeys.get('prod', 'welcome-recent')).latest.definition;
      await w.app.journeys.update('prod', 'welcome-recent', {
        ...v2,
        entry: { type: 'audience', audience: 'Luma - Blue Luma+ Members', on: 'realized' },
      });
      await assert.rejects(
        w.app.journeys.publish('prod', 'welcome-recent'),
        (e: Error & { issues?: Array<{ path: string }> }) =>
          e.issues?.some((i) => i.path === 'entry') === true,
      );
    } finally {
      await w.close();
    }
  });
});
