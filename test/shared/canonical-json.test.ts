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

/** JSON.stringify of a copy whose objects were rebuilt with their keys sorted: the reference. */
function sortedCopy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedCopy);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedCopy((v as Record<string, unknown>)[k]);
  return out;
}

test('random values give the text of JSON.stringify over the same value with its keys sorted', () => {
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const keys = ['a', 'B', 'b', '10', '2', 'é', 'zz', '_id', 'SKU', 'name', 'q"'];
  const value = (depth: number): unknown => {
    const pick = next(depth > 3 ? 4 : 7);
    if (pick === 0) return next(1000) - 500;
    if (pick === 1) return keys[next(keys.length)];
    if (pick === 2) return next(2) === 0;
    if (pick === 3) return null;
    if (pick === 4) return Array.from({ length: next(4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = next(8); i > 0; i--) o[keys[next(keys.length)]!] = value(depth + 1);
    return o;
  };
  for (let i = 0; i < 2000; i++) {
    const v = value(0);
    assert.equal(canonicalJson(v), JSON.stringify(sortedCopy(v)));
  }
});
