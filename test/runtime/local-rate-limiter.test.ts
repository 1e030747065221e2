// The rate-limiter port in one process (the embedded store's and a single engine's): capping by the
// sliding window of the http-action capper, throttling by turns spaced by the rate, first come first
// served, refused beyond the longest wait. The same port counts fleet-wide in fleet mode
// (test/fleet/rate-windows.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalRateLimiter } from '../../src/runtime/rates/local-rate-limiter.ts';

test('local rate limiter: capping refuses once the window is full, and the window slides', async () => {
  let now = 1_000_000;
  const r = new LocalRateLimiter(() => now);
  assert.equal(r.scope, 'process');
  for (let i = 0; i < 3; i++) assert.equal(await r.take('cap:prod:h', 3, 60_000), true);
  assert.equal(
    await r.take('cap:prod:h', 3, 60_000),
    false,
    'the fourth call in the minute is capped',
  );
  assert.equal(await r.take('cap:prod:other', 3, 60_000), true, 'keys are counted apart');
  now += 60_000;
  assert.equal(await r.take('cap:prod:h', 3, 60_000), true, 'a minute later there is room again');
});

test('local rate limiter: throttling spaces turns by the rate and refuses beyond the longest wait', async () => {
  const now = 1_000_000;
  const r = new LocalRateLimiter(() => now);
  const waits: Array<number | null> = [];
  for (let i = 0; i < 5; i++) waits.push(await r.reserve('throttle:prod:a', 4, 1000));
  assert.deepEqual(waits, [0, 250, 500, 750, 1000]);
  assert.equal(await r.reserve('throttle:prod:a', 4, 1000), null, 'the sixth would wait 1,250 ms');
  assert.equal(await r.reserve('throttle:prod:a', 4, 2000), 1250, 'a refusal took no turn');
  assert.equal(await r.reserve('throttle:prod:b', 4, 1000), 0, 'keys are throttled apart');
});
