// /metrics after a Luma scenario: shoppers check out over HTTP, some buy, the rest leave their cart
// until the reminder's timer fires. The scrape (with an API key, like every route) shows the events
// by outcome, the commits, the custom action (LoyaltyService) and the messages by channel and
// status, the timers fired with their lag, and the backlog by partition, owned by this engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { observedWorld, sample } from './world.ts';

test('a scrape after the Luma journeys counts events, commits, actions, messages and timers; the backlog is by partition and owner', async () => {
  const w = await observedWorld({ engineId: 'engine-a' });
  try {
    assert.equal(
      (await w.request('GET', '/metrics', undefined, null)).status,
      401,
      'a scrape needs a key',
    );
    assert.equal((await w.request('GET', '/metrics', undefined, 'not-a-key')).status, 401);
    // Other spellings reach the metrics with a key or not at all (the console's pages answer unknown paths).
    for (const path of [
      '/METRICS',
      '/metrics/',
      '/%6detrics',
      '/x/../metrics',
      '/x/%2e%2e/metrics',
      '//metrics',
      '/metrics;a=b',
      '/metrics?x=1',
    ]) {
      const res = await fetch(`${w.url}${path}`);
      assert.ok(
        res.status !== 200 || !(await res.text()).includes('waymark_'),
        `${path} without a key answers no metrics`,
      );
    }

    const shoppers = ['ada', 'bob', 'cyd', 'dee'].map((n) => `${n}@metrics.example`);
    const checkouts = shoppers.map((email, i) =>
      lumaEvent('LumaCheckoutEvent_Email', email, cart, `m-checkout-${i}`),
    );
    assert.equal((await w.request('POST', '/v1/events', checkouts)).status, 202);
    assert.equal(
      (await w.request('POST', '/v1/events', checkouts[0])).status,
      202,
      'the same event again: a duplicate',
    );
    assert.equal(
      (
        await w.request('POST', '/v1/events', {
          id: 'm-bad',
          type: 'LumaCheckoutEvent_Email',
          payload: {},
        })
      ).status,
      422,
    );
    const purchases = shoppers
      .slice(0, 2)
      .map((email, i) => lumaEvent('LumaPurchaseEvent_Email', email, cart, `m-purchase-${i}`));
    assert.equal((await w.request('POST', '/v1/events', purchases)).status, 202);

    // Before the reminders are due: their timers wait, in partition 0, owned by this engine.
    let m = (await w.request('GET', '/metrics')).text;
    assert.equal(
      sample(m, 'waymark_events_ingested_total', {
        sandbox: 'prod',
        source: 'http',
        outcome: 'accepted',
      }),
      6,
    );
    assert.equal(sample(m, 'waymark_events_ingested_total', { outcome: 'duplicate' }), 1);
    assert.equal(sample(m, 'waymark_events_ingested_total', { outcome: 'rejected' }), 1);
    assert.equal(
      sample(m, 'waymark_ingest_duration_seconds_count', { source: 'http' }),
      4,
      'one per request',
    );
    assert.ok(sample(m, 'waymark_commits_total') >= 4);
    assert.ok(sample(m, 'waymark_commit_rows_total', { kind: 'events' }) >= 6);
    assert.ok(sample(m, 'waymark_commit_duration_seconds_count') >= 4);
    assert.equal(
      sample(m, 'waymark_action_calls_total', { outcome: 'ok' }),
      w.loyaltyCalls(),
      'one LoyaltyService call per purchase, counted',
    );
    assert.equal(w.loyaltyCalls(), 2);
    assert.ok(
      sample(m, 'waymark_deliveries_total', { channel: 'email', status: 'sent' }) >= 2,
      'the order confirmations',
    );
    assert.equal(sample(m, 'waymark_partitions_owned', { owner: 'engine-a' }), 256);
    assert.equal(sample(m, 'waymark_fleet_engines'), 1);
    assert.match(
      m,
      /waymark_partition_timers_due\{partition="0",owner="engine-a",engine="engine-a"\} 0/,
    );
    assert.match(
      m,
      /waymark_partition_outbox_pending\{partition="255",owner="engine-a",engine="engine-a"\} 0/,
    );
    assert.doesNotMatch(
      m,
      /^waymark_process_cpu_seconds_total/m,
      'process metrics are for a server (waymark serve), not each app',
    );

    // The reminders come due; stopped clock, so they are late by what the test says.
    assert.equal(sample(m, 'waymark_timers_fired_total', { kind: 'instance' }), 0);
    const next = await w.app.reads.nextTimerDue();
    assert.ok(next !== null);
    w.clock.set(next + 3_000);
    m = (await w.request('GET', '/metrics')).text;
    // Each reminder waits in its shopper's partition.
    const samples = (name: string): number[] =>
      [...m.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))].map((x) => Number(x[1]));
    assert.ok(
      samples('waymark_partition_timers_due').reduce((a, b) => a + b, 0) >= 1,
      'due, not fired yet (request settles after the scrape)',
    );
    assert.ok(Math.max(...samples('waymark_partition_timers_lag_seconds')) >= 3);
    assert.ok(sample(m, 'waymark_timers_lag_seconds') >= 3);
    await w.app.engine.settle();
    m = (await w.request('GET', '/metrics')).text;
    assert.equal(
      sample(m, 'waymark_timers_fired_total', { sandbox: 'prod', kind: 'instance' }),
      2,
      'the reminders of the two who did not buy fired',
    );
    assert.equal(
      sample(m, 'waymark_timer_lag_seconds_sum', { kind: 'instance' }),
      6,
      'two reminders, 3 s late each',
    );
    assert.ok(
      sample(m, 'waymark_timer_lag_seconds_bucket', { kind: 'instance', le: '5' }) >= 1,
      'with about 3 s of lag',
    );
    assert.equal(sample(m, 'waymark_partition_timers_due', { partition: '0' }), 0);
    assert.equal(sample(m, 'waymark_errors_total'), 0);
  } finally {
    await w.close();
  }
});
