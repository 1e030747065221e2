// Read-audience journeys: realized members having the journey's namespace enter, at the configured
// rate (profile i at readOffsetMs(i, rate) after the run's start), once or on a schedule.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllowance } from '../../src/audience/index.ts';
import { lumaWorld, T0, type LumaWorld } from '../support/luma.ts';

const AUD = 'Gold members';

async function members(w: LumaWorld): Promise<void> {
  await w.app.objects.put('prod', 'audience', {
    name: AUD,
    origin: 'streaming',
    namespace: 'Email',
    definition: { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'gold' },
  });
  for (let i = 0; i < 12; i++)
    await w.app.profiles.put('prod', 'Email', `gold${String(i).padStart(2, '0')}@luma.example`, {
      attributes: { loyalty: { tier: 'gold' } },
      identities: [],
    });
  // A member without an Email identity, and one that left the audience: neither is read.
  await w.app.profiles.put('prod', 'ECID', 'ecid-gold', {
    attributes: { loyalty: { tier: 'gold' } },
    identities: [],
  });
  await w.app.profiles.put('prod', 'Email', 'former@luma.example', {
    attributes: { loyalty: { tier: 'gold' } },
    identities: [],
  });
  await w.app.profiles.put('prod', 'Email', 'former@luma.example', {
    attributes: { loyalty: { tier: 'silver' } },
    identities: [],
  });
}

const entered = async (w: LumaWorld, journeyId: string) =>
  w.app.reads.instances('prod', { journeyId, limit: 1000 });

describe('read-audience journeys', () => {
  test('one-shot at 500 profiles/s: only realized members with the namespace, never faster than the rate', async () => {
    const w = await lumaWorld();
    try {
      await members(w);
      const size = await w.app.audiences.size('prod', AUD);
      assert.deepEqual([size.realized, size.exited], [13, 1]);
      await w.app.journeys.create('prod', 'gold-read', {
        name: 'gold read',
        entry: { type: 'readAudience', audience: AUD, namespace: 'Email', ratePerSecond: 500 },
        start: 'wait',
        nodes: [
          { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      await w.app.journeys.publish('prod', 'gold-read');
      const seen: number[] = [];
      for (let ms = 0; ms <= 40; ms++) {
        w.clock.set(T0 + ms);
        await w.app.engine.fireDueTimers();
        const n = (await entered(w, 'gold-read')).length;
        assert.ok(n <= readAllowance(ms, 500), `${n} entered after ${ms} ms at 500/s`);
        seen.push(n);
      }
      assert.equal(seen[0], 1, 'the first profile enters at the start');
      assert.equal(seen[2], 2, 'the second 2 ms later (500/s)');
      const all = await entered(w, 'gold-read');
      assert.equal(
        all.length,
        12,
        'the 12 Email members; not the ECID-only one, not the one that left',
      );
      const emails = new Set<string>();
      for (const i of all) {
        const p = await w.app.reads.getProfile('prod', i.profileId);
        emails.add(p!.identities.find((x) => x.namespace === 'Email')!.id);
      }
      assert.ok(!emails.has('former@luma.example'));
      assert.equal(new Set(all.map((i) => i.profileId)).size, 12, 'one instance per profile');
      // One-shot: nothing more later.
      w.clock.set(T0 + 86_400_000 * 2);
      await w.app.engine.settle();
      assert.equal((await entered(w, 'gold-read')).length, 12);
    } finally {
      await w.close();
    }
  });

  test('recurring, incremental, force re-entrance: the next run takes new members only and restarts those still in', async () => {
    const w = await lumaWorld();
    try {
      await members(w);
      await w.app.journeys.create('prod', 'gold-daily', {
        name: 'gold daily',
        entry: {
          type: 'readAudience',
          audience: AUD,
          namespace: 'Email',
          ratePerSecond: 20_000,
          incremental: true,
          forceReentranceOnRecurrence: true,
          schedule: { kind: 'recurring', every: 'P1D' },
        },
        start: 'wait',
        nodes: [
          { id: 'wait', kind: 'wait', duration: 'P7D', next: ['done'] },
          { id: 'done', kind: 'end' },
        ],
      });
      await w.app.journeys.publish('prod', 'gold-daily');
      await w.app.engine.settle();
      assert.equal((await entered(w, 'gold-daily')).length, 12);
      w.clock.set(T0 + 3_600_000);
      await w.app.profiles.put('prod', 'Email', 'newgold@luma.example', {
        attributes: { loyalty: { tier: 'gold' } },
        identities: [],
      });
      w.clock.set(T0 + 86_400_000);
      await w.app.engine.settle();
      const all = await entered(w, 'gold-daily');
      assert.equal(
        all.filter((i) => i.status === 'active').length,
        1,
        'only the new member is in after the second run',
      );
      assert.equal(
        all.filter((i) => i.exitReason === 'journey_stopped').length,
        12,
        'those still in exited at the next run',
      );
    } finally {
      await w.close();
    }
  });
});
