// Partitions: a profile's partition is fixed when it is created and stored with its rows, and the
// PostgreSQL backfill computes the same hash in SQL, so the hash may never change: pinned here.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fnv1a, partitionOfIdentity } from '../../src/shared/partition.ts';
import { mulberry32 } from '../../src/shared/seeded-random.ts';

/** FNV-1a over the UTF-8 bytes, written plainly: what the fast path must agree with. */
function reference(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

test('FNV-1a gives the published 32-bit test vectors', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});

test('the partitions of stored profiles stay where they are, ASCII or not', () => {
  assert.equal(partitionOfIdentity('Email', 'shopper0@luma.example'), 79);
  assert.equal(partitionOfIdentity('Email', 'zoë@luma.example'), 167);
});

test('the hash is the UTF-8 bytes hash for any text: ASCII, accents, other scripts, surrogates', () => {
  const random = mulberry32(16);
  const pools = ['abcXYZ09@.-_:', 'éüßøñ', '中文字', '😀🎉', '\ud800', '\u007f\u0080'];
  for (let n = 0; n < 3000; n++) {
    let text = '';
    const length = Math.floor(random() * 24);
    for (let i = 0; i < length; i++) {
      const pool = pools[Math.floor(random() * (n % 3 === 0 ? pools.length : 1))]!;
      text += [...pool][Math.floor(random() * [...pool].length)];
    }
    assert.equal(fnv1a(text), reference(text), JSON.stringify(text));
  }
});
