// The object pages' pure parts: where an issue's path sits in JSON text (the JSON tab's line marks),
// the properties and values the schema offers there (completion), the fields two versions differ
// in (the conflict's Compare), and the server's messages in plain words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locate, parseErrorAt, parsePath } from '../../ui/src/objects/json-locate.ts';
import { propertiesAt, valuesAt, type Schema } from '../../ui/src/objects/json-schema-complete.ts';
import { differences } from '../../ui/src/objects/object-conflict.tsx';
import { plainIssue } from '../../ui/src/objects/plain-issue.ts';

const text = JSON.stringify(
  {
    name: 'Rules',
    rules: [
      { id: 'a', cap: 3 },
      { id: 'b', cap: -1 },
    ],
    schema: { type: 'object' },
  },
  null,
  2,
);
const at = (path: string) => {
  const r = locate(text, path);
  return r && text.slice(r.from, r.to);
};

test('an issue path lands on its property, name and value', () => {
  assert.deepEqual(parsePath('rules[1].cap'), ['rules', 1, 'cap']);
  assert.deepEqual(parsePath('/rules/1/cap'), ['rules', 1, 'cap']);
  assert.deepEqual(parsePath('(root)'), []);
  assert.equal(at('rules[1].cap'), '"cap": -1');
  assert.equal(at('name'), '"name": "Rules"');
  assert.equal(at('schema'), '"schema": {', 'an object: its first line only');
});

test('a path to a field not there yet lands on the object it belongs in', () => {
  assert.equal(at('rules[1].period'), '{');
  assert.equal(
    text.slice(0, locate(text, 'rules[1].period')!.from).split('\n').length,
    8,
    'the line of the second rule',
  );
  assert.equal(at('identity'), '{');
  assert.equal(locate('{"a": ', 'a'), null, 'not JSON: nothing to place');
});

test('a parse error is placed where the text stops being JSON', () => {
  const bad = '{\n  "a": 1,\n  }';
  let message = '';
  try {
    JSON.parse(bad);
  } catch (e) {
    message = (e as Error).message;
  }
  const pos = parseErrorAt(bad, message);
  assert.ok(pos >= bad.indexOf('}') - 3 && pos <= bad.length, `${message} → ${pos}`);
});

test('completion offers the properties of the object at the cursor, required first, and closed values', () => {
  const schema: Schema = {
    type: 'object',
    required: ['name'],
    properties: {
      description: { type: 'string', description: 'What it is for' },
      name: { type: 'string' },
      rules: { type: 'array', items: { $ref: '#/$defs/rule' } },
    },
    $defs: {
      rule: {
        anyOf: [
          { type: 'object', properties: { kind: { const: 'entry' }, cap: { type: 'number' } } },
          {
            type: 'object',
            properties: { kind: { const: 'concurrency' }, enabled: { type: 'boolean' } },
          },
        ],
      },
    },
  };
  assert.deepEqual(
    propertiesAt(schema, []).map((p) => p.name),
    ['name', 'description', 'rules'],
  );
  assert.equal(
    propertiesAt(schema, []).find((p) => p.name === 'description')?.help,
    'What it is for',
  );
  assert.deepEqual(
    propertiesAt(schema, ['rules', 0])
      .map((p) => p.name)
      .sort(),
    ['cap', 'enabled', 'kind'],
  );
  assert.deepEqual(valuesAt(schema, ['rules', 0, 'kind']), ['entry', 'concurrency']);
  assert.deepEqual(valuesAt(schema, ['rules', 2, 'enabled']), [true, false]);
});

test('Compare lists each field whose value differs, with both values', () => {
  assert.deepEqual(
    differences({ a: 1, b: { c: 'x', d: [1, 2] } }, { a: 1, b: { c: 'y', d: [1] }, e: true }),
    [
      ['b.c', '"x"', '"y"'],
      ['b.d[1]', '2', undefined],
      ['e', undefined, 'true'],
    ],
  );
});

test('server messages in plain words', () => {
  assert.equal(
    plainIssue({ path: 'schema', message: 'Invalid input: expected record, received number' }),
    'schema must be a group of fields, not a number.',
  );
  assert.equal(
    plainIssue({ path: 'identity', message: 'Invalid input: expected object, received undefined' }),
    'Fill in identity: it is required (a group of fields).',
  );
  assert.equal(
    plainIssue({
      path: 'rules[0].period',
      message: 'Invalid option: expected one of "daily"|"weekly"',
    }),
    'Choose period: one of "daily", "weekly".',
  );
  assert.equal(
    plainIssue({ path: 'name', message: 'must match the URL' }),
    'name: must match the URL',
  );
});
