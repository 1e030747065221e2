// Property-based tests: no input crashes or hangs the parser, checker, compiler or evaluator;
// every failure is a typed diagnostic or outcome with a position; integer arithmetic agrees with a
// 64-bit reference model.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileExpression, completeExpression, toJson } from '../../src/expr/index.ts';
import type { Diagnostic, EvaluationContext } from '../../src/expr/index.ts';
import { openScope } from '../../src/expr/context-input.ts';
import { CASES } from './conformance/cases.ts';
import { docsContext, docsScope } from './conformance/docs-context.ts';
import { lumaContext, lumaScope } from './fixtures/luma.ts';

const SEED = 20_240_514;

function checkDiagnostics(source: string, diagnostics: readonly Diagnostic[]): void {
  assert.ok(diagnostics.length > 0);
  for (const d of diagnostics) {
    assert.equal(typeof d.code, 'string');
    assert.ok(d.message.length > 0);
    assert.ok(
      d.offset >= 0 && d.offset <= source.length,
      `offset ${d.offset} outside ${source.length}`,
    );
    assert.ok(d.line >= 1 && d.column >= 1);
    assert.ok(d.length >= 0);
  }
}

/** Compiles and, when it compiles, evaluates: must never throw. */
function exercise(source: string, scope = docsScope, ctx: EvaluationContext = docsContext()): void {
  const r = compileExpression(source, scope);
  if (!r.ok) {
    checkDiagnostics(source, r.diagnostics);
    return;
  }
  const out = r.expression.evaluate(ctx);
  if (out.ok) {
    JSON.stringify(toJson(out.value));
  } else {
    assert.ok(out.error.message.length > 0);
    assert.ok(out.error.line >= 1 && out.error.column >= 1);
  }
}

const tokens = [
  '@event{',
  '@{',
  '@action{',
  '#{',
  '}',
  '{',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  ':',
  '"a"',
  "'b'",
  '1',
  '2.5',
  '-',
  '+',
  '*',
  '/',
  '%',
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'and',
  'or',
  'not',
  'is',
  'null',
  'has',
  'true',
  'false',
  'if',
  'then',
  'else',
  'numeric',
  'currentEventField',
  'defaultValue',
  'params',
  'at(0)',
  'all(',
  'first(',
  'entry(',
  'keys()',
  'count(',
  'inAudience(',
  'toDateTime(',
  'now()',
  'split(',
  'LobbyBeacon',
  'OrderEvent',
  'orderId',
  '_experience',
  'ExperiencePlatform',
  'ProfileFieldGroup',
  'profile',
  ' ',
  '\n',
  '\u0000',
  'é',
  '😀',
  '\\',
  "'3h'",
];

describe('fuzz', () => {
  test('random text never crashes the parser or checker', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        exercise(s);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  test('random token soups never crash, and diagnostics point into the source', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...tokens), { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        exercise(s);
        completeExpression(s, s.length, docsScope);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  test('mutations of the documented expressions never crash', () => {
    const sources = CASES.map((c) => c.expr);
    const mutation = fc.tuple(
      fc.constantFrom(...sources),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom('insert', 'delete', 'replace', 'swap'),
          fc.constantFrom(...tokens),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    );
    fc.assert(
      fc.property(mutation, ([source, edits]) => {
        let s = source;
        for (const [at, kind, token] of edits) {
          const i = s.length === 0 ? 0 : at % s.length;
          if (kind === 'insert') s = s.slice(0, i) + token + s.slice(i);
          else if (kind === 'delete') s = s.slice(0, i) + s.slice(i + 1 + (at % 3));
          else if (kind === 'replace') s = s.slice(0, i) + token + s.slice(i + token.length);
          else s = s.slice(i) + s.slice(0, i);
        }
        exercise(s);
        completeExpression(s, at0(edits) % (s.length + 1), docsScope);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  test('documented expressions evaluate against random payloads without crashing', () => {
    const payload = fc.jsonValue({ maxDepth: 4 });
    const sources = CASES.filter((c) => !c.invalid).map((c) => c.expr);
    fc.assert(
      fc.property(fc.constantFrom(...sources), payload, payload, (source, a, b) => {
        const base = docsContext();
        const ctx: EvaluationContext = {
          ...base,
          events: {
            ...base.events,
            LobbyBeacon: a,
            OrderEvent: a,
            BarBeacon: b,
            MyEvent: b,
            myevent: a,
          },
          profile: b,
          dataSources: { ACP: { Profile: a } },
        };
        exercise(source, openScope(['men over 50']), ctx);
        exercise(source, docsScope, ctx);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  test('the lab expressions survive any payload', () => {
    const sources = [
      '@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.email}',
      '@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}',
      'sum(@event{LumaPurchaseEvent_Email.productListItems.priceTotal}) > 100',
      '@event{LumaPurchaseEvent_Email.productListItems.all(currentEventField.quantity > 1).SKU}',
      'inLastDays(@event{LumaPurchaseEvent_Email.timestamp}, 1)',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.jsonValue({ maxDepth: 5 }), (source, payload) => {
        exercise(source, lumaScope, {
          ...lumaContext,
          events: { LumaPurchaseEvent_Email: payload },
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  test('deeply nested and very long inputs are rejected with a limit error, quickly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 65, max: 5000 }),
        fc.constantFrom('(', '[', 'not ', '-', 'count(', '@event{E.a.all('),
        (n, open) => {
          const r = compileExpression(open.repeat(n) + '1', openScope());
          assert.equal(r.ok, false);
          if (!r.ok)
            assert.ok(
              ['too_deep', 'too_long', 'syntax_error'].includes(r.diagnostics[0]?.code ?? ''),
              JSON.stringify(r.diagnostics[0]),
            );
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});

// ---- integer arithmetic against a 64-bit reference model ------------------------------------------

type Arith = { readonly text: string; readonly value: bigint };
const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const lit = fc
  .bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n })
  .map((v): Arith => ({ text: v < 0n ? `(${v})` : `${v}`, value: v }));
const small = fc
  .integer({ min: -1000, max: 1000 })
  .map((v): Arith => ({ text: v < 0 ? `(${v})` : `${v}`, value: BigInt(v) }));
const arith: fc.Arbitrary<Arith> = fc.letrec<{ e: Arith }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    lit,
    small,
    fc
      .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%'), tie('e'))
      .map(([a, op, b]): Arith => {
        let value: bigint;
        switch (op) {
          case '+':
            value = wrap(a.value + b.value);
            break;
          case '-':
            value = wrap(a.value - b.value);
            break;
          case '*':
            value = wrap(a.value * b.value);
            break;
          case '/':
            value = b.value === 0n ? 0n : wrap(a.value / b.value);
            break;
          default:
            value = b.value === 0n ? 0n : wrap(a.value % b.value);
        }
        return { text: `(${a.text} ${op} ${b.text})`, value };
      }),
  ),
})).e;

describe('integer arithmetic', () => {
  test("matches 64-bit two's complement arithmetic with truncating division and x/0 = 0", () => {
    fc.assert(
      fc.property(arith, (e) => {
        const r = compileExpression(e.text, openScope());
        assert.ok(r.ok, r.ok ? '' : `${e.text}: ${JSON.stringify(r.diagnostics)}`);
        if (!r.ok) return;
        assert.equal(r.expression.type, 'integer');
        const out = r.expression.evaluate(docsContext());
        assert.ok(out.ok);
        if (!out.ok) return;
        const got = out.value;
        assert.ok(typeof got === 'number' || typeof got === 'bigint');
        assert.equal(BigInt(got as number | bigint), e.value, e.text);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

function at0(edits: ReadonlyArray<readonly [number, string, string]>): number {
  return edits[0]?.[0] ?? 0;
}
