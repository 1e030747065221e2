// Editor completions at a cursor.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { completeExpression } from '../../src/expr/index.ts';
import { lumaScope } from './fixtures/luma.ts';

const labels = (source: string, cursor = source.length): string[] =>
  completeExpression(source, cursor, lumaScope).map((c) => c.label);

describe('completions', () => {
  test('event, action and data source names after an opener', () => {
    assert.deepEqual(labels('@event{'), ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email']);
    assert.deepEqual(labels('@event{LumaP'), ['LumaPurchaseEvent_Email']);
    assert.deepEqual(labels('@{LumaC'), ['LumaCheckoutEvent_Email']);
    assert.deepEqual(labels('@action{'), ['LoyaltyService']);
    assert.deepEqual(labels('#{'), ['ExperiencePlatform']);
    assert.deepEqual(labels('#{ExperiencePlatform.'), ['ProfileFieldGroup']);
    assert.deepEqual(labels('#{ExperiencePlatform.ProfileFieldGroup.'), ['profile']);
  });

  test('fields along the path, through lists, with list and map methods', () => {
    assert.deepEqual(labels('@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.'), [
      'email',
      'ecid',
    ]);
    assert.deepEqual(labels('@event{LumaPurchaseEvent_Email.productListItems.'), [
      'at',
      'all',
      'first',
      'last',
      'SKU',
      'name',
      'quantity',
      'priceTotal',
      'currencyCode',
    ]);
    assert.deepEqual(labels('@event{LumaPurchaseEvent_Email.productListItems.at(0).q'), [
      'quantity',
    ]);
    assert.deepEqual(labels('@event{LumaPurchaseEvent_Email.identityMap.'), [
      'entry',
      'firstEntryKey',
      'keys',
    ]);
    assert.deepEqual(labels("@event{LumaPurchaseEvent_Email.identityMap.entry('Email').first()."), [
      'id',
      'primary',
    ]);
    assert.deepEqual(labels('#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.'), [
      'firstName',
      'lastName',
    ]);
    assert.deepEqual(labels('@action{LoyaltyService.rewards.first().'), ['code', 'value']);
  });

  test('the loop variable resolves to the list element inside a condition', () => {
    assert.deepEqual(
      labels('count(@event{LumaPurchaseEvent_Email.productListItems.all(currentEventField.'),
      ['SKU', 'name', 'quantity', 'priceTotal', 'currencyCode'],
    );
    assert.ok(
      labels('@event{LumaPurchaseEvent_Email.productListItems.all(curr').includes(
        'currentEventField',
      ),
    );
  });

  test('audience names inside inAudience("...")', () => {
    const c = completeExpression('inAudience("gold', 16, lumaScope);
    assert.deepEqual(
      c.map((x) => [x.label, x.from]),
      [['Luma - Gold Members', 12]],
    );
  });

  test('functions with signatures, keywords and reference openers elsewhere', () => {
    const source = '@event{LumaPurchaseEvent_Email._id} is not null and conta';
    const c = completeExpression(source, source.length, lumaScope);
    assert.deepEqual(
      c.map((x) => x.label),
      ['contain', 'containIgnoreCase'],
    );
    assert.equal(
      c[0]?.detail,
      'contain(string: string, other: string): boolean: True when the second string is contained in the first.',
    );
    const empty = labels('');
    assert.ok(empty.includes('@event{') && empty.includes('inAudience') && empty.includes('and'));
  });

  test('a cursor in the middle of the text completes what is before it', () => {
    const source = '@event{LumaPurchaseEvent_Email.commerce.or} == "x"';
    assert.deepEqual(labels(source, source.indexOf('}')), ['order']);
  });
});
