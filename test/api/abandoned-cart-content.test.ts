// The lab's abandoned-cart branch: "send an email with the content of the pending cart". A checkout
// with no purchase within the minute sends the Abandoned Cart Email, which lists the checkout's items
// through the same `each` and Order Content fragment as the Order Confirmation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lumaEvent, lumaWorld } from '../support/luma.ts';

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting for the mail');
}

describe('Abandoned Cart Email content', () => {
  test('checkout, no purchase, timeout: the email received over SMTP lists every item of the cart with its quantity and price', async () => {
    const w = await lumaWorld();
    try {
      const email = 'jean.dupont@luma.example';
      const pending = [
        { name: 'Zing Jump Rope', SKU: '24-UG04', quantity: 3, priceTotal: 36 },
        { name: 'Sprite Yoga Strap', SKU: '24-WG085', quantity: 1, priceTotal: 14.5 },
      ];
      await w.send([lumaEvent('LumaCheckoutEvent_Email', email, pending)]);
      await w.advance(61_000);
      const mail = await until(() => w.inbox.list({ to: email })[0]);
      assert.match(
        mail.subject,
        /your cart is waiting|tu carrito te espera|votre panier vous attend/,
      );
      const rows = [
        ...mail.html.matchAll(
          /<tr class="order-item"><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g,
        ),
      ].map((m) => m.slice(1));
      assert.deepEqual(rows, [
        ['Zing Jump Rope', '24-UG04', '3', '$36.00'],
        ['Sprite Yoga Strap', '24-WG085', '1', '$14.50'],
      ]);
      const [message] = await w.app.reads.messages('prod', {
        journeyId: 'purchase-journey',
        limit: 5,
      });
      assert.equal(message!.label, 'Abandoned Cart Email');
      assert.ok(
        message!.text!.includes('Zing Jump Rope') && message!.text!.includes('Sprite Yoga Strap'),
        'the text part lists the items too',
      );
    } finally {
      await w.close();
    }
  });
});
