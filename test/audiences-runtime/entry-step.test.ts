// The pure side of audience entries: step() enters without an event, compile gives the namespace,
// validation names the audience, the namespace and the first activity.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compileJourney,
  step,
  validateJourney,
  type JourneyCatalog,
} from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';

const schema = { type: 'object', properties: { total: { type: 'number' } } };
const catalog: JourneyCatalog = {
  events: { A: { schema, namespace: 'Email' }, P: { schema, namespace: 'Phone' } },
  actions: {},
  audiences: ['Gold', 'Loose'],
  audienceNamespaces: { Gold: 'Email' },
};
const def = (d: Omit<JourneyDefinitionInput, 'name'>) =>
  journeyDefinitionSchema.parse({ name: 'J', ...d });

describe('audience entries in the pure core', () => {
  test('an audience-qualification journey enters without an event and goes straight to its first activity', () => {
    const r = compileJourney(
      'j',
      1,
      def({
        entry: { type: 'audience', audience: 'Gold' },
        start: 'c',
        nodes: [
          {
            id: 'c',
            kind: 'condition',
            paths: [{ label: 'vip', expression: 'inAudience("Gold")', next: ['w'] }],
            otherwise: { next: ['e'] },
          },
          { id: 'w', kind: 'wait', duration: 'PT1H', next: ['e'] },
          { id: 'e', kind: 'end' },
        ],
      }),
      catalog,
    );
    if (!r.ok) assert.fail(JSON.stringify(r.issues));
    assert.equal(r.journey.namespace, 'Email', "the audience's namespace");
    assert.equal(r.journey.entryEvent, '');
    const out = step(
      r.journey,
      null,
      { kind: 'enter', instanceId: 'i', profileId: 'p' },
      { now: 0, profile: {}, audiences: { Gold: 'realized' } },
    );
    assert.deepEqual(
      out.instance.path.map((p) => `${p.node}:${p.outcome ?? ''}`),
      ['c:vip', 'w:'],
    );
    assert.deepEqual(out.effects, [
      { kind: 'scheduleTimer', timerId: 'i:lifetime', dueAt: 91 * 86_400_000 },
      { kind: 'scheduleTimer', timerId: 'i:1', dueAt: 3_600_000 },
    ]);
    assert.deepEqual(out.instance.context, { events: {}, actions: {} });
  });

  test('validation: unknown audience, namespace mismatch, missing namespace, mixed namespaces, bad recurrence', () => {
    const nodes = [{ id: 'e', kind: 'end' as const }];
    const codes = (d: Omit<JourneyDefinitionInput, 'name'>) =>
      validateJourney(def(d), catalog).issues.map((i) => i.code);
    assert.deepEqual(codes({ entry: { type: 'audience', audience: 'Nope' }, start: 'e', nodes }), [
      'unknown_audience',
      'missing_namespace',
    ]);
    assert.deepEqual(
      codes({
        entry: { type: 'audience', audience: 'Gold', namespace: 'Phone' },
        start: 'e',
        nodes,
      }),
      ['namespace_mismatch'],
    );
    assert.deepEqual(codes({ entry: { type: 'audience', audience: 'Loose' }, start: 'e', nodes }), [
      'missing_namespace',
    ]);
    assert.deepEqual(
      codes({
        entry: { type: 'readAudience', audience: 'Gold', namespace: 'Email' },
        start: 'p',
        nodes: [{ id: 'p', kind: 'event', event: 'P', next: ['e'] }, ...nodes],
      }),
      ['mixed_namespaces'],
    );
    assert.deepEqual(
      codes({
        entry: {
          type: 'readAudience',
          audience: 'Gold',
          namespace: 'Email',
          schedule: { kind: 'recurring', every: 'P' },
        },
        start: 'e',
        nodes,
      }),
      ['invalid_duration'],
    );
    assert.deepEqual(
      codes({
        entry: { type: 'readAudience', audience: 'Loose', namespace: 'Phone' },
        start: 'e',
        nodes,
      }),
      [],
    );
    assert.throws(
      () =>
        def({
          entry: { type: 'readAudience', audience: 'Gold', namespace: 'Email', ratePerSecond: 100 },
          start: 'e',
          nodes,
        }),
      /500/,
    );
    assert.deepEqual(
      def({
        entry: { type: 'readAudience', audience: 'Gold', namespace: 'Email' },
        start: 'e',
        nodes,
      }).entry,
      {
        type: 'readAudience',
        audience: 'Gold',
        namespace: 'Email',
        ratePerSecond: 5000,
        incremental: false,
        forceReentranceOnRecurrence: false,
        schedule: { kind: 'once' },
      },
    );
  });
});
