// A streaming audience created (or changed) after the profiles exist is evaluated over all of them
// at once by a one-off batch job; a deleted audience loses its memberships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cart, lumaEvent, lumaWorld, storedProfile } from '../support/luma.ts';

test('new and changed streaming audiences are evaluated over existing profiles; deleted ones leave nothing', async () => {
  const w = await lumaWorld();
  try {
    await w.app.engine.settle();
    const size = async (name: string) => (await w.app.audiences.size('prod', name)).realized;
    await w.app.objects.put('prod', 'audience', {
      name: 'Speaks French',
      origin: 'streaming',
      definition: { kind: 'attribute', path: 'preferredLanguage', op: 'equals', value: 'fr' },
    });
    assert.equal(await size('Speaks French'), 0, 'not yet evaluated');
    await w.app.engine.settle();
    assert.equal(await size('Speaks French'), 1, 'Jean, found by the one-off run');
    await w.app.objects.put('prod', 'audience', {
      name: 'Speaks French',
      origin: 'streaming',
      definition: { kind: 'attribute', path: 'preferredLanguage', op: 'in', value: ['fr', 'es'] },
    });
    await w.app.engine.settle();
    assert.equal(await size('Speaks French'), 2, 'Jean and Ana after the change');
    assert.deepEqual(
      (await w.app.audiences.jobs('prod')).filter((j) => j.state.kind === 'batch'),
      [],
      'one-off jobs go when done',
    );
    await w.app.objects.delete('prod', 'audience', 'Speaks French');
    await w.app.engine.settle();
    const ana = await w.app.profiles.get('prod', 'Email', 'ana.garcia@luma.example');
    assert.ok(
      !(await w.app.reads.profileMemberships('prod', ana.id)).some(
        (m) => m.audience === 'Speaks French',
      ),
    );
  } finally {
    await w.close();
  }
});

test('audiences that would read each other in a loop are refused; events and the other audiences go on', async () => {
  const w = await lumaWorld();
  try {
    await w.app.objects.put('prod', 'audience', {
      name: 'Loop A',
      origin: 'streaming',
      definition: { kind: 'audience', name: 'Luma - Mobile App Users' },
    });
    await w.app.objects.put('prod', 'audience', {
      name: 'Loop B',
      origin: 'streaming',
      definition: { kind: 'audience', name: 'Loop A' },
    });
    await assert.rejects(
      w.app.objects.put('prod', 'audience', {
        name: 'Loop A',
        origin: 'streaming',
        definition: { kind: 'audience', name: 'Loop B' },
      }),
      /invalid/,
    );
    await w.app.engine.settle();
    const r = await w.app.engine.ingest('prod', [
      lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
    ]);
    assert.equal(r[0]?.status, 'accepted');
    await w.app.profiles.put('prod', 'Email', 'jean.dupont@luma.example', {
      attributes: { mobileApp: { installed: true } },
      identities: [],
    });
    const jean = await w.app.profiles.get('prod', 'Email', 'jean.dupont@luma.example');
    const memberships = await w.app.engine.memberships('prod', jean);
    assert.equal(memberships['Luma - Mobile App Users'], 'realized');
    assert.equal(memberships['Loop B'], 'realized');
  } finally {
    await w.close();
  }
});

test('an audience that reads another is evaluated again when a run changes the one it reads, whichever runs first', async () => {
  const w = await lumaWorld();
  try {
    await w.app.engine.settle();
    const at = new Date(w.clock.now()).toISOString();
    // Profiles stored before any audience existed (an upgraded store): no memberships yet.
    const profiles = Array.from({ length: 12 }, (_, i) =>
      storedProfile(
        `old-${String(i).padStart(2, '0')}`,
        { beta: i % 3 === 0 },
        at,
        `old${i}@luma.example`,
      ),
    );
    await w.store.commit({ profiles });
    // Put together, the two runs fire in name order: "A …" (which reads "B …") runs before "B …".
    const applied = await w.app.packages.apply('prod', {
      format: 'waymark.package/v1',
      name: 'beta',
      objects: [
        {
          kind: 'audience',
          spec: {
            name: 'A not beta',
            origin: 'streaming',
            definition: { kind: 'not', rule: { kind: 'audience', name: 'B beta' } },
          },
        },
        {
          kind: 'audience',
          spec: {
            name: 'B beta',
            origin: 'streaming',
            definition: { kind: 'attribute', path: 'beta', op: 'isTrue' },
          },
        },
      ],
    });
    assert.deepEqual(
      applied.objects.map((o) => o.status),
      ['created', 'created'],
    );
    await w.app.engine.settle();
    const statusOf = async (audience: string) => {
      const out: Record<string, string> = {};
      for (const p of profiles)
        out[p.id] =
          (await w.app.reads.profileMemberships('prod', p.id)).find((m) => m.audience === audience)
            ?.status ?? 'none';
      return out;
    };
    const beta = await statusOf('B beta');
    const notBeta = await statusOf('A not beta');
    for (const p of profiles) {
      const isBeta = p.attributes.beta;
      assert.equal(beta[p.id], isBeta ? 'realized' : 'none', `${p.id} in "B beta"`);
      assert.notEqual(
        notBeta[p.id] === 'realized',
        isBeta,
        `${p.id} in "A not beta" is the complement`,
      );
    }
  } finally {
    await w.close();
  }
});
