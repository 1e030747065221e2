// The storage contract every adapter runs (SQLite now; PostgreSQL when it comes): each port method
// against a real database, through the same calls the engine makes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InstanceState } from '../../src/journey/instance.ts';
import { partitionOfIdentity } from '../../src/shared/partition.ts';
import type {
  CommitBatch,
  MembershipRow,
  MessageRecord,
  OutboxItem,
  ProfileWrite,
  ShortLinkRow,
  Store,
} from '../../src/store/ports.ts';
import {
  audienceTimer,
  instanceTimer,
  jobTimer,
  type CallActionEffect,
  type SendMessageEffect,
} from '../../src/store/records/index.ts';

const instance = (id: string, over: Partial<InstanceState> = {}): InstanceState => ({
  v: 2,
  id,
  journeyId: 'j',
  version: 1,
  profileId: 'p1',
  status: 'active',
  waiting: null,
  context: { events: {}, actions: {} },
  path: [],
  enteredAt: 1000,
  seq: 0,
  ...over,
});

/** The effects outbox items carry (what a step issues). */
const callEffect = (
  callId: string,
  parameters: Readonly<Record<string, unknown>> = {},
): CallActionEffect => ({
  kind: 'callAction',
  callId,
  node: 'a',
  action: 'A',
  parameters,
  timeoutMs: 5000,
});
const messageEffect = (messageId: string): SendMessageEffect => ({
  kind: 'sendMessage',
  messageId,
  node: 'e',
  channel: 'email',
  label: 'E',
  configuration: 'C',
  category: 'marketing',
  context: { events: { A: { k: 1 } }, actions: {} },
});

export function runStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await open();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };

    test(
      'objects: put creates then revises, get and list are per sandbox and kind, delete removes',
      withStore(async (s) => {
        const a = await s.putObject(
          'prod',
          'eventType',
          'A',
          { name: 'A', v: 1 },
          '2026-01-01T00:00:00.000Z',
        );
        assert.equal(a.revision, 1);
        const b = await s.putObject(
          'prod',
          'eventType',
          'A',
          { name: 'A', v: 2 },
          '2026-01-02T00:00:00.000Z',
        );
        assert.deepEqual(
          [b.revision, b.body, b.createdAt, b.updatedAt],
          [2, { name: 'A', v: 2 }, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
        );
        await s.putObject('dev', 'eventType', 'B', { name: 'B' }, '2026-01-01T00:00:00.000Z');
        assert.deepEqual(
          (await s.listObjects('prod', 'eventType')).map((o) => o.key),
          ['A'],
        );
        assert.equal(await s.getObject('prod', 'action', 'A'), null);
        assert.equal(await s.deleteObject('prod', 'eventType', 'A'), true);
        assert.equal(await s.deleteObject('prod', 'eventType', 'A'), false);
      }),
    );

    test(
      'objects of a kind across sandboxes; a replace applies only at the expected revision',
      withStore(async (s) => {
        await s.putObject('prod', 'action', 'B', { name: 'B' }, '2026-01-01T00:00:00.000Z');
        await s.putObject('dev', 'action', 'A', { name: 'A' }, '2026-01-01T00:00:00.000Z');
        await s.putObject('prod', 'eventType', 'E', { name: 'E' }, '2026-01-01T00:00:00.000Z');
        assert.deepEqual(
          (await s.listObjectsOfKind('action')).map((o) => `${o.sandbox}/${o.key}`),
          ['dev/A', 'prod/B'],
        );
        assert.equal(
          await s.replaceObjectIfRevision(
            'prod',
            'action',
            'B',
            2,
            { name: 'B', v: 'stale' },
            '2026-01-02T00:00:00.000Z',
          ),
          false,
          'revision 2 is not the stored one',
        );
        assert.equal(
          await s.replaceObjectIfRevision(
            'prod',
            'action',
            'B',
            1,
            { name: 'B', v: 2 },
            '2026-01-02T00:00:00.000Z',
          ),
          true,
        );
        const b = await s.getObject('prod', 'action', 'B');
        assert.deepEqual(
          [b?.revision, b?.body, b?.updatedAt],
          [2, { name: 'B', v: 2 }, '2026-01-02T00:00:00.000Z'],
        );
        assert.equal(
          await s.replaceObjectIfRevision(
            'prod',
            'action',
            'missing',
            1,
            {},
            '2026-01-02T00:00:00.000Z',
          ),
          false,
        );
      }),
    );

    test(
      'journey versions: upsert by version, list in order, active ones across sandboxes',
      withStore(async (s) => {
        const def = { name: 'J', start: 'a', nodes: [] } as never;
        await s.putJourneyVersion('prod', {
          journeyId: 'j',
          version: 1,
          status: 'live',
          definition: def,
          createdAt: 't',
          updatedAt: 't',
        });
        await s.putJourneyVersion('prod', {
          journeyId: 'j',
          version: 2,
          status: 'draft',
          definition: def,
          createdAt: 't',
          updatedAt: 't',
        });
        await s.putJourneyVersion('dev', {
          journeyId: 'k',
          version: 1,
          status: 'closed',
          definition: def,
          createdAt: 't',
          updatedAt: 't',
          closedAt: 'c',
        });
        // A draft in dry run lets profiles enter and move too.
        await s.putJourneyVersion('dev', {
          journeyId: 'd',
          version: 1,
          status: 'dryRun',
          definition: def,
          createdAt: 't',
          updatedAt: 't',
        });
        assert.deepEqual(
          (await s.getJourneyVersions('prod', 'j')).map((v) => `${v.version}:${v.status}`),
          ['1:live', '2:draft'],
        );
        assert.deepEqual(
          (await s.activeJourneyVersions())
            .map((v) => `${v.sandbox}/${v.journeyId}:${v.version}`)
            .sort(),
          ['dev/d:1', 'dev/k:1', 'prod/j:1'],
        );
        await s.deleteJourneyVersion('prod', 'j', 2);
        assert.equal((await s.getJourneyVersions('prod', 'j')).length, 1);
      }),
    );

    test(
      'journey versions carry a revision: every write adds one; a conditional replace applies only at the expected revision',
      withStore(async (s) => {
        const def = { name: 'J', start: 'a', nodes: [] } as never;
        const draft = {
          journeyId: 'j',
          version: 1,
          status: 'draft' as const,
          definition: def,
          createdAt: 't',
          updatedAt: 't',
        };
        await s.putJourneyVersion('prod', draft);
        assert.equal((await s.getJourneyVersions('prod', 'j'))[0]?.revision, 1);
        await s.putJourneyVersion('prod', { ...draft, updatedAt: 'u' });
        assert.equal((await s.getJourneyVersions('prod', 'j'))[0]?.revision, 2);
        const edited = {
          ...draft,
          definition: { name: 'J2', start: 'a', nodes: [] } as never,
          updatedAt: 'v',
        };
        assert.equal(
          await s.replaceJourneyVersionIfRevision('prod', edited, 1),
          false,
          'revision 1 is no longer the stored one',
        );
        assert.equal(
          await s.replaceJourneyVersionIfRevision('dev', edited, 2),
          false,
          'per sandbox',
        );
        const note = { key: 'dryRunEnded:j', value: { version: 1, automatically: true } };
        assert.equal(await s.replaceJourneyVersionIfRevision('prod', edited, 1, note), false);
        assert.equal(
          await s.getSetting('prod', note.key),
          undefined,
          'a setting that goes with a change not made is not written',
        );
        assert.equal(await s.replaceJourneyVersionIfRevision('prod', edited, 2, note), true);
        assert.deepEqual(await s.getSetting('prod', note.key), note.value, 'written with it');
        const [stored] = await s.getJourneyVersions('prod', 'j');
        assert.deepEqual(
          [stored?.revision, stored?.definition.name, stored?.updatedAt],
          [3, 'J2', 'v'],
        );
        assert.equal(
          await s.replaceJourneyVersionIfRevision('prod', { ...edited, version: 2 }, 1),
          false,
          'a version not stored',
        );
      }),
    );

    test(
      'journey totals: journey-level counters summed over versions and active instances, per journey, in one read',
      withStore(async (s) => {
        const c = (
          journeyId: string,
          version: number,
          node: string | null,
          metric: string,
          delta: number,
        ) => ({ sandbox: 'prod', journeyId, version, node, metric, delta });
        await s.commit({
          counters: [
            c('j', 1, null, 'entered', 3),
            c('j', 2, null, 'entered', 2),
            c('j', 1, null, 'exited', 2),
            c('j', 1, null, 'error', 1),
            c('j', 1, null, 'timeout', 1),
            c('j', 1, 'a', 'entered', 9),
            c('j', 1, null, 'discarded', 4),
            c('k', 1, null, 'entered', 1),
            { ...c('j', 1, null, 'entered', 7), sandbox: 'dev' },
          ],
          instances: [
            { sandbox: 'prod', state: instance('i1') },
            { sandbox: 'prod', state: instance('i2', { version: 2 }) },
            { sandbox: 'prod', state: instance('i3', { status: 'exited', exitedAt: 5 }) },
            { sandbox: 'prod', state: instance('i4', { journeyId: 'w' }) },
            { sandbox: 'dev', state: instance('i5') },
          ],
        });
        assert.deepEqual(await s.journeyTotals('prod'), [
          { journeyId: 'j', entered: 5, exited: 2, errors: 1, timeouts: 1, active: 2 },
          { journeyId: 'k', entered: 1, exited: 0, errors: 0, timeouts: 0, active: 0 },
          { journeyId: 'w', entered: 0, exited: 0, errors: 0, timeouts: 0, active: 1 },
        ]);
        assert.deepEqual(await s.journeyTotals('none'), []);
      }),
    );

    test(
      'one commit writes profiles and identities, events, instances, timers, outbox, counters and messages together',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            {
              sandbox: 'prod',
              id: 'p1',
              attributes: { a: 1 },
              testProfile: true,
              identities: [{ namespace: 'Email', id: 'x@y.z' }],
              createdAt: 't',
              updatedAt: 't',
            },
          ],
          events: [
            {
              sandbox: 'prod',
              eventId: 'e1',
              type: 'A',
              profileId: 'p1',
              payload: { k: 1 },
              receivedAt: 5,
            },
          ],
          instances: [{ sandbox: 'prod', state: instance('i1') }],
          timersAdd: [
            instanceTimer('t2', 'prod', 'i1', 200),
            instanceTimer('t1', 'prod', 'i1', 100),
          ],
          outboxAdd: [
            {
              id: 'o1',
              sandbox: 'prod',
              kind: 'callAction',
              v: 1,
              instanceId: 'i1',
              journeyId: 'j',
              version: 1,
              payload: callEffect('o1', { x: 1 }),
              attempts: 0,
              nextAttemptAt: 50,
              createdAt: 50,
            },
          ],
          counters: [
            {
              sandbox: 'prod',
              journeyId: 'j',
              version: 1,
              node: null,
              metric: 'entered',
              delta: 1,
            },
            { sandbox: 'prod', journeyId: 'j', version: 1, node: 'a', metric: 'entered', delta: 2 },
          ],
          messages: [
            {
              id: 'm1',
              sandbox: 'prod',
              journeyId: 'j',
              version: 1,
              node: 'e',
              label: 'E',
              instanceId: 'i1',
              profileId: 'p1',
              channel: 'email',
              recipient: 'x@y.z',
              status: 'sent',
              reason: null,
              subject: 'S',
              body: 'B',
              text: 'T',
              payload: {},
              createdAt: 60,
              updatedAt: 60,
            },
          ],
        });
        assert.equal(await s.findProfileId('prod', 'Email', 'x@y.z'), 'p1');
        assert.equal(await s.findProfileId('dev', 'Email', 'x@y.z'), null);
        assert.deepEqual((await s.getProfile('prod', 'p1'))?.attributes, { a: 1 });
        assert.equal(await s.hasEvent('prod', 'e1'), true);
        assert.equal(await s.hasEvent('dev', 'e1'), false);
        assert.deepEqual(
          (await s.activeInstances('prod', 'p1')).map((i) => i.id),
          ['i1'],
        );
        assert.deepEqual(
          (await s.dueTimers(150, 10)).map((t) => t.id),
          ['t1'],
          'due timers only, earliest first',
        );
        assert.equal(await s.nextTimerDue(), 100);
        assert.deepEqual((await s.pendingOutbox(49, 10)).length, 0);
        assert.deepEqual(
          (await s.pendingOutbox(50, 10)).map((o) => [o.kind, o.v, o.payload]),
          [['callAction', 1, callEffect('o1', { x: 1 })]],
          'the effect comes back typed by kind, with its format',
        );
        await s.commit({
          counters: [
            { sandbox: 'prod', journeyId: 'j', version: 1, node: 'a', metric: 'entered', delta: 3 },
          ],
        });
        assert.deepEqual(
          (await s.counters('prod', 'j')).map((c) => `${c.node}:${c.metric}=${c.value}`),
          ['null:entered=1', 'a:entered=5'],
        );
        assert.deepEqual(
          (await s.messages('prod', { profileId: 'p1', limit: 10 })).map((m) => m.subject),
          ['S'],
        );
      }),
    );

    test(
      'JSON values and long texts come back as written: quotes, backslashes, newlines, unicode, HTML',
      withStore(async (s) => {
        const tricky = {
          quote: 'say "hi"',
          slash: 'C:\\path\\to',
          lines: 'one\ntwo\tthree',
          unicode: 'café ✓ 🛒 \u2028',
          braces: '{"not":"json"} [1,2]',
          nested: [{ a: '"' }, null, 1.5, true],
        };
        const html = '<a href="https://luma.example/?a=1&b=\\2">Shop "now"</a>\n<p>{{x}}</p>';
        await s.commit({
          profiles: [
            {
              sandbox: 'prod',
              id: 'p1',
              attributes: tricky,
              testProfile: false,
              identities: [{ namespace: 'Email', id: 'quote"d@luma.example' }],
              createdAt: 't',
              updatedAt: 't',
            },
          ],
          events: [
            {
              sandbox: 'prod',
              eventId: 'e1',
              type: 'A',
              profileId: 'p1',
              payload: tricky,
              receivedAt: 5,
            },
          ],
          instances: [
            {
              sandbox: 'prod',
              state: instance('i1', { context: { events: { e: tricky }, actions: {} } }),
            },
          ],
          messages: [
            {
              id: 'm1',
              sandbox: 'prod',
              journeyId: 'j',
              version: 1,
              node: 'e',
              label: 'E',
              instanceId: 'i1',
              profileId: 'p1',
              channel: 'email',
              recipient: 'quote"d@luma.example',
              status: 'sent',
              reason: null,
              subject: 'S',
              body: html,
              text: null,
              payload: tricky,
              createdAt: 60,
              updatedAt: 60,
            },
          ],
        });
        const profile = await s.getProfile('prod', 'p1');
        assert.deepEqual(profile?.attributes, tricky);
        assert.deepEqual(profile?.identities, [{ namespace: 'Email', id: 'quote"d@luma.example' }]);
        assert.deepEqual(
          (await s.profileEvents('prod', 'p1', { types: null, since: null })).map((e) => e.payload),
          [tricky],
        );
        assert.deepEqual((await s.getInstance('i1'))?.state.context.events, { e: tricky });
        const m = await s.messageById('prod', 'm1');
        assert.equal(m?.body, html);
        assert.equal(m?.text, null);
        assert.deepEqual(m?.payload, tricky);
      }),
    );

    test(
      'outbox attempts: marked before the send, the outcome recorded after it; a retry clears the mark; done items ignore both',
      withStore(async (s) => {
        const sentRecord: MessageRecord = {
          id: 'o2',
          sandbox: 'prod',
          journeyId: 'j',
          version: 1,
          node: 'e',
          label: 'E',
          instanceId: 'i1',
          profileId: 'p1',
          channel: 'email',
          recipient: 'a@x.example',
          status: 'sent',
          reason: null,
          subject: 'S',
          body: 'B',
          text: 'T',
          payload: {},
          createdAt: 25,
          updatedAt: 25,
        };
        const item = (id: string): OutboxItem => ({
          id,
          sandbox: 'prod',
          kind: 'sendMessage',
          v: 1,
          instanceId: 'i1',
          journeyId: 'j',
          version: 1,
          payload: messageEffect(id),
          attempts: 0,
          nextAttemptAt: 10,
          createdAt: 10,
        });
        await s.commit({
          instances: [{ sandbox: 'prod', state: instance('i1') }],
          outboxAdd: [item('o1'), item('o2'), item('o3')],
        });
        const fresh = await s.pendingOutbox(10, 10);
        assert.deepEqual(
          fresh.map((o) => [o.id, o.attemptStartedAt, o.sent]),
          [
            ['o1', null, null],
            ['o2', null, null],
            ['o3', null, null],
          ],
        );
        await s.markOutboxAttempting(['o1', 'o2', 'o3'], 20);
        // A message's record goes into the delivery log with the mark; the item names it.
        await s.markOutboxSent('o2', 25, { kind: 'message', record: sentRecord });
        assert.deepEqual(await s.messageById('prod', 'o2'), sentRecord);
        const o1Record: MessageRecord = { ...sentRecord, id: 'o1', body: 'B1' };
        // Several at once (the writer gathers the sends that completed together); an unknown id is
        // no error, and its record is not logged.
        await s.markOutboxSentMany([
          { id: 'o1', at: 26, outcome: { kind: 'message', record: o1Record } },
          {
            id: 'gone',
            at: 26,
            outcome: { kind: 'message', record: { ...sentRecord, id: 'gone' } },
          },
        ]);
        await s.markOutboxSentMany([]);
        assert.deepEqual(await s.messageById('prod', 'o1'), o1Record);
        assert.equal(await s.messageById('prod', 'gone'), null);
        const logged = (id: string) => ({ kind: 'messageStored', messageId: id });
        assert.deepEqual((await s.pendingOutbox(10, 10)).find((o) => o.id === 'o1')?.sent, {
          at: 26,
          outcome: logged('o1'),
        });
        await s.commit({ outboxRetry: [{ id: 'o3', nextAttemptAt: 10, error: 'busy' }] });
        const after = await s.pendingOutbox(10, 10);
        assert.deepEqual(
          after.map((o) => [o.id, o.attemptStartedAt, o.sent]),
          [
            ['o1', 20, { at: 26, outcome: logged('o1') }],
            ['o2', 20, { at: 25, outcome: logged('o2') }],
            ['o3', null, null],
          ],
        );
        await s.commit({ outboxDone: ['o1', 'o2', 'o3'] });
        await s.markOutboxSent('o1', 30, {
          kind: 'actionResult',
          result: { ok: true, status: 200, body: { late: true } },
        });
        // A late mark of an item already done logs nothing (erasure removes items with their records).
        await s.markOutboxSent('o3', 30, { kind: 'message', record: { ...sentRecord, id: 'o3' } });
        assert.equal(await s.messageById('prod', 'o3'), null);
        await s.markOutboxAttempting(['o1'], 30);
        assert.deepEqual(await s.pendingOutbox(1000, 10), []);
      }),
    );

    test(
      'timers and outbox: removal and retries; instances: exit and lastExit; purge of a version',
      withStore(async (s) => {
        await s.commit({
          instances: [{ sandbox: 'prod', state: instance('i1') }],
          timersAdd: [instanceTimer('t1', 'prod', 'i1', 100)],
          outboxAdd: [
            {
              id: 'o1',
              sandbox: 'prod',
              kind: 'sendMessage',
              v: 1,
              instanceId: 'i1',
              journeyId: 'j',
              version: 1,
              payload: messageEffect('o1'),
              attempts: 0,
              nextAttemptAt: 10,
              createdAt: 10,
            },
          ],
        });
        await s.commit({ outboxRetry: [{ id: 'o1', nextAttemptAt: 500, error: 'busy' }] });
        const [retried] = await s.pendingOutbox(500, 10);
        assert.equal(retried?.attempts, 1);
        await s.commit({
          outboxDone: ['o1'],
          timersRemove: ['t1'],
          instances: [
            {
              sandbox: 'prod',
              state: instance('i1', { status: 'exited', exitedAt: 900, exitReason: 'completed' }),
            },
          ],
        });
        assert.equal(await s.nextOutboxDue(), null);
        assert.equal(await s.nextTimerDue(), null);
        assert.equal(await s.lastExit('prod', 'j', 'p1'), 900);
        assert.equal((await s.activeInstances('prod', 'p1')).length, 0);
        await s.commit({
          instances: [{ sandbox: 'prod', state: instance('i2') }],
          timersAdd: [instanceTimer('t2', 'prod', 'i2', 5)],
        });
        assert.equal(await s.purgeVersionRuntime('prod', 'j', 1), 2);
        assert.equal(await s.nextTimerDue(), null);
      }),
    );

    test(
      'dead letters keep the body and reasons, and remember a replay',
      withStore(async (s) => {
        await s.commit({
          deadLetters: [
            {
              sandbox: 'prod',
              eventId: 'bad',
              eventType: 'A',
              body: { id: 'bad' },
              errors: { message: 'no' },
              receivedAt: 7,
            },
          ],
        });
        const [dl] = await s.listDeadLetters('prod', { limit: 10 });
        assert.deepEqual([dl?.eventId, dl?.body, dl?.replayedAt], ['bad', { id: 'bad' }, null]);
        await s.commit({ deadLettersReplayed: [{ id: dl!.id, at: 9 }] });
        assert.equal((await s.getDeadLetter('prod', dl!.id))?.replayedAt, 9);
        assert.equal(await s.getDeadLetter('dev', dl!.id), null, 'sandboxed');
      }),
    );

    test(
      "batch reads: attributes in id order, whole or by subtree, and one audience's statuses over an id range",
      withStore(async (s) => {
        const profile = (id: string, attributes: Record<string, unknown>) => ({
          sandbox: 'prod',
          id,
          attributes,
          testProfile: false,
          identities: [],
          createdAt: 't',
          updatedAt: 't',
        });
        await s.commit({
          profiles: [
            profile('p3', { loyalty: { tier: 'gold', points: 3 }, app: null }),
            profile('p1', {
              loyalty: { tier: 'blue', points: 1 },
              app: { installed: true },
              name: 'A',
            }),
            profile(
              'p2',
              JSON.parse(
                '{"__proto__": {"polluted": true}, "loyalty": "none", "list": [1, {"k": 2}]}',
              ) as Record<string, unknown>,
            ),
            { ...profile('q1', { loyalty: { tier: 'blue' } }), sandbox: 'dev' },
          ],
        });
        assert.deepEqual(
          (await s.scanAttributes('prod', { limit: 2 })).map((r) => r.id),
          ['p1', 'p2'],
        );
        assert.deepEqual(
          (await s.scanAttributes('prod', { afterId: 'p2', limit: 10 })).map((r) => [
            r.id,
            r.attributes,
          ]),
          [['p3', { loyalty: { tier: 'gold', points: 3 }, app: null }]],
        );
        const part = await s.scanAttributes('prod', {
          limit: 10,
          paths: [['loyalty', 'tier'], ['app'], ['list'], ['__proto__']],
        });
        assert.deepEqual(
          part.map((r) => r.id),
          ['p1', 'p2', 'p3'],
        );
        assert.deepEqual(
          part[0]!.attributes,
          { loyalty: { tier: 'blue' }, app: { installed: true } },
          'only the subtrees asked for',
        );
        assert.deepEqual(
          part[2]!.attributes,
          { loyalty: { tier: 'gold' }, app: null },
          'a stored null stays null',
        );
        const p2 = part[1]!.attributes as Record<string, unknown>;
        assert.deepEqual(p2['list'], [1, { k: 2 }]);
        assert.equal(
          Object.getPrototypeOf(p2),
          Object.prototype,
          'a stored "__proto__" key is data, not a prototype',
        );
        assert.deepEqual(Object.getOwnPropertyDescriptor(p2, '__proto__')?.value, {
          polluted: true,
        });
        assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
        assert.equal(Object.hasOwn(p2, 'loyalty'), false, 'no subtree where a string stands');

        await s.commit({
          memberships: [
            {
              sandbox: 'prod',
              profileId: 'p1',
              audience: 'Blue',
              status: 'realized',
              realizedAt: 10,
              exitedAt: null,
            },
            {
              sandbox: 'prod',
              profileId: 'p3',
              audience: 'Blue',
              status: 'exited',
              realizedAt: 10,
              exitedAt: 20,
            },
            {
              sandbox: 'prod',
              profileId: 'p2',
              audience: 'Other',
              status: 'realized',
              realizedAt: 10,
              exitedAt: null,
            },
          ],
        });
        assert.deepEqual(
          await s.audienceStatuses('prod', 'Blue', { afterProfileId: '', toProfileId: 'p3' }),
          [
            { profileId: 'p1', status: 'realized', realizedAt: 10 },
            { profileId: 'p3', status: 'exited', realizedAt: 10 },
          ],
        );
        assert.deepEqual(
          await s.audienceStatuses('prod', 'Blue', { afterProfileId: 'p1', toProfileId: 'p2' }),
          [],
        );
        assert.deepEqual(await s.audienceSize('prod', 'Blue'), { realized: 1, exited: 1 });
        assert.deepEqual(
          (await s.audienceSample('prod', 'Blue', 5)).map((m) => [m.profileId, m.status]),
          [['p1', 'realized']],
          'a sample holds realized members only',
        );

        const event = (
          eventId: string,
          profileId: string,
          type: string,
          receivedAt: number,
          sandbox = 'prod',
        ) => ({ sandbox, eventId, type, profileId, payload: { n: eventId }, receivedAt });
        await s.commit({
          events: [
            event('e1', 'p1', 'Buy', 100),
            event('e2', 'p1', 'Open', 50),
            event('e3', 'p2', 'Buy', 10),
            event('e4', 'p2', 'Buy', 300),
            event('e5', 'p3', 'Buy', 200),
            event('e6', 'p1', 'Buy', 5),
            event('e7', 'p2', 'Buy', 400, 'dev'),
          ],
        });
        const page = await s.eventsOfProfiles('prod', {
          afterProfileId: '',
          toProfileId: 'p2',
          types: ['Buy'],
          since: 20,
        });
        assert.deepEqual(
          page.map((e) => [e.profileId, e.type, e.at, (e.payload as { n: string }).n]),
          [
            ['p1', 'Buy', 100, 'e1'],
            ['p2', 'Buy', 300, 'e4'],
          ],
          'the range of profiles, the types, since the instant, by profile then time; not another sandbox',
        );
        assert.deepEqual(
          (
            await s.eventsOfProfiles('prod', {
              afterProfileId: 'p1',
              toProfileId: 'p3',
              types: ['Buy', 'Open'],
              since: null,
            })
          ).map((e) => e.payload),
          [{ n: 'e3' }, { n: 'e4' }, { n: 'e5' }],
        );
      }),
    );

    test(
      'an audience sample is drawn at random from every realized member',
      withStore(async (s) => {
        const ids = Array.from({ length: 60 }, (_, i) => `m${String(i).padStart(2, '0')}`);
        await s.commit({
          profiles: ids.map((id) => ({
            sandbox: 'prod',
            id,
            attributes: {},
            testProfile: false,
            identities: [{ namespace: 'Email', id: `${id}@x.example` }],
            createdAt: 't',
            updatedAt: 't',
          })),
          memberships: ids.map((id, i) => ({
            sandbox: 'prod',
            profileId: id,
            audience: 'All',
            status: i < 50 ? ('realized' as const) : ('exited' as const),
            realizedAt: 1,
            exitedAt: i < 50 ? null : 2,
          })),
        });
        const seen = new Set<string>();
        for (let draw = 0; draw < 30; draw++) {
          const sample = await s.audienceSample('prod', 'All', 5);
          assert.equal(new Set(sample.map((m) => m.profileId)).size, 5);
          assert.deepEqual(
            sample.map((m) => m.profileId),
            [...sample.map((m) => m.profileId)].sort(),
            'in profile id order',
          );
          assert.deepEqual(sample[0]!.identities, [
            { namespace: 'Email', id: `${sample[0]!.profileId}@x.example` },
          ]);
          for (const m of sample) {
            assert.equal(m.status, 'realized');
            seen.add(m.profileId);
          }
        }
        assert.ok(
          seen.size > 30,
          `30 draws of 5 reach most of the 50 members (${seen.size}), not the same first five`,
        );
        assert.ok([...seen].some((id) => id > 'm40'));
      }),
    );
  });
  runPortCoverage(name, open);
}

// ---------------------------------------------------------------------------------------------
// Port coverage: the methods the tests above do not reach, and the commit semantics (upserts,
// order within a batch, stitching, erasure), so that every adapter is held to the same behaviour.
// ---------------------------------------------------------------------------------------------
function runPortCoverage(name: string, open: () => Promise<Store>): void {
  describe(`store contract (port coverage): ${name}`, () => {
    const withStore = (fn: (s: Store) => Promise<void>) => async () => {
      const s = await open();
      try {
        await fn(s);
      } finally {
        await s.close();
      }
    };
    const profile = (id: string, over: Partial<ProfileWrite> = {}): ProfileWrite => ({
      sandbox: 'prod',
      id,
      attributes: {},
      testProfile: false,
      identities: [],
      createdAt: 'c0',
      updatedAt: 'u0',
      ...over,
    });
    const event = (
      eventId: string,
      profileId: string,
      receivedAt: number,
      over: Partial<NonNullable<CommitBatch['events']>[number]> = {},
    ) => ({
      sandbox: 'prod',
      eventId,
      type: 'A',
      profileId,
      payload: { n: eventId },
      receivedAt,
      ...over,
    });
    const message = (id: string, over: Partial<MessageRecord> = {}): MessageRecord => ({
      id,
      sandbox: 'prod',
      journeyId: 'j',
      version: 1,
      node: 'n',
      label: 'L',
      instanceId: 'i1',
      profileId: 'p1',
      channel: 'email',
      recipient: 'a@x.example',
      status: 'queued',
      reason: null,
      subject: 'S',
      body: 'B',
      text: 'T',
      payload: {},
      createdAt: 10,
      updatedAt: 10,
      ...over,
    });
    const outbox = (
      id: string,
      over: Partial<Extract<OutboxItem, { kind: 'callAction' }>> = {},
    ): OutboxItem => ({
      id,
      sandbox: 'prod',
      kind: 'callAction',
      v: 1,
      instanceId: 'i1',
      journeyId: 'j',
      version: 1,
      payload: callEffect(id),
      attempts: 0,
      nextAttemptAt: 10,
      createdAt: 10,
      ...over,
    });

    test(
      'profiles: an upsert keeps the creation and replaces the rest; a profile written twice in one batch ends as the last write',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            profile('p1', {
              attributes: { a: 1 },
              identities: [{ namespace: 'Email', id: 'a@x.example' }],
            }),
          ],
        });
        await s.commit({
          profiles: [
            profile('p1', {
              attributes: { b: 2 },
              testProfile: true,
              identities: [
                { namespace: 'Email', id: 'a@x.example' },
                { namespace: 'Phone', id: '+1' },
              ],
              createdAt: 'c1',
              updatedAt: 'u1',
            }),
            profile('p2', { createdAt: 'c2', updatedAt: 'u2' }),
            profile('p2', { attributes: { second: true }, createdAt: 'c3', updatedAt: 'u3' }),
          ],
        });
        assert.deepEqual(await s.getProfile('prod', 'p1'), {
          id: 'p1',
          attributes: { b: 2 },
          testProfile: true,
          identities: [
            { namespace: 'Email', id: 'a@x.example' },
            { namespace: 'Phone', id: '+1' },
          ],
          createdAt: 'c0',
          updatedAt: 'u1',
        });
        const p2 = await s.getProfile('prod', 'p2');
        assert.deepEqual(
          [p2?.attributes, p2?.createdAt, p2?.updatedAt, p2?.testProfile],
          [{ second: true }, 'c2', 'u3', false],
        );
        assert.equal(await s.findProfileId('prod', 'Phone', '+1'), 'p1');
        assert.equal(await s.getProfile('dev', 'p1'), null, 'sandboxed');
      }),
    );

    test(
      'identities: an identity claimed by another profile moves to it, the last claim of a batch winning',
      withStore(async (s) => {
        await s.commit({
          profiles: [profile('p1', { identities: [{ namespace: 'Email', id: 'x@x.example' }] })],
        });
        await s.commit({
          profiles: [
            profile('p2', { identities: [{ namespace: 'Email', id: 'x@x.example' }] }),
            profile('p3', { identities: [{ namespace: 'Email', id: 'x@x.example' }] }),
          ],
        });
        assert.equal(await s.findProfileId('prod', 'Email', 'x@x.example'), 'p3');
        assert.equal(
          await s.findProfileId('prod', 'email', 'x@x.example'),
          null,
          'namespaces are exact',
        );
      }),
    );

    test(
      'listProfiles and scans page in byte order of ids, per sandbox',
      withStore(async (s) => {
        const ids = ['b', 'a', 'B', '~x', 'é', '10', '9', 'a-'];
        await s.commit({
          profiles: [...ids.map((id) => profile(id)), profile('zz', { sandbox: 'dev' })],
        });
        const byteOrder = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
        assert.deepEqual(byteOrder, ['10', '9', 'B', 'a', 'a-', 'b', '~x', 'é']);
        assert.deepEqual(
          (await s.listProfiles('prod', { limit: 100, offset: 0 })).map((p) => p.id),
          byteOrder,
        );
        assert.deepEqual(
          (await s.listProfiles('prod', { limit: 3, offset: 2 })).map((p) => p.id),
          ['B', 'a', 'a-'],
        );
        assert.deepEqual(
          (await s.scanAttributes('prod', { afterId: 'a', limit: 3 })).map((p) => p.id),
          ['a-', 'b', '~x'],
        );
        await s.commit({
          memberships: ids.map((id) => ({
            sandbox: 'prod',
            profileId: id,
            audience: 'All',
            status: 'realized' as const,
            realizedAt: 1,
            exitedAt: null,
          })),
        });
        assert.deepEqual(
          (await s.audienceMembers('prod', 'All', { afterProfileId: 'B', limit: 2 })).map(
            (m) => m.profileId,
          ),
          ['a', 'a-'],
        );
        assert.deepEqual(
          (await s.audienceStatuses('prod', 'All', { afterProfileId: '9', toProfileId: 'b' })).map(
            (m) => m.profileId,
          ),
          ['B', 'a', 'a-', 'b'],
        );
      }),
    );

    test(
      'JSON comes back as written: key order, a "__proto__" key, escapes, numbers',
      withStore(async (s) => {
        const attributes = JSON.parse(
          '{"z": 1, "a": {"y": [3, 2.5, -0.125, 1e21], "b": "\\u0000\\n\\"é😀"}, "__proto__": {"k": true}, "m": null}',
        ) as Record<string, unknown>;
        await s.commit({
          profiles: [profile('p1', { attributes })],
          events: [event('e1', 'p1', 1, { payload: attributes })],
        });
        const read = (await s.getProfile('prod', 'p1'))!.attributes;
        assert.deepEqual(Object.keys(read), ['z', 'a', '__proto__', 'm']);
        assert.equal(JSON.stringify(read), JSON.stringify(attributes));
        assert.equal(Object.getPrototypeOf(read), Object.prototype);
        assert.equal(
          JSON.stringify(
            (await s.profileEvents('prod', 'p1', { types: null, since: null }))[0]?.payload,
          ),
          JSON.stringify(attributes),
        );
        const def = JSON.parse('{"start": "b", "name": "J", "nodes": []}') as never;
        await s.putJourneyVersion('prod', {
          journeyId: 'j',
          version: 1,
          status: 'draft',
          definition: def,
          createdAt: 't',
          updatedAt: 't',
        });
        assert.deepEqual(Object.keys((await s.getJourneyVersions('prod', 'j'))[0]!.definition), [
          'start',
          'name',
          'nodes',
        ]);
        const [part] = await s.scanAttributes('prod', { limit: 1, paths: [['a', 'b'], ['m']] });
        assert.deepEqual(part?.attributes, { a: { b: '\u0000\n"é😀' }, m: null });
      }),
    );

    test(
      'a NUL character (\\u0000) in stored JSON breaks no read, report, stitching or subtree scan',
      withStore(async (s) => {
        const H = 3_600_000;
        const nul = { note: 'a\u0000b' };
        await s.commit({
          profiles: [profile('anon', { attributes: { tier: 'gold', raw: nul } }), profile('known')],
          events: [
            event('e1', 'anon', H, { type: 'message.opened', payload: { journeyId: 'j', ...nul } }),
          ],
          instances: [
            {
              sandbox: 'prod',
              state: instance('i1', {
                profileId: 'anon',
                enteredAt: H,
                status: 'exited',
                exitedAt: H + 1,
                exitReason: 'completed',
                context: { events: { A: nul }, actions: {} },
              }),
            },
          ],
          messages: [
            message('m1', {
              profileId: 'anon',
              createdAt: H,
              status: 'sent',
              payload: { providerMessageId: 'prov-9', ...nul },
            }),
          ],
        });
        assert.equal((await s.messageByProviderId('prod', 'email', 'prov-9'))?.id, 'm1');
        assert.deepEqual(
          (await s.timeline('prod', 'j', { bucketMs: H, since: 0 })).map(
            (r) => `${r.series}=${r.value}`,
          ),
          ['entered=1', 'exited=1', 'message.opened=1', 'message.sent=1'],
        );
        assert.deepEqual(
          (await s.scanAttributes('prod', { limit: 10, paths: [['tier']] })).map(
            (r) => r.attributes,
          ),
          [{ tier: 'gold' }, {}],
        );
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'anon', into: 'known' }] });
        const moved = await s.getInstance('i1');
        assert.deepEqual(
          moved?.state,
          instance('i1', {
            profileId: 'known',
            enteredAt: H,
            status: 'exited',
            exitedAt: H + 1,
            exitReason: 'completed',
            context: { events: { A: nul }, actions: {} },
          }),
        );
        assert.deepEqual(
          Object.keys(moved!.state),
          Object.keys(instance('i1', { exitedAt: 1, exitReason: 'completed' }))
            .filter((k) => k !== 'exitedAt' && k !== 'exitReason')
            .concat('exitedAt', 'exitReason'),
          'the state keeps its key order',
        );
        assert.deepEqual(
          (await s.profileEvents('prod', 'known', { types: null, since: null }))[0]?.payload,
          { journeyId: 'j', ...nul },
        );
      }),
    );

    test(
      'scanAttributes with paths: a key names an object member only, never an array index',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            profile('p1', { attributes: { list: [{ k: 1 }, { k: 2 }], obj: { '0': { k: 3 } } } }),
          ],
        });
        const [r] = await s.scanAttributes('prod', {
          limit: 1,
          paths: [
            ['list', '0', 'k'],
            ['obj', '0', 'k'],
            ['list', '-1'],
          ],
        });
        assert.deepEqual(r?.attributes, { obj: { '0': { k: 3 } } });
      }),
    );

    test(
      'events: hasEvent per sandbox; a batch with a duplicate event id fails whole',
      withStore(async (s) => {
        await s.commit({ events: [event('e1', 'p1', 1)] });
        assert.equal(await s.hasEvent('prod', 'e1'), true);
        assert.equal(await s.hasEvent('prod', 'e2'), false);
        await assert.rejects(
          s.commit({
            profiles: [profile('p9')],
            events: [event('e2', 'p1', 2), event('e1', 'p1', 3)],
          }),
        );
        assert.equal(
          await s.hasEvent('prod', 'e2'),
          false,
          'nothing of the failed batch was written',
        );
        assert.equal(await s.getProfile('prod', 'p9'), null);
        await s.commit({ events: [event('e1', 'p1', 1, { sandbox: 'dev' })] });
        assert.equal(await s.hasEvent('dev', 'e1'), true, 'event ids are unique per sandbox');
      }),
    );

    test(
      'events keep the fingerprint they were sent with: read back per sandbox, null when stored without one, survives a profile merge',
      withStore(async (s) => {
        await s.commit({
          profiles: [profile('p1'), profile('p2')],
          events: [
            event('e1', 'p1', 1, { fingerprint: 'f-one' }),
            event('e2', 'p2', 2),
            event('e1', 'p1', 3, { sandbox: 'dev', fingerprint: 'f-dev' }),
          ],
        });
        assert.deepEqual(
          Object.fromEntries(await s.eventFingerprints('prod', ['e1', 'e2', 'e1', 'nope'])),
          { e1: 'f-one', e2: null },
        );
        assert.deepEqual(Object.fromEntries(await s.eventFingerprints('dev', ['e1', 'e2'])), {
          e1: 'f-dev',
        });
        assert.deepEqual(await s.eventFingerprints('prod', []), new Map());
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'p1', into: 'p2' }] });
        assert.deepEqual(
          Object.fromEntries(await s.eventFingerprints('prod', ['e1'])),
          { e1: 'f-one' },
          'moving an event to another profile keeps its fingerprint',
        );
      }),
    );

    test(
      'SMS short links: a taken code is refused, a message lists its links by position, merges move them, erasure and expiry delete them',
      withStore(async (s) => {
        const link = (code: string, over: Partial<ShortLinkRow> = {}): ShortLinkRow => ({
          code,
          sandbox: 'prod',
          messageId: 'i1:1',
          profileId: 'p1',
          journeyId: 'j',
          version: 1,
          node: 'text',
          linkId: '0',
          url: 'https://luma.example/a',
          createdAt: 10,
          expiresAt: 1000,
          ...over,
        });
        assert.equal(await s.putShortLink(link('aaaaaaaaaa')), true);
        for (let i = 1; i <= 10; i++)
          assert.equal(
            await s.putShortLink(
              link(`b${String(i).padStart(9, '0')}`, {
                linkId: String(i),
                url: `https://x.example/${i}`,
              }),
            ),
            true,
          );
        assert.equal(
          await s.putShortLink(
            link('aaaaaaaaaa', { sandbox: 'dev', url: 'https://evil.example/' }),
          ),
          false,
          'a code is unique across sandboxes',
        );
        assert.deepEqual(await s.shortLink('aaaaaaaaaa'), link('aaaaaaaaaa'));
        assert.equal(await s.shortLink('AAAAAAAAAA'), null, 'codes are case-sensitive');
        assert.deepEqual(
          (await s.shortLinksOfMessage('prod', 'i1:1')).map((l) => l.linkId),
          ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
        );
        assert.deepEqual(await s.shortLinksOfMessage('dev', 'i1:1'), []);
        await s.putShortLink(
          link('cccccccccc', { profileId: 'p2', messageId: 'i2:1', expiresAt: 50 }),
        );
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'p1', into: 'p3' }] });
        assert.equal(
          (await s.shortLink('aaaaaaaaaa'))?.profileId,
          'p3',
          'merged into the survivor',
        );
        await s.commit({ profileDeletes: [{ sandbox: 'prod', profileId: 'p3' }] });
        assert.equal(await s.shortLink('aaaaaaaaaa'), null, 'erased with the profile');
        assert.deepEqual(await s.shortLinksOfMessage('prod', 'i1:1'), []);
        assert.equal(await s.purgeExpiredShortLinks(49, 10), 0);
        assert.equal(await s.purgeExpiredShortLinks(50, 10), 1);
        assert.equal(await s.shortLink('cccccccccc'), null);
      }),
    );

    test(
      'a batch failing in its last write leaves nothing of its earlier writes',
      withStore(async (s) => {
        await s.commit({
          timersAdd: [instanceTimer('t1', 'prod', 'i1', 100)],
          memberships: [
            {
              sandbox: 'prod',
              profileId: 'p1',
              audience: 'A',
              status: 'realized',
              realizedAt: 1,
              exitedAt: null,
            },
          ],
        });
        await assert.rejects(
          s.commit({
            profiles: [profile('p1')],
            events: [event('e1', 'p1', 1)],
            timersRemove: ['t1'],
            timersAdd: [instanceTimer('t1', 'prod', 'i1', 5)],
            profileMerges: [{ sandbox: 'prod', from: 'p1', into: 'p2' }],
            membershipsRemove: [{ sandbox: 'prod', audience: 'A' }],
            memberships: [
              {
                sandbox: 'prod',
                profileId: 'p3',
                audience: 'A',
                status: null as never,
                realizedAt: 1,
                exitedAt: null,
              },
            ],
          }),
        );
        assert.equal(await s.getProfile('prod', 'p1'), null);
        assert.equal(await s.hasEvent('prod', 'e1'), false);
        assert.equal(await s.nextTimerDue(), 100);
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { limit: 10 })).map((m) => m.profileId),
          ['p1'],
        );
      }),
    );

    test(
      'commits issued together all land, each whole',
      withStore(async (s) => {
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            s.commit({
              events: [event(`e${i}`, `p${i % 5}`, i)],
              counters: [
                {
                  sandbox: 'prod',
                  journeyId: 'j',
                  version: 1,
                  node: null,
                  metric: 'entered',
                  delta: 1,
                },
                {
                  sandbox: 'prod',
                  journeyId: 'j',
                  version: 1,
                  node: `n${i % 3}`,
                  metric: 'entered',
                  delta: 2,
                },
              ],
              profiles: [profile(`p${i % 5}`, { attributes: { last: i } })],
              timersRemove: [`t${i - 1}`],
              timersAdd: [instanceTimer(`t${i}`, 'prod', 'i1', 1000 + i)],
            }),
          ),
        );
        assert.deepEqual(
          (await s.counters('prod', 'j')).map((c) => c.value),
          [40, 28, 26, 26],
        );
        assert.deepEqual(
          (await s.dueTimers(2000, 100)).map((t) => t.id),
          ['t39'],
          'in the order issued: each removes the timer of the one before',
        );
        assert.deepEqual(
          (await s.listProfiles('prod', { limit: 10, offset: 0 })).map((p) => p.attributes['last']),
          [35, 36, 37, 38, 39],
        );
        assert.equal((await s.profileEvents('prod', 'p0', { types: null, since: null })).length, 8);
      }),
    );

    test(
      'profileEvents: by time, of the types asked for (all when null), since an instant',
      withStore(async (s) => {
        await s.commit({
          events: [
            event('e1', 'p1', 30, { type: 'B' }),
            event('e2', 'p1', 10),
            event('e3', 'p1', 20),
            event('e4', 'p2', 15),
            event('e5', 'p1', 5, { sandbox: 'dev' }),
          ],
        });
        assert.deepEqual(
          (await s.profileEvents('prod', 'p1', { types: null, since: null })).map((e) => [
            e.type,
            e.at,
          ]),
          [
            ['A', 10],
            ['A', 20],
            ['B', 30],
          ],
        );
        assert.deepEqual(
          (await s.profileEvents('prod', 'p1', { types: ['A'], since: 20 })).map((e) => e.at),
          [20],
        );
        assert.deepEqual(await s.profileEvents('prod', 'p1', { types: [], since: null }), []);
      }),
    );

    test(
      'businessEvents: events of no profile, of the types asked for, since an instant, by time then id, at most a limit',
      withStore(async (s) => {
        await s.commit({
          events: [
            event('b2', '', 20, { type: 'Sale' }),
            event('b1', '', 20, { type: 'Sale', fingerprint: 'f1' }),
            event('b0', '', 5, { type: 'Sale' }),
            event('b3', '', 30, { type: 'Other' }),
            event('p1', 'p1', 25, { type: 'Sale' }),
            event('d1', '', 25, { type: 'Sale', sandbox: 'dev' }),
          ],
        });
        const got = await s.businessEvents('prod', { types: ['Sale'], since: 10, limit: 10 });
        assert.deepEqual(
          got.map((e) => [e.eventId, e.type, e.at, e.fingerprint]),
          [
            ['b1', 'Sale', 20, 'f1'],
            ['b2', 'Sale', 20, null],
          ],
        );
        assert.deepEqual(got[0]!.payload, { n: 'b1' });
        assert.deepEqual(
          (await s.businessEvents('prod', { types: ['Sale', 'Other'], since: 0, limit: 2 })).map(
            (e) => e.eventId,
          ),
          ['b0', 'b1'],
        );
        assert.deepEqual(await s.businessEvents('prod', { types: [], since: 0, limit: 10 }), []);
      }),
    );

    test(
      'purgeEvents removes the events received before an instant in one sandbox and counts them',
      withStore(async (s) => {
        await s.commit({
          events: [
            event('e1', 'p1', 10),
            event('e2', 'p1', 20),
            event('e3', 'p2', 30),
            event('e1', 'p1', 5, { sandbox: 'dev' }),
          ],
        });
        assert.equal(await s.purgeEvents('prod', 20), 1);
        assert.equal(await s.hasEvent('prod', 'e1'), false);
        assert.equal(
          await s.hasEvent('prod', 'e2'),
          true,
          'an event received at the instant stays',
        );
        assert.equal(await s.hasEvent('dev', 'e1'), true);
        assert.equal(await s.purgeEvents('prod', 20), 0);
      }),
    );

    test(
      'instances: active ones per profile and per version, getInstance with its sandbox, lastExit, and the report listing',
      withStore(async (s) => {
        await s.commit({
          instances: [
            { sandbox: 'prod', state: instance('i1', { enteredAt: 100 }) },
            { sandbox: 'prod', state: instance('i2', { version: 2, enteredAt: 300 }) },
            { sandbox: 'prod', state: instance('i3', { journeyId: 'k', enteredAt: 200 }) },
            { sandbox: 'prod', state: instance('i4', { profileId: 'p2', enteredAt: 400 }) },
            { sandbox: 'dev', state: instance('i5', { enteredAt: 500 }) },
          ],
        });
        assert.deepEqual((await s.activeInstances('prod', 'p1')).map((i) => i.id).sort(), [
          'i1',
          'i2',
          'i3',
        ]);
        assert.deepEqual(
          (await s.activeInstancesOfVersion('prod', 'j', 1, 10)).map((i) => i.id).sort(),
          ['i1', 'i4'],
        );
        assert.equal((await s.activeInstancesOfVersion('prod', 'j', 1, 1)).length, 1);
        assert.deepEqual(await s.getInstance('i5'), {
          sandbox: 'dev',
          state: instance('i5', { enteredAt: 500 }),
        });
        assert.equal(await s.getInstance('nope'), null);
        assert.equal(await s.lastExit('prod', 'j', 'p1'), null);
        await s.commit({
          instances: [
            {
              sandbox: 'prod',
              state: instance('i1', {
                enteredAt: 100,
                status: 'exited',
                exitedAt: 700,
                exitReason: 'completed',
              }),
            },
            {
              sandbox: 'prod',
              state: instance('i2', {
                version: 2,
                enteredAt: 300,
                status: 'exited',
                exitedAt: 600,
                exitReason: 'completed',
              }),
            },
            {
              sandbox: 'prod',
              state: instance('i3', {
                journeyId: 'k',
                enteredAt: 200,
                status: 'exited',
                exitedAt: 900,
                exitReason: 'completed',
              }),
            },
          ],
        });
        assert.equal(
          await s.lastExit('prod', 'j', 'p1'),
          700,
          'the latest exit of the journey, any version',
        );
        assert.equal(await s.lastExit('prod', 'j', 'p2'), null);
        assert.deepEqual(
          (await s.activeInstances('prod', 'p1')).map((i) => i.id),
          [],
        );
        assert.deepEqual(
          (await s.instances('prod', { limit: 10 })).map((i) => i.id),
          ['i4', 'i2', 'i3', 'i1'],
          'newest entry first',
        );
        assert.deepEqual(
          (await s.instances('prod', { journeyId: 'j', profileId: 'p1', limit: 10 })).map(
            (i) => i.id,
          ),
          ['i2', 'i1'],
        );
        assert.deepEqual(
          (await s.instances('prod', { journeyId: 'j', limit: 1 })).map((i) => i.id),
          ['i4'],
        );
        assert.equal((await s.getInstance('i1'))?.state.exitReason, 'completed');
      }),
    );

    test(
      'batch reads match the single ones: seenEvents, findProfileIds, getProfiles, getInstances, activeInstancesOf, per sandbox, duplicates and unknowns ignored',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            profile('p1', {
              attributes: { a: 1 },
              identities: [
                { namespace: 'Email', id: 'a@x.example' },
                { namespace: 'Phone', id: '+1' },
              ],
            }),
            profile('p2', { identities: [{ namespace: 'Email', id: 'b@x.example' }] }),
            profile('p1', {
              sandbox: 'dev',
              identities: [{ namespace: 'Email', id: 'd@x.example' }],
            }),
          ],
          events: [
            event('e1', 'p1', 1),
            event('e2', 'p2', 2),
            event('e3', 'p1', 3, { sandbox: 'dev' }),
          ],
          instances: [
            { sandbox: 'prod', state: instance('i1') },
            { sandbox: 'prod', state: instance('i2', { journeyId: 'k' }) },
            {
              sandbox: 'prod',
              state: instance('i3', {
                profileId: 'p2',
                status: 'exited',
                exitedAt: 5,
                exitReason: 'completed',
              }),
            },
            { sandbox: 'dev', state: instance('i4') },
          ],
        });
        assert.deepEqual(
          [...(await s.seenEvents('prod', ['e1', 'e2', 'e3', 'e1', 'nope']))].sort(),
          ['e1', 'e2'],
        );
        assert.deepEqual(await s.seenEvents('prod', []), new Set());
        const ids = await s.findProfileIds('prod', [
          { namespace: 'Email', value: 'a@x.example' },
          { namespace: 'Phone', value: '+1' },
          { namespace: 'Email', value: 'b@x.example' },
          { namespace: 'Email', value: 'd@x.example' },
          { namespace: 'email', value: 'a@x.example' },
        ]);
        assert.deepEqual(Object.fromEntries(ids), {
          'Email\u0000a@x.example': 'p1',
          'Phone\u0000+1': 'p1',
          'Email\u0000b@x.example': 'p2',
        });
        for (const [key, id] of ids) {
          const [namespace, value] = key.split('\u0000');
          assert.equal(await s.findProfileId('prod', namespace!, value!), id);
        }
        const profiles = await s.getProfiles('prod', ['p2', 'p1', 'p1', 'nope']);
        assert.deepEqual(profiles.map((p) => p.id).sort(), ['p1', 'p2']);
        assert.deepEqual(
          profiles.find((p) => p.id === 'p1'),
          await s.getProfile('prod', 'p1'),
        );
        assert.deepEqual(
          (await s.getProfiles('dev', ['p1'])).map((p) => p.identities),
          [[{ namespace: 'Email', id: 'd@x.example' }]],
        );
        const instances = await s.getInstances(['i4', 'i1', 'i1', 'nope']);
        assert.deepEqual(
          instances.sort((a, b) => a.state.id.localeCompare(b.state.id)),
          [await s.getInstance('i1'), await s.getInstance('i4')],
        );
        const active = await s.activeInstancesOf('prod', ['p1', 'p2', 'p1', 'nope']);
        assert.deepEqual(
          active.map((i) => i.id).sort(),
          (await s.activeInstances('prod', 'p1')).map((i) => i.id).sort(),
          'p2 has no active instance',
        );
        assert.deepEqual(await s.getInstances([]), []);
        assert.deepEqual(await s.activeInstancesOf('prod', []), []);
        assert.deepEqual(await s.getProfiles('prod', []), []);
        assert.deepEqual(await s.findProfileIds('prod', []), new Map());
      }),
    );

    test(
      'backlog: due timers and outbox items, retries and dead letters of one sandbox, each count capped',
      withStore(async (s) => {
        assert.deepEqual(await s.backlog('prod', 100, 10), {
          timersDue: 0,
          nextTimerAt: null,
          outboxDue: 0,
          outboxRetrying: 0,
          deadLetters: 0,
        });
        await s.commit({
          timersAdd: [
            instanceTimer('t1', 'prod', 'i1', 50),
            instanceTimer('t2', 'prod', 'i2', 90),
            instanceTimer('t3', 'prod', 'i3', 500),
            instanceTimer('t4', 'dev', 'i4', 10),
          ],
          outboxAdd: [
            outbox('o1', { nextAttemptAt: 20 }),
            outbox('o2', { nextAttemptAt: 200 }),
            outbox('o3', { sandbox: 'dev', nextAttemptAt: 20 }),
          ],
          deadLetters: [
            {
              sandbox: 'prod',
              eventId: 'a',
              eventType: 'A',
              body: {},
              errors: { message: 'no' },
              receivedAt: 1,
            },
            {
              sandbox: 'prod',
              eventId: 'b',
              eventType: 'A',
              body: {},
              errors: { message: 'no' },
              receivedAt: 2,
            },
          ],
        });
        await s.commit({ outboxRetry: [{ id: 'o2', nextAttemptAt: 300, error: 'busy' }] });
        const [first] = await s.listDeadLetters('prod', { limit: 1 });
        await s.commit({ deadLettersReplayed: [{ id: first!.id, at: 3 }] });
        assert.deepEqual(await s.backlog('prod', 100, 10), {
          timersDue: 2,
          nextTimerAt: 50,
          outboxDue: 1,
          outboxRetrying: 1,
          deadLetters: 1,
        });
        assert.deepEqual(
          await s.backlog('prod', 1000, 1),
          { timersDue: 1, nextTimerAt: 50, outboxDue: 1, outboxRetrying: 1, deadLetters: 1 },
          'capped at 1',
        );
        assert.deepEqual(await s.backlog('dev', 100, 10), {
          timersDue: 1,
          nextTimerAt: 10,
          outboxDue: 1,
          outboxRetrying: 0,
          deadLetters: 0,
        });
      }),
    );

    test(
      'timers: removals come before additions in a batch, an addition replaces, due ones across sandboxes by due time',
      withStore(async (s) => {
        await s.commit({
          timersAdd: [
            instanceTimer('t1', 'prod', 'i1', 100),
            instanceTimer('t2', 'dev', 'i2', 50),
            instanceTimer('t3', 'prod', 'i3', 300),
          ],
        });
        assert.equal(await s.nextTimerDue(), 50);
        await s.commit({
          timersRemove: ['t1', 't2'],
          timersAdd: [
            instanceTimer('t1', 'prod', 'i1', 200),
            instanceTimer('t3', 'prod', 'i3', 150),
          ],
        });
        assert.deepEqual(await s.dueTimers(1000, 10), [
          instanceTimer('t3', 'prod', 'i3', 150),
          instanceTimer('t1', 'prod', 'i1', 200),
        ]);
        assert.deepEqual(
          (await s.dueTimers(1000, 1)).map((t) => t.id),
          ['t3'],
        );
        assert.deepEqual(await s.dueTimers(149, 10), []);
        await s.commit({
          timersAdd: [instanceTimer('t4', 'prod', 'i4', 5), instanceTimer('t4', 'prod', 'i4', 7)],
        });
        assert.equal(await s.nextTimerDue(), 7, 'the last addition of a batch stands');
      }),
    );

    test(
      "timers of every kind come back as written: an instance's, a profile's audience window, an audience job's",
      withStore(async (s) => {
        const written = [
          instanceTimer('i1:1', 'prod', 'i1', 10),
          audienceTimer('prod', 'p1', 20),
          jobTimer('dev', 'read:j:1', 30),
        ];
        await s.commit({ timersAdd: written });
        assert.deepEqual(await s.dueTimers(100, 10), written);
        assert.deepEqual(
          written.map((t) => t.id),
          ['i1:1', 'audience:p1', 'job:dev:read:j:1'],
          "ids the stores can match (merges and erasure remove a profile's audience timer by id)",
        );
        await s.commit({ profileDeletes: [{ sandbox: 'prod', profileId: 'p1' }] });
        assert.deepEqual(
          (await s.dueTimers(100, 10)).map((t) => t.kind),
          ['instance', 'job'],
          'erasing the profile took its audience timer',
        );
      }),
    );

    test(
      'outbox items come back typed by kind with their effect as issued, the format kept beside it',
      withStore(async (s) => {
        const call = outbox('o1', {
          payload: callEffect(
            'o1',
            JSON.parse('{"loyaltyId":"a@x.example","__proto__":{"polluted":true}}') as Record<
              string,
              unknown
            >,
          ),
        });
        const send: OutboxItem = {
          id: 'o2',
          sandbox: 'prod',
          kind: 'sendMessage',
          v: 1,
          instanceId: 'i1',
          journeyId: 'j',
          version: 1,
          payload: messageEffect('o2'),
          attempts: 0,
          nextAttemptAt: 10,
          createdAt: 10,
        };
        await s.commit({ outboxAdd: [call, send] });
        const read = await s.pendingOutbox(100, 10);
        assert.deepEqual(
          read.map((o) => [o.kind, o.v]),
          [
            ['callAction', 1],
            ['sendMessage', 1],
          ],
        );
        assert.deepEqual(read[1]?.payload, messageEffect('o2'));
        const [first] = read;
        assert.ok(first?.kind === 'callAction');
        assert.equal(first.payload.parameters['loyaltyId'], 'a@x.example');
        assert.ok(
          Object.hasOwn(first.payload.parameters, '__proto__'),
          'a "__proto__" key in the journey\'s data stays data',
        );
        assert.equal(
          ({} as Record<string, unknown>)['polluted'],
          undefined,
          'nothing leaks into prototypes',
        );
      }),
    );

    test(
      'a fractional instant (retry backoff with jitter) is stored and never becomes due early',
      withStore(async (s) => {
        await s.commit({
          timersAdd: [instanceTimer('t1', 'prod', 'i1', 100.25)],
          outboxAdd: [outbox('o1', { nextAttemptAt: 50.5 })],
        });
        await s.commit({ outboxRetry: [{ id: 'o1', nextAttemptAt: 200.75, error: 'busy' }] });
        assert.deepEqual(await s.dueTimers(100, 10), []);
        assert.deepEqual(
          (await s.dueTimers(101, 10)).map((t) => t.id),
          ['t1'],
        );
        assert.deepEqual(await s.pendingOutbox(200, 10), []);
        assert.deepEqual(
          (await s.pendingOutbox(201, 10)).map((o) => o.id),
          ['o1'],
        );
        const due = await s.nextOutboxDue();
        assert.ok(
          due !== null && due >= 200.75 && due <= 201,
          `the retry instant, at most rounded up to the millisecond (${due})`,
        );
      }),
    );

    test(
      'outbox: an item added twice stays as first added; retries add up; done removes',
      withStore(async (s) => {
        await s.commit({
          outboxAdd: [
            outbox('o1', { payload: callEffect('o1', { first: true }) }),
            outbox('o1', { payload: callEffect('o1', { first: false }) }),
            outbox('o2', { sandbox: 'dev', nextAttemptAt: 5 }),
          ],
        });
        await s.commit({
          outboxAdd: [outbox('o1', { payload: callEffect('o1', { again: true }) })],
        });
        assert.deepEqual(
          (await s.pendingOutbox(100, 10)).map((o) => [o.id, o.sandbox, o.payload]),
          [
            ['o2', 'dev', callEffect('o2')],
            ['o1', 'prod', callEffect('o1', { first: true })],
          ],
        );
        assert.equal(await s.nextOutboxDue(), 5);
        await s.commit({
          outboxRetry: [
            { id: 'o1', nextAttemptAt: 40, error: 'a' },
            { id: 'o1', nextAttemptAt: 50, error: 'b' },
          ],
        });
        const [o1] = await s
          .pendingOutbox(50, 10)
          .then((items) => items.filter((o) => o.id === 'o1'));
        assert.deepEqual(
          [
            o1?.attempts,
            o1?.nextAttemptAt,
            o1?.createdAt,
            o1?.kind,
            o1?.instanceId,
            o1?.journeyId,
            o1?.version,
          ],
          [2, 50, 10, 'callAction', 'i1', 'j', 1],
        );
        await s.commit({
          outboxDone: ['o2'],
          outboxRetry: [{ id: 'o2', nextAttemptAt: 1, error: 'gone' }],
        });
        assert.deepEqual(
          (await s.pendingOutbox(1000, 10)).map((o) => o.id),
          ['o1'],
        );
        await s.commit({ outboxAdd: [outbox('o3')], outboxDone: ['o3'] });
        assert.deepEqual(
          (await s.pendingOutbox(1000, 10)).map((o) => o.id),
          ['o1'],
          'added and done in one batch: gone',
        );
      }),
    );

    test(
      'counters: deltas of one batch and of later batches add up, per journey and version, by version, node and metric',
      withStore(async (s) => {
        const c = (
          version: number,
          node: string | null,
          metric: string,
          delta: number,
          journeyId = 'j',
          sandbox = 'prod',
        ) => ({ sandbox, journeyId, version, node, metric, delta });
        await s.commit({
          counters: [
            c(2, 'b', 'entered', 1),
            c(1, null, 'entered', 2),
            c(2, 'b', 'entered', 3),
            c(1, 'a', 'exited', 1),
            c(1, 'a', 'entered', 1),
            c(1, null, 'entered', 1, 'k'),
            c(1, null, 'entered', 9, 'j', 'dev'),
          ],
        });
        await s.commit({ counters: [c(2, 'b', 'entered', -1)] });
        assert.deepEqual(await s.counters('prod', 'j'), [
          { version: 1, node: null, metric: 'entered', value: 2 },
          { version: 1, node: 'a', metric: 'entered', value: 1 },
          { version: 1, node: 'a', metric: 'exited', value: 1 },
          { version: 2, node: 'b', metric: 'entered', value: 3 },
        ]);
        assert.deepEqual(await s.counters('prod', 'nope'), []);
      }),
    );

    test(
      'messages: an update keeps origin and creation, filters and order, lookup by provider id',
      withStore(async (s) => {
        await s.commit({
          messages: [
            message('m2', { createdAt: 20, updatedAt: 20 }),
            message('m1', { createdAt: 20, updatedAt: 20, channel: 'sms', journeyId: 'k' }),
            message('m3', { createdAt: 5, profileId: 'p2' }),
          ],
        });
        await s.commit({
          messages: [
            message('m2', {
              label: 'other',
              journeyId: 'x',
              createdAt: 99,
              status: 'sent',
              reason: 'r',
              recipient: 'b@x.example',
              subject: 'S2',
              body: 'B2',
              text: 'T2',
              payload: { providerMessageId: 'prov-1' },
              updatedAt: 30,
            }),
            message('m2', {
              status: 'delivered',
              payload: { providerMessageId: 'prov-1' },
              updatedAt: 40,
            }),
          ],
        });
        const m2 = (await s.messages('prod', { profileId: 'p1', journeyId: 'j', limit: 10 }))[0];
        assert.deepEqual(
          m2,
          message('m2', {
            status: 'delivered',
            payload: { providerMessageId: 'prov-1' },
            createdAt: 20,
            updatedAt: 40,
          }),
          'the last write decides the outcome; origin, label and creation stay',
        );
        assert.deepEqual(
          (await s.messages('prod', { limit: 10 })).map((m) => m.id),
          ['m3', 'm1', 'm2'],
          'by creation, then id',
        );
        assert.deepEqual(
          (await s.messages('prod', { channel: 'sms', limit: 10 })).map((m) => m.id),
          ['m1'],
        );
        assert.deepEqual(
          (await s.messages('prod', { limit: 2 })).map((m) => m.id),
          ['m3', 'm1'],
        );
        assert.deepEqual(await s.messages('dev', { limit: 10 }), []);
        assert.equal((await s.messageByProviderId('prod', 'email', 'prov-1'))?.id, 'm2');
        assert.equal(await s.messageByProviderId('prod', 'sms', 'prov-1'), null);
        assert.equal(await s.messageByProviderId('dev', 'email', 'prov-1'), null);
        assert.equal((await s.messageById('prod', 'm2'))?.id, 'm2');
        assert.equal(await s.messageById('dev', 'm2'), null);
        assert.equal(await s.messageById('prod', 'nope'), null);
      }),
    );

    test(
      'dead letters: newest first, limited, per sandbox; ids increase in batch order',
      withStore(async (s) => {
        const dl = (eventId: string, sandbox = 'prod') => ({
          sandbox,
          eventId,
          eventType: null,
          body: { eventId },
          errors: [{ path: '/', message: 'bad' }],
          receivedAt: 1,
        });
        await s.commit({ deadLetters: [dl('a'), dl('b'), dl('x', 'dev')] });
        await s.commit({ deadLetters: [dl('c')] });
        const all = await s.listDeadLetters('prod', { limit: 10 });
        assert.deepEqual(
          all.map((d) => d.eventId),
          ['c', 'b', 'a'],
        );
        assert.ok(all[0]!.id > all[1]!.id && all[1]!.id > all[2]!.id);
        assert.deepEqual(all[2], {
          id: all[2]!.id,
          sandbox: 'prod',
          eventId: 'a',
          eventType: null,
          body: { eventId: 'a' },
          errors: [{ path: '/', message: 'bad' }],
          receivedAt: 1,
          replayedAt: null,
        });
        assert.deepEqual(
          (await s.listDeadLetters('prod', { limit: 1 })).map((d) => d.eventId),
          ['c'],
        );
        assert.deepEqual(
          (await s.listDeadLetters('dev', { limit: 10 })).map((d) => d.eventId),
          ['x'],
        );
      }),
    );

    test(
      'timeline: entries, exits and errors, timeouts, message outcomes and feedback, by bucket',
      withStore(async (s) => {
        const H = 3_600_000;
        await s.commit({
          instances: [
            {
              sandbox: 'prod',
              state: instance('i1', {
                enteredAt: H + 5,
                path: [{ node: 'w', at: H + 5, left: 2 * H + 1, outcome: 'timeout' }],
              }),
            },
            {
              sandbox: 'prod',
              state: instance('i2', {
                enteredAt: H + 6,
                status: 'exited',
                exitedAt: 2 * H + 2,
                exitReason: 'completed',
              }),
            },
            {
              sandbox: 'prod',
              state: instance('i3', {
                enteredAt: 2 * H,
                status: 'exited',
                exitedAt: 2 * H + 3,
                exitReason: 'error',
              }),
            },
            {
              sandbox: 'prod',
              state: instance('i4', {
                enteredAt: 2 * H,
                status: 'exited',
                exitedAt: 2 * H + 3,
                exitReason: 'instance_timeout',
              }),
            },
            { sandbox: 'prod', state: instance('i5', { enteredAt: 5, journeyId: 'other' }) },
            { sandbox: 'dev', state: instance('i6', { enteredAt: H }) },
          ],
          messages: [
            message('m1', { status: 'sent', createdAt: H + 1 }),
            message('m2', { status: 'sent', createdAt: H + 2 }),
            message('m3', { status: 'excluded', createdAt: 2 * H }),
          ],
          events: [
            event('f1', 'p1', 2 * H + 9, { type: 'message.opened', payload: { journeyId: 'j' } }),
            event('f2', 'p1', 2 * H + 9, { type: 'message.opened', payload: { journeyId: 'k' } }),
          ],
        });
        assert.deepEqual(await s.timeline('prod', 'j', { bucketMs: H, since: H }), [
          { bucket: H, series: 'entered', value: 2 },
          { bucket: H, series: 'message.sent', value: 2 },
          { bucket: 2 * H, series: 'entered', value: 2 },
          { bucket: 2 * H, series: 'errors', value: 1 },
          { bucket: 2 * H, series: 'exited', value: 1 },
          { bucket: 2 * H, series: 'message.excluded', value: 1 },
          { bucket: 2 * H, series: 'message.opened', value: 1 },
          { bucket: 2 * H, series: 'timeouts', value: 1 },
        ]);
        assert.deepEqual(await s.timeline('prod', 'j', { bucketMs: H, since: 3 * H }), []);
      }),
    );

    test(
      'memberships: upsert, reads per profile and per audience with filters and identities, removal of one or all',
      withStore(async (s) => {
        const m = (
          profileId: string,
          audience: string,
          status: 'realized' | 'exited',
          realizedAt: number | null,
          exitedAt: number | null = null,
        ): MembershipRow => ({
          sandbox: 'prod',
          profileId,
          audience,
          status,
          realizedAt,
          exitedAt,
        });
        await s.commit({
          profiles: [
            profile('p1', { identities: [{ namespace: 'Email', id: 'p1@x.example' }] }),
            profile('p2'),
          ],
          memberships: [
            m('p1', 'B', 'realized', 10),
            m('p1', 'A', 'realized', 5),
            m('p2', 'A', 'realized', 20),
            m('p3', 'A', 'exited', 1, 30),
            { ...m('p1', 'A', 'realized', 1), sandbox: 'dev' },
          ],
        });
        assert.deepEqual(await s.profileMemberships('prod', 'p1'), [
          m('p1', 'A', 'realized', 5),
          m('p1', 'B', 'realized', 10),
        ]);
        assert.deepEqual(
          await s.audienceMembers('prod', 'A', { limit: 10 }),
          [
            {
              ...m('p1', 'A', 'realized', 5),
              identities: [{ namespace: 'Email', id: 'p1@x.example' }],
            },
            { ...m('p2', 'A', 'realized', 20), identities: [] },
            { ...m('p3', 'A', 'exited', 1, 30), identities: [] },
          ],
          'a member without a stored profile has no identities',
        );
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { status: 'realized', limit: 10 })).map(
            (r) => r.profileId,
          ),
          ['p1', 'p2'],
        );
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { realizedAfter: 5, limit: 10 })).map(
            (r) => r.profileId,
          ),
          ['p2'],
        );
        assert.deepEqual(
          (
            await s.audienceMembers('prod', 'A', {
              afterProfileId: 'p1',
              status: 'exited',
              limit: 10,
            })
          ).map((r) => r.profileId),
          ['p3'],
        );
        // One partition's members (fleet mode's read-audience shares): p1's partition is its first identity's.
        const p1Partition = partitionOfIdentity('Email', 'p1@x.example');
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { partition: p1Partition, limit: 10 })).map(
            (r) => r.profileId,
          ),
          ['p1'],
        );
        // Every member is in exactly one partition.
        const byPartition: string[] = [];
        for (let p = 0; p < 256; p++)
          for (const r of await s.audienceMembers('prod', 'A', { partition: p, limit: 10 }))
            byPartition.push(r.profileId);
        assert.deepEqual(byPartition.sort(), ['p1', 'p2', 'p3']);
        await s.commit({
          memberships: [
            m('p1', 'A', 'exited', 5, 40),
            m('p2', 'A', 'realized', 20),
            m('p2', 'A', 'exited', 20, 50),
          ],
        });
        assert.deepEqual(await s.audienceSize('prod', 'A'), { realized: 0, exited: 3 });
        await s.commit({
          membershipsRemove: [{ sandbox: 'prod', audience: 'A', profileId: 'p3' }],
        });
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { limit: 10 })).map((r) => r.profileId),
          ['p1', 'p2'],
        );
        await s.commit({
          membershipsRemove: [{ sandbox: 'prod', audience: 'A' }],
          memberships: [m('p9', 'A', 'realized', 60)],
        });
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { limit: 10 })).map((r) => r.profileId),
          ['p9'],
          'removal comes before the upserts of a batch',
        );
        assert.deepEqual(await s.profileMemberships('dev', 'p1'), [
          { ...m('p1', 'A', 'realized', 1), sandbox: 'dev' },
        ]);
        assert.deepEqual(await s.audienceSize('prod', 'none'), { realized: 0, exited: 0 });
      }),
    );

    test(
      'audience jobs: stored, replaced, deleted by a null state (the last write of a batch deciding), listed per sandbox or all',
      withStore(async (s) => {
        await s.commit({
          audienceJobs: [
            { sandbox: 'prod', id: 'b', state: { n: 1 } },
            { sandbox: 'prod', id: 'a', state: { n: 2 } },
            { sandbox: 'dev', id: 'a', state: { n: 3 } },
          ],
        });
        await s.commit({
          audienceJobs: [
            { sandbox: 'prod', id: 'b', state: { n: 4 } },
            { sandbox: 'prod', id: 'a', state: null },
            { sandbox: 'prod', id: 'c', state: null },
            { sandbox: 'prod', id: 'd', state: { n: 5 } },
            { sandbox: 'prod', id: 'd', state: null },
          ],
        });
        assert.deepEqual(await s.audienceJobs('prod'), [
          { sandbox: 'prod', id: 'b', state: { n: 4 } },
        ]);
        assert.deepEqual(await s.audienceJobs(), [
          { sandbox: 'dev', id: 'a', state: { n: 3 } },
          { sandbox: 'prod', id: 'b', state: { n: 4 } },
        ]);
        await s.commit({
          audienceJobs: [
            { sandbox: 'prod', id: 'b', state: null },
            { sandbox: 'prod', id: 'b', state: { n: 6 } },
          ],
        });
        assert.deepEqual(await s.audienceJobs('prod'), [
          { sandbox: 'prod', id: 'b', state: { n: 6 } },
        ]);
      }),
    );

    test(
      'suppressions: stored and replaced per (sandbox, channel, address), removed by a null entry (the last write of a batch deciding), searched and listed newest first',
      withStore(async (s) => {
        const entry = (reason: 'hard_bounce' | 'complaint' | 'manual', createdAt: number) => ({
          reason,
          source: 'sendgrid',
          detail: reason === 'hard_bounce' ? '550 5.1.1' : null,
          createdAt,
        });
        await s.commit({
          suppressions: [
            {
              sandbox: 'prod',
              channel: 'email',
              address: 'a@luma.example',
              entry: entry('manual', 1),
            },
            {
              sandbox: 'prod',
              channel: 'email',
              address: 'a@luma.example',
              entry: entry('hard_bounce', 2),
            },
            {
              sandbox: 'prod',
              channel: 'email',
              address: 'b@luma.example',
              entry: entry('complaint', 3),
            },
            { sandbox: 'prod', channel: 'sms', address: '+14155550100', entry: entry('manual', 4) },
            {
              sandbox: 'dev',
              channel: 'email',
              address: 'a@luma.example',
              entry: entry('manual', 5),
            },
            {
              sandbox: 'prod',
              channel: 'email',
              address: 'gone@luma.example',
              entry: entry('manual', 6),
            },
            { sandbox: 'prod', channel: 'email', address: 'gone@luma.example', entry: null },
          ],
        });
        assert.deepEqual(await s.suppression('prod', 'email', 'a@luma.example'), {
          sandbox: 'prod',
          channel: 'email',
          address: 'a@luma.example',
          reason: 'hard_bounce',
          source: 'sendgrid',
          detail: '550 5.1.1',
          createdAt: 2,
        });
        assert.equal(await s.suppression('prod', 'email', 'gone@luma.example'), null);
        assert.equal(await s.suppression('prod', 'sms', 'a@luma.example'), null);
        const addresses = async (opts: Parameters<Store['listSuppressions']>[1]) =>
          (await s.listSuppressions('prod', opts)).map((r) => r.address);
        assert.deepEqual(await addresses({ limit: 10 }), [
          '+14155550100',
          'b@luma.example',
          'a@luma.example',
        ]);
        assert.deepEqual(await addresses({ limit: 10, channel: 'email' }), [
          'b@luma.example',
          'a@luma.example',
        ]);
        assert.deepEqual(await addresses({ limit: 10, search: 'B@LUMA' }), ['b@luma.example']);
        assert.deepEqual(await addresses({ limit: 1, offset: 1 }), ['b@luma.example']);
        await s.commit({
          suppressions: [
            { sandbox: 'prod', channel: 'email', address: 'a@luma.example', entry: null },
          ],
        });
        assert.equal(await s.suppression('prod', 'email', 'a@luma.example'), null);
        assert.notEqual(await s.suppression('dev', 'email', 'a@luma.example'), null);
      }),
    );

    test(
      'settings: absent is undefined, put replaces, per sandbox',
      withStore(async (s) => {
        assert.equal(await s.getSetting('prod', 'retention'), undefined);
        await s.putSetting('prod', 'retention', { days: 30 });
        await s.putSetting('prod', 'retention', { days: 7 });
        await s.putSetting('prod', 'flag', false);
        assert.deepEqual(await s.getSetting('prod', 'retention'), { days: 7 });
        assert.equal(await s.getSetting('prod', 'flag'), false);
        assert.equal(await s.getSetting('dev', 'retention'), undefined);
      }),
    );

    test(
      'objects: listed in byte order of keys, a revision keeps the creation time',
      withStore(async (s) => {
        for (const key of ['b', 'B', 'a'])
          await s.putObject('prod', 'template', key, { key }, '2026-01-01T00:00:00.000Z');
        const again = await s.putObject(
          'prod',
          'template',
          'a',
          { key: 'a2' },
          '2026-01-03T00:00:00.000Z',
        );
        assert.deepEqual(again, {
          sandbox: 'prod',
          kind: 'template',
          key: 'a',
          body: { key: 'a2' },
          revision: 2,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-03T00:00:00.000Z',
        });
        assert.deepEqual(
          (await s.listObjects('prod', 'template')).map((o) => o.key),
          ['B', 'a', 'b'],
        );
        assert.deepEqual(await s.getObject('prod', 'template', 'a'), again);
      }),
    );

    test(
      'journeys: an upsert replaces status, definition and dates; listJourneys orders by journey then version',
      withStore(async (s) => {
        const def = (name: string) => ({ name, start: 'a', nodes: [] }) as never;
        await s.putJourneyVersion('prod', {
          journeyId: 'k',
          version: 1,
          status: 'live',
          definition: def('k1'),
          createdAt: 'c',
          updatedAt: 'u',
          publishedAt: 'p',
        });
        await s.putJourneyVersion('prod', {
          journeyId: 'j',
          version: 2,
          status: 'draft',
          definition: def('j2'),
          createdAt: 'c',
          updatedAt: 'u',
        });
        await s.putJourneyVersion('prod', {
          journeyId: 'j',
          version: 1,
          status: 'live',
          definition: def('j1'),
          createdAt: 'c',
          updatedAt: 'u',
        });
        await s.putJourneyVersion('prod', {
          journeyId: 'k',
          version: 1,
          status: 'closed',
          definition: def('k1b'),
          createdAt: 'c2',
          updatedAt: 'u2',
          closedAt: 'x',
        });
        assert.deepEqual(
          (await s.listJourneys('prod')).map((v) => `${v.journeyId}:${v.version}`),
          ['j:1', 'j:2', 'k:1'],
        );
        const [k] = await s.getJourneyVersions('prod', 'k');
        assert.deepEqual(
          k,
          {
            journeyId: 'k',
            version: 1,
            status: 'closed',
            definition: def('k1b'),
            createdAt: 'c',
            updatedAt: 'u2',
            revision: 2,
            closedAt: 'x',
          },
          'creation stays; a missing publication date is cleared; the revision counts the writes',
        );
        assert.deepEqual(await s.listJourneys('dev'), []);
      }),
    );

    test(
      'profile merge through commit: history, identities and instances move to the survivor; memberships, audience timer and profile go',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            profile('anon', { identities: [{ namespace: 'Cookie', id: 'c1' }] }),
            profile('known', { identities: [{ namespace: 'Email', id: 'k@x.example' }] }),
            profile('anon', { sandbox: 'dev' }),
          ],
          events: [
            event('e1', 'anon', 1),
            event('e2', 'known', 2),
            event('e3', 'anon', 3, { sandbox: 'dev' }),
          ],
          messages: [message('m1', { profileId: 'anon' })],
          instances: [{ sandbox: 'prod', state: instance('i1', { profileId: 'anon' }) }],
          timersAdd: [audienceTimer('prod', 'anon', 5)],
          memberships: [
            {
              sandbox: 'prod',
              profileId: 'anon',
              audience: 'A',
              status: 'realized',
              realizedAt: 1,
              exitedAt: null,
            },
          ],
        });
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'anon', into: 'known' }] });
        assert.equal(await s.getProfile('prod', 'anon'), null);
        assert.notEqual(await s.getProfile('dev', 'anon'), null, 'other sandboxes untouched');
        assert.equal(await s.findProfileId('prod', 'Cookie', 'c1'), 'known');
        assert.deepEqual(
          (await s.profileEvents('prod', 'known', { types: null, since: null })).map((e) => e.at),
          [1, 2],
        );
        assert.deepEqual(
          (await s.profileEvents('dev', 'anon', { types: null, since: null })).map((e) => e.at),
          [3],
        );
        assert.deepEqual(
          (await s.messages('prod', { profileId: 'known', limit: 10 })).map((m) => m.id),
          ['m1'],
        );
        const [moved] = await s.activeInstances('prod', 'known');
        assert.deepEqual(
          moved,
          instance('i1', { profileId: 'known' }),
          'the state names the survivor too',
        );
        assert.deepEqual(await s.profileMemberships('prod', 'anon'), []);
        assert.equal(await s.nextTimerDue(), null);
      }),
    );

    test(
      'profile merges in one batch apply in order (a chain ends on its last profile)',
      withStore(async (s) => {
        await s.commit({
          profiles: [profile('a'), profile('b'), profile('c')],
          events: [event('e1', 'a', 1), event('e2', 'b', 2)],
        });
        await s.commit({
          profileMerges: [
            { sandbox: 'prod', from: 'a', into: 'b' },
            { sandbox: 'prod', from: 'b', into: 'c' },
          ],
        });
        assert.deepEqual(
          (await s.profileEvents('prod', 'c', { types: null, since: null })).map((e) => e.at),
          [1, 2],
        );
        assert.deepEqual(
          (await s.listProfiles('prod', { limit: 10, offset: 0 })).map((p) => p.id),
          ['c'],
        );
      }),
    );

    test(
      'erasure through commit: the profile and everything keyed by it go, others stay',
      withStore(async (s) => {
        await s.commit({
          profiles: [
            profile('p1', { identities: [{ namespace: 'Email', id: 'p1@x.example' }] }),
            profile('p2', { identities: [{ namespace: 'Email', id: 'p2@x.example' }] }),
          ],
          events: [event('e1', 'p1', 1), event('e2', 'p2', 2)],
          messages: [message('m1'), message('m2', { profileId: 'p2' })],
          instances: [
            { sandbox: 'prod', state: instance('i1') },
            { sandbox: 'prod', state: instance('i2', { profileId: 'p2' }) },
          ],
          timersAdd: [
            instanceTimer('t1', 'prod', 'i1', 1),
            instanceTimer('t2', 'prod', 'i2', 2),
            audienceTimer('prod', 'p1', 3),
          ],
          outboxAdd: [outbox('o1'), outbox('o2', { instanceId: 'i2' })],
          memberships: [
            {
              sandbox: 'prod',
              profileId: 'p1',
              audience: 'A',
              status: 'realized',
              realizedAt: 1,
              exitedAt: null,
            },
            {
              sandbox: 'prod',
              profileId: 'p2',
              audience: 'A',
              status: 'realized',
              realizedAt: 1,
              exitedAt: null,
            },
          ],
        });
        await s.commit({ profileDeletes: [{ sandbox: 'prod', profileId: 'p1' }] });
        assert.equal(await s.getProfile('prod', 'p1'), null);
        assert.equal(await s.findProfileId('prod', 'Email', 'p1@x.example'), null);
        assert.equal(await s.hasEvent('prod', 'e1'), false);
        assert.deepEqual(
          (await s.messages('prod', { limit: 10 })).map((m) => m.id),
          ['m2'],
        );
        assert.equal(await s.getInstance('i1'), null);
        assert.deepEqual(
          (await s.dueTimers(100, 10)).map((t) => t.id),
          ['t2'],
        );
        assert.deepEqual(
          (await s.pendingOutbox(100, 10)).map((o) => o.id),
          ['o2'],
        );
        assert.deepEqual(
          (await s.audienceMembers('prod', 'A', { limit: 10 })).map((m) => m.profileId),
          ['p2'],
        );
        assert.equal(await s.findProfileId('prod', 'Email', 'p2@x.example'), 'p2');
        assert.equal(await s.hasEvent('prod', 'e2'), true);
      }),
    );

    test(
      "purgeVersionRuntime removes one version's instances, timers, effects and counters, nothing else",
      withStore(async (s) => {
        await s.commit({
          instances: [
            { sandbox: 'prod', state: instance('i1') },
            { sandbox: 'prod', state: instance('i2', { status: 'exited', exitedAt: 5 }) },
            { sandbox: 'prod', state: instance('i3', { version: 2 }) },
            { sandbox: 'dev', state: instance('i4') },
          ],
          timersAdd: [
            instanceTimer('t1', 'prod', 'i1', 1),
            instanceTimer('t3', 'prod', 'i3', 3),
            instanceTimer('t4', 'dev', 'i4', 4),
          ],
          outboxAdd: [
            outbox('o1'),
            outbox('o3', { instanceId: 'i3', version: 2 }),
            outbox('o4', { sandbox: 'dev', instanceId: 'i4' }),
          ],
          counters: [
            {
              sandbox: 'prod',
              journeyId: 'j',
              version: 1,
              node: null,
              metric: 'entered',
              delta: 2,
            },
            {
              sandbox: 'prod',
              journeyId: 'j',
              version: 2,
              node: null,
              metric: 'entered',
              delta: 1,
            },
          ],
        });
        assert.equal(await s.purgeVersionRuntime('prod', 'j', 1), 2);
        assert.deepEqual(
          (await s.instances('prod', { limit: 10 })).map((i) => i.id),
          ['i3'],
        );
        assert.deepEqual(
          (await s.dueTimers(100, 10)).map((t) => t.id),
          ['t3', 't4'],
        );
        assert.deepEqual((await s.pendingOutbox(100, 10)).map((o) => o.id).sort(), ['o3', 'o4']);
        assert.deepEqual(
          (await s.counters('prod', 'j')).map((c) => c.version),
          [2],
        );
        assert.equal(await s.purgeVersionRuntime('prod', 'j', 1), 0);
      }),
    );

    test(
      'test runs: trace lines come back per version and per run in the order written, outlive purgeVersionRuntime and go with the profile',
      withStore(async (s) => {
        const line = (
          runId: string,
          version: number,
          at: number,
          entry: unknown,
          profileId = 'p1',
        ) => ({ sandbox: 'prod', runId, journeyId: 'j', version, profileId, at, entry });
        await s.commit({
          testTrace: [
            line('r1', 2, 10, { kind: 'event', n: 1 }),
            line('r2', 2, 11, { kind: 'event', n: 2 }, 'p2'),
            line('r1', 2, 12, JSON.parse('{"kind": "exit", "__proto__": {"k": 1}}')),
          ],
        });
        await s.commit({
          testTrace: [
            line('r1', 2, 13, { kind: 'state' }),
            line('r3', 1, 14, { kind: 'event' }),
            { ...line('r1', 2, 15, {}), sandbox: 'dev' },
          ],
        });
        assert.deepEqual(
          (await s.testTrace('prod', 'j', 2)).map((r) => `${r.runId}@${r.at}`),
          ['r1@10', 'r2@11', 'r1@12', 'r1@13'],
        );
        const run = await s.testRunTrace('prod', 'r1');
        assert.deepEqual(
          run.map((r) => r.entry),
          [
            { kind: 'event', n: 1 },
            JSON.parse('{"kind": "exit", "__proto__": {"k": 1}}'),
            { kind: 'state' },
          ],
        );
        assert.deepEqual(run[0], {
          sandbox: 'prod',
          runId: 'r1',
          journeyId: 'j',
          version: 2,
          profileId: 'p1',
          at: 10,
          entry: { kind: 'event', n: 1 },
        });
        assert.deepEqual(
          (await s.testRunTrace('dev', 'r1')).map((r) => r.at),
          [15],
          'sandboxed',
        );
        await s.purgeVersionRuntime('prod', 'j', 2);
        assert.equal((await s.testTrace('prod', 'j', 2)).length, 4, 'kept after test mode is left');
        await s.commit({
          profiles: [
            {
              sandbox: 'prod',
              id: 'p3',
              attributes: {},
              testProfile: true,
              identities: [],
              createdAt: 'c',
              updatedAt: 'u',
            },
          ],
          testTrace: [line('r4', 2, 16, { kind: 'event' }, 'p3')],
        });
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'p3', into: 'p2' }] });
        assert.deepEqual(
          (await s.testRunTrace('prod', 'r4')).map((r) => r.profileId),
          ['p2'],
          "a stitched profile's runs follow it",
        );
        await s.commit({
          profiles: [
            {
              sandbox: 'prod',
              id: 'p1',
              attributes: {},
              testProfile: true,
              identities: [],
              createdAt: 'c',
              updatedAt: 'u',
            },
          ],
        });
        await s.commit({ profileDeletes: [{ sandbox: 'prod', profileId: 'p1' }] });
        assert.deepEqual(
          (await s.testTrace('prod', 'j', 2)).map((r) => r.runId),
          ['r2', 'r4'],
          'erased with the profile',
        );
        assert.deepEqual(await s.testRunTrace('prod', 'nope'), []);
      }),
    );

    test(
      "partitions: a profile takes its first identity's partition; its timers and outbox items follow it, and move with it when stitched",
      withStore(async (s) => {
        const a = partitionOfIdentity('email', 'ann@example.com');
        let bEmail = 'bob0@example.com';
        for (let n = 1; partitionOfIdentity('email', bEmail) === a; n++)
          bEmail = `bob${n}@example.com`;
        const b = partitionOfIdentity('email', bEmail);
        const profile = (id: string, email: string): ProfileWrite => ({
          sandbox: 'prod',
          id,
          attributes: {},
          testProfile: false,
          identities: [{ namespace: 'email', id: email }],
          createdAt: 't',
          updatedAt: 't',
        });
        await s.commit({
          profiles: [profile('pa', 'ann@example.com'), profile('pb', bEmail)],
          instances: [
            { sandbox: 'prod', state: instance('ia', { profileId: 'pa' }) },
            { sandbox: 'prod', state: instance('ib', { profileId: 'pb' }) },
          ],
          timersAdd: [
            instanceTimer('ta', 'prod', 'ia', 500),
            instanceTimer('tb', 'prod', 'ib', 500),
            instanceTimer('tb2', 'prod', 'ib', 9000),
          ],
          outboxAdd: [outbox('oa', { instanceId: 'ia', nextAttemptAt: 9000 })],
        });
        // A later identity does not move the profile.
        await s.commit({
          profiles: [
            {
              ...profile('pa', 'ann@example.com'),
              identities: [
                { namespace: 'email', id: 'ann@example.com' },
                { namespace: 'crm', id: 'A-1' },
              ],
            },
          ],
        });
        const found = await s.identityPartitions('prod', [
          { namespace: 'email', value: 'ann@example.com' },
          { namespace: 'crm', value: 'A-1' },
          { namespace: 'email', value: bEmail },
          { namespace: 'email', value: 'nobody@example.com' },
        ]);
        assert.deepEqual(Object.fromEntries(found), {
          'email\u0000ann@example.com': a,
          'crm\u0000A-1': a,
          [`email\u0000${bEmail}`]: b,
        });
        const byPartition = (rows: Awaited<ReturnType<Store['partitionBacklog']>>) =>
          Object.fromEntries(
            rows.map((r) => [r.partition, [r.timersDue, r.oldestDueAt, r.outboxPending]]),
          );
        assert.deepEqual(byPartition(await s.partitionBacklog(1000, 100)), {
          [a]: [1, 500, 1],
          [b]: [1, 500, 0],
        });
        // Stitching: pb's instance, timers and outbox move to pa's partition.
        await s.commit({ profileMerges: [{ sandbox: 'prod', from: 'pb', into: 'pa' }] });
        assert.deepEqual(byPartition(await s.partitionBacklog(10_000, 100)), { [a]: [3, 500, 1] });
      }),
    );
    test(
      "landing pages' counters: concurrent counts are all kept, per page, sub-page, metric and sandbox",
      withStore(async (s) => {
        await Promise.all(
          Array.from({ length: 40 }, () => s.countLandingPage('prod', 'prefs', '', 'views')),
        );
        await s.countLandingPage('prod', 'prefs', 'saved', 'views');
        await s.countLandingPage('prod', 'prefs', '', 'conversions');
        await s.countLandingPage('dev', 'prefs', '', 'views');
        await s.countLandingPage('prod', 'other', '', 'views');
        assert.deepEqual(await s.landingPageCounts('prod', 'prefs'), [
          { subPage: '', metric: 'conversions', count: 1 },
          { subPage: '', metric: 'views', count: 40 },
          { subPage: 'saved', metric: 'views', count: 1 },
        ]);
        assert.deepEqual(await s.landingPageCounts('prod', 'nothing'), []);
      }),
    );
  });
}
