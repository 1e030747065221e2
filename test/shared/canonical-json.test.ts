// Canonical JSON: the text an event's fingerprint is hashed from. Equal values give the same text
// whatever the order of their keys, and the text is the one fingerprints were always made of
// (stored fingerprints are compared with new ones), so it is pinned here.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { canonicalJson } from '../../src/shared/canonical-json.ts';

test('keys are written sorted by UTF-16 code units, at every depth; arrays keep their order', () => {
  assert.equal(
    canonicalJson({ b: 1, a: [{ z: true, y: null }, 'x'], B: { d: 2, c: 1 } }),
    '{"B":{"c":1,"d":2},"a":[{"y":null,"z":true},"x"],"b":1}',
  );
  assert.equal(canonicalJson({ '10': 1, '2': 2, é: 3, e: 4 }), '{"10":1,"2":2,"e":4,"é":3}');
});

test('the same value in another key order gives the same text', () => {
  assert.equal(
    canonicalJson({ type: 'T', payload: { x: 1, y: [1, 2] } }),
    canonicalJson({ payload: { y: [1, 2], x: 1 }, type: 'T' }),
  );
});

test('undefined members are left out and undefined array items are null, as in JSON', () => {
  assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
  assert.equal(canonicalJson(undefined), 'null');
});

test('keys and strings that need escaping are escaped as JSON.stringify escapes them', () => {
  assert.equal(
    canonicalJson({ 'q"': 'a\nb', '\\': '\u2028', '\u0001': 1, '\ud800': 2 }),
    `{${JSON.stringify('\u0001')}:1,"\\\\":"\u2028","q\\"":"a\\nb",${JSON.stringify('\ud800')}:2}`,
  );
  assert.equal(canonicalJson(-0), '0');
});
