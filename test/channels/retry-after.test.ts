// Retry-After as every HTTP adapter reads it: delay-seconds or an HTTP-date, only in the future.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryAfterMs, retryAfterOf } from '../../src/channels/outbound/retry-after.ts';

const headers = (v?: string): Headers => new Headers(v === undefined ? {} : { 'retry-after': v });
const NOW = Date.parse('2026-12-05T10:00:00Z');

test('Retry-After in seconds or as an HTTP-date; anything else is no hint', () => {
  assert.equal(retryAfterMs(headers('120'), NOW), 120_000);
  assert.equal(retryAfterMs(headers(' 7 '), NOW), 7_000);
  assert.equal(retryAfterMs(headers('Sat, 05 Dec 2026 10:01:30 GMT'), NOW), 90_000);
  assert.equal(retryAfterMs(headers('Sat, 05 Dec 2026 09:59:00 GMT'), NOW), undefined, 'past');
  for (const v of [undefined, '', '0', '-5', '1.5', 'soon', '1e3'])
    assert.equal(retryAfterMs(headers(v), NOW), undefined, String(v));
  assert.deepEqual(retryAfterOf(headers('3'), NOW), { retryAfterMs: 3000 });
  assert.deepEqual(retryAfterOf(headers(), NOW), {});
});
