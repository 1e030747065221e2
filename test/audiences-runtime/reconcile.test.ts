// A streaming audience created (or changed) after the profiles exist is evaluated over all of them
// at once by a one-off batch job; a deleted audience loses its memberships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';

test('new and changed streaming audiences are evaluated over existing profiles; deleted ones leave nothing', async () => {
  const w = await lumaWorld();
  try {
    await w.app.engine.settle();
    const size = async (name: string) => (await w.app.audiences.size('prod', name)).realized;
    await w.app.objects.put('prod', 'audience', { name: 'Speaks French', origin: 'streaming', definition: { kind: 'attribute', path: 'preferredLanguage', op: 'equals', value: 'fr' } });
    assert.equal(await size('Speaks French'), 0, 'not yet evaluated');
    await w.app.engine.settle();
    assert.equal(await size('Speaks French'), 1, 'Jean, found by the one-off run');
    await w.app.objects.put('prod', 'audience', { name: 'Speaks French', origin: 'streaming', definition: { kind: 'attribute', path: 'preferredLanguage', op: 'in', value: ['fr', 'es'] } });
    await w.app.engine.settle();
    assert.equal(await size('Speaks French'), 2, 'Jean and Ana after the change');
    assert.deepEqual((await w.app.audiences.jobs('prod')).filter((j) => j.state.kind === 'batch'), [], 'one-off jobs go when done');
    await w.app.objects.delete('prod', 'audience', 'Speaks French');
    await w.app.engine.settle();
    const ana = await w.app.profiles.get('prod', 'Email', 'ana.garcia@luma.example');
    assert.ok(!(await w.app.engine.store.profileMemberships('prod', ana.id)).some((m) => m.audience === 'Speaks French'));
  } finally {
    await w.close();
  }
});

test('audiences that would read each other in a loop are refused; events and the other audiences go on', async () => {
  const w = await lumaWorld();
  try {
    await w.app.objects.put('prod', 'audience', { name: 'Loop A', origin: 'streaming', definition: { kind: 'audience', name: 'Luma - Mobile App Users' } });
    await w.app.objects.put('prod', 'audience', { name: 'Loop B', origin: 'streaming', definition: { kind: 'audience', name: 'Loop A' } });
    await assert.rejects(w.app.objects.put('prod', 'audience', { name: 'Loop A', origin: 'streaming', definition: { kind: 'audience', name: 'Loop B' } }), /invalid/);
    await w.app.engine.settle();
    const r = await w.app.engine.ingest('prod', [lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    assert.equal(r[0]?.status, 'accepted');
    await w.app.profiles.put('prod', 'Email', 'jean.dupont@luma.example', { attributes: { mobileApp: { installed: true } }, identities: [] });
    const jean = await w.app.profiles.get('prod', 'Email', 'jean.dupont@luma.example');
    const memberships = await w.app.engine.memberships('prod', jean);
    assert.equal(memberships['Luma - Mobile App Users'], 'realized');
    assert.equal(memberships['Loop B'], 'realized');
  } finally {
    await w.close();
  }
});
