// Batch evaluation (size, members, a reproducible sample) and uploaded audiences from CSV.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyUpload,
  evaluateBatch,
  extendSample,
  parseAudienceCsv,
} from '../../src/audience/index.ts';
import type { ProfileSnapshot } from '../../src/audience/index.ts';
import { T0, rule, snapshot } from './fixtures.ts';

function* profiles(n: number): Generator<{ id: string; snapshot: ProfileSnapshot }> {
  for (let i = 0; i < n; i++)
    yield {
      id: `p${i}`,
      snapshot: snapshot({ attributes: { n: i, tier: i % 3 === 0 ? 'blue' : 'gold' } }),
    };
}

describe('evaluateBatch', () => {
  const blue = rule({ kind: 'attribute', path: 'tier', op: 'equals', value: 'blue' });

  test('counts members over an iterable, in input order', () => {
    const r = evaluateBatch(blue, profiles(10), T0);
    assert.deepEqual(r.members, ['p0', 'p3', 'p6', 'p9']);
    assert.equal(r.size, 4);
    assert.deepEqual(
      r.sample,
      ['p0', 'p3', 'p6', 'p9'],
      'a sample larger than the audience is the audience',
    );
  });

  test('the sample has the requested size, only members, no duplicates, and is reproducible per seed', () => {
    const a = evaluateBatch(blue, profiles(3000), T0, { sampleSize: 25, seed: 7 });
    const b = evaluateBatch(blue, profiles(3000), T0, { sampleSize: 25, seed: 7 });
    const c = evaluateBatch(blue, profiles(3000), T0, { sampleSize: 25, seed: 8 });
    assert.equal(a.size, 1000);
    assert.equal(a.sample.length, 25);
    assert.equal(new Set(a.sample).size, 25);
    const members = new Set(a.members);
    assert.ok(a.sample.every((id) => members.has(id)));
    assert.deepEqual(a.sample, b.sample);
    assert.notDeepEqual(a.sample, c.sample);
    // Not just the first members: reservoir sampling reaches the whole range.
    assert.ok(a.sample.some((id) => Number(id.slice(1)) > 1500));
  });

  test('collectMembers: false keeps only size and sample', () => {
    const r = evaluateBatch(blue, profiles(30), T0, { collectMembers: false, sampleSize: 2 });
    assert.deepEqual(r.members, []);
    assert.equal(r.size, 10);
    assert.equal(r.sample.length, 2);
  });
});

describe('extendSample: one sample over a run read a page at a time', () => {
  test('every member has the same chance, whichever page it is on', () => {
    const k = 20;
    const members = Array.from({ length: 2000 }, (_, i) => `m${i}`);
    const perTenth = new Array<number>(10).fill(0);
    // Many ways to page the same run: each gives a sample; together they show where samples fall.
    for (let pageSize = 50; pageSize < 450; pageSize += 1) {
      let sample: string[] = [];
      for (let at = 0; at < members.length; at += pageSize)
        sample = extendSample(sample, at, members.slice(at, at + pageSize), k);
      assert.equal(sample.length, k);
      assert.equal(new Set(sample).size, k, 'no member twice');
      for (const id of sample) perTenth[Math.floor(Number(id.slice(1)) / 200)]!++;
    }
    const total = perTenth.reduce((a, b) => a + b, 0);
    for (const [i, n] of perTenth.entries())
      assert.ok(
        n / total > 0.07 && n / total < 0.13,
        `tenth ${i} of the run holds ${((100 * n) / total).toFixed(1)}% of the samples`,
      );
  });

  test('fewer members than the sample size: all of them; the same paging gives the same sample', () => {
    assert.deepEqual(extendSample(['a'], 1, ['b', 'c'], 5), ['a', 'b', 'c']);
    const run = () =>
      extendSample(extendSample([], 0, ['a', 'b', 'c', 'd'], 2), 4, ['e', 'f', 'g'], 2);
    assert.deepEqual(run(), run());
    assert.deepEqual(extendSample([], 0, ['a', 'b'], 0), []);
  });
});

describe('parseAudienceCsv', () => {
  test('header with the identity and namespace columns; quotes, CRLF, BOM, blank lines, duplicates', () => {
    const csv =
      '\uFEFFemail,ns,name\r\nada@example.com,Email,"Lovelace, Ada"\r\n\r\n"bob@example.com",Email,"Bob ""B"""\r\nada@example.com,Email,again\r\n"multi\nline@example.com",Email,x\r\n';
    assert.deepEqual(parseAudienceCsv(csv, { idColumn: 'email', namespaceColumn: 'ns' }), {
      rows: [
        { namespace: 'Email', id: 'ada@example.com' },
        { namespace: 'Email', id: 'bob@example.com' },
        { namespace: 'Email', id: 'multi\nline@example.com' },
      ],
      errors: [],
    });
  });

  test('per-row errors with the line where the record starts', () => {
    const csv = 'id,ns\n1,CRMID\n,CRMID\n2\n3,\n"4"x,CRMID\n5,CRMID\n"6,CRMID\n';
    assert.deepEqual(parseAudienceCsv(csv, { idColumn: 'id', namespaceColumn: 'ns' }), {
      rows: [
        { namespace: 'CRMID', id: '1' },
        { namespace: 'CRMID', id: '5' },
      ],
      errors: [
        { line: 3, message: 'the "id" field is empty' },
        { line: 4, message: 'expected 2 fields, found 1' },
        { line: 5, message: 'the "ns" field is empty' },
        { line: 6, message: 'unexpected text after a closing quote' },
        { line: 8, message: 'a quoted field is not closed' },
      ],
    });
  });

  test('a missing column or an empty file is reported on the header line', () => {
    assert.deepEqual(parseAudienceCsv('mail\nx\n', { idColumn: 'email' }), {
      rows: [],
      errors: [{ line: 1, message: 'the header has no "email" column (found: mail)' }],
    });
    assert.deepEqual(parseAudienceCsv('\n\n', { idColumn: 'email' }), {
      rows: [],
      errors: [{ line: 1, message: 'the file is empty: expected a header line' }],
    });
    assert.deepEqual(
      parseAudienceCsv('email\na\nb', { idColumn: 'email' }).rows,
      [{ id: 'a' }, { id: 'b' }],
      'no final newline',
    );
  });
});

describe('applyUpload', () => {
  test('append adds; replace makes the file the whole audience', () => {
    assert.deepEqual(applyUpload(['a', 'b'], ['b', 'c'], 'append'), {
      members: new Set(['a', 'b', 'c']),
      realized: ['c'],
      exited: [],
    });
    assert.deepEqual(applyUpload(['a', 'b'], ['b', 'c'], 'replace'), {
      members: new Set(['b', 'c']),
      realized: ['c'],
      exited: ['a'],
    });
  });
});
