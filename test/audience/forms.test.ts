// The two forms agree: a JSON rule tree and its translation to the journey expression language
// give the same membership on well-typed profiles (missing values included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AudienceRule } from '../../src/model/audience.ts';
import type { ProfileSnapshot } from '../../src/audience/index.ts';
import { T0, compile, snapshot } from './fixtures.ts';

const P = '#{ExperiencePlatform.ProfileFieldGroup.profile';

const leaf: fc.Arbitrary<AudienceRule> = fc.oneof(
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constant('tier'),
    op: fc.constantFrom('equals' as const, 'notEquals' as const),
    value: fc.constantFrom('blue', 'gold'),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constantFrom('tier', 'age', 'app.installed'),
    op: fc.constantFrom('exists' as const, 'notExists' as const),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constant('age'),
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    value: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    path: fc.constant('app.installed'),
    op: fc.constantFrom('isTrue' as const, 'isFalse' as const),
  }),
  fc.record({ kind: fc.constant('audience' as const), name: fc.constantFrom('B', 'C') }),
);
const tree = fc.letrec<{ r: AudienceRule }>((tie) => ({
  r: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.record({ kind: fc.constant('not' as const), rule: tie('r') }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      rules: fc.array(tie('r'), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).r;

const ops = { equals: '==', notEquals: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function toText(r: AudienceRule): string {
  switch (r.kind) {
    case 'and':
    case 'or':
      return r.rules.map((x) => `(${toText(x)})`).join(` ${r.kind} `);
    case 'not':
      return `not (${toText(r.rule)})`;
    case 'audience':
      return `inAudience("${r.name}")`;
    case 'attribute': {
      const ref = `${P}.${r.path}}`;
      switch (r.op) {
        case 'exists':
          return `${ref} is not null`;
        case 'notExists':
          return `${ref} is null`;
        case 'isTrue':
          return `${ref} == true`;
        case 'isFalse':
          return `${ref} == false`;
        case 'equals':
        case 'notEquals':
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          return `${ref} ${ops[r.op]} ${JSON.stringify(r.value)}`;
        default:
          throw new Error(`no translation for ${r.op}`);
      }
    }
    default:
      throw new Error(`no translation for ${r.kind}`);
  }
}

const profile: fc.Arbitrary<ProfileSnapshot> = fc
  .record({
    attributes: fc.record(
      {
        tier: fc.constantFrom('blue', 'gold', 'silver'),
        age: fc.integer({ min: 0, max: 3 }),
        app: fc.record({ installed: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    memberships: fc.record(
      {
        B: fc.constantFrom('realized' as const, 'exited' as const),
        C: fc.constantFrom('realized' as const, 'exited' as const),
      },
      { requiredKeys: [] },
    ),
  })
  .map((p) => snapshot(p));

test('JSON rules and their text translation agree', () => {
  const known = { audiences: ['A', 'B', 'C'] };
  fc.assert(
    fc.property(tree, fc.array(profile, { minLength: 1, maxLength: 5 }), (r, ps) => {
      const json = compile({ name: 'A', origin: 'streaming', definition: r }, known);
      const text = compile(
        { name: 'A', origin: 'streaming', definition: { text: toText(r) } },
        known,
      );
      assert.deepEqual(text.dependsOn.audiences, json.dependsOn.audiences);
      for (const p of ps)
        assert.equal(
          text.evaluate(p, T0).member,
          json.evaluate(p, T0).member,
          `${toText(r)} on ${JSON.stringify(p.attributes)} ${JSON.stringify(p.memberships)}`,
        );
    }),
    { numRuns: 300 },
  );
});
