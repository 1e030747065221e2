// Property tests: and/or/not obey boolean algebra on every profile, and changesAt is sound (the
// answer never changes before it, and never changes at all when it is null).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AudienceRule } from '../../src/model/audience.ts';
import { evaluateMemberships } from '../../src/audience/index.ts';
import type { ProfileSnapshot } from '../../src/audience/index.ts';
import { DAY, T0, rule } from './fixtures.ts';

const HOUR = 3_600_000;
const known = { audiences: ['B', 'C'] };

const leaf: fc.Arbitrary<AudienceRule> = fc.oneof(
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constantFrom('tier', 'age', 'app.installed', 'missing'),
    op: fc.constantFrom('exists' as const, 'notExists' as const, 'isTrue' as const),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constantFrom('tier', 'age'),
    op: fc.constantFrom('equals' as const, 'gt' as const, 'lte' as const),
    value: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constant('tier'),
    op: fc.constant('in' as const),
    value: fc.constant(['blue', 'gold']),
  }),
  fc
    .record({
      kind: fc.constant('event' as const),
      eventType: fc.constantFrom('Buy', 'Open'),
      count: fc.record({
        op: fc.constantFrom('atLeast' as const, 'atMost' as const, 'exactly' as const),
        value: fc.integer({ min: 0, max: 3 }),
      }),
      within: fc.option(
        fc.record({ amount: fc.integer({ min: 1, max: 48 }), unit: fc.constant('hours' as const) }),
        { nil: undefined },
      ),
    })
    .map((r) =>
      r.within === undefined ? { kind: r.kind, eventType: r.eventType, count: r.count } : r,
    ),
  fc.record({
    kind: fc.constant('feedback' as const),
    action: fc.constantFrom('opened' as const, 'clicked' as const),
    within: fc.record({
      amount: fc.integer({ min: 1, max: 3 }),
      unit: fc.constant('days' as const),
    }),
  }),
  fc.record({ kind: fc.constant('audience' as const), name: fc.constantFrom('B', 'C') }),
);

const tree: fc.Arbitrary<AudienceRule> = fc.letrec<{ r: AudienceRule }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('not' as const), rule: tie('r') }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      rules: fc.array(tie('r'), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).r;

const profile: fc.Arbitrary<ProfileSnapshot> = fc.record({
  attributes: fc.record(
    {
      tier: fc.constantFrom('blue', 'gold', 1, 2),
      age: fc.integer({ min: 0, max: 3 }),
      app: fc.record({ installed: fc.boolean() }),
    },
    { requiredKeys: [] },
  ),
  events: fc
    .array(
      fc.record({
        type: fc.constantFrom('Buy', 'Open'),
        at: fc.integer({ min: T0 - 72 * HOUR, max: T0 + 2 * HOUR }),
        payload: fc.constant({}),
      }),
      { maxLength: 6 },
    )
    .map((es) => [...es].sort((a, b) => a.at - b.at)),
  feedback: fc.array(
    fc.record({
      action: fc.constantFrom('opened' as const, 'clicked' as const),
      at: fc.integer({ min: T0 - 4 * DAY, max: T0 }),
      messageId: fc.constant('m1'),
    }),
    { maxLength: 3 },
  ),
  memberships: fc.record(
    {
      B: fc.constantFrom('realized' as const, 'exited' as const),
      C: fc.constantFrom('realized' as const, 'exited' as const),
    },
    { requiredKeys: [] },
  ),
});

const member = (r: AudienceRule, p: ProfileSnapshot, now = T0): boolean =>
  rule(r, known).evaluate(p, now).member;
const not = (r: AudienceRule): AudienceRule => ({ kind: 'not', rule: r });
const and = (...rules: AudienceRule[]): AudienceRule => ({ kind: 'and', rules });
const or = (...rules: AudienceRule[]): AudienceRule => ({ kind: 'or', rules });

describe('boolean laws', () => {
  const runs = { numRuns: 300 };

  test('not(not x) is x, with the same changesAt', () => {
    fc.assert(
      fc.property(tree, profile, (x, p) => {
        assert.deepEqual(rule(not(not(x)), known).evaluate(p, T0), rule(x, known).evaluate(p, T0));
      }),
      runs,
    );
  });

  test('De Morgan', () => {
    fc.assert(
      fc.property(tree, tree, profile, (x, y, p) => {
        assert.equal(member(not(and(x, y)), p), member(or(not(x), not(y)), p));
        assert.equal(member(not(or(x, y)), p), member(and(not(x), not(y)), p));
      }),
      runs,
    );
  });

  test('commutativity, idempotence, absorption, distributivity', () => {
    fc.assert(
      fc.property(tree, tree, tree, profile, (x, y, z, p) => {
        const v = member(x, p);
        assert.equal(member(and(x, y), p), member(and(y, x), p));
        assert.equal(member(or(x, y), p), member(or(y, x), p));
        assert.equal(member(and(x, x), p), v);
        assert.equal(member(or(x, x), p), v);
        assert.equal(member(and(x, or(x, y)), p), v);
        assert.equal(member(or(x, and(x, y)), p), v);
        assert.equal(member(and(x, or(y, z)), p), member(or(and(x, y), and(x, z)), p));
        assert.equal(member(and(x, not(x)), p), false);
        assert.equal(member(or(x, not(x)), p), true);
      }),
      runs,
    );
  });

  test('and/or agree with the members of their children', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 4 }), profile, (xs, p) => {
        const vs = xs.map((x) => member(x, p));
        assert.equal(member(and(...xs), p), vs.every(Boolean));
        assert.equal(member(or(...xs), p), vs.some(Boolean));
      }),
      runs,
    );
  });
});

describe('changesAt is sound', () => {
  test('the answer does not change before changesAt, and never when it is null', () => {
    fc.assert(
      fc.property(
        tree,
        profile,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }),
        (x, p, fractions) => {
          const a = rule(x, known);
          const { member: now, changesAt } = a.evaluate(p, T0);
          const horizon = changesAt ?? T0 + 10 * DAY;
          assert.ok(changesAt === null || changesAt > T0, 'changesAt is after now');
          for (const f of fractions) {
            const t = T0 + Math.floor(f * (horizon - T0 - 1));
            assert.equal(a.evaluate(p, t).member, now, `at ${t - T0} ms after now`);
          }
          if (changesAt !== null) assert.equal(a.evaluate(p, changesAt - 1).member, now);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('for a single windowed rule, changesAt is exact: the answer flips there', () => {
    fc.assert(
      fc.property(
        leaf.filter((l) => l.kind === 'event' || l.kind === 'feedback'),
        profile,
        (x, p) => {
          const a = rule(x, known);
          const { member: now, changesAt } = a.evaluate(p, T0);
          if (changesAt !== null) assert.notEqual(a.evaluate(p, changesAt).member, now);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('evaluateMemberships settles in one pass', () => {
  // Audience i may read audiences j < i: a random DAG, given to evaluateMemberships shuffled.
  const dag = fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.tuple(
      fc.array(
        fc.tuple(
          leaf.filter((l) => l.kind !== 'audience'),
          fc.array(fc.nat(), { maxLength: 2 }),
          fc.constantFrom('and' as const, 'or' as const),
          fc.boolean(),
        ),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.nat(), { minLength: n, maxLength: n }),
    ),
  );

  test('every streaming audience agrees with the memberships it returns (a fixpoint), whatever the order', () => {
    fc.assert(
      fc.property(dag, profile, ([specs, order], p) => {
        const names = specs.map((_, i) => `S${i}`);
        const compiled = specs.map(([base, refs, kind, negate], i) => {
          const deps: AudienceRule[] =
            i === 0
              ? []
              : refs.map((r) => ({
                  kind: 'audience',
                  name: `S${r % i}`,
                  ...(negate ? { status: 'exited' as const } : {}),
                }));
          return rule(
            deps.length === 0 ? base : { kind, rules: [base, ...deps] },
            { audiences: names },
            `S${i}`,
          );
        });
        const shuffled = compiled
          .map((c, i) => ({ c, k: order[i] ?? 0 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.c);
        const start: ProfileSnapshot = { ...p, memberships: {} };
        const r = evaluateMemberships(shuffled, start, T0);
        for (const a of compiled) {
          const member = a.evaluate({ ...start, memberships: r.memberships }, T0).member;
          assert.equal(r.memberships[a.name] === 'realized', member, a.name);
        }
        // A second pass with the result changes nothing.
        assert.deepEqual(
          evaluateMemberships(shuffled, { ...start, memberships: r.memberships }, T0).changes,
          [],
        );
      }),
      { numRuns: 300 },
    );
  });
});
