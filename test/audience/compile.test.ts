// Validation of definitions: clear errors with a path, what was expected and what came.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributeProjection,
  compileAudience,
  readsEventType,
  snapshotNeeds,
} from '../../src/audience/index.ts';
import type { CompiledAudience } from '../../src/audience/index.ts';
import type { Audience } from '../../src/model/audience.ts';

function issues(
  audience: unknown,
  known: Parameters<typeof compileAudience>[1] = { audiences: [] },
): unknown {
  const r = compileAudience(audience as Audience, known);
  assert.equal(r.ok, false);
  return !r.ok && r.issues;
}

describe('compileAudience validation', () => {
  test('an operator that needs a value says so, with the path', () => {
    assert.deepEqual(
      issues({
        name: 'A',
        origin: 'streaming',
        definition: { kind: 'and', rules: [{ kind: 'attribute', path: 'age', op: 'gt' }] },
      }),
      [
        {
          path: 'definition.rules[0].value',
          message: '"gt" compares numbers with numbers and dates with dates',
          expected: 'a number or an ISO 8601 date',
          received: 'nothing',
        },
      ],
    );
  });

  test('a unary operator takes no value; between needs an ordered pair', () => {
    assert.deepEqual(
      issues({
        name: 'A',
        origin: 'streaming',
        definition: {
          kind: 'or',
          rules: [
            { kind: 'attribute', path: 'x', op: 'exists', value: 1 },
            { kind: 'attribute', path: 'x', op: 'between', value: [5, 1] },
            { kind: 'attribute', path: 'x', op: 'between', value: [1, '2026-01-01'] },
            { kind: 'attribute', path: 'x', op: 'in', value: [] },
          ],
        },
      }),
      [
        {
          path: 'definition.rules[0].value',
          message: '"exists" takes no value',
          expected: 'no value',
          received: 'number 1',
        },
        {
          path: 'definition.rules[1].value',
          message: '"between" needs low <= high',
          expected: '[low, high] with low <= high',
          received: 'a list',
        },
        {
          path: 'definition.rules[2].value',
          message: '"between" needs [low, high], two numbers or two dates',
          expected: '[low, high]',
          received: 'a list',
        },
        {
          path: 'definition.rules[3].value',
          message: '"in" needs a non-empty list of values',
          expected: 'a list of strings, numbers or booleans',
          received: 'a list',
        },
      ],
    );
  });

  test('shape errors come from the schema with their path', () => {
    const r = issues({
      name: 'A',
      origin: 'streaming',
      definition: {
        kind: 'and',
        rules: [{ kind: 'attribute', path: 'a..b', op: 'equals', value: 1 }, { kind: 'nope' }],
      },
    }) as { path: string }[];
    assert.deepEqual(
      r.map((i) => i.path),
      ['definition.rules[0].path', 'definition.rules[1].kind'],
    );
    const top = issues({ name: '', origin: 'live', definition: { kind: 'not' } }) as {
      path: string;
    }[];
    assert.deepEqual(
      top.map((i) => i.path),
      ['name', 'origin', 'definition.rule'],
      'all fields are reported at once',
    );
  });

  test('unknown audiences and event types are named', () => {
    assert.deepEqual(
      issues(
        {
          name: 'A',
          origin: 'streaming',
          definition: {
            kind: 'and',
            rules: [
              { kind: 'audience', name: 'Ghosts' },
              { kind: 'event', eventType: 'Purchase', count: { op: 'atLeast', value: 1 } },
            ],
          },
        },
        { audiences: ['A', 'B'], eventTypes: ['LumaPurchaseEvent'] },
      ),
      [
        {
          path: 'definition.rules[0].name',
          message: 'unknown audience "Ghosts"',
          expected: 'the name of an audience of this sandbox',
          received: '"Ghosts"',
        },
        {
          path: 'definition.rules[1].eventType',
          message: 'unknown event type "Purchase"',
          expected: 'one of LumaPurchaseEvent',
          received: '"Purchase"',
        },
      ],
    );
  });

  test('an audience cannot read its own membership', () => {
    assert.deepEqual(
      issues(
        {
          name: 'A',
          origin: 'streaming',
          definition: { kind: 'not', rule: { kind: 'audience', name: 'A' } },
        },
        { audiences: ['A'] },
      ),
      [
        {
          path: 'definition.rule.name',
          message: 'audience "A" cannot be defined by its own membership',
          received: '"A"',
        },
      ],
    );
  });

  test('a dependency cycle through existing audiences is rejected and spelled out', () => {
    const known = { audiences: ['A', 'B', 'C'], dependencies: { B: ['C'], C: ['A'] } };
    assert.deepEqual(
      issues(
        { name: 'A', origin: 'streaming', definition: { kind: 'audience', name: 'B' } },
        known,
      ),
      [
        {
          path: 'definition',
          message: 'audience dependency cycle: "A" → "B" → "C" → "A"',
          expected: 'audiences of audiences without cycles',
        },
      ],
    );
    // Without the back edge it compiles, and reports what it reads.
    const ok = compileAudience(
      { name: 'A', origin: 'streaming', definition: { kind: 'audience', name: 'B' } },
      { audiences: ['A', 'B', 'C'], dependencies: { B: ['C'] } },
    );
    assert.ok(ok.ok);
    assert.deepEqual(ok.audience.dependsOn, {
      attributes: false,
      attributePaths: [],
      eventTypes: [],
      feedback: false,
      eventHistoryMs: 0,
      feedbackHistoryMs: 0,
      audiences: ['B'],
    });
  });

  test('origins: streaming and batch need a definition, uploaded has none', () => {
    assert.deepEqual(issues({ name: 'A', origin: 'batch' }), [
      {
        path: 'definition',
        message: 'a batch audience needs a definition',
        expected: 'a rule ({ kind: … }) or { text: … }',
        received: 'nothing',
      },
    ]);
    assert.deepEqual(
      issues({
        name: 'A',
        origin: 'uploaded',
        definition: { kind: 'attribute', path: 'x', op: 'exists' },
      }),
      [
        {
          path: 'definition',
          message: 'an uploaded audience has no definition: its members come from files',
          expected: 'nothing',
          received: 'an object',
        },
      ],
    );
  });

  test('dependsOn lists what the definition reads', () => {
    const r = compileAudience(
      {
        name: 'A',
        origin: 'streaming',
        definition: {
          kind: 'or',
          rules: [
            { kind: 'event', eventType: 'b', count: { op: 'atLeast', value: 1 } },
            {
              kind: 'event',
              eventType: 'a',
              where: [{ kind: 'attribute', path: 'sku', op: 'exists' }],
              count: { op: 'atLeast', value: 1 },
            },
            { kind: 'feedback', action: 'clicked' },
            { kind: 'attribute', path: 'x', op: 'exists' },
            { kind: 'audience', name: 'B' },
          ],
        },
      },
      { audiences: ['B'] },
    );
    assert.ok(r.ok);
    assert.deepEqual(r.audience.dependsOn, {
      attributes: true,
      attributePaths: [['x']],
      eventTypes: ['a', 'b'],
      feedback: true,
      eventHistoryMs: null,
      feedbackHistoryMs: null,
      audiences: ['B'],
    });
    assert.equal(r.audience.timed, true);
  });
});

describe('snapshotNeeds', () => {
  test('the event types and the longest window the audiences read', () => {
    const compiled = (definition: Audience['definition'], name: string): CompiledAudience => {
      const r = compileAudience({ name, origin: 'streaming', definition }, { audiences: [] });
      assert.ok(r.ok);
      return r.audience;
    };
    const a = compiled(
      {
        kind: 'event',
        eventType: 'Open',
        count: { op: 'atLeast', value: 1 },
        within: { amount: 7, unit: 'days' },
      },
      'A',
    );
    const b = compiled(
      {
        kind: 'and',
        rules: [
          {
            kind: 'event',
            eventType: 'Buy',
            count: { op: 'atLeast', value: 1 },
            within: { amount: 30, unit: 'days' },
          },
          { kind: 'feedback', action: 'clicked', within: { amount: 2, unit: 'hours' } },
        ],
      },
      'B',
    );
    const c = compiled(
      { kind: 'event', eventType: 'Signup', count: { op: 'atLeast', value: 1 } },
      'C',
    );
    const d = compiled({ kind: 'attribute', path: 'x', op: 'exists' }, 'D');
    assert.deepEqual(snapshotNeeds([a, b, d]), {
      attributes: true,
      eventTypes: ['Buy', 'Open'],
      eventHistoryMs: 30 * 86_400_000,
      feedback: true,
      feedbackHistoryMs: 2 * 3_600_000,
    });
    assert.deepEqual(snapshotNeeds([a, c]), {
      attributes: false,
      eventTypes: ['Open', 'Signup'],
      eventHistoryMs: null,
      feedback: false,
      feedbackHistoryMs: 0,
    });
    assert.deepEqual(snapshotNeeds([d]), {
      attributes: true,
      eventTypes: [],
      eventHistoryMs: 0,
      feedback: false,
      feedbackHistoryMs: 0,
    });
    const e = compiled(
      {
        kind: 'and',
        rules: [
          { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'blue' },
          { kind: 'attribute', path: 'loyalty', op: 'exists' },
          { kind: 'attribute', path: 'devices.0.os', op: 'equals', value: 'ios' },
          { kind: 'attribute', path: 'odd."key.x', op: 'exists' },
        ],
      },
      'E',
    );
    assert.deepEqual(
      attributeProjection([e, d, a]),
      [['loyalty'], ['devices'], ['odd'], ['x']],
      'subtrees cut before list indexes and unquotable keys, none under another, none for event rules',
    );
    assert.deepEqual(attributeProjection([a, c]), [], 'no attribute read: nothing to read');
    assert.equal(
      attributeProjection([compiled({ kind: 'attribute', path: '0.x', op: 'exists' }, 'F')]),
      null,
      'a path that cannot be cut to a key reads everything',
    );
    assert.equal(readsEventType([a, d], 'Open'), true);
    assert.equal(readsEventType([a, d], 'PageView'), false);
  });
});

test('deeply nested input is refused before it is walked recursively', () => {
  let definition: unknown = { kind: 'attribute', path: 'x', op: 'exists' };
  for (let i = 0; i < 100_000; i++) definition = { kind: 'not', rule: definition };
  assert.deepEqual(issues({ name: 'A', origin: 'streaming', definition }), [
    {
      path: 'definition',
      message: 'rules are nested more than 32 levels deep',
      expected: 'at most 32 levels of and/or/not',
    },
  ]);
  let ok: unknown = { kind: 'attribute', path: 'x', op: 'exists' };
  for (let i = 0; i < 31; i++) ok = { kind: 'and', rules: [ok] };
  assert.equal(
    compileAudience(
      { name: 'A', origin: 'streaming', definition: ok as Audience['definition'] },
      { audiences: [] },
    ).ok,
    true,
  );
});
