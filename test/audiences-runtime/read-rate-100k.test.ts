// A read-audience journey over an audience of 100,000 profiles enters exactly as many as the rate
// allows at each instant (the first two seconds are checked: 10,000 entries at 5,000/s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAllowance } from '../../src/audience/index.ts';
import type { MembershipRow, ProfileWrite } from '../../src/store/ports.ts';
import { lumaWorld, storedProfile, T0 } from '../support/luma.ts';

test('read audience over 100,000 members at 5,000 profiles/s', async () => {
  const w = await lumaWorld();
  try {
    const N = 100_000;
    const at = new Date(T0).toISOString();
    await w.app.objects.put('prod', 'audience', {
      name: 'Everyone',
      origin: 'uploaded',
      namespace: 'Email',
    });
    for (let from = 0; from < N; from += 20_000) {
      const profiles: ProfileWrite[] = [];
      const memberships: MembershipRow[] = [];
      for (let i = from; i < from + 20_000; i++) {
        const id = `p${String(i).padStart(6, '0')}`;
        profiles.push(storedProfile(id, {}, at));
        memberships.push({
          sandbox: 'prod',
          profileId: id,
          audience: 'Everyone',
          status: 'realized',
          realizedAt: T0,
          exitedAt: null,
        });
      }
      await w.store.commit({ profiles, memberships });
    }
    assert.equal((await w.app.audiences.size('prod', 'Everyone', 0)).realized, N);
    await w.app.journeys.create('prod', 'everyone', {
      name: 'everyone',
      entry: {
        type: 'readAudience',
        audience: 'Everyone',
        namespace: 'Email',
        ratePerSecond: 5000,
      },
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'P1D', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    });
    await w.app.journeys.publish('prod', 'everyone');
    const start = T0;
    for (let ms = 0; ms <= 2000; ms += 250) {
      w.clock.set(start + ms);
      await w.app.engine.fireDueTimers();
      const job = (await w.app.audiences.jobs('prod')).find((j) => j.state.kind === 'read');
      const entered = job?.state.kind === 'read' ? job.state.entered : -1;
      assert.equal(entered, readAllowance(ms, 5000), `after ${ms} ms`);
    }
    const counters = await w.app.reads.counters('prod', 'everyone');
    assert.equal(
      counters.find((c) => c.node === null && c.metric === 'entered')?.value,
      readAllowance(2000, 5000),
    );
  } finally {
    await w.close();
  }
});
