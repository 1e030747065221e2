// The storage contract every adapter runs (SQLite now; PostgreSQL when it comes): each port method
// against a real database, through the same calls the engine makes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InstanceState } from '../../src/journey/instance.ts';
import type { Store } from '../../src/store/ports.ts';

const instance = (id: string, over: Partial<InstanceState> = {}): InstanceState => ({
  id, journeyId: 'j', version: 1, profileId: 'p1', status: 'active', waiting: null,
  context: { events: {}, actions: {} }, path: [], enteredAt: 1000, seq: 0, ...over,
});

export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await open();
      try { await fn(s); } finally { await s.close(); }
    };

    test('objects: put creates then revises, get and list are per sandbox and kind, delete removes', withStore(async (s) => {
      const a = await s.putObject('prod', 'eventType', 'A', { name: 'A', v: 1 }, '2026-01-01T00:00:00.000Z');
      assert.equal(a.revision, 1);
      const b = await s.putObject('prod', 'eventType', 'A', { name: 'A', v: 2 }, '2026-01-02T00:00:00.000Z');
      assert.deepEqual([b.revision, b.body, b.createdAt, b.updatedAt], [2, { name: 'A', v: 2 }, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']);
      await s.putObject('dev', 'eventType', 'B', { name: 'B' }, '2026-01-01T00:00:00.000Z');
      assert.deepEqual((await s.listObjects('prod', 'eventType')).map((o) => o.key), ['A']);
      assert.equal(await s.getObject('prod', 'action', 'A'), null);
      assert.equal(await s.deleteObject('prod', 'eventType', 'A'), true);
      assert.equal(await s.deleteObject('prod', 'eventType', 'A'), false);
    }));

    test('journey versions: upsert by version, list in order, active ones across sandboxes', withStore(async (s) => {
      const def = { name: 'J', start: 'a', nodes: [] } as never;
      await s.putJourneyVersion('prod', { journeyId: 'j', version: 1, status: 'live', definition: def, createdAt: 't', updatedAt: 't' });
      await s.putJourneyVersion('prod', { journeyId: 'j', version: 2, status: 'draft', definition: def, createdAt: 't', updatedAt: 't' });
      await s.putJourneyVersion('dev', { journeyId: 'k', version: 1, status: 'closed', definition: def, createdAt: 't', updatedAt: 't', closedAt: 'c' });
      assert.deepEqual((await s.getJourneyVersions('prod', 'j')).map((v) => `${v.version}:${v.status}`), ['1:live', '2:draft']);
      assert.deepEqual((await s.activeJourneyVersions()).map((v) => `${v.sandbox}/${v.journeyId}:${v.version}`).sort(), ['dev/k:1', 'prod/j:1']);
      await s.deleteJourneyVersion('prod', 'j', 2);
      assert.equal((await s.getJourneyVersions('prod', 'j')).length, 1);
    }));

    test('one commit writes profiles and identities, events, instances, timers, outbox, counters and messages together', withStore(async (s) => {
      await s.commit({
        profiles: [{ sandbox: 'prod', id: 'p1', attributes: { a: 1 }, testProfile: true, identities: [{ namespace: 'Email', id: 'x@y.z' }], createdAt: 't', updatedAt: 't' }],
        events: [{ sandbox: 'prod', eventId: 'e1', type: 'A', profileId: 'p1', payload: { k: 1 }, receivedAt: 5 }],
        instances: [{ sandbox: 'prod', state: instance('i1') }],
        timersAdd: [{ id: 't2', sandbox: 'prod', instanceId: 'i1', dueAt: 200 }, { id: 't1', sandbox: 'prod', instanceId: 'i1', dueAt: 100 }],
        outboxAdd: [{ id: 'o1', sandbox: 'prod', kind: 'callAction', instanceId: 'i1', journeyId: 'j', version: 1, payload: { x: 1 }, attempts: 0, nextAttemptAt: 50, createdAt: 50 }],
        counters: [{ sandbox: 'prod', journeyId: 'j', version: 1, node: null, metric: 'entered', delta: 1 }, { sandbox: 'prod', journeyId: 'j', version: 1, node: 'a', metric: 'entered', delta: 2 }],
        messages: [{ id: 'm1', sandbox: 'prod', journeyId: 'j', version: 1, node: 'e', label: 'E', instanceId: 'i1', profileId: 'p1', channel: 'email', recipient: 'x@y.z', status: 'sent', reason: null, subject: 'S', body: 'B', text: 'T', payload: {}, createdAt: 60, updatedAt: 60 }],
      });
      assert.equal(await s.findProfileId('prod', 'Email', 'x@y.z'), 'p1');
      assert.equal(await s.findProfileId('dev', 'Email', 'x@y.z'), null);
      assert.deepEqual((await s.getProfile('prod', 'p1'))?.attributes, { a: 1 });
      assert.equal(await s.hasEvent('prod', 'e1'), true);
      assert.equal(await s.hasEvent('dev', 'e1'), false);
      assert.deepEqual((await s.activeInstances('prod', 'p1')).map((i) => i.id), ['i1']);
      assert.deepEqual((await s.dueTimers(150, 10)).map((t) => t.id), ['t1'], 'due timers only, earliest first');
      assert.equal(await s.nextTimerDue(), 100);
      assert.deepEqual((await s.pendingOutbox(49, 10)).length, 0);
      assert.deepEqual((await s.pendingOutbox(50, 10)).map((o) => o.payload), [{ x: 1 }]);
      await s.commit({ counters: [{ sandbox: 'prod', journeyId: 'j', version: 1, node: 'a', metric: 'entered', delta: 3 }] });
      assert.deepEqual((await s.counters('prod', 'j')).map((c) => `${c.node}:${c.metric}=${c.value}`), ['null:entered=1', 'a:entered=5']);
      assert.deepEqual((await s.messages('prod', { profileId: 'p1', limit: 10 })).map((m) => m.subject), ['S']);
    }));

    test('timers and outbox: removal and retries; instances: exit and lastExit; purge of a version', withStore(async (s) => {
      await s.commit({
        instances: [{ sandbox: 'prod', state: instance('i1') }],
        timersAdd: [{ id: 't1', sandbox: 'prod', instanceId: 'i1', dueAt: 100 }],
        outboxAdd: [{ id: 'o1', sandbox: 'prod', kind: 'sendMessage', instanceId: 'i1', journeyId: 'j', version: 1, payload: {}, attempts: 0, nextAttemptAt: 10, createdAt: 10 }],
      });
      await s.commit({ outboxRetry: [{ id: 'o1', nextAttemptAt: 500, error: 'busy' }] });
      const [retried] = await s.pendingOutbox(500, 10);
      assert.equal(retried?.attempts, 1);
      await s.commit({ outboxDone: ['o1'], timersRemove: ['t1'], instances: [{ sandbox: 'prod', state: instance('i1', { status: 'exited', exitedAt: 900, exitReason: 'completed' }) }] });
      assert.equal(await s.nextOutboxDue(), null);
      assert.equal(await s.nextTimerDue(), null);
      assert.equal(await s.lastExit('prod', 'j', 'p1'), 900);
      assert.equal((await s.activeInstances('prod', 'p1')).length, 0);
      await s.commit({ instances: [{ sandbox: 'prod', state: instance('i2') }], timersAdd: [{ id: 't2', sandbox: 'prod', instanceId: 'i2', dueAt: 5 }] });
      assert.equal(await s.purgeVersionRuntime('prod', 'j', 1), 2);
      assert.equal(await s.nextTimerDue(), null);
    }));

    test('dead letters keep the body and reasons, and remember a replay', withStore(async (s) => {
      await s.commit({ deadLetters: [{ sandbox: 'prod', eventId: 'bad', eventType: 'A', body: { id: 'bad' }, errors: { message: 'no' }, receivedAt: 7 }] });
      const [dl] = await s.listDeadLetters('prod', { limit: 10 });
      assert.deepEqual([dl?.eventId, dl?.body, dl?.replayedAt], ['bad', { id: 'bad' }, null]);
      await s.commit({ deadLettersReplayed: [{ id: dl!.id, at: 9 }] });
      assert.equal((await s.getDeadLetter('prod', dl!.id))?.replayedAt, 9);
      assert.equal(await s.getDeadLetter('dev', dl!.id), null, 'sandboxed');
    }));

    test('batch reads: attributes in id order, whole or by subtree, and one audience\'s statuses over an id range', withStore(async (s) => {
      const profile = (id: string, attributes: Record<string, unknown>) => ({ sandbox: 'prod', id, attributes, testProfile: false, identities: [], createdAt: 't', updatedAt: 't' });
      await s.commit({ profiles: [
        profile('p3', { loyalty: { tier: 'gold', points: 3 }, app: null }),
        profile('p1', { loyalty: { tier: 'blue', points: 1 }, app: { installed: true }, name: 'A' }),
        profile('p2', JSON.parse('{"__proto__": {"polluted": true}, "loyalty": "none", "list": [1, {"k": 2}]}') as Record<string, unknown>),
        { ...profile('q1', { loyalty: { tier: 'blue' } }), sandbox: 'dev' },
      ] });
      assert.deepEqual((await s.scanAttributes('prod', { limit: 2 })).map((r) => r.id), ['p1', 'p2']);
      assert.deepEqual((await s.scanAttributes('prod', { afterId: 'p2', limit: 10 })).map((r) => [r.id, r.attributes]), [['p3', { loyalty: { tier: 'gold', points: 3 }, app: null }]]);
      const part = await s.scanAttributes('prod', { limit: 10, paths: [['loyalty', 'tier'], ['app'], ['list'], ['__proto__']] });
      assert.deepEqual(part.map((r) => r.id), ['p1', 'p2', 'p3']);
      assert.deepEqual(part[0]!.attributes, { loyalty: { tier: 'blue' }, app: { installed: true } }, 'only the subtrees asked for');
      assert.deepEqual(part[2]!.attributes, { loyalty: { tier: 'gold' }, app: null }, 'a stored null stays null');
      const p2 = part[1]!.attributes as Record<string, unknown>;
      assert.deepEqual(p2['list'], [1, { k: 2 }]);
      assert.equal(Object.getPrototypeOf(p2), Object.prototype, 'a stored "__proto__" key is data, not a prototype');
      assert.deepEqual(Object.getOwnPropertyDescriptor(p2, '__proto__')?.value, { polluted: true });
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.equal(Object.hasOwn(p2, 'loyalty'), false, 'no subtree where a string stands');

      await s.commit({ memberships: [
        { sandbox: 'prod', profileId: 'p1', audience: 'Blue', status: 'realized', realizedAt: 10, exitedAt: null },
        { sandbox: 'prod', profileId: 'p3', audience: 'Blue', status: 'exited', realizedAt: 10, exitedAt: 20 },
        { sandbox: 'prod', profileId: 'p2', audience: 'Other', status: 'realized', realizedAt: 10, exitedAt: null },
      ] });
      assert.deepEqual(await s.audienceStatuses('prod', 'Blue', { afterProfileId: '', toProfileId: 'p3' }), [
        { profileId: 'p1', status: 'realized', realizedAt: 10 },
        { profileId: 'p3', status: 'exited', realizedAt: 10 },
      ]);
      assert.deepEqual(await s.audienceStatuses('prod', 'Blue', { afterProfileId: 'p1', toProfileId: 'p2' }), []);
      assert.deepEqual(await s.audienceSize('prod', 'Blue'), { realized: 1, exited: 1 });
      assert.deepEqual((await s.audienceSample('prod', 'Blue', 5)).map((m) => [m.profileId, m.status]), [['p1', 'realized']], 'a sample holds realized members only');

      const event = (eventId: string, profileId: string, type: string, receivedAt: number, sandbox = 'prod') => ({ sandbox, eventId, type, profileId, payload: { n: eventId }, receivedAt });
      await s.commit({ events: [
        event('e1', 'p1', 'Buy', 100), event('e2', 'p1', 'Open', 50), event('e3', 'p2', 'Buy', 10), event('e4', 'p2', 'Buy', 300),
        event('e5', 'p3', 'Buy', 200), event('e6', 'p1', 'Buy', 5), event('e7', 'p2', 'Buy', 400, 'dev'),
      ] });
      const page = await s.eventsOfProfiles('prod', { afterProfileId: '', toProfileId: 'p2', types: ['Buy'], since: 20 });
      assert.deepEqual(page.map((e) => [e.profileId, e.type, e.at, (e.payload as { n: string }).n]), [
        ['p1', 'Buy', 100, 'e1'], ['p2', 'Buy', 300, 'e4'],
      ], 'the range of profiles, the types, since the instant, by profile then time; not another sandbox');
      assert.deepEqual((await s.eventsOfProfiles('prod', { afterProfileId: 'p1', toProfileId: 'p3', types: ['Buy', 'Open'], since: null })).map((e) => e.payload), [{ n: 'e3' }, { n: 'e4' }, { n: 'e5' }]);
    }));

    test('an audience sample is drawn at random from every realized member', withStore(async (s) => {
      const ids = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
      await s.commit({
        profiles: ids.map((id) => ({ sandbox: 'prod', id, attributes: {}, testProfile: false, identities: [{ namespace: 'Email', id: `${id}@x.example` }], createdAt: 't', updatedAt: 't' })),
        memberships: ids.map((id, i) => ({ sandbox: 'prod', profileId: id, audience: 'All', status: i < 50 ? 'realized' as const : 'exited' as const, realizedAt: 1, exitedAt: i < 50 ? null : 2 })),
      });
      const seen = new Set<string>();
      for (let draw = 0; draw < 30; draw++) {
        const sample = await s.audienceSample('prod', 'All', 5);
        assert.equal(new Set(sample.map((m) => m.profileId)).size, 5);
        assert.deepEqual(sample.map((m) => m.profileId), [...sample.map((m) => m.profileId)].sort(), 'in profile id order');
        assert.deepEqual(sample[0]!.identities, [{ namespace: 'Email', id: `${sample[0]!.profileId}@x.example` }]);
        for (const m of sample) { assert.equal(m.status, 'realized'); seen.add(m.profileId); }
      }
      assert.ok(seen.size > 30, `30 draws of 5 reach most of the 50 members (${seen.size}), not the same first five`);
      assert.ok([...seen].some((id) => id > 'm40'));
    }));
  });
}
