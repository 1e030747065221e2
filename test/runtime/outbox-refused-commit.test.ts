// An outbox item whose outcome cannot be committed (in a fleet: its partition changed owner while
// the call was out) fails alone: the items after it in the same round are still sent, nothing is
// left in flight, and the refused one is finished on a later round from its recorded outcome.
// One item at a time (dispatchConcurrency 1) makes the round's order exact; the LoyaltyService is a
// real HTTP server and the store a real SQLite store that refuses, as a fenced commit does.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { lumaPackage } from '../../examples/luma/index.ts';
import { startLoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { ErrorCode, WaymarkError } from '../../src/errors.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { startDevProviders } from '../../src/runtime/dev-providers.ts';
import type { CommitBatch } from '../../src/store/ports/batch.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { cart, lumaEvent, PUBLIC_URL, T0, TRACKING_SECRET } from '../support/luma.ts';

/** Refuses every commit that finishes the outbox item named, as a store refuses a fenced partition's commit. */
class RefusingStore extends SqliteStore {
  refuse: string | null = null;
  refused = 0;
  override commit(batch: CommitBatch): Promise<void> {
    if (this.refuse !== null && batch.outboxDone?.includes(this.refuse)) {
      this.refused++;
      return Promise.reject(
        new WaymarkError(
          ErrorCode.Conflict,
          'this engine no longer holds the lease of partition 7',
        ),
      );
    }
    return super.commit(batch);
  }
}

test('a send whose outcome cannot commit fails alone: the rest of its round is sent, and it is finished later from its record', async () => {
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const store = new RefusingStore(':memory:');
  const app = createWaymark({
    store,
    clock: new ManualClock(T0),
    allowHosts: { prod: ['127.0.0.1'] },
    tracking: { secret: TRACKING_SECRET, baseUrl: PUBLIC_URL },
    dispatchConcurrency: 1,
  });
  try {
    await app.packages.apply(
      'prod',
      lumaPackage({
        loyaltyUrl: loyalty.url,
        devSmtpPort: providers.smtp.port,
        push: providers.pushSettings,
        publicUrl: PUBLIC_URL,
      }),
    );
    const buyers = ['ann@luma.example', 'bob@luma.example', 'cy@luma.example'];
    await app.engine.ingest(
      'prod',
      buyers.map((e) => lumaEvent('LumaCheckoutEvent_Email', e, cart)),
    );
    await app.engine.ingest(
      'prod',
      buyers.map((e) => lumaEvent('LumaPurchaseEvent_Email', e, cart)),
    );
    const calls = await store.pendingOutbox(Date.now() + 60_000, 100);
    assert.equal(calls.filter((i) => i.kind === 'callAction').length, 3, 'a call per purchase');
    const first = calls.find((i) => i.kind === 'callAction')!;
    store.refuse = first.id;

    // The round: the first call is made but its outcome refused; the two after it are made and finished.
    await assert.rejects(app.engine.dispatchOutbox(), /no longer holds the lease/);
    assert.ok(store.refused >= 1, 'the first outcome was refused');
    assert.equal(
      new Set(loyalty.calls.map((c) => c.idempotencyKey)).size,
      3,
      'all three calls made',
    );
    const left = await store.pendingOutbox(Date.now() + 60_000, 100);
    assert.deepEqual(
      left.filter((i) => i.kind === 'callAction').map((i) => i.id),
      [first.id],
      'only the refused call is left',
    );

    // Accepted again: the next round finishes it from the recorded outcome (not called again), and every journey goes on.
    store.refuse = null;
    await app.engine.settle();
    const keys = new Map<string, number>();
    for (const c of loyalty.calls)
      keys.set(String(c.idempotencyKey), (keys.get(String(c.idempotencyKey)) ?? 0) + 1);
    assert.equal(keys.size, 3, 'one idempotency key per purchase');
    assert.deepEqual([...keys.values()], [1, 1, 1], 'each called once');
    assert.equal(
      app.engine.delivery.finishedFromRecord,
      1,
      'the refused one finished from its record',
    );
    assert.deepEqual(await store.pendingOutbox(Date.now() + 60_000, 100), [], 'nothing left');
    const confirmations = (await store.messages('prod', { limit: 100 })).filter(
      (m) => m.label === 'Order Confirmation Email',
    );
    assert.equal(confirmations.length, 3, 'a confirmation per purchase');
  } finally {
    await app.close();
    await loyalty.close();
    await providers.close();
  }
});
