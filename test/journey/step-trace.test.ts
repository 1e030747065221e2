// The pure step function's trace (test mode as a debugger): what happened at each activity, returned
// as data beside the effects, in test mode only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileJourney,
  step,
  type CompiledJourney,
  type StepEnv,
} from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';

const schema = {
  type: 'object',
  properties: { email: { type: 'string' }, total: { type: 'number' } },
};

function journey(def: Omit<JourneyDefinitionInput, 'name'>, test: boolean): CompiledJourney {
  const r = compileJourney(
    'j',
    1,
    journeyDefinitionSchema.parse({ name: 'J', testMode: { waitSeconds: 5 }, ...def }),
    {
      events: { A: { schema, namespace: 'Email' }, B: { schema, namespace: 'Email' } },
      actions: { Act: { parameters: ['total'], requiredParameters: [] } },
    },
    { test },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.journey;
}

const env = (now: number): StepEnv => ({ now, profile: { tier: 'gold' }, audiences: {} });

const lab = (test: boolean) =>
  journey(
    {
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['b'] },
        {
          id: 'b',
          kind: 'event',
          event: 'B',
          next: ['act'],
          timeout: { duration: 'PT1M', next: ['c'] },
        },
        {
          id: 'c',
          kind: 'condition',
          paths: [
            { label: 'Big', expression: '@event{A.total} > 100', next: ['x'] },
            { label: 'Gold', expression: '@event{A.total} >= 10', next: ['m'] },
            { label: 'Never', expression: 'false', next: ['x'] },
          ],
          otherwise: { label: 'Others', next: ['x'] },
        },
        {
          id: 'm',
          kind: 'sms',
          label: 'Reminder',
          configuration: 'Sms',
          content: { text: 'hi' },
          next: [],
        },
        {
          id: 'act',
          kind: 'action',
          action: 'Act',
          parameters: { total: '@event{B.total}' },
          next: [],
        },
        { id: 'x', kind: 'end' },
      ],
    },
    test,
  );

describe('step trace', () => {
  test('in test mode: the entry event with its payload, the shortened timeout, the condition with each expression and value, the message, the exit', () => {
    const j = lab(true);
    const entered = step(
      j,
      null,
      {
        kind: 'enter',
        instanceId: 'i1',
        profileId: 'p1',
        event: { name: 'A', payload: { email: 'a@b.c', total: 10 } },
      },
      env(1000),
    );
    assert.deepEqual(entered.trace, [
      { kind: 'event', node: 'a', event: 'A', payload: { email: 'a@b.c', total: 10 }, entry: true },
      {
        kind: 'timer',
        node: 'b',
        reason: 'timeout',
        dueAt: 6000,
        configured: 'PT1M',
        shortened: true,
      },
    ]);
    const fired = step(j, entered.instance, { kind: 'timer', timerId: 'i1:1' }, env(6000));
    assert.deepEqual(fired.trace, [
      { kind: 'timerFired', node: 'b', reason: 'timeout' },
      {
        kind: 'condition',
        node: 'c',
        mode: 'expression',
        taken: 'Gold',
        paths: [
          { label: 'Big', expression: '@event{A.total} > 100', value: false },
          { label: 'Gold', expression: '@event{A.total} >= 10', value: true },
          { label: 'Never', expression: 'false' },
        ],
      },
      { kind: 'message', node: 'm', messageId: 'i1:2', channel: 'sms', label: 'Reminder' },
      { kind: 'exit', reason: 'completed' },
    ]);
  });

  test('in test mode: a resuming event and the action call with its evaluated parameters', () => {
    const j = lab(true);
    const s = step(
      j,
      null,
      {
        kind: 'enter',
        instanceId: 'i1',
        profileId: 'p1',
        event: { name: 'A', payload: { total: 1 } },
      },
      env(0),
    ).instance;
    const r = step(j, s, { kind: 'event', event: { name: 'B', payload: { total: 92 } } }, env(10));
    assert.deepEqual(r.trace, [
      { kind: 'event', node: 'b', event: 'B', payload: { total: 92 }, entry: false },
      { kind: 'actionCall', node: 'act', action: 'Act', callId: 'i1:2', parameters: { total: 92 } },
    ]);
    const ignored = step(
      j,
      r.instance,
      { kind: 'event', event: { name: 'A', payload: {} } },
      env(20),
    );
    assert.equal(ignored.trace, undefined, 'an input that does not apply leaves no trace');
  });

  test('outside test mode a step carries no trace, and its state, effects and counters are the same', () => {
    const input = {
      kind: 'enter',
      instanceId: 'i1',
      profileId: 'p1',
      event: { name: 'A', payload: { total: 1 } },
    } as const;
    const live = step(lab(false), null, input, env(0));
    assert.equal(live.trace, undefined);
    assert.equal('trace' in live, false);
    assert.deepEqual(live.counters, step(lab(true), null, input, env(0)).counters);
  });
});
