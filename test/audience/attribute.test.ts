// Attribute conditions: every operator, missing values, dates, and paths that must not reach prototypes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttributeRule } from '../../src/model/audience.ts';
import { T0, rule, snapshot } from './fixtures.ts';

const is = (r: Omit<AttributeRule, 'kind'>, attributes: Record<string, unknown>): boolean =>
  rule({ kind: 'attribute', ...r }).evaluate(snapshot({ attributes }), T0).member;

describe('attribute operators', () => {
  const person = {
    person: { name: { firstName: 'Ada', lastName: 'Lovelace' }, age: 36 },
    tags: ['vip', 'early'],
    score: 0,
    nick: '',
    gone: null,
    optIn: false,
  };

  test('equals and notEquals, with and without ignoreCase; missing is not equal', () => {
    assert.equal(is({ path: 'person.name.firstName', op: 'equals', value: 'Ada' }, person), true);
    assert.equal(is({ path: 'person.name.firstName', op: 'equals', value: 'ada' }, person), false);
    assert.equal(
      is({ path: 'person.name.firstName', op: 'equals', value: 'ada', ignoreCase: true }, person),
      true,
    );
    assert.equal(
      is({ path: 'person.age', op: 'equals', value: '36' }, person),
      false,
      'no coercion between types',
    );
    assert.equal(is({ path: 'person.name.middle', op: 'equals', value: 'x' }, person), false);
    assert.equal(is({ path: 'person.name.middle', op: 'notEquals', value: 'x' }, person), true);
    assert.equal(is({ path: 'gone', op: 'equals', value: null }, person), true);
  });

  test('exists: "" and 0 and false exist, null and missing do not', () => {
    for (const path of ['nick', 'score', 'optIn', 'tags'])
      assert.equal(is({ path, op: 'exists' }, person), true, path);
    for (const path of ['gone', 'missing', 'person.name.firstName.x']) {
      assert.equal(is({ path, op: 'exists' }, person), false, path);
      assert.equal(is({ path, op: 'notExists' }, person), true, path);
    }
  });

  test('in, contains (strings and lists), startsWith', () => {
    assert.equal(is({ path: 'person.age', op: 'in', value: [35, 36] }, person), true);
    assert.equal(
      is({ path: 'person.name.lastName', op: 'in', value: ['LOVELACE'], ignoreCase: true }, person),
      true,
    );
    assert.equal(is({ path: 'person.name.lastName', op: 'contains', value: 'lace' }, person), true);
    assert.equal(is({ path: 'tags', op: 'contains', value: 'vip' }, person), true);
    assert.equal(is({ path: 'tags', op: 'contains', value: 'vi' }, person), false);
    assert.equal(
      is(
        { path: 'person.name.lastName', op: 'startsWith', value: 'love', ignoreCase: true },
        person,
      ),
      true,
    );
    assert.equal(is({ path: 'person.age', op: 'startsWith', value: '3' }, person), false);
  });

  test('isTrue and isFalse accept booleans only', () => {
    assert.equal(is({ path: 'optIn', op: 'isFalse' }, person), true);
    assert.equal(is({ path: 'score', op: 'isFalse' }, person), false);
    assert.equal(is({ path: 'flag', op: 'isTrue' }, { flag: 'true' }), false);
  });

  test('numbers compare with numbers; dates with dates, read as UTC without an offset', () => {
    assert.equal(is({ path: 'person.age', op: 'gt', value: 35 }, person), true);
    assert.equal(is({ path: 'person.age', op: 'lte', value: 35 }, person), false);
    assert.equal(is({ path: 'person.age', op: 'between', value: [36, 40] }, person), true);
    assert.equal(is({ path: 'person.name.firstName', op: 'gt', value: 1 }, person), false);
    const member = {
      since: '2025-06-01T12:00:00',
      birth: '1990-02-03',
      ts: Date.UTC(2025, 5, 1, 13),
    };
    assert.equal(is({ path: 'since', op: 'lt', value: '2025-06-01T12:00:01Z' }, member), true);
    assert.equal(
      is({ path: 'since', op: 'gte', value: '2025-06-01T14:00:00+02:00' }, member),
      true,
    );
    assert.equal(
      is({ path: 'birth', op: 'between', value: ['1990-01-01', '1990-12-31'] }, member),
      true,
    );
    assert.equal(
      is({ path: 'ts', op: 'gt', value: '2025-06-01T12:59:59Z' }, member),
      true,
      'epoch ms compares with a date',
    );
  });

  test('list items by index', () => {
    assert.equal(is({ path: 'tags.1', op: 'equals', value: 'early' }, person), true);
    assert.equal(is({ path: 'tags.2', op: 'exists' }, person), false);
    assert.equal(is({ path: 'tags.length', op: 'exists' }, person), false);
  });
});

describe('paths never read prototypes', () => {
  for (const path of [
    '__proto__',
    'constructor',
    'toString',
    'person.constructor.name',
    'person.__proto__',
    'hasOwnProperty',
    'tags.constructor',
  ]) {
    test(`"${path}" is missing on plain data`, () => {
      const attributes = { person: { name: 'x' }, tags: [1] };
      assert.equal(is({ path, op: 'exists' }, attributes), false);
      assert.equal(is({ path, op: 'notExists' }, attributes), true);
    });
  }

  test('an own property named __proto__ (from JSON) is data, read as such', () => {
    const attributes = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    assert.equal(is({ path: '__proto__.polluted', op: 'isTrue' }, attributes), true);
    assert.equal(is({ path: 'polluted', op: 'exists' }, attributes), false);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('audience names like __proto__ read own memberships only', () => {
    const a = rule({ kind: 'audience', name: '__proto__' }, { audiences: ['__proto__'] });
    assert.equal(a.evaluate(snapshot(), T0).member, false);
    const b = rule({ kind: 'audience', name: 'toString' }, { audiences: ['toString'] });
    assert.equal(b.evaluate(snapshot(), T0).member, false);
  });
});
