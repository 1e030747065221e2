// Partition leases on a real PostgreSQL: engines share the 256 partitions evenly, a joining engine
// takes its share from the others, a silent engine's partitions are taken within seconds, and a
// stale engine's commit is refused (fencing), while the owner's goes through.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PartitionLeases } from '../../src/runtime/fleet/leases.ts';
import { FleetStatusReader } from '../../src/runtime/fleet/status.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { partitionOfIdentity } from '../../src/shared/partition.ts';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { ProfileWrite } from '../../src/store/ports.ts';
import { instanceTimer } from '../../src/store/records/index.ts';
import { dropSchema, freshSchemaName, POSTGRES_TEST_URL } from '../support/test-store.ts';

const fast = { heartbeatMs: 150, leaseMs: 800 };

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
  return Date.now() - start;
}

const profile = (id: string, email: string): ProfileWrite => ({
  sandbox: 'prod',
  id,
  attributes: {},
  testProfile: false,
  identities: [{ namespace: 'email', id: email }],
  createdAt: 't',
  updatedAt: 't',
});

test("fleet leases: a fair share each, a joiner takes its share, a dead engine's partitions are taken over, a stale commit is refused", async () => {
  const schema = freshSchemaName('waymark_fleet');
  const stores: PostgresStore[] = [];
  const open = async (): Promise<PostgresStore> => {
    const s = await openPostgresStore({
      connectionString: POSTGRES_TEST_URL,
      schema,
      maxConnections: 3,
    });
    stores.push(s);
    return s;
  };
  try {
    const sa = await open();
    const a = new PartitionLeases({ pool: sa.pool, store: sa, id: 'engine-a', ...fast });
    await a.start();
    assert.equal(a.held.size, 256, 'alone, one engine holds every partition');

    const sb = await open();
    const b = new PartitionLeases({ pool: sb.pool, store: sb, id: 'engine-b', ...fast });
    await b.start();
    await until('an even split', () => a.held.size === 128 && b.held.size === 128);
    assert.equal(new Set([...a.held, ...b.held]).size, 256, 'every partition has one owner');
    // Each engine knows who holds the others' partitions (routing sends one message per owner).
    await until('owner hints read', () =>
      [...Array(256).keys()].every(
        (p) =>
          a.ownerOf(p) === (a.held.has(p) ? 'engine-a' : 'engine-b') &&
          b.ownerOf(p) === a.ownerOf(p),
      ),
    );

    const status = await new FleetStatusReader(
      sa.pool,
      sa,
      systemClock,
      'engine-a',
      fast.leaseMs,
    ).status();
    assert.deepEqual(
      status.engines.map((e) => [e.id, e.partitions]),
      [
        ['engine-a', 128],
        ['engine-b', 128],
      ],
    );

    // A profile in one of a's partitions: a's commit goes through, b's is refused.
    let email = 'shopper0@example.com';
    for (let n = 1; !a.owns(partitionOfIdentity('email', email)); n++)
      email = `shopper${n}@example.com`;
    await sa.commit({ profiles: [profile('p1', email)] });
    await assert.rejects(
      sb.commit({ profiles: [profile('p1', email)] }),
      (e: Error & { code?: string }) =>
        e.code === 'conflict' && /no longer holds the lease/.test(e.message),
    );

    // a goes silent (a crash: no release); b takes its partitions once their leases expire.
    const stopped = Date.now();
    a.abandon();
    await until('b holds everything', () => b.held.size === 256);
    const takeover = Date.now() - stopped;
    assert.ok(takeover < fast.leaseMs * 3 + 1000, `taken over in ${takeover} ms`);
    // a's commit, on the lease it no longer holds, is refused; b's goes through.
    await assert.rejects(
      sa.commit({ profiles: [{ ...profile('p1', email), attributes: { stale: true } }] }),
      /no longer holds the lease/,
    );
    await sb.commit({ profiles: [{ ...profile('p1', email), attributes: { fresh: true } }] });
    assert.deepEqual((await sb.getProfile('prod', 'p1'))?.attributes, { fresh: true });
    // A stale commit that only removes a timer of a lost partition is refused too, and one that
    // also writes is refused whole: the fence is checked inside the commit's one statement.
    await sb.commit({ timersAdd: [instanceTimer('t1', 'prod', 'i1', Date.now() + 60_000)] });
    const timerLeft = async (): Promise<number> =>
      (await sb.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM timers WHERE id = 't1'"))
        .rows[0]!.n;
    await assert.rejects(sa.commit({ timersRemove: ['t1'] }), /no longer holds the lease/);
    await assert.rejects(
      sa.commit({
        profiles: [{ ...profile('p1', email), attributes: { stale: true } }],
        timersRemove: ['t1'],
      }),
      /no longer holds the lease/,
    );
    assert.equal(await timerLeft(), 1, 'the refused commits removed nothing');
    assert.deepEqual((await sb.getProfile('prod', 'p1'))?.attributes, { fresh: true });
    await sb.commit({ timersRemove: ['t1'] });
    assert.equal(await timerLeft(), 0, "the owner's removal goes through");
    await b.stop();
  } finally {
    for (const s of stores) await s.close().catch(() => undefined);
    await dropSchema(schema);
  }
});

test('fleet leases: three engines settle at 86 + 85 + 85 partitions, each at its share at once', async () => {
  const schema = freshSchemaName('waymark_fleet');
  const stores: PostgresStore[] = [];
  const engines: PartitionLeases[] = [];
  try {
    for (const id of ['engine-a', 'engine-b', 'engine-c']) {
      const s = await openPostgresStore({
        connectionString: POSTGRES_TEST_URL,
        schema,
        maxConnections: 3,
      });
      stores.push(s);
      const leases = new PartitionLeases({ pool: s.pool, store: s, id, ...fast });
      await leases.start();
      engines.push(leases);
    }
    const held = (): number[] => engines.map((e) => e.held.size);
    await until('an even split, 86/85/85', () => held().join('/') === '86/85/85');
    assert.equal(new Set(engines.flatMap((e) => [...e.held])).size, 256);
    // The last to join reaches its share, so a start that waits for it does not wait the timeout out.
    for (const e of engines) assert.equal(await e.settled(fast.leaseMs), true);
  } finally {
    for (const e of engines) await e.stop().catch(() => undefined);
    for (const s of stores) await s.close().catch(() => undefined);
    await dropSchema(schema);
  }
});
