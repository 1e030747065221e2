// The engine on PostgreSQL: the Luma demo's Purchase Journey end to end, as
// test/journey/purchase-journey.test.ts runs it on SQLite, with the store in a fresh schema of a
// real PostgreSQL (dropped afterwards). Fails, not skips, when PostgreSQL is down.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lumaImages, lumaPackage } from '../../examples/luma/index.ts';
import { offerFor, startLoyaltyService } from '../../examples/luma/loyalty-service.ts';
import { createWaymark } from '../../src/runtime/app.ts';
import { ManualClock } from '../../src/runtime/clock.ts';
import { startDevProviders } from '../../src/runtime/dev-providers.ts';
import { cart, lumaEvent, PUBLIC_URL, T0, TRACKING_SECRET } from '../support/luma.ts';
import { until } from '../support/process.ts';
import { openPostgresTestStore } from '../support/test-store.ts';

test('the Purchase Journey runs on PostgreSQL: checkout then purchase lead to one order confirmation and a finished instance', async () => {
  const store = await openPostgresTestStore();
  const loyalty = await startLoyaltyService();
  const providers = await startDevProviders({ smtpPort: 0 });
  const clock = new ManualClock(T0);
  const app = createWaymark({
    store,
    clock,
    allowHosts: { prod: ['127.0.0.1'] },
    tracking: { secret: TRACKING_SECRET, baseUrl: PUBLIC_URL },
  });
  const send = async (events: unknown[]) => {
    const r = await app.engine.ingest('prod', events);
    await app.engine.settle();
    return r;
  };
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(Math.min(1000, ms - t));
      await app.engine.settle();
    }
  };
  try {
    const applied = await app.packages.apply(
      'prod',
      lumaPackage({
        loyaltyUrl: loyalty.url,
        devSmtpPort: providers.smtp.port,
        push: providers.pushSettings,
        publicUrl: PUBLIC_URL,
      }),
    );
    for (const image of lumaImages()) await app.assets.storeImage('prod', image.id, 1, image.bytes);
    assert.deepEqual(
      applied.objects.filter((o) => o.status === 'publish_failed'),
      [],
      'the Luma package publishes on PostgreSQL',
    );

    const email = 'tom.baker@luma.example';
    await send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
    await advance(20_000);
    const [accepted] = await send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
    assert.equal(accepted?.status, 'accepted');
    const profileId = accepted!.status === 'accepted' ? accepted!.profileId : '';
    assert.equal(loyalty.calls.length, 1);

    const [confirmation, ...others] = await store.messages('prod', { profileId, limit: 10 });
    assert.deepEqual(others, []);
    assert.equal(confirmation!.label, 'Order Confirmation Email');
    assert.equal(confirmation!.status, 'sent');
    assert.ok(
      confirmation!.body!.includes(offerFor(email, 92).PromoCode),
      'the promo code from the LoyaltyService is in the email',
    );
    const mail = await until(
      'the confirmation in the inbox',
      () => providers.email.list({ to: email })[0],
      2000,
      20,
    );
    assert.equal(mail.subject, 'Tom, your order confirmation', 'the mail went out over SMTP');

    // Nothing fires later: the timeout was cancelled, and the instance is finished.
    await advance(2 * 60_000);
    assert.equal((await store.messages('prod', { profileId, limit: 10 })).length, 1);
    const [instance] = await store.instances('prod', { profileId, limit: 5 });
    assert.equal(instance!.status, 'exited');
    assert.equal(instance!.exitReason, 'completed');
    assert.deepEqual(
      instance!.path.map((p) => `${p.node}:${p.outcome}`),
      [
        'checkout:LumaCheckoutEvent_Email',
        'purchase:LumaPurchaseEvent_Email',
        'loyalty:ok',
        'confirmation:sent',
      ],
    );
    assert.equal(await store.nextTimerDue(), null, 'no timer left');
    assert.equal(await store.nextOutboxDue(), null, 'no effect left');
    const counters = await store.counters('prod', 'purchase-journey');
    assert.equal(counters.find((c) => c.node === null && c.metric === 'entered')?.value, 1);
    assert.equal(counters.find((c) => c.node === null && c.metric === 'exited')?.value, 1);
  } finally {
    await app.close();
    await loyalty.close();
    await providers.close();
  }
});
