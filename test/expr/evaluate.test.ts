// Run-time semantics: nulls, 64-bit integers, dates in zones, custom waits, run-time errors with a
// position, bounded work (linear-time regular expressions, work budget) and purity.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, toEpochMillis, toJson } from '../../src/expr/index.ts';
import type { EvaluationContext, ExprValue, SchemaScope } from '../../src/expr/index.ts';
import { openScope } from '../../src/expr/context-input.ts';
import { lumaContext, lumaScope } from './fixtures/luma.ts';

const base: EvaluationContext = {
  events: {},
  profile: {},
  actions: {},
  audiences: {},
  now: Date.UTC(2024, 0, 15, 12),
  random: () => 0.5,
};

function value(
  source: string,
  ctx: EvaluationContext = base,
  scope: SchemaScope = openScope(),
): ExprValue {
  const r = compileExpression(source, scope);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
  const out = r.expression.evaluate(ctx);
  assert.ok(out.ok, out.ok ? '' : JSON.stringify(out.error));
  return out.value;
}
const json = (source: string, ctx?: EvaluationContext, scope?: SchemaScope): unknown =>
  toJson(value(source, ctx, scope));

function evalError(source: string, ctx: EvaluationContext = base) {
  const r = compileExpression(source, openScope());
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
  const out = r.expression.evaluate(ctx);
  assert.equal(out.ok, false, `expected an error from ${source}`);
  return out.ok ? undefined : out.error;
}

describe('nulls', () => {
  const ctx = { ...base, events: { E: { a: null, list: [1, null, 3], s: 'x' } } };
  test('missing fields are null and propagate through arithmetic', () => {
    assert.equal(json('@event{E.missing}', ctx), null);
    assert.equal(json('@event{E.missing.deeper.still}', ctx), null);
    assert.equal(json('@event{E.missing} + 1', ctx), null);
    assert.equal(json('"a" + @event{E.missing}', ctx), null);
  });
  test('comparisons with null are false, equality of two nulls is true', () => {
    assert.equal(json('@event{E.missing} > 1', ctx), false);
    assert.equal(json('@event{E.missing} == 1', ctx), false);
    assert.equal(json('@event{E.missing} != 1', ctx), true);
    assert.equal(json('@event{E.a} == @event{E.missing}', ctx), true);
  });
  test('logical operators read null as false', () => {
    assert.equal(json('@event{E.missing} or true', ctx), true);
    assert.equal(json('@event{E.missing} and true', ctx), false);
  });
  test('aggregations skip nulls', () => {
    assert.equal(json('sum(@event{E.list})', ctx), 4);
    assert.equal(json('count(@event{E.list})', ctx), 2);
    assert.equal(json('countWithNull(@event{E.list})', ctx), 3);
    assert.equal(json('@event{E.list} has null', ctx), true);
  });
  test('"" is not null', () => {
    assert.equal(json('"" is null'), false);
  });
});

describe('numbers', () => {
  test('64-bit integers overflow like the JVM and print exactly', () => {
    assert.equal(json('9223372036854775807'), '9223372036854775807');
    assert.equal(json('9007199254740993 * 1'), '9007199254740993');
    assert.equal(json('4611686018427387904 * 2'), '-9223372036854775808');
    assert.equal(json('-9223372036854775808 - 1'), '9223372036854775807');
    assert.equal(json('9007199254740993 > 9007199254740992'), true);
  });
  test('integer division truncates; division and modulo by zero give 0', () => {
    assert.equal(json('7 / 2'), 3);
    assert.equal(json('-7 / 2'), -3);
    assert.equal(json('7.0 / 2'), 3.5);
    assert.equal(json('7 % 0'), 0);
    assert.equal(json('7 / 0'), 0);
  });
  test('decimals print like Java doubles in strings', () => {
    assert.equal(json('"x" + 3.0'), 'x3.0');
    assert.equal(json('toString(1.0E10)'), '1.0E10');
    assert.equal(json('"n=" + 42'), 'n=42');
  });
});

describe('dates and custom waits', () => {
  test('a dateTimeOnly wait is read in the journey time zone', () => {
    const v = value('toDateTimeOnly("2024-03-31T09:00:00")');
    assert.equal(toEpochMillis(v, 'Europe/Paris'), Date.UTC(2024, 2, 31, 7));
    assert.equal(toEpochMillis(v, 'America/New_York'), Date.UTC(2024, 2, 31, 13));
    assert.equal(
      toEpochMillis(value('toDateTime("2024-03-31T09:00:00+01:00")'), 'Asia/Tokyo'),
      Date.UTC(2024, 2, 31, 8),
    );
    assert.equal(toEpochMillis('x', 'UTC'), null);
  });
  test('a typical custom wait: tomorrow at 20:00 in the journey time zone', () => {
    const r = compileExpression(
      'setHours(toDateTimeOnly(nowWithDelta(1, "days", "Europe/Paris")), 20)',
      openScope(),
      { expect: 'dateTimeOnly' },
    );
    assert.ok(r.ok);
    if (!r.ok) return;
    const out = r.expression.evaluate(base);
    assert.ok(out.ok);
    if (out.ok) assert.equal(toEpochMillis(out.value, 'Europe/Paris'), Date.UTC(2024, 0, 16, 19));
  });
  test('nowWithDelta across a DST change keeps the wall-clock time for days', () => {
    const ctx = { ...base, now: Date.UTC(2024, 2, 30, 10) };
    assert.equal(json('nowWithDelta(1, "days", "Europe/Paris")', ctx), '2024-03-31T11:00:00+02:00');
    assert.equal(
      json('nowWithDelta(24, "hours", "Europe/Paris")', ctx),
      '2024-03-31T12:00:00+02:00',
    );
  });
  test('months clamp to the end of the month', () => {
    const ctx = { ...base, now: Date.UTC(2024, 0, 31, 8) };
    assert.equal(json('nowWithDelta(1, "months")', ctx), '2024-02-29T08:00:00Z');
  });
  test('event timestamps typed date-time by the schema are dateTimes', () => {
    assert.equal(
      json('inLastHours(@event{LumaPurchaseEvent_Email.timestamp}, 1)', lumaContext, lumaScope),
      true,
    );
    assert.equal(
      json(
        'toString(updateTimeZone(@event{LumaPurchaseEvent_Email.timestamp}, "Europe/Paris"))',
        lumaContext,
        lumaScope,
      ),
      '2024-05-14T11:30:00+02:00',
    );
  });
  test('now() reads the injected clock, random() and uuid() the seeded source', () => {
    assert.equal(json('currentTimeInMillis()', { ...base, now: 42 }), 42);
    let i = 0;
    const seq = [0.1, 0.9];
    assert.equal(json('random()', { ...base, random: () => seq[i++ % 2] ?? 0 }), 0.1);
    assert.equal(
      json('uuid()', { ...base, random: () => 0 }),
      '00000000-0000-4000-8000-000000000000',
    );
  });
});

describe('run-time errors carry a position', () => {
  test('conversion of a malformed number', () => {
    const e = evalError('1 + (toInteger(@event{E.code}))', {
      ...base,
      events: { E: { code: 'abc' } },
    });
    assert.deepEqual(e, {
      code: 'conversion_error',
      message: 'Cannot convert "abc" to an integer',
      line: 1,
      column: 6,
    });
  });
  test('a dynamic pattern that is not a valid regular expression', () => {
    const e = evalError('matchRegExp("abc", @event{E.p})', { ...base, events: { E: { p: '(a' } } });
    assert.equal(e?.code, 'invalid_argument');
    assert.match(e?.message ?? '', /^Invalid regular expression "\(a": /);
  });
  test('comparing values of incomparable run-time types', () => {
    const e = evalError('@event{E.a} < @event{E.b}', { ...base, events: { E: { a: 'x', b: 1 } } });
    assert.deepEqual(e, {
      code: 'type_error',
      message: 'Cannot compare string with integer using "<"',
      line: 1,
      column: 13,
    });
  });
});

describe('bounded work', () => {
  test('catastrophic-backtracking patterns run in linear time (RE2)', () => {
    const ctx = { ...base, events: { E: { s: `${'a'.repeat(50_000)}!` } } };
    assert.equal(json('matchRegExp(@event{E.s}, "(a+)+$")', ctx), false);
    assert.equal(json('matchRegExp(@event{E.s}, "(a|aa)*b")', ctx), false);
  });
  test('backreferences and lookaround are rejected with a clear message', () => {
    const r = compileExpression('matchRegExp("aa", "(a)\\\\1")', openScope());
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.match(
        r.diagnostics[0]?.message ?? '',
        /backreferences and lookaround are not supported/,
      );
  });
  test('huge payload lists exhaust the work budget with an error, not a hang', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ v: i }));
    const ctx = { ...base, events: { E: { list: big } }, workBudget: 100_000 };
    const e = evalError(
      'count(@event{E.list.all(currentEventField.v > 0).all(currentEventField.v > 1).all(currentEventField.v > 2).all(currentEventField.v > 3).all(currentEventField.v > 4).all(currentEventField.v > 5).v})',
      ctx,
    );
    assert.equal(e?.code, 'too_much_work');
  });
  test('the default budget allows large but sane lists', () => {
    const list = Array.from({ length: 50_000 }, (_, i) => ({ v: i }));
    assert.equal(
      json('count(@event{E.list.all(currentEventField.v >= 25000).v})', {
        ...base,
        events: { E: { list } },
      }),
      25_000,
    );
  });
  test('prototype keys are not reachable through paths', () => {
    const ctx = { ...base, events: { E: { a: 1 } } };
    assert.equal(json("@event{E.'__proto__'}", ctx), null);
    assert.equal(json('@event{E.constructor}', ctx), null);
    assert.equal(json("@event{E.entry('toString')}", ctx), null);
  });
});

describe('compiled once, evaluated many times', () => {
  test('the same compiled expression gives independent results for different contexts', () => {
    const r = compileExpression(
      '@event{LumaPurchaseEvent_Email.productListItems.all(currentEventField.quantity > 1).SKU}',
      lumaScope,
    );
    assert.ok(r.ok);
    if (!r.ok) return;
    const a = r.expression.evaluate(lumaContext);
    const other = {
      ...lumaContext,
      events: { LumaPurchaseEvent_Email: { productListItems: [{ SKU: 'Z', quantity: 5 }] } },
    };
    const b = r.expression.evaluate(other);
    assert.deepEqual(a.ok && toJson(a.value), ['WJ12-S-Blue']);
    assert.deepEqual(b.ok && toJson(b.value), ['Z']);
    assert.deepEqual(r.expression.references, {
      events: ['LumaPurchaseEvent_Email'],
      actions: [],
      audiences: [],
    });
  });
  test('constant subtrees are folded, context reads are not', () => {
    const r = compileExpression(
      '(now()) + (toDuration("PT1H")) > toDateTime("2024-01-01T00:00:00Z") and inAudience("A") and round(2.5) == 3',
      openScope(),
    );
    assert.ok(r.ok);
    if (!r.ok) return;
    const at = (now: number, status: 'realized' | 'exited') => {
      const out = r.expression.evaluate({ ...base, now, audiences: { A: status } });
      return out.ok ? out.value : out.error;
    };
    assert.equal(at(Date.UTC(2024, 0, 2), 'realized'), true);
    assert.equal(at(Date.UTC(2023, 0, 2), 'realized'), false);
    assert.equal(at(Date.UTC(2024, 0, 2), 'exited'), false);
  });
  test('a constant subtree that fails still fails at run time, with its position', () => {
    const e = evalError('true and (toInteger("x") > 1)');
    assert.deepEqual(e, {
      code: 'conversion_error',
      message: 'Cannot convert "x" to an integer',
      line: 1,
      column: 11,
    });
  });

  test('nested collection conditions see their own loop variable', () => {
    const ctx = {
      ...base,
      events: {
        E: {
          orders: [
            { id: 1, lines: [{ q: 1 }, { q: 3 }] },
            { id: 2, lines: [{ q: 1 }] },
          ],
        },
      },
    };
    assert.deepEqual(
      json(
        '@event{E.orders.all(count(currentEventField.lines.all(currentEventField.q > 2)) > 0).id}',
        ctx,
      ),
      [1],
    );
  });
});
