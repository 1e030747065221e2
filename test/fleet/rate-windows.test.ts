// Fleet-wide rate windows on a real PostgreSQL: two engines (two pools) taking slots of one key at
// once get the limit between them, not each; the next window starts again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateWindows } from '../../src/runtime/fleet/rate-windows.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

test('rate windows: a limit of 50 a minute holds across two engines taking slots at once', async () => {
  const schema = freshSchemaName('waymark_rates');
  const a = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  });
  const b = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  });
  try {
    const ra = new RateWindows(a.pool);
    const rb = new RateWindows(b.pool);
    const now = 1_800_000_000_000;
    const taken = await Promise.all(
      Array.from({ length: 80 }, (_v, i) =>
        (i % 2 === 0 ? ra : rb).take('action:api.example.com', 50, 60_000, now + i),
      ),
    );
    assert.equal(taken.filter(Boolean).length, 50, 'the fleet gets 50 in the minute, not 50 each');
    assert.equal(
      await ra.take('action:api.example.com', 50, 60_000, now + 60_000),
      true,
      'the next minute starts again',
    );
    assert.equal(
      await rb.take('action:other.example.com', 50, 60_000, now),
      true,
      'keys are counted apart',
    );
  } finally {
    await a.close();
    await b.close();
    await dropSchema(schema);
  }
});

test('rate windows: throttling turns are the fleet’s, spaced by the rate across two engines; a full window is refused locally', async () => {
  const schema = freshSchemaName('waymark_rates');
  const a = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  });
  const b = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  });
  try {
    const ra = new RateWindows(a.pool);
    const rb = new RateWindows(b.pool);
    // 40 reservations at 10 a second from two engines: turns 0, 100, 200, ... ms from now, one each.
    const waits = await Promise.all(
      Array.from({ length: 40 }, (_v, i) =>
        (i % 2 === 0 ? ra : rb).reserve('throttle:prod:loyalty', 10, 60_000),
      ),
    );
    const turns = waits.map((w) => w!).sort((x, y) => x - y);
    // Turn k starts k × 100 ms after the first; each wait is measured from its own reservation's
    // instant (a little later for later ones), so it lies in (k × 100 - the run's length, k × 100].
    for (let k = 0; k < turns.length; k++)
      assert.ok(
        turns[k]! <= k * 100 + 5 && turns[k]! > k * 100 - 1000,
        `turn ${k} starts in ${turns[k]} ms, not about ${k * 100}`,
      );
    assert.ok(turns[39]! > 3500, 'the 40th turn lies about 3.9 s away');
    assert.ok(
      ra.stats.reservations + rb.stats.reservations < 40,
      'reservations waiting on an engine share a round trip',
    );
    assert.equal(
      await ra.reserve('throttle:prod:loyalty', 10, 1000),
      null,
      'a turn further than the longest wait is refused',
    );
    const w = await rb.reserve('throttle:prod:loyalty', 10, 60_000);
    assert.ok(w! > 3500 && w! < 4500, 'a refused reservation took no turn');
    assert.equal(await ra.reserve('throttle:prod:other', 10, 1000), 0, 'keys are throttled apart');

    // Capping: once a's take finds the window full, a refuses without asking the database.
    for (let i = 0; i < 3; i++) assert.equal(await rb.take('cap:prod:h', 3, 3_600_000), true);
    assert.equal(await ra.take('cap:prod:h', 3, 3_600_000), false);
    const before = ra.stats.takes;
    assert.equal(await ra.take('cap:prod:h', 3, 3_600_000), false);
    assert.equal(ra.stats.takes, before, 'the second refusal made no round trip');
    assert.equal(ra.stats.refusedLocally, 1);
  } finally {
    await a.close();
    await b.close();
    await dropSchema(schema);
  }
});

test('rate windows: takes made at once on three engines share round trips and get exactly the limit', async () => {
  const schema = freshSchemaName('waymark_rates');
  const stores = await Promise.all(
    [0, 1, 2].map(() =>
      openPostgresStore({ connectionString: POSTGRES_TEST_URL, schema, maxConnections: 4 }),
    ),
  );
  try {
    const windows = stores.map((s) => new RateWindows(s.pool));
    const taken = await Promise.all(
      Array.from({ length: 300 }, (_v, i) => windows[i % 3]!.take('cap:prod:api', 77, 3_600_000)),
    );
    assert.equal(taken.filter(Boolean).length, 77, 'the fleet gets the limit, not a slot more');
    const trips = windows.reduce((s, w) => s + w.stats.takes, 0);
    assert.ok(trips < 150, `300 takes made ${trips} round trips: those waiting share one`);
    assert.equal(await windows[0]!.take('cap:prod:api', 77, 3_600_000), false);
  } finally {
    for (const s of stores) await s.close();
    await dropSchema(schema);
  }
});
