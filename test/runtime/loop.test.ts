// The engine's background loop (src/runtime/engine/loop.ts): a timer fires when it comes due, not
// at the loop's next look; timers coming due one after another keep it firing; a wake-up that
// comes while it works is not lost; once stopped it fires nothing. The loop is driven through its
// own seams (fire, dispatch, next due) over a list of due times on the real clock, with an interval
// far longer than any test waits, so only the behaviour under test can make a timer fire.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Loop } from '../../src/runtime/engine/loop.ts';

const NEVER = 600_000;

/** Timers at the given due times (ms from now), fired by the loop; resolves each once fired. */
function timerWorld(dueIn: readonly number[]): {
  loop: Loop;
  fired: number[];
  dispatches: () => number;
  allFired: () => Promise<void>;
} {
  const start = Date.now();
  const pending = dueIn.map((d) => start + d).sort((a, b) => a - b);
  const fired: number[] = [];
  let dispatches = 0;
  const loop = new Loop({
    fireDueTimers: async (limit) => {
      const now = Date.now();
      let n = 0;
      while (n < limit && pending.length > 0 && pending[0]! <= now) {
        fired.push(pending.shift()!);
        n++;
      }
      return n;
    },
    dispatchOutbox: async () => {
      dispatches++;
      return 0;
    },
    drain: async () => undefined,
    nextTimerDue: async () => pending[0] ?? null,
    now: () => Date.now(),
  });
  return {
    loop,
    fired,
    dispatches: () => dispatches,
    async allFired() {
      // A generous bound, far below the interval: the test fails rather than hangs.
      for (let i = 0; i < 500 && fired.length < dueIn.length; i++) await sleep(10);
    },
  };
}

test('a timer due before the next look fires when it comes due', async () => {
  const w = timerWorld([50]);
  w.loop.start(NEVER);
  w.loop.wake();
  await w.allFired();
  await w.loop.stop();
  assert.equal(w.fired.length, 1);
});

test('timers coming due one after another are fired as each comes due', async () => {
  const w = timerWorld([30, 60, 90, 120]);
  w.loop.start(NEVER);
  w.loop.wake();
  await w.allFired();
  await w.loop.stop();
  assert.equal(w.fired.length, 4);
});

test('a wake-up during a tick runs the outbox again', async () => {
  const w = timerWorld([]);
  w.loop.start(NEVER);
  w.loop.wake();
  w.loop.wake(); // arrives while the first tick runs
  for (let i = 0; i < 100 && w.dispatches() < 2; i++) await sleep(5);
  await w.loop.stop();
  assert.ok(w.dispatches() >= 2, `dispatched ${w.dispatches()} times`);
});

test('a stopped loop fires nothing, even a timer it was waiting for', async () => {
  const w = timerWorld([80]);
  w.loop.start(NEVER);
  w.loop.wake();
  await sleep(20);
  await w.loop.stop();
  await sleep(150);
  assert.equal(w.fired.length, 0);
});

test('a round that waits on one step for long is reported once, with the outbox items stuck', async () => {
  const logs: Array<{ message: string; details?: Record<string, unknown> }> = [];
  let release = (): void => undefined;
  const loop = new Loop({
    fireDueTimers: async () => 0,
    // The outbox hangs (an endpoint, a lock) until released.
    dispatchOutbox: () =>
      new Promise<number>((resolve) => {
        release = () => resolve(0);
      }),
    drain: async () => undefined,
    slowRoundMs: 80,
    stuckOutbox: () => [{ id: 'o1', kind: 'callAction', stage: 'send', seconds: 0 }],
    log: (_level, message, details) => {
      logs.push({ message, ...(details ? { details } : {}) });
    },
  });
  loop.start(NEVER);
  loop.wake();
  for (let i = 0; i < 200 && logs.length === 0; i++) await sleep(10);
  await sleep(100);
  release();
  await loop.stop();
  assert.equal(logs.length, 1, 'reported once');
  assert.match(logs[0]!.message, /waited on one step/);
  assert.equal(logs[0]!.details?.['step'], 'outbox');
  assert.deepEqual(logs[0]!.details?.['items'], [
    { id: 'o1', kind: 'callAction', stage: 'send', seconds: 0 },
  ]);
});
