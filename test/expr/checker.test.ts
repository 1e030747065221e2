// The static checker: one case per error class, asserting the exact message, the position
// (line, column, length) and what was expected and found.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from '../../src/expr/index.ts';
import { LIMITS } from '../../src/expr/parser.ts';
import { lumaScope } from './fixtures/luma.ts';

interface Expected {
  readonly title: string;
  readonly source: string;
  readonly expect?: 'boolean' | 'dateTimeOnly';
  readonly code: string;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly length: number;
  readonly expected?: string;
  readonly found?: string;
}

const CASES: readonly Expected[] = [
  {
    title: 'syntax: unclosed reference',
    source: '@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal',
    code: 'syntax_error',
    message: 'Expected "}", found end of expression',
    line: 1,
    column: 65,
    length: 0,
    expected: '"}"',
    found: 'end of expression',
  },
  {
    title: 'syntax: missing operand',
    source: '1 +',
    code: 'syntax_error',
    message: 'Expected a value, found end of expression',
    line: 1,
    column: 4,
    length: 0,
    expected: 'a value',
    found: 'end of expression',
  },
  {
    title: 'syntax: uppercase operator',
    source: '@event{LumaPurchaseEvent_Email._id} == "x" AND true',
    code: 'syntax_error',
    message:
      'Expected end of expression, found "AND": keywords and operators are lowercase, use "and"',
    line: 1,
    column: 44,
    length: 3,
    expected: 'end of expression',
    found: '"AND"',
  },
  {
    title: 'syntax: single =',
    source: '@event{LumaPurchaseEvent_Email._id} = "x"',
    code: 'syntax_error',
    message: 'Unexpected "=": use "==" to compare',
    line: 1,
    column: 37,
    length: 1,
    expected: '==',
    found: '=',
  },
  {
    title: 'syntax: unterminated string',
    source: '"abc',
    code: 'syntax_error',
    message: 'Unterminated string literal',
    line: 1,
    column: 1,
    length: 4,
    expected: '"',
    found: 'end of expression',
  },
  {
    title: 'syntax: unquoted digit segment',
    source: '#{OpenWeather.weatherData.rain.3h}',
    code: 'syntax_error',
    message:
      'Expected a field name, found "3" (a field name starting with a digit or "-" must be quoted, e.g. \'3h\')',
    line: 1,
    column: 32,
    length: 1,
    expected: 'field name',
    found: '"3"',
  },
  {
    title: 'syntax: if without parentheses',
    source: 'if true then (1) else (2)',
    code: 'syntax_error',
    message:
      'Expected "(" after "if" (the condition and both branches must be in parentheses), found "true"',
    line: 1,
    column: 4,
    length: 4,
    expected: '"(" after "if" (the condition and both branches must be in parentheses)',
    found: '"true"',
  },
  {
    title: 'syntax: bare identifier',
    source: 'price > 3',
    code: 'syntax_error',
    message:
      'Unexpected identifier "price": a field is written @event{Event.field}, #{DataSource.FieldGroup.field} or @action{Action.field}',
    line: 1,
    column: 1,
    length: 5,
    expected: 'a value',
    found: 'price',
  },
  {
    title: 'syntax: unknown method',
    source: '@event{LumaPurchaseEvent_Email.productListItems.size()}',
    code: 'syntax_error',
    message:
      'Unknown method "size": expected one of at, all, first, last, entry, firstEntryKey, keys',
    line: 1,
    column: 49,
    length: 4,
    expected: 'at, all, first, last, entry, firstEntryKey, keys',
    found: 'size',
  },
  {
    title: 'unknown event',
    source: '@event{LumaRefundEvent.amount}',
    code: 'unknown_event',
    message:
      'Unknown event "LumaRefundEvent": known events are LumaCheckoutEvent_Email, LumaPurchaseEvent_Email',
    line: 1,
    column: 8,
    length: 15,
    expected: 'one of LumaCheckoutEvent_Email, LumaPurchaseEvent_Email',
    found: 'LumaRefundEvent',
  },
  {
    title: 'unknown action',
    source: '@action{Loyalty.points}',
    code: 'unknown_action',
    message: 'Unknown action "Loyalty": known actions are LoyaltyService',
    line: 1,
    column: 9,
    length: 7,
    expected: 'one of LoyaltyService',
    found: 'Loyalty',
  },
  {
    title: 'unknown field',
    source: '@event{LumaPurchaseEvent_Email.productListItems.at(0).price}',
    code: 'unknown_field',
    message:
      'Unknown field "price" in event LumaPurchaseEvent_Email at productListItems.at(0); known fields: SKU, name, quantity, priceTotal, currencyCode',
    line: 1,
    column: 55,
    length: 5,
    expected: 'one of SKU, name, quantity, priceTotal, currencyCode',
    found: 'price',
  },
  {
    title: 'unknown field on a second line',
    source: 'true and\n  @event{LumaPurchaseEvent_Email.commerce.order.purchaseId} == "x"',
    code: 'unknown_field',
    message:
      'Unknown field "purchaseId" in event LumaPurchaseEvent_Email at commerce.order; known fields: purchaseID, priceTotal',
    line: 2,
    column: 49,
    length: 10,
    expected: 'one of purchaseID, priceTotal',
    found: 'purchaseId',
  },
  {
    title: 'field of a primitive',
    source: '@event{LumaPurchaseEvent_Email._id.value}',
    code: 'unknown_field',
    message: 'Cannot read field "value" of _id: it is string, not an object',
    line: 1,
    column: 36,
    length: 5,
    expected: 'object',
    found: 'string',
  },
  {
    title: 'unknown profile field',
    source: '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.middleName}',
    code: 'unknown_field',
    message:
      'Unknown field "middleName" in the profile at person.name; known fields: firstName, lastName',
    line: 1,
    column: 60,
    length: 10,
    expected: 'one of firstName, lastName',
    found: 'middleName',
  },
  {
    title: 'unknown action response field',
    source: '@action{LoyaltyService.balance} > 10',
    code: 'unknown_field',
    message:
      'Unknown field "balance" in the response of action LoyaltyService; known fields: points, status, tier, rewards',
    line: 1,
    column: 24,
    length: 7,
    expected: 'one of points, status, tier, rewards',
    found: 'balance',
  },
  {
    title: 'unknown function (case)',
    source: 'inaudience("Luma - Gold Members")',
    code: 'unknown_function',
    message:
      'Unknown function "inaudience": function names are case-sensitive, did you mean "inAudience"?',
    line: 1,
    column: 1,
    length: 10,
    expected: 'inAudience',
    found: 'inaudience',
  },
  {
    title: 'unknown function (spelling)',
    source: 'startsWith("a", "b")',
    code: 'unknown_function',
    message: 'Unknown function "startsWith": did you mean "startWith"?',
    line: 1,
    column: 1,
    length: 10,
    expected: 'startWith',
    found: 'startsWith',
  },
  {
    title: 'unknown audience',
    source: 'inAudience("Luma - Platinum")',
    code: 'unknown_audience',
    message: 'Unknown audience "Luma - Platinum"',
    line: 1,
    column: 12,
    length: 17,
    expected: 'a known audience name',
    found: 'Luma - Platinum',
  },
  {
    title: 'argument count',
    source: 'substr("abc")',
    code: 'wrong_argument_count',
    message:
      'Wrong number of arguments for substr: found 1; expected substr(string: string, beginIndex: integer, [endIndex: integer]): string',
    line: 1,
    column: 1,
    length: 13,
    expected: 'substr(string: string, beginIndex: integer, [endIndex: integer]): string',
    found: '1 argument',
  },
  {
    title: 'argument type',
    source: 'length(42)',
    code: 'wrong_argument_type',
    message:
      'Argument 1 (string) of length must be string, found integer; expected length(string: string): integer',
    line: 1,
    column: 8,
    length: 2,
    expected: 'string',
    found: 'integer',
  },
  {
    title: 'argument type (index)',
    source: '@event{LumaPurchaseEvent_Email.productListItems.at("0")}',
    code: 'wrong_argument_type',
    message: 'at() takes an integer index, found string',
    line: 1,
    column: 52,
    length: 3,
    expected: 'integer',
    found: 'string',
  },
  {
    title: 'not constant',
    source: 'inAudience(#{ExperiencePlatform.ProfileFieldGroup.profile.homeAddress.city})',
    code: 'not_constant',
    message: 'Argument 1 (audienceName) of inAudience must be a constant string',
    line: 1,
    column: 12,
    length: 64,
    expected: 'constant string',
    found: 'expression',
  },
  {
    title: 'invalid constant argument',
    source: 'nowWithDelta(1, "fortnights")',
    code: 'invalid_argument',
    message:
      'Unknown date part "fortnights": expected one of years, months, days, hours, minutes, seconds',
    line: 1,
    column: 17,
    length: 12,
  },
  {
    title: 'comparison of incomparable types',
    source: '@event{LumaPurchaseEvent_Email.commerce.order.priceTotal} > "100"',
    code: 'type_mismatch',
    message:
      'Cannot compare decimal with string using ">": only dateTime with dateTime, dateTimeOnly with dateTimeOnly, or numbers with numbers',
    line: 1,
    column: 59,
    length: 1,
    expected: 'both numbers, both dateTime or both dateTimeOnly',
    found: 'decimal > string',
  },
  {
    title: 'multiplication of integer by decimal',
    source: '@event{LumaPurchaseEvent_Email.productListItems.at(0).quantity} * 1.5',
    code: 'type_mismatch',
    message:
      'Both operands of "*" must have the same type (integer or decimal), found integer * decimal; e.g. write 3.0 * 4.0, not 3 * 4.0',
    line: 1,
    column: 65,
    length: 1,
    expected: 'integer * integer',
    found: 'integer * decimal',
  },
  {
    title: 'non-boolean condition',
    source: '@event{LumaPurchaseEvent_Email.commerce.order.purchaseID}',
    expect: 'boolean',
    code: 'wrong_result_type',
    message: 'A condition must be boolean, found string',
    line: 1,
    column: 1,
    length: 57,
    expected: 'boolean',
    found: 'string',
  },
  {
    title: 'custom wait not a date',
    source: '@event{LumaPurchaseEvent_Email.commerce.order.priceTotal}',
    expect: 'dateTimeOnly',
    code: 'wrong_result_type',
    message: 'A custom wait must be a dateTimeOnly (or dateTime), found decimal',
    line: 1,
    column: 1,
    length: 57,
    expected: 'dateTimeOnly',
    found: 'decimal',
  },
  {
    title: 'default of another type',
    source: '@event{LumaPurchaseEvent_Email.commerce.order.priceTotal, defaultValue: "none"}',
    code: 'invalid_default',
    message: "The default value must have the field's type: expected decimal, found string",
    line: 1,
    column: 73,
    length: 6,
    expected: 'decimal',
    found: 'string',
  },
  {
    title: 'function operand of + without parentheses',
    source: '"Total: " + toString(1)',
    code: 'parentheses_required',
    message: 'A function call used as an operand of "+" must be in parentheses: (toString(1))',
    line: 1,
    column: 13,
    length: 11,
    expected: '(function call)',
    found: 'function call',
  },
  {
    title: 'wrong loop variable',
    source: '@event{LumaPurchaseEvent_Email.productListItems.all(currentActionField.quantity > 1)}',
    code: 'invalid_current_field',
    message:
      'Use currentEventField here, not currentActionField: currentEventField iterates event collections, currentActionField action responses, currentDataPackField data sources',
    line: 1,
    column: 53,
    length: 18,
    expected: 'currentEventField',
    found: 'currentActionField',
  },
  {
    title: 'loop variable outside a collection',
    source: 'currentEventField.quantity > 1',
    code: 'invalid_current_field',
    message: 'currentEventField can only be used inside the condition of all(), first() or last()',
    line: 1,
    column: 1,
    length: 17,
  },
  {
    title: 'if branches of different types',
    source: 'if (inAudience("Luma - Gold Members")) then ("gold") else (1)',
    code: 'type_mismatch',
    message: 'The branches of "if" must have the same type: "then" is string, "else" is integer',
    line: 1,
    column: 60,
    length: 1,
    expected: 'string',
    found: 'integer',
  },
  {
    title: 'heterogeneous list',
    source: '["a", 1]',
    code: 'type_mismatch',
    message: 'A list holds values of one type: found integer after string',
    line: 1,
    column: 7,
    length: 1,
    expected: 'string',
    found: 'integer',
  },
];

describe('static checker diagnostics', () => {
  for (const c of CASES) {
    test(`${c.code}: ${c.title}`, () => {
      const r = compileExpression(c.source, lumaScope, c.expect ? { expect: c.expect } : {});
      assert.equal(r.ok, false);
      if (r.ok) return;
      const d = r.diagnostics[0];
      assert.ok(d);
      assert.equal(d.code, c.code);
      assert.equal(d.message, c.message);
      assert.deepEqual([d.line, d.column, d.length], [c.line, c.column, c.length]);
      assert.equal(d.expected, c.expected);
      assert.equal(d.found, c.found);
      // the offset points into the source at the reported line and column
      const before = c.source.slice(0, d.offset).split('\n');
      assert.equal(before.length, d.line);
      assert.equal((before[before.length - 1] ?? '').length + 1, d.column);
    });
  }

  test('too_long: the source length is limited', () => {
    const r = compileExpression('1+'.repeat(LIMITS.maxLength), lumaScope);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.diagnostics[0]?.code, 'too_long');
    assert.equal(
      r.diagnostics[0]?.message,
      `Expression too long: ${2 * LIMITS.maxLength} characters (limit ${LIMITS.maxLength})`,
    );
  });

  test('too_deep: nesting is limited', () => {
    for (const source of [
      '('.repeat(200) + '1' + ')'.repeat(200),
      'not '.repeat(200) + 'true',
      '-'.repeat(200) + '1',
      '['.repeat(200) + ']'.repeat(200),
    ]) {
      const r = compileExpression(source, lumaScope);
      assert.equal(r.ok, false, source.slice(0, 20));
      if (r.ok) return;
      assert.equal(r.diagnostics[0]?.code, 'too_deep');
      assert.equal(
        r.diagnostics[0]?.message,
        `Expression nested too deeply (more than ${LIMITS.maxDepth} levels)`,
      );
    }
  });

  test('too_many_audiences: at most 100 audiences in one expression', () => {
    const names = Array.from({ length: 101 }, (_, i) => `A${i}`);
    const ok = compileExpression(
      names
        .slice(0, 100)
        .map((n) => `inAudience("${n}")`)
        .join(' or '),
      { ...lumaScope, audiences: names },
    );
    assert.ok(ok.ok);
    const r = compileExpression(names.map((n) => `inAudience("${n}")`).join(' or '), {
      ...lumaScope,
      audiences: names,
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.diagnostics[0]?.code, 'too_many_audiences');
    assert.equal(r.diagnostics[0]?.message, 'An expression can use at most 100 audiences');
  });

  test('several independent errors are all reported', () => {
    const r = compileExpression(
      '@event{LumaPurchaseEvent_Email.nope} == 1 and @action{LoyaltyService.nada} > 2',
      lumaScope,
    );
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.found]),
      [
        ['unknown_field', 'nope'],
        ['unknown_field', 'nada'],
      ],
    );
  });

  test('types are inferred from the schemas', () => {
    const types: Array<[string, string]> = [
      ['@event{LumaPurchaseEvent_Email.productListItems}', 'listObject'],
      ['@event{LumaPurchaseEvent_Email.productListItems.priceTotal}', 'listDecimal'],
      ['@event{LumaPurchaseEvent_Email.productListItems.at(0).quantity}', 'integer'],
      ['@event{LumaPurchaseEvent_Email.timestamp}', 'dateTime'],
      ['#{ExperiencePlatform.ProfileFieldGroup.profile.person.birthDate}', 'dateOnly'],
      ["@event{LumaPurchaseEvent_Email.identityMap.entry('Email')}", 'listObject'],
      ['@event{LumaPurchaseEvent_Email.identityMap.keys()}', 'listString'],
      ['@action{LoyaltyService.rewards.value}', 'listDecimal'],
      ['sum(@event{LumaPurchaseEvent_Email.productListItems.quantity})', 'integer'],
      ['@event{LumaPurchaseEvent_Email.productListItems.at(0).quantity} * 2', 'integer'],
      ['@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal} + 1', 'decimal'],
    ];
    for (const [source, type] of types) {
      const r = compileExpression(source, lumaScope);
      assert.ok(r.ok, source);
      if (r.ok) assert.equal(r.expression.type, type, source);
    }
  });
});
