// Canonical JSON: the text an event's fingerprint is hashed from. Equal values give the same text
// whatever the order of their keys, and the text is the one fingerprints were always made of
// (stored fingerprints are compared with new ones), so it is pinned here.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { canonicalJson, canonicalJsonUtf8 } from '../../src/shared/canonical-json.ts';
import { mulberry32 } from '../../src/shared/seeded-random.ts';
import { eventFingerprint } from '../../src/runtime/ingest.ts';

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

/** The reference: the definition written plainly, with JSON.stringify for every key and leaf. */
function reference(v: unknown): string {
  if (Array.isArray(v))
    return `[${v.map((x) => (x === undefined ? 'null' : reference(x))).join(',')}]`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? 'null';
  const record = v as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .filter((k) => record[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference(record[k])}`);
  return `{${members.join(',')}}`;
}

test('random values give the reference text, and their fingerprint bytes are its UTF-8', () => {
  const random = mulberry32(7);
  const next = (n: number): number => Math.floor(random() * n);
  const keys = ['a', 'B', 'b', '10', '2', 'é', 'zz', '_id', 'SKU', 'name', 'q"', '\u0007', '😀'];
  const chars = [
    'a',
    'Z',
    ' ',
    '"',
    '\\',
    '\n',
    '\u0000',
    '\u001f',
    '\u007f',
    'é',
    '\u2028',
    '😀',
    '\ud800',
    '\udc00',
    '€',
  ];
  const numbers = [0, -0, 7, -42, 1.5, 1e21, 1.5e-7, 2 ** 53 + 2, NaN, Infinity];
  const value = (depth: number): unknown => {
    const pick = next(depth > 3 ? 5 : 8);
    if (pick === 0) return numbers[next(numbers.length)];
    if (pick === 1)
      return Array.from({ length: next(6) }, () => chars[next(chars.length)]).join('');
    if (pick === 2) return next(2) === 0;
    if (pick === 3) return null;
    if (pick === 4) return next(4) === 0 ? undefined : next(1000) - 500;
    if (pick === 5) return Array.from({ length: next(4) }, () => value(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = next(8); i > 0; i--) o[keys[next(keys.length)]!] = value(depth + 1);
    return o;
  };
  const encoder = new TextEncoder();
  let objectsWithNumericKeys = 0;
  for (let i = 0; i < 3000; i++) {
    const v = value(0);
    const text = reference(v);
    if (/"10":.*"2":/.test(text)) objectsWithNumericKeys++;
    assert.equal(canonicalJson(v), text);
    assert.deepEqual(canonicalJsonUtf8(v), encoder.encode(text));
  }
  assert.ok(objectsWithNumericKeys > 10, 'the values cover keys that look like array indexes');
});

test('an event fingerprint is the one stored fingerprints were made of (pinned)', () => {
  // Computed by the string-building implementation this one replaced: events stored before must
  // still be recognized when they are sent again.
  const event = {
    type: 'LumaCheckoutEvent_Email',
    payload: {
      productListItems: [
        { name: 'Didi Sport Watch — é 😀', SKU: '24-WG02', quantity: 1, priceTotal: 92.5 },
      ],
      _id: 'x"\\\n',
      commerce: { checkouts: { value: 1 } },
    },
    timestamp: '2026-11-02T09:00:00Z',
  };
  assert.equal(eventFingerprint(event), 'tTg7NglyjUzsmBWKNidtY3pC2cAMGDuh4EdPZDhkIeM');
});
