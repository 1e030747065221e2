// The pure step function: inputs in, state and effects out (no store, no clock, no I/O).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileJourney,
  step,
  type CompiledJourney,
  type StepEnv,
} from '../../src/journey/index.ts';
import type { InstanceState } from '../../src/journey/instance.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';

const schema = {
  type: 'object',
  properties: { email: { type: 'string' }, total: { type: 'number' } },
};

function journey(def: Omit<JourneyDefinitionInput, 'name'>): CompiledJourney {
  const r = compileJourney('j', 1, journeyDefinitionSchema.parse({ name: 'J', ...def }), {
    events: {
      A: { schema, namespace: 'Email' },
      B: { schema, namespace: 'Email' },
      C: { schema, namespace: 'Email' },
    },
    actions: {
      Act: {
        parameters: ['total'],
        requiredParameters: [],
        responseSchema: { type: 'object', properties: { tier: { type: 'string' } } },
      },
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.journey;
}

const env = (
  now: number,
  profile: unknown = {},
  audiences: StepEnv['audiences'] = {},
): StepEnv => ({ now, profile, audiences });
const enter = (j: CompiledJourney, now = 0, payload: unknown = { email: 'a@b.c', total: 10 }) =>
  step(
    j,
    null,
    { kind: 'enter', instanceId: 'i1', profileId: 'p1', event: { name: 'A', payload } },
    env(now),
  );

describe('step', () => {
  test('entering listens for the next event with its timeout, and schedules the lifetime timer', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['b'] },
        {
          id: 'b',
          kind: 'event',
          event: 'B',
          next: [],
          timeout: { duration: 'PT1M', next: ['t'] },
        },
        { id: 't', kind: 'end' },
      ],
    });
    const r = enter(j, 1000);
    assert.deepEqual(r.effects, [
      { kind: 'scheduleTimer', timerId: 'i1:lifetime', dueAt: 1000 + 91 * 86_400_000 },
      { kind: 'scheduleTimer', timerId: 'i1:1', dueAt: 61_000 },
    ]);
    assert.deepEqual(r.instance.waiting, {
      kind: 'listening',
      nodes: ['b'],
      since: 1000,
      timer: { id: 'i1:1', dueAt: 61_000, node: 'b', reason: 'timeout' },
    });
    assert.deepEqual(r.counters, [
      { node: null, metric: 'entered' },
      { node: 'a', metric: 'entered' },
      { node: 'a', metric: 'exited' },
      { node: 'b', metric: 'entered' },
    ]);
  });

  test('the awaited event cancels the timeout; an event it does not wait for changes nothing', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['b'] },
        { id: 'b', kind: 'event', event: 'B', next: [], timeout: { duration: 'PT1M', next: [] } },
      ],
    });
    const s = enter(j).instance;
    const ignored = step(j, s, { kind: 'event', event: { name: 'C', payload: {} } }, env(5));
    assert.equal(ignored.applied, false);
    assert.deepEqual(ignored.instance, s);
    const r = step(j, s, { kind: 'event', event: { name: 'B', payload: { total: 3 } } }, env(10));
    assert.deepEqual(r.effects, [
      { kind: 'cancelTimer', timerId: 'i1:1' },
      { kind: 'cancelTimer', timerId: 'i1:lifetime' },
    ]);
    assert.equal(r.instance.status, 'exited');
    assert.equal(r.instance.exitReason, 'completed');
    assert.deepEqual(r.instance.context.events, {
      A: { email: 'a@b.c', total: 10 },
      B: { total: 3 },
    });
  });

  test('a stale timer does nothing; a timeout without a timeout path continues on the event path', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['b'] },
        { id: 'b', kind: 'event', event: 'B', next: ['m'], timeout: { duration: 'PT1M' } },
        { id: 'm', kind: 'sms', configuration: 'Sms', content: { text: 'hi' }, next: [] },
      ],
    });
    const s = enter(j).instance;
    assert.equal(step(j, s, { kind: 'timer', timerId: 'i1:99' }, env(60_000)).applied, false);
    const r = step(j, s, { kind: 'timer', timerId: 'i1:1' }, env(60_000));
    assert.equal(r.effects[0]?.kind, 'sendMessage');
    assert.deepEqual(
      r.instance.path.map((p) => [p.node, p.outcome]),
      [
        ['a', 'A'],
        ['b', 'timeout'],
        ['m', 'sent'],
      ],
    );
    assert.ok(r.counters.some((c) => c.node === 'b' && c.metric === 'timeout'));
  });

  test('parallel events share one timeout; the first event to come wins and the others close', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['b', 'c'] },
        { id: 'b', kind: 'event', event: 'B', next: [], timeout: { duration: 'PT10M', next: [] } },
        { id: 'c', kind: 'event', event: 'C', next: ['x'] },
        { id: 'x', kind: 'end', label: 'C came' },
      ],
    });
    const s = enter(j).instance;
    assert.deepEqual(s.waiting?.kind === 'listening' && s.waiting.nodes, ['b', 'c']);
    const r = step(j, s, { kind: 'event', event: { name: 'C', payload: {} } }, env(5));
    assert.deepEqual(
      r.instance.path.map((p) => [p.node, p.outcome]),
      [
        ['a', 'A'],
        ['b', 'not taken'],
        ['c', 'C'],
        ['x', 'end'],
      ],
    );
  });

  test('parallel waits: the earliest wins, and on equal times the upper path', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['w1', 'w2', 'w3'] },
        { id: 'w1', kind: 'wait', duration: 'PT2H', next: [] },
        { id: 'w2', kind: 'wait', duration: 'PT1H', next: ['e2'] },
        { id: 'w3', kind: 'wait', duration: 3600, next: [] },
        { id: 'e2', kind: 'end' },
      ],
    });
    const s = enter(j).instance;
    assert.equal(s.waiting?.kind === 'listening' && s.waiting.timer?.node, 'w2');
  });

  test('conditions: first matching path wins, else other cases, else the profile exits', () => {
    const def = (otherwise: boolean) =>
      journey({
        start: 'a',
        nodes: [
          { id: 'a', kind: 'event', event: 'A', next: ['c'] },
          {
            id: 'c',
            kind: 'condition',
            paths: [
              { label: 'vip', expression: 'inAudience("VIP")', next: ['e1'] },
              { label: 'big', expression: '@event{A.total} > 100', next: ['e2'] },
            ],
            ...(otherwise ? { otherwise: { label: 'rest', next: ['e3'] } } : {}),
          },
          { id: 'e1', kind: 'end' },
          { id: 'e2', kind: 'end' },
          ...(otherwise ? [{ id: 'e3', kind: 'end' as const }] : []),
        ],
      });
    const outcome = (j: CompiledJourney, total: number, audiences: StepEnv['audiences'] = {}) => {
      const r = step(
        j,
        null,
        {
          kind: 'enter',
          instanceId: 'i',
          profileId: 'p',
          event: { name: 'A', payload: { total } },
        },
        env(0, {}, audiences),
      );
      return [r.instance.path.find((p) => p.node === 'c')?.outcome, r.instance.exitReason];
    };
    assert.deepEqual(outcome(def(true), 500, { VIP: 'realized' }), ['vip', 'completed']);
    assert.deepEqual(outcome(def(true), 500, { VIP: 'exited' }), ['big', 'completed']);
    assert.deepEqual(outcome(def(true), 5), ['rest', 'completed']);
    assert.deepEqual(outcome(def(false), 5), ['no path matched', 'no_path_matched']);
  });

  test('a custom action parks the instance; its answer is kept for expressions downstream; an error takes the error path', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['act'] },
        {
          id: 'act',
          kind: 'action',
          action: 'Act',
          parameters: { total: '@event{A.total} * 2.0' },
          next: ['c'],
          errorPath: { next: ['err'] },
        },
        {
          id: 'c',
          kind: 'condition',
          paths: [{ label: 'gold', expression: '@action{Act.tier} == "gold"', next: [] }],
          otherwise: { next: ['err'] },
        },
        { id: 'err', kind: 'end', label: 'failed' },
      ],
    });
    const parked = enter(j).instance;
    const call = enter(j).effects.find((e) => e.kind === 'callAction');
    assert.deepEqual(call, {
      kind: 'callAction',
      callId: 'i1:1',
      node: 'act',
      action: 'Act',
      parameters: { total: 20 },
      timeoutMs: 30_000,
    });
    const ok = step(
      j,
      parked,
      {
        kind: 'actionResult',
        callId: 'i1:1',
        result: { ok: true, status: 200, body: { tier: 'gold' } },
      },
      env(50),
    );
    assert.equal(ok.instance.path.find((p) => p.node === 'c')?.outcome, 'gold');
    const failed = step(
      j,
      parked,
      {
        kind: 'actionResult',
        callId: 'i1:1',
        result: { ok: false, code: 'timedout', message: 'timed out' },
      },
      env(50),
    );
    assert.deepEqual(
      failed.instance.path.map((p) => [p.node, p.outcome]),
      [
        ['a', 'A'],
        ['act', 'error'],
        ['err', 'end'],
      ],
    );
    assert.equal(failed.instance.lastError?.code, 'timedout');
    assert.deepEqual(failed.instance.context.actions, {
      Act: { jo_status_code: 'timedout', errorResponse: null },
    });
  });

  test('a percentage split is deterministic for an instance and roughly follows the percentages', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['s'] },
        {
          id: 's',
          kind: 'condition',
          mode: 'split',
          paths: [
            { label: 'A', percent: 20, next: [] },
            { label: 'B', percent: 80, next: [] },
          ],
        },
      ],
    });
    const pick = (id: string) =>
      step(
        j,
        null,
        { kind: 'enter', instanceId: id, profileId: id, event: { name: 'A', payload: {} } },
        env(0),
      ).instance.path[1]?.outcome;
    assert.equal(pick('same'), pick('same'));
    const share =
      Array.from({ length: 2000 }, (_, i) => pick(`p${i}`)).filter((o) => o === 'A').length / 2000;
    assert.ok(share > 0.15 && share < 0.25, `share ${share}`);
  });

  test('stop exits at once and cancels the pending timers', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['w'] },
        { id: 'w', kind: 'wait', duration: 'P1D', next: [] },
      ],
    });
    const s: InstanceState = enter(j).instance;
    const r = step(j, s, { kind: 'stop' }, env(10));
    assert.deepEqual(r.effects, [
      { kind: 'cancelTimer', timerId: 'i1:1' },
      { kind: 'cancelTimer', timerId: 'i1:lifetime' },
    ]);
    assert.equal(r.instance.exitReason, 'journey_stopped');
  });
});
