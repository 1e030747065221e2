import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { murmur3x86_32, utf8 } from '../../src/experiment/index.ts';

// Published MurmurHash3_x86_32 vectors: the byte vectors are SMHasher's verification values as
// tabulated by Ian Boyd (Stack Overflow question 14747343, "MurmurHash3 test vectors"); the string
// vectors are from the same answer. Each row says what it exercises.
describe('MurmurHash3 x86 32-bit matches the published test vectors', () => {
  const bytes: [number[], number, number, string][] = [
    [[], 0, 0, 'no data, zero seed'],
    [[], 1, 0x514e28b7, 'the seed alone'],
    [[], 0xffffffff, 0x81f16f39, 'the seed is unsigned'],
    [[0xff, 0xff, 0xff, 0xff], 0, 0x76293b50, 'blocks use unsigned math'],
    [[0x21, 0x43, 0x65, 0x87], 0, 0xf55b516b, 'blocks are little-endian'],
    [[0x21, 0x43, 0x65, 0x87], 0x5082edee, 0x2362f9de, 'a seed that cancels the block'],
    [[0x21, 0x43, 0x65], 0, 0x7e4a8634, 'a three-byte tail'],
    [[0x21, 0x43], 0, 0xa0f7b07a, 'a two-byte tail'],
    [[0x21], 0, 0x72661cf4, 'a one-byte tail'],
    [[0, 0, 0, 0], 0, 0x2362f9de, 'zero bytes are data'],
    [[0, 0, 0], 0, 0x85f0b427, 'three zero bytes'],
    [[0, 0], 0, 0x30f4c306, 'two zero bytes'],
    [[0], 0, 0x514e28b7, 'one zero byte'],
  ];
  for (const [data, seed, expected, what] of bytes)
    test(`bytes [${data.map((b) => b.toString(16)).join(' ')}] seed ${seed.toString(16)}: ${what}`, () => {
      assert.equal(murmur3x86_32(Uint8Array.from(data), seed), expected);
    });

  const strings: [string, number, number][] = [
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aa', 0x9747b28c, 0x5d211726],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['ab', 0x9747b28c, 0x74875592],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['abc', 0, 0xb3dd93fa],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ];
  for (const [text, seed, expected] of strings)
    test(`UTF-8 of ${JSON.stringify(text)} seed ${seed.toString(16)}`, () => {
      assert.equal(murmur3x86_32(utf8(text), seed), expected);
    });
});

describe('identities are hashed as UTF-8', () => {
  test('the encoding agrees with TextEncoder, astral characters and lone surrogates included', () => {
    for (const text of ['', 'abc', 'é', 'ππ', '€', 'Ünïcødé 👋 profile', '\ud800x', 'x\udc00'])
      assert.deepEqual(utf8(text), new TextEncoder().encode(text), JSON.stringify(text));
  });
});
