// A batch run over stored profiles: an audience of events in a time window is decided from the
// events each profile has in the store (read a page of profiles at a time), a run that changes
// nothing writes nothing, and the sample is drawn from all members, not the first page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileWrite } from '../../src/store/ports.ts';
import { lumaWorld, storedProfile } from '../support/luma.ts';

const DAY = 86_400_000;

test("a batch run decides an event-window audience from each profile's stored events", async () => {
  const w = await lumaWorld();
  try {
    await w.app.engine.settle();
    const now = w.clock.now();
    const at = new Date(now).toISOString();
    const N = 12_000; // more than two pages of 5,000
    const profiles: ProfileWrite[] = [];
    const events: Array<{
      sandbox: string;
      eventId: string;
      type: string;
      profileId: string;
      payload: unknown;
      receivedAt: number;
    }> = [];
    const expected = new Set<string>();
    for (let i = 0; i < N; i++) {
      const id = `batch-${String(i).padStart(5, '0')}`;
      profiles.push(storedProfile(id, {}, at));
      // i % 4: 0 → two recent purchases (member), 1 → one recent and one 40 days old, 2 → two old, 3 → none;
      // every 7th also has two recent purchases of less than 50 (not counted by the rule's where).
      const recent = (k: number, total = 80) =>
        events.push({
          sandbox: 'prod',
          eventId: `${id}-r${k}`,
          type: 'LumaPurchaseEvent_Email',
          profileId: id,
          payload: { commerce: { order: { priceTotal: total } } },
          receivedAt: now - (k + 1) * DAY,
        });
      const old = (k: number) =>
        events.push({
          sandbox: 'prod',
          eventId: `${id}-o${k}`,
          type: 'LumaPurchaseEvent_Email',
          profileId: id,
          payload: { commerce: { order: { priceTotal: 80 } } },
          receivedAt: now - (40 + k) * DAY,
        });
      if (i % 7 === 0) {
        recent(10, 20);
        recent(11, 30);
      }
      switch (i % 4) {
        case 0:
          recent(0);
          recent(1);
          expected.add(id);
          break;
        case 1:
          recent(0);
          old(0);
          break;
        case 2:
          old(0);
          old(1);
          break;
      }
    }
    for (let k = 0; k < profiles.length; k += 4000)
      await w.store.commit({ profiles: profiles.slice(k, k + 4000) });
    for (let k = 0; k < events.length; k += 4000)
      await w.store.commit({ events: events.slice(k, k + 4000) });

    await w.app.objects.put('prod', 'audience', {
      name: 'Two purchases of 50+ in 30 days',
      origin: 'batch',
      namespace: 'Email',
      definition: {
        kind: 'event',
        eventType: 'LumaPurchaseEvent_Email',
        where: [{ kind: 'attribute', path: 'commerce.order.priceTotal', op: 'gte', value: 50 }],
        count: { op: 'atLeast', value: 2 },
        within: { amount: 30, unit: 'days' },
      },
    });
    const run = await w.app.audiences.evaluate('prod', 'Two purchases of 50+ in 30 days', 30);
    const demoProfiles = run.evaluated - N;
    assert.ok(demoProfiles >= 0 && demoProfiles < 20, `${run.evaluated} profiles evaluated`);
    assert.equal(run.size, expected.size);
    assert.equal(run.realized, expected.size);

    const members: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await w.app.audiences.members('prod', 'Two purchases of 50+ in 30 days', {
        status: 'realized',
        limit: 5000,
        ...(after ? { after } : {}),
      });
      members.push(...page.items.map((m) => m.profileId));
      if (!page.next) break;
      after = page.next;
    }
    assert.deepEqual(members.sort(), [...expected].sort());
    assert.equal(run.sample.length, 30);
    assert.ok(run.sample.every((id) => expected.has(id)));
    assert.ok(
      run.sample.some((id) => id > 'batch-10000'),
      'the sample reaches the last page',
    );

    const again = await w.app.audiences.evaluate('prod', 'Two purchases of 50+ in 30 days');
    assert.deepEqual(
      [again.size, again.realized, again.exited],
      [expected.size, 0, 0],
      'nothing changed: nothing written',
    );

    // Thirty days on, the purchases 1 and 2 days old are 31 and 32 days old: everyone exits.
    w.clock.advance(30 * DAY);
    const later = await w.app.audiences.evaluate('prod', 'Two purchases of 50+ in 30 days');
    assert.deepEqual([later.size, later.exited], [0, expected.size]);
  } finally {
    await w.close();
  }
});

test('a batch run reads lists the way the expression language does: a field of a list is that field of every item', async () => {
  const w = await lumaWorld();
  try {
    await w.app.engine.settle();
    const at = new Date(w.clock.now()).toISOString();
    const profile = (id: string, attributes: Record<string, unknown>): ProfileWrite =>
      storedProfile(id, attributes, at);
    await w.store.commit({
      profiles: [
        profile('list-1', { devices: [{ os: 'ios' }, { os: 'android' }] }),
        profile('list-2', { devices: [{ os: 'android' }] }),
        profile('list-3', { devices: [{ os: 'windows' }, { name: 'no os' }] }),
        profile('list-4', { loyalty: { tiers: ['blue', 'gold'] } }),
      ],
    });
    await w.app.objects.put('prod', 'audience', {
      name: 'iOS users',
      origin: 'batch',
      definition: { text: 'in("ios", #{ExperiencePlatform.ProfileFieldGroup.profile.devices.os})' },
    });
    await w.app.objects.put('prod', 'audience', {
      name: 'Blue somewhere',
      origin: 'batch',
      definition: { kind: 'attribute', path: 'loyalty.tiers.0', op: 'equals', value: 'blue' },
    });
    const ios = await w.app.audiences.evaluate('prod', 'iOS users', 10);
    assert.deepEqual(ios.sample, ['list-1']);
    const blue = await w.app.audiences.evaluate('prod', 'Blue somewhere', 10);
    assert.deepEqual(blue.sample, ['list-4'], 'a list index in a JSON-form path');
  } finally {
    await w.close();
  }
});
