// Packages and jumps: a journey that jumps into another takes its target along when exported; applied
// into an empty sandbox, the target is published first (whatever the package's order), so the
// jumping journey publishes too and a profile jumps end to end; a copy of the target is what the
// package's jump then names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';
import { emailEventType, publishJourneyOverApi } from '../support/journeys.ts';

const FRESH = { 'x-sandbox-name': 'fresh' };
type Obj = { kind: string; id?: string; spec: Record<string, unknown> };
type Result = { kind: string; key: string; status: string; copiedAs?: string; message?: string };

const eventType = (name: string) => emailEventType(name, { product: { type: 'string' } });
const publishJourney = publishJourneyOverApi;

test('a jump takes its target journey along: exported, applied target first, copied under a new id', async () => {
  const w = await apiWorld();
  await createSandbox(w, 'fresh');
  try {
    for (const name of ['JumpA', 'JumpB'])
      assert.equal((await w.request('POST', '/v1/event-types', eventType(name))).status, 201);
    await publishJourney(w, 'journey-b', {
      name: 'Journey B',
      start: 'b-in',
      nodes: [
        { id: 'b-in', kind: 'event', event: 'JumpB', next: ['b-end'] },
        { id: 'b-end', kind: 'end' },
      ],
    });
    await publishJourney(w, 'journey-a', {
      name: 'Journey A',
      start: 'a-in',
      nodes: [
        { id: 'a-in', kind: 'event', event: 'JumpA', next: ['to-b'] },
        { id: 'to-b', kind: 'jump', journey: 'journey-b', next: [] },
      ],
    });

    const uses = await w.request('GET', '/v1/journeys/journey-a/dependencies');
    assert.equal(uses.status, 200, JSON.stringify(uses.body));
    assert.match(JSON.stringify(uses.body), /journey-b/, 'the jump target is a dependency');

    const exported = await w.request('GET', '/v1/packages/export?journey=journey-a');
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const objects = exported.body.objects as Obj[];
    const journeys = objects.filter((o) => o.kind === 'journey').map((o) => o.id);
    assert.deepEqual(journeys.sort(), ['journey-a', 'journey-b'], 'the target is taken along');
    assert.ok(objects.some((o) => o.kind === 'eventType' && o.spec.name === 'JumpB'));

    // The jumping journey first in the package: apply still publishes its target before it.
    const reordered = {
      ...exported.body,
      objects: [
        ...objects.filter((o) => o.kind === 'journey' && o.id === 'journey-a'),
        ...objects.filter((o) => !(o.kind === 'journey' && o.id === 'journey-a')),
      ],
    };
    const applied = await w.request('POST', '/v1/packages/apply', reordered, FRESH);
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    const status = (key: string) =>
      (applied.body.objects as Result[]).find((o) => o.kind === 'journey' && o.key === key);
    assert.equal(status('journey-b')?.status, 'published', JSON.stringify(status('journey-b')));
    assert.equal(status('journey-a')?.status, 'published', JSON.stringify(status('journey-a')));

    // A profile jumps in the new sandbox.
    const sent = await w.request(
      'POST',
      '/v1/events',
      { id: 'j-1', type: 'JumpA', payload: { email: 'jo@luma.example' } },
      FRESH,
    );
    assert.ok(sent.status < 300, JSON.stringify(sent.body));
    await w.app.engine.settle();
    await w.advance(2000);
    const inB = await w.request('GET', '/v1/journeys/journey-b/instances', undefined, FRESH);
    assert.equal(inB.status, 200, JSON.stringify(inB.body));
    assert.equal(inB.body.items.length, 1, `jo jumped into B: ${JSON.stringify(inB.body)}`);

    // Copying B on a conflict: the package's jump names the copy.
    const changed = structuredClone(reordered) as { objects: Obj[] };
    const b = changed.objects.find((o) => o.kind === 'journey' && o.id === 'journey-b')!;
    b.spec = { ...b.spec, description: 'changed' };
    const copied = await w.request(
      'POST',
      '/v1/packages/apply',
      { package: changed, conflicts: { 'journey:journey-b': 'copy' } },
      FRESH,
    );
    assert.equal(copied.status, 200, JSON.stringify(copied.body));
    const copyOfB = (copied.body.objects as Result[]).find((o) => o.key === 'journey-b');
    assert.ok(copyOfB?.copiedAs, JSON.stringify(copied.body.objects));
    const a = await w.request('GET', '/v1/journeys/journey-a', undefined, FRESH);
    const jumpNode = JSON.stringify(a.body.latest.definition.nodes);
    assert.match(jumpNode, new RegExp(`"journey":"${copyOfB.copiedAs}"`), jumpNode);
  } finally {
    await w.close();
  }
});
