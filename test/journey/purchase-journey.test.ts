// The lab's Purchase Journey, end to end on the engine with a virtual clock and a real LoyaltyService.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offerFor } from '../../examples/luma/loyalty-service.ts';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

const MINUTE = 60_000;

describe('Purchase Journey', () => {
  test('checkout then purchase within the timeout: one LoyaltyService call, one confirmation carrying the promo code', async () => {
    const w = await lumaWorld();
    try {
      const email = 'tom.baker@luma.example';
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      await w.advance(20_000);
      const [accepted] = await w.send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
      assert.equal(accepted?.status, 'accepted');

      assert.equal(w.loyalty.calls.length, 1);
      assert.deepEqual(
        { loyaltyId: w.loyalty.calls[0]!.loyaltyId, orderValue: w.loyalty.calls[0]!.orderValue },
        { loyaltyId: email, orderValue: 92 },
      );

      const profileId = accepted!.status === 'accepted' ? accepted!.profileId : '';
      const messages = await w.app.reads.messages('prod', { profileId, limit: 10 });
      assert.equal(messages.length, 1);
      const [confirmation] = messages;
      assert.equal(confirmation!.label, 'Order Confirmation Email');
      assert.equal(confirmation!.status, 'sent');
      const mail = await until(() => w.inbox.list({ to: email })[0]);
      assert.equal(mail.subject, 'Tom, your order confirmation', 'the mail went out over SMTP');
      assert.ok(mail.html.includes(offerFor(email, 92).PromoCode));
      assert.equal(mail.from, 'news@luma.example');
      assert.ok(
        mail.html.includes('/assets/prod/luma-mobile-app?v=1') &&
          !mail.html.includes('/assets/prod/luma-loyalty-plus'),
        'Tom has no app: the mobile-app banner variant, served by Waymark',
      );
      assert.ok(mail.text.includes(offerFor(email, 92).PromoCode), 'the text part carries it too');
      assert.equal(confirmation!.subject, 'Tom, your order confirmation');
      assert.ok(
        confirmation!.body!.includes(offerFor(email, 92).PromoCode),
        'the promo code is in the email',
      );
      assert.ok(
        confirmation!.body!.includes('Didi Sport Watch') &&
          confirmation!.body!.includes('Affirm Water Bottle'),
        'one row per item',
      );

      // Nothing fires later: the timeout was cancelled.
      await w.advance(2 * MINUTE);
      assert.equal((await w.app.reads.messages('prod', { profileId, limit: 10 })).length, 1);
      const [instance] = await w.app.reads.instances('prod', { profileId, limit: 5 });
      assert.equal(instance!.status, 'exited');
      assert.deepEqual(
        instance!.path.map((p) => `${p.node}:${p.outcome}`),
        [
          'checkout:LumaCheckoutEvent_Email',
          'purchase:LumaPurchaseEvent_Email',
          'loyalty:ok',
          'confirmation:sent',
        ],
      );
    } finally {
      await w.close();
    }
  });

  test('checkout and no purchase: app users get the push, others the email; a later purchase leads to the confirmation', async () => {
    const w = await lumaWorld();
    try {
      const appUser = 'sarah.miller@luma.example';
      const webUser = 'jean.dupont@luma.example';
      const [a, b] = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', appUser, cart),
        lumaEvent('LumaCheckoutEvent_Email', webUser, cart),
      ]);
      const idOf = (r: typeof a): string => (r?.status === 'accepted' ? r.profileId : '');
      await w.advance(59_000);
      assert.equal(
        (await w.app.reads.messages('prod', { limit: 10 })).length,
        0,
        'nothing before the timeout',
      );
      await w.advance(2_000);

      const [push] = await w.app.reads.messages('prod', { profileId: idOf(a), limit: 10 });
      assert.equal(push?.channel, 'push');
      assert.equal(push?.label, 'Abandoned Cart Push');
      assert.equal(push?.recipient, 'dev-token-sarah');
      assert.equal(push?.status, 'sent');
      const delivered = await until(() =>
        w.providers.push.find((p) => p.deviceToken === 'dev-token-sarah'),
      );
      assert.equal(
        delivered.platform,
        'apns',
        'an iOS token goes through APNs (HTTP/2, ES256 provider token)',
      );
      const [mail] = await w.app.reads.messages('prod', { profileId: idOf(b), limit: 10 });
      assert.equal(mail?.channel, 'email');
      assert.equal(mail?.label, 'Abandoned Cart Email');
      assert.equal(
        mail?.subject,
        'Jean, votre panier vous attend',
        'Jean prefers French: the French variant of the template',
      );
      assert.equal((mail?.payload as { locale?: string }).locale, 'fr_FR');
      assert.equal(w.loyalty.calls.length, 0);

      await w.advance(10 * MINUTE);
      await w.send([lumaEvent('LumaPurchaseEvent_Email', webUser, [cart[0]!])]);
      assert.equal(w.loyalty.calls.length, 1);
      const after = await w.app.reads.messages('prod', { profileId: idOf(b), limit: 10 });
      assert.deepEqual(
        after.map((m) => m.label),
        ['Abandoned Cart Email', 'Order Confirmation Email'],
      );
      assert.ok(after[1]!.body!.includes(offerFor(webUser, 92).PromoCode));

      const report = await w.app.reads.counters('prod', 'purchase-journey');
      const count = (node: string | null, metric: string): number =>
        report.find((r) => r.node === node && r.metric === metric)?.value ?? 0;
      assert.equal(count(null, 'entered'), 2);
      assert.equal(count('purchase', 'timeout'), 2);
      assert.equal(count('abandoned-push', 'entered'), 1);
      assert.equal(count('abandoned-email', 'entered'), 1);
      assert.equal(count(null, 'exited'), 1, 'Jean finished; Sarah still waits for her purchase');
    } finally {
      await w.close();
    }
  });

  test('a second checkout within the re-entrance wait is ignored; after it the profile can re-enter', async () => {
    const w = await lumaWorld();
    try {
      const email = 'ana.garcia@luma.example';
      const [first] = await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      const profileId = first?.status === 'accepted' ? first.profileId : '';
      await w.send([lumaEvent('LumaPurchaseEvent_Email', email, cart)]);
      let instances = await w.app.reads.instances('prod', { profileId, limit: 10 });
      assert.equal(instances.length, 1);
      assert.equal(instances[0]!.status, 'exited');

      await w.advance(2 * MINUTE);
      const [ignored] = await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      assert.deepEqual(ignored?.status === 'accepted' ? ignored.journeys : null, []);
      assert.equal(
        (await w.app.reads.instances('prod', { profileId, limit: 10 })).length,
        1,
        'no new instance within 5 minutes',
      );

      await w.advance(4 * MINUTE);
      const [again] = await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      assert.deepEqual(again?.status === 'accepted' ? again.journeys : null, ['purchase-journey']);
      instances = await w.app.reads.instances('prod', { profileId, limit: 10 });
      assert.equal(instances.length, 2);
      assert.equal(instances.filter((i) => i.status === 'active').length, 1);
    } finally {
      await w.close();
    }
  });

  test('a dead push token is answered by the provider, recorded, and removed from the profile', async () => {
    const w = await lumaWorld();
    try {
      const email = 'kim.lee@luma.example';
      await w.app.profiles.put('prod', 'Email', email, {
        attributes: {
          person: { name: { firstName: 'Kim' } },
          mobileApp: { installed: true },
          pushNotificationDetails: [
            { appId: 'com.luma.dxdemoapp', platform: 'android', token: 'invalid-kim' },
          ],
        },
        identities: [],
      });
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      await w.advance(61_000);
      const profile = await w.app.profiles.get('prod', 'Email', email);
      const [push] = await w.app.reads.messages('prod', { profileId: profile.id, limit: 5 });
      assert.equal(push?.status, 'failed');
      assert.equal(push?.reason, 'invalid_token');
      assert.deepEqual(profile.attributes.pushNotificationDetails, []);
    } finally {
      await w.close();
    }
  });

  test('a checkout while already in the journey does not start a second instance', async () => {
    const w = await lumaWorld();
    try {
      const email = 'tom.baker@luma.example';
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      const [second] = await w.send([lumaEvent('LumaCheckoutEvent_Email', email, cart)]);
      assert.deepEqual(second?.status === 'accepted' ? second.journeys : null, []);
      assert.equal(
        (await w.app.reads.instances('prod', { journeyId: 'purchase-journey', limit: 10 })).length,
        1,
      );
    } finally {
      await w.close();
    }
  });

  test('one ingest call of mixed events answers each as if sent alone: stored and in-call duplicates, a new profile twice, a profile already waiting', async () => {
    const w = await lumaWorld();
    try {
      const waiting = 'tom.baker@luma.example';
      const fresh = 'new.shopper@luma.example';
      await w.send([lumaEvent('LumaCheckoutEvent_Email', waiting, cart, 'stored-1')]);
      const noId = (e: Record<string, unknown>): Record<string, unknown> => {
        const { id: _id, ...rest } = e;
        return rest;
      };
      const results = await w.send([
        lumaEvent('LumaCheckoutEvent_Email', waiting, cart, 'stored-1'),
        lumaEvent('LumaPurchaseEvent_Email', waiting, cart, 'buy-1'),
        lumaEvent('LumaCheckoutEvent_Email', fresh, cart, 'fresh-1'),
        lumaEvent('LumaCheckoutEvent_Email', fresh, cart, 'fresh-1'),
        noId(lumaEvent('LumaCheckoutEvent_Email', fresh, cart)),
        { type: 'LumaCheckoutEvent_Email', payload: {} },
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['duplicate', 'accepted', 'accepted', 'duplicate', 'accepted', 'rejected'],
      );
      const [, purchase, first, , third, rejected] = results;
      assert.deepEqual(
        purchase?.status === 'accepted' ? purchase.journeys : null,
        ['purchase-journey'],
        'the purchase reached the instance waiting since the earlier call',
      );
      assert.deepEqual(first?.status === 'accepted' ? first.journeys : null, ['purchase-journey']);
      assert.deepEqual(
        third?.status === 'accepted' ? [third.profileId, third.journeys] : null,
        [first?.status === 'accepted' ? first.profileId : '', []],
        'one profile for the new shopper, already in the journey',
      );
      assert.ok(
        third?.status === 'accepted' &&
          typeof third.id === 'string' &&
          third.id.length > 0 &&
          third.id !== 'fresh-1',
        'an id generated for the event without one',
      );
      assert.ok(
        rejected?.status === 'rejected' &&
          typeof rejected.id === 'string' &&
          rejected.id.length > 0,
        'the rejected event without an id has one for its dead letter',
      );
      const instances = await w.app.reads.instances('prod', {
        journeyId: 'purchase-journey',
        limit: 10,
      });
      assert.equal(instances.length, 2);
    } finally {
      await w.close();
    }
  });
});
