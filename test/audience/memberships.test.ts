// Streaming evaluation across audiences: dependency order, cycles, origins, re-qualification.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WaymarkError } from '../../src/errors.ts';
import {
  audienceFromFeedback,
  compileAudience,
  evaluateMemberships,
  stampMemberships,
} from '../../src/audience/index.ts';
import type { CompiledAudience, ProfileSnapshot } from '../../src/audience/index.ts';
import { DAY, T0, compile, rule, snapshot } from './fixtures.ts';

const names = ['Base', 'Mid', 'Top', 'Batchy', 'Uploaded'];
const base = rule(
  { kind: 'attribute', path: 'score', op: 'gte', value: 10 },
  { audiences: names },
  'Base',
);
const mid = rule(
  {
    kind: 'and',
    rules: [
      { kind: 'audience', name: 'Base' },
      { kind: 'attribute', path: 'country', op: 'equals', value: 'FR' },
    ],
  },
  { audiences: names },
  'Mid',
);
const top = rule(
  {
    kind: 'or',
    rules: [
      { kind: 'audience', name: 'Mid' },
      { kind: 'audience', name: 'Uploaded' },
    ],
  },
  { audiences: names },
  'Top',
);

describe('evaluateMemberships', () => {
  test('a chain of audiences of audiences settles in one pass, whatever the input order', () => {
    const p = snapshot({ attributes: { score: 12, country: 'FR' } });
    for (const list of [
      [base, mid, top],
      [top, mid, base],
      [mid, top, base],
    ]) {
      const r = evaluateMemberships(list, p, T0);
      assert.deepEqual(
        r.changes.map((c) => c.audience),
        ['Base', 'Mid', 'Top'],
      );
    }
  });

  test('realized → exited → realized again; exited stays exited; never-members get no entry', () => {
    const audiences = [base, mid, top];
    let p: ProfileSnapshot = snapshot({ attributes: { score: 1 } });
    let r = evaluateMemberships(audiences, p, T0);
    assert.deepEqual(r, { changes: [], memberships: {}, nextCheckAt: null });
    assert.equal(r.memberships, p.memberships, 'unchanged memberships are returned as they came');
    const steps: [Record<string, unknown>, string[]][] = [
      [{ score: 10, country: 'DE' }, ['Base:realized']],
      [{ score: 10, country: 'FR' }, ['Mid:realized', 'Top:realized']],
      [{ score: 9, country: 'FR' }, ['Base:exited', 'Mid:exited', 'Top:exited']],
      [{ score: 0, country: 'FR' }, []],
      [{ score: 99, country: 'FR' }, ['Base:realized', 'Mid:realized', 'Top:realized']],
    ];
    for (const [attributes, expected] of steps) {
      p = { ...p, attributes };
      r = evaluateMemberships(audiences, p, T0);
      assert.deepEqual(
        r.changes.map((c) => `${c.audience}:${c.status}`),
        expected,
        JSON.stringify(attributes),
      );
      p = { ...p, memberships: r.memberships };
    }
  });

  test('batch and uploaded audiences are not changed by streaming, but are read by those that depend on them', () => {
    const batchy = compile({
      name: 'Batchy',
      origin: 'batch',
      definition: { kind: 'attribute', path: 'score', op: 'exists' },
    });
    const uploaded = compile({ name: 'Uploaded', origin: 'uploaded' });
    const p = snapshot({ attributes: { score: 1 }, memberships: { Uploaded: 'realized' } });
    const r = evaluateMemberships([batchy, uploaded, top, mid, base], p, T0);
    assert.deepEqual(r.changes, [{ audience: 'Top', status: 'realized' }]);
    assert.deepEqual(r.memberships, { Uploaded: 'realized', Top: 'realized' });
    assert.equal(uploaded.evaluate(p, T0).member, true);
    assert.equal(
      batchy.evaluate(p, T0).member,
      true,
      'a batch audience still evaluates when asked (evaluateBatch)',
    );
  });

  test('a cycle in the set is a validation error naming it', () => {
    const a = rule({ kind: 'audience', name: 'Y' }, { audiences: ['X', 'Y'] }, 'X');
    const b = rule({ kind: 'audience', name: 'X' }, { audiences: ['X', 'Y'] }, 'Y');
    assert.throws(
      () => evaluateMemberships([a, b], snapshot(), T0),
      (e: unknown) =>
        e instanceof WaymarkError &&
        e.code === 'validation_failed' &&
        e.message === 'audience dependency cycle: "X" → "Y" → "X"',
    );
  });

  test('two audiences with the same name are rejected', () => {
    assert.throws(
      () => evaluateMemberships([base, base], snapshot(), T0),
      /two audiences are named "Base"/,
    );
  });
});

describe('audience from a report', () => {
  test('profiles that clicked a link of a message', () => {
    const audience = audienceFromFeedback({
      name: 'Clicked app link',
      action: 'clicked',
      messageId: 'order-confirmation',
      link: 'https://luma.example/app',
    });
    assert.equal(
      audience.description,
      'Profiles that clicked link https://luma.example/app of message order-confirmation',
    );
    const r = compileAudience(audience, { audiences: [] });
    assert.ok(r.ok);
    assert.deepEqual(r.audience.dependsOn, {
      attributes: false,
      attributePaths: [],
      eventTypes: [],
      feedback: true,
      eventHistoryMs: 0,
      feedbackHistoryMs: null,
      audiences: [],
    });
    const clicked: ProfileSnapshot = snapshot({
      feedback: [
        {
          action: 'clicked',
          at: T0,
          messageId: 'order-confirmation',
          link: 'https://luma.example/app',
        },
      ],
    });
    const opened: ProfileSnapshot = snapshot({
      feedback: [{ action: 'opened', at: T0, messageId: 'order-confirmation' }],
    });
    const all: CompiledAudience[] = [r.audience];
    assert.deepEqual(evaluateMemberships(all, clicked, T0 + DAY).changes, [
      { audience: 'Clicked app link', status: 'realized' },
    ]);
    assert.deepEqual(evaluateMemberships(all, opened, T0 + DAY).changes, []);
  });
});

test('stampMemberships records when a membership was realized and when it exited', () => {
  const a = stampMemberships({}, [{ audience: 'X', status: 'realized' }], 100);
  assert.deepEqual(a, { X: { audience: 'X', status: 'realized', realizedAt: 100 } });
  const b = stampMemberships(
    a,
    [
      { audience: 'X', status: 'exited' },
      { audience: 'Y', status: 'realized' },
    ],
    200,
  );
  assert.deepEqual(b, {
    X: { audience: 'X', status: 'exited', realizedAt: 100, exitedAt: 200 },
    Y: { audience: 'Y', status: 'realized', realizedAt: 200 },
  });
  assert.equal(stampMemberships(b, [], 300), b);
  assert.deepEqual(stampMemberships(b, [{ audience: 'X', status: 'realized' }], 400)['X'], {
    audience: 'X',
    status: 'realized',
    realizedAt: 400,
  });
});
