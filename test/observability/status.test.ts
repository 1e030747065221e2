// The fleet on GET /v1/status/fleet and in `waymark status`. On the embedded store one engine owns
// all 256 partitions; a shopper's reminder timer is counted in its partition when it comes due,
// and lags once it waited ten seconds. In a fleet, the CLI groups the partitions by owner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FleetView } from '../../src/api/routes/status.ts';
import { registerStatusCommand } from '../../src/cli/commands/status.ts';
import { formatFleet, ranges } from '../../src/cli/commands/status-fleet.ts';
import { cliRunner } from '../support/cli.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { observedWorld } from './world.ts';
import { partitionOfIdentity } from '../../src/shared/partition.ts';

test('one engine owns every partition; a due timer shows in its partition with its lag, in the API and in `waymark status`', async () => {
  const w = await observedWorld({ engineId: 'solo-engine' });
  try {
    assert.equal((await w.request('GET', '/v1/status/fleet', undefined, null)).status, 401);
    let f = (await w.request('GET', '/v1/status/fleet')).json() as FleetView;
    assert.deepEqual(
      [f.mode, f.partitionCount, f.self, f.laggingAfterMs],
      ['single', 256, 'solo-engine', 10_000],
    );
    assert.equal(f.engines.length, 1);
    assert.deepEqual(
      [f.engines[0]!.id, f.engines[0]!.partitions, f.engines[0]!.pid],
      ['solo-engine', 256, process.pid],
    );
    assert.equal(f.partitions.length, 256);
    assert.ok(
      f.partitions.every(
        (p, i) => p.partition === i && p.owner === 'solo-engine' && p.leaseExpiresAt === null,
      ),
    );
    assert.deepEqual(f.totals, {
      timersDue: 0,
      timersLagMs: 0,
      outboxPending: 0,
      unowned: 0,
      lagging: 0,
    });

    assert.equal(
      (
        await w.request(
          'POST',
          '/v1/events',
          lumaEvent('LumaCheckoutEvent_Email', 'status@fleet.example', cart, 'fleet-checkout-1'),
        )
      ).status,
      202,
    );
    const due = await w.app.reads.nextTimerDue();
    assert.ok(due !== null);
    // Twelve seconds past the reminder, the engine not having fired it yet (the request below settles after answering).
    w.clock.set(due + 12_000);
    f = (await w.request('GET', '/v1/status/fleet')).json() as FleetView;
    // The shopper's partition, from the identity that created the profile.
    const p = partitionOfIdentity('Email', 'status@fleet.example');
    assert.deepEqual(
      { ...f.partitions[p]! },
      {
        partition: p,
        owner: 'solo-engine',
        leaseExpiresAt: null,
        timersDue: 1,
        timersLagMs: 12_000,
        outboxPending: 0,
      },
    );
    assert.deepEqual(f.totals, {
      timersDue: 1,
      timersLagMs: 12_000,
      outboxPending: 0,
      unowned: 0,
      lagging: 1,
    });

    // The reminder fired and its email went out: nothing waits.
    w.clock.set(due + 12_000);
    const run = cliRunner(w.url, (program, out) => registerStatusCommand(program, out));
    const printed = await run('status');
    assert.match(printed, /^Waymark \S+, up \d+ s/);
    assert.match(printed, /^fleet: one engine \(it owns every partition\), 256 partitions$/m);
    assert.match(printed, /^\s+\* solo-engine\s+\S+\s+\d+\s+256\s/m);
    assert.match(printed, /^partitions by owner:$/m);
    assert.match(printed, /^\s+solo-engine \*\s+256\s+0\s+0 ms\s+0\s+0\s+0-255$/m);
    assert.match(
      printed,
      /^no partition lags \(a partition lags when its oldest due timer waited 10 s or more\)$/m,
    );
    assert.match(printed, /^sandbox prod:$/m);

    const json = JSON.parse(await run('status', '--json')) as { sandbox: string; fleet: FleetView };
    assert.equal(json.sandbox, 'prod');
    assert.equal(json.fleet.partitions.length, 256);
    assert.equal(json.fleet.self, 'solo-engine');
  } finally {
    await w.close();
  }
});

test('in a fleet the CLI groups partitions by owner as ranges, lists those in handoff and the lagging ones', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const engine = (id: string, partitions: number) => ({
    id,
    host: `host-${id}`,
    pid: 100,
    startedAt: '2026-12-03T11:00:00.000Z',
    heartbeatAt: new Date(now - 800).toISOString(),
    partitions,
  });
  const owner = (p: number): string | null =>
    p < 100 ? 'engine-a' : p < 200 ? 'engine-b' : p < 250 ? 'engine-c' : null;
  const view: FleetView = {
    mode: 'fleet',
    partitionCount: 256,
    self: 'engine-b',
    laggingAfterMs: 10_000,
    engines: [engine('engine-a', 100), engine('engine-b', 100), engine('engine-c', 50)],
    partitions: Array.from({ length: 256 }, (_, p) => ({
      partition: p,
      owner: owner(p),
      leaseExpiresAt: owner(p) === null ? null : new Date(now + 4000).toISOString(),
      timersDue: p === 7 ? 40 : p >= 250 ? 2 : 0,
      timersLagMs: p === 7 ? 95_000 : p >= 250 ? 12_500 : 0,
      outboxPending: p % 50 === 0 ? 3 : 0,
    })),
    totals: { timersDue: 52, timersLagMs: 95_000, outboxPending: 18, unowned: 6, lagging: 7 },
  };
  const text = formatFleet(view, now);
  assert.match(text, /^fleet: 3 engines, 256 partitions$/m);
  assert.match(
    text,
    /^\s+\* engine-b\s+host-engine-b\s+100\s+100\s+2026-12-03T11:00:00.000Z\s+800 ms ago$/m,
  );
  assert.match(text, /^\s+engine-a\s+100\s+40\s+1 min 35 s\s+6\s+1\s+0-99$/m);
  assert.match(text, /^\s+engine-b \*\s+100\s+0\s+0 ms\s+6\s+0\s+100-199$/m);
  assert.match(text, /^\s+engine-c\s+50\s+0\s+0 ms\s+3\s+0\s+200-249$/m);
  assert.match(text, /^\s+\(nobody: in handoff\)\s+6\s+12\s+13 s\s+3\s+6\s+250-255$/m);
  assert.match(text, /^lagging partitions \(oldest due timer waited 10 s or more\): 7$/m);
  assert.match(text, /^\s+7\s+engine-a\s+40\s+1 min 35 s\s+0$/m, 'the most late first');
  assert.equal(ranges([5, 1, 2, 3, 9, 10, 12]), '1-3, 5, 9-10, 12');
});
