// How an audit entry says what changed: leaf paths for edits, whole arrays when their length
// changes, one root change for a creation or deletion, encrypted values masked wherever they are,
// and a bounded list with the rest counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSnapshots, MAX_CHANGES } from '../../src/api/audit-diff.ts';

const same = (v: unknown) => ({ stored: v, shown: v });

test('edits are listed by path; arrays of another length change as a whole; equal snapshots give nothing', () => {
  const before = same({
    name: 'A',
    spec: { items: [1, 2], tags: ['x'], deep: { a: 1, gone: true } },
  });
  const after = same({
    name: 'B',
    spec: { items: [1, 3], tags: ['x', 'y'], deep: { a: 1, added: 2 } },
  });
  assert.deepEqual(diffSnapshots(before, after).changes, [
    { path: 'name', before: 'A', after: 'B' },
    { path: 'spec.items[1]', before: 2, after: 3 },
    { path: 'spec.tags', before: ['x'], after: ['x', 'y'] },
    { path: 'spec.deep.gone', before: true },
    { path: 'spec.deep.added', after: 2 },
  ]);
  assert.deepEqual(diffSnapshots(before, before), { changes: [], more: 0 });
  assert.deepEqual(diffSnapshots(undefined, after).changes, [{ path: '', after: after.shown }]);
  assert.deepEqual(diffSnapshots(before, undefined).changes, [{ path: '', before: before.shown }]);
});

test('a secret that changed shows as changed, redacted; an encrypted value is masked even where the kind did not say', () => {
  const before = {
    stored: { auth: { token: 'enc:v2:k:aaa' }, other: 'enc:v2:k:ccc' },
    shown: { auth: { token: '[redacted]' }, other: 'enc:v2:k:ccc' },
  };
  const after = {
    stored: { auth: { token: 'enc:v2:k:bbb' }, other: 'enc:v2:k:ddd' },
    shown: { auth: { token: '[redacted]' }, other: 'enc:v2:k:ddd' },
  };
  const { changes } = diffSnapshots(before, after);
  assert.equal(changes[0]?.path, 'auth.token');
  assert.deepEqual([changes[0]?.before, changes[0]?.after], ['[redacted]', '[redacted]']);
  assert.deepEqual(changes[1], { path: 'other', before: '[redacted]', after: '[redacted]' });
});

test('at most MAX_CHANGES changes; the others are counted', () => {
  const many = (v: number) =>
    same(Object.fromEntries(Array.from({ length: MAX_CHANGES + 7 }, (_, i) => [`k${i}`, v])));
  const d = diffSnapshots(many(1), many(2));
  assert.equal(d.changes.length, MAX_CHANGES);
  assert.equal(d.more, 7);
});
