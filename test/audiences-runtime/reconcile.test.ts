// A streaming audience created (or changed) after the profiles exist is evaluated over all of them
// at once by a one-off batch job; a deleted audience loses its memberships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lumaWorld } from '../support/luma.ts';

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
