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
