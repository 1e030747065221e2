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

/** The Luma demo on a refusing store, one outbox item at a time, with a real LoyaltyService and providers. */
async function refusingWorld() {
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
  await app.packages.apply(
    'prod',
    lumaPackage({
      loyaltyUrl: loyalty.url,
      devSmtpPort: providers.smtp.port,
      push: providers.pushSettings,
      publicUrl: PUBLIC_URL,
    }),
  );
  return {
    app,
    store,
    providers,
    loyalty,
    /** Each buyer checks out, then purchases. */
    async purchase(buyers: readonly string[]): Promise<void> {
      for (const type of ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email'] as const)
        await app.engine.ingest(
          'prod',
          buyers.map((e) => lumaEvent(type, e, cart)),
        );
    },
    async close(): Promise<void> {
      await app.close();
      await loyalty.close();
      await providers.close();
    },
  };
}

test('a send whose outcome cannot commit fails alone: the rest of its round is sent, and it is finished later from its record', async () => {
  const { app, store, loyalty, purchase, close } = await refusingWorld();
  try {
    const buyers = ['ann@luma.example', 'bob@luma.example', 'cy@luma.example'];
    await purchase(buyers);
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
    await close();
  }
});

test('a sent email whose step cannot commit is in the delivery log once, its outbox item naming it, and is finished later from that record', async () => {
  const { app, store, providers, purchase, close } = await refusingWorld();
  try {
    const buyers = ['ann@luma.example', 'bob@luma.example'];
    await purchase(buyers);
    // The LoyaltyService calls first; their results put the confirmation emails in the outbox.
    await app.engine.dispatchOutbox();
    const emails = (await store.pendingOutbox(Date.now() + 60_000, 100)).filter(
      (i) => i.kind === 'sendMessage',
    );
    assert.equal(emails.length, 2, 'a confirmation email per purchase');
    const first = emails[0]!;
    store.refuse = first.id;

    await assert.rejects(app.engine.dispatchOutbox(), /no longer holds the lease/);
    // Sent, and logged by its mark: the outbox row names the record instead of carrying it.
    const logged = await store.messageById('prod', first.id);
    assert.equal(logged?.status, 'sent');
    assert.match(logged?.body ?? '', /<html/i, 'the rendered email is in the delivery log');
    const left = await store.pendingOutbox(Date.now() + 60_000, 100);
    assert.deepEqual(
      left.map((i) => [i.id, i.sent?.outcome]),
      [[first.id, { kind: 'messageStored', messageId: first.id }]],
    );

    store.refuse = null;
    await app.engine.settle();
    assert.equal(app.engine.delivery.finishedFromRecord, 1, 'finished from its record');
    assert.deepEqual(await store.pendingOutbox(Date.now() + 60_000, 100), [], 'nothing left');
    const confirmations = (await store.messages('prod', { limit: 100 })).filter(
      (m) => m.label === 'Order Confirmation Email',
    );
    assert.equal(confirmations.length, 2, 'one record per email');
    for (const buyer of buyers)
      assert.equal(
        providers.email.list({ to: buyer }).filter((m) => /order/i.test(m.subject ?? '')).length,
        1,
        `${buyer} got one confirmation`,
      );
    // The journey took the outcome: each instance went past its confirmation email.
    const node = first.kind === 'sendMessage' ? first.payload.node : '';
    const step = (await store.getInstance(first.instanceId))?.state.path.find(
      (p) => p.node === node,
    );
    assert.equal(step?.outcome, 'sent', 'the journey took the outcome');
    assert.notEqual(step?.left, undefined, 'and left the email activity');
  } finally {
    await close();
  }
});
