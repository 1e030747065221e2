// Journey-level settings (issue #19): a global timeout shorter than 91 days removes a profile
// still in the journey when it passes, and a wait that would outlast it is refused naming the
// activity; a closed version reads "finished" once no profile is left in it. End to end on the
// engine with a virtual clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileJourney } from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';
import { lumaWorld, type LumaWorld } from '../support/luma.ts';

const DAY = 86_400_000;

async function eventType(w: LumaWorld, name: string): Promise<void> {
  await w.app.objects.put('prod', 'eventType', {
    name,
    identity: { path: 'email', namespace: 'Email' },
    schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } },
  });
}

/** Enter on Signup, then stand until Confirm arrives (no timeout of its own). */
const waitingJourney = (timeout?: { days: number }): JourneyDefinitionInput => ({
  name: 'Confirmation',
  ...(timeout ? { timeout } : {}),
  start: 'signup',
  nodes: [
    { id: 'signup', kind: 'event', event: 'Signup', next: ['confirm'] },
    { id: 'confirm', kind: 'event', event: 'Confirm', next: ['done'] },
    { id: 'done', kind: 'end' },
  ],
});

async function instanceOf(w: LumaWorld, address: string) {
  const profileId = await w.app.reads.findProfileId('prod', 'Email', address);
  assert.ok(profileId, `a profile for ${address}`);
  const [i] = await w.app.reads.instances('prod', { profileId, limit: 10 });
  assert.ok(i, `an instance for ${address}`);
  return i;
}

describe('journey global timeout', () => {
  test('a profile still in the journey after its 1-day timeout is removed', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Signup');
      await eventType(w, 'Confirm');
      const saved = await w.app.journeys.create('prod', 'confirm', waitingJourney({ days: 1 }));
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'confirm');
      await w.send([{ id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example' } }]);
      await w.advance(2000);
      assert.equal((await instanceOf(w, 'sarah@luma.example')).status, 'active');
      w.clock.advance(DAY - 60_000);
      await w.app.engine.settle();
      await w.advance(2000);
      assert.equal((await instanceOf(w, 'sarah@luma.example')).status, 'active', 'before 1 day');
      w.clock.advance(60_000);
      await w.app.engine.settle();
      await w.advance(2000);
      const gone = await instanceOf(w, 'sarah@luma.example');
      assert.equal(gone.status, 'exited');
      assert.equal(gone.exitReason, 'instance_timeout');
    } finally {
      await w.close();
    }
  });

  test('a wait that does not end before the timeout is refused, naming the activity', () => {
    const def = journeyDefinitionSchema.parse({
      ...waitingJourney({ days: 2 }),
      nodes: [
        { id: 'signup', kind: 'event', event: 'Signup', next: ['pause'] },
        { id: 'pause', kind: 'wait', duration: 'P3D', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
    });
    const catalog = {
      events: { Signup: { schema: { type: 'object' }, namespace: 'Email' } },
      actions: {},
    };
    const r = compileJourney('j', 1, def, catalog);
    assert.ok(!r.ok);
    const [issue] = r.issues;
    assert.equal(issue?.code, 'wait_exceeds_journey_timeout');
    assert.equal(issue?.node, 'pause');
    assert.match(issue?.message ?? '', /pause.*journey's timeout of 2 days/);
    const fits = compileJourney('j', 1, { ...def, timeout: { days: 4 } }, catalog);
    assert.ok(fits.ok, 'a 3-day wait fits a 4-day timeout');
    assert.ok(!journeyDefinitionSchema.safeParse({ ...def, timeout: { days: 92 } }).success);
  });
});

describe('finished status', () => {
  test('a closed version with a profile waiting is closed; once it exits, finished', async () => {
    const w = await lumaWorld();
    try {
      await eventType(w, 'Signup');
      await eventType(w, 'Confirm');
      const saved = await w.app.journeys.create('prod', 'confirm', waitingJourney());
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'confirm');
      await w.send([{ id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example' } }]);
      await w.advance(2000);
      await w.app.journeys.command('prod', 'confirm', 'close');
      const shown = async () => {
        const [entry] = (await w.app.journeys.listEntries('prod', true)).filter(
          (j) => j.id === 'confirm',
        );
        const summary = await w.app.journeys.get('prod', 'confirm');
        assert.equal(summary.versions[0]?.status, entry?.status, 'the versions list agrees');
        assert.equal(summary.latest.status, 'closed', 'the stored status stays closed');
        return entry?.status;
      };
      assert.equal(await shown(), 'closed');
      await w.send([{ id: 'c1', type: 'Confirm', payload: { email: 'sarah@luma.example' } }]);
      await w.advance(2000);
      assert.equal((await instanceOf(w, 'sarah@luma.example')).status, 'exited');
      assert.equal(await shown(), 'finished');
      // Stopping a closed version is still allowed: the derived status does not change transitions.
      assert.equal((await w.app.journeys.command('prod', 'confirm', 'stop')).status, 'stopped');
    } finally {
      await w.close();
    }
  });
});

describe('exit criteria', () => {
  test('an Unsubscribe event for the profile makes it leave from any activity', async () => {
    const w = await lumaWorld();
    try {
      for (const e of ['Signup', 'Confirm', 'Unsubscribe']) await eventType(w, e);
      const saved = await w.app.journeys.create('prod', 'confirm', {
        ...waitingJourney(),
        exitCriteria: [{ event: 'Unsubscribe' }],
      });
      assert.deepEqual(saved.problems, []);
      await w.app.journeys.publish('prod', 'confirm');
      await w.send([
        { id: 's1', type: 'Signup', payload: { email: 'sarah@luma.example' } },
        { id: 's2', type: 'Signup', payload: { email: 'tom@luma.example' } },
      ]);
      await w.advance(2000);
      await w.send([{ id: 'u1', type: 'Unsubscribe', payload: { email: 'sarah@luma.example' } }]);
      await w.advance(2000);
      const sarah = await instanceOf(w, 'sarah@luma.example');
      assert.equal(sarah.status, 'exited');
      assert.equal(sarah.exitReason, 'exit_criteria');
      assert.equal((await instanceOf(w, 'tom@luma.example')).status, 'active', 'only Sarah');
    } finally {
      await w.close();
    }
  });

  test('an unknown event or the entry event is refused as an exit criterion', () => {
    const catalog = {
      events: { Signup: { schema: { type: 'object' }, namespace: 'Email' } },
      actions: {},
    };
    const def = journeyDefinitionSchema.parse({
      ...waitingJourney(),
      nodes: [
        { id: 'signup', kind: 'event', event: 'Signup', next: ['done'] },
        { id: 'done', kind: 'end' },
      ],
      exitCriteria: [{ event: 'Nope' }, { event: 'Signup' }],
    });
    const r = compileJourney('j', 1, def, catalog);
    assert.ok(!r.ok);
    assert.deepEqual(
      r.issues.map((i) => [i.path, i.code]),
      [
        ['exitCriteria[0].event', 'unknown_event'],
        ['exitCriteria[1].event', 'exit_on_entry_event'],
      ],
    );
  });
});
