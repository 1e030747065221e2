// The Luma storefront (/demo/luma/, served by `waymark serve --demo`) in Chromium, through
// @waymark/web: a shopper signs in with an email, browses, fills a cart and checks out without
// buying, and the profile holds the checkout event; on the next visit the Cart reminder journey's
// in-app modal greets them by first name, its hero experience speaks of the cart, and the modal's
// button records the click (this part needs the in-app and code-based channels on the server, and
// is skipped where the server's model has no in-app activity).
// Then the shopper enables notifications: the SDK registers the browser through the real Web Push
// routes, a push sent to the profile reaches a local push service and decrypts, the SDK's
// service worker shows it, and reports a click on it (opened, then an action clicked).
/// <reference path="../support/http-ece.d.ts" />
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Request } from 'playwright-core';
import { supportsInApp } from '../../examples/luma/index.ts';
import { startWebPushService, type WebPushService } from '../support/web-push-service.ts';
import { openBrowser, type Browser } from './support/browser.ts';
import { startWaymark, type Running } from './support/server.ts';

const SHOPPER = 'tom.baker@luma.example'; // a demo profile: Tom Baker

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the Luma storefront with @waymark/web', () => {
  let server: Running;
  let browser: Browser;
  let push: WebPushService;
  before(async () => {
    push = await startWebPushService();
    // The local push service is on loopback: the server may reach exactly its host:port.
    server = await startWaymark({ args: ['--allow-hosts', new URL(push.url).host] });
    // Web push (notifications through the service worker) runs in the full browser only.
    browser = await openBrowser({ fullBrowser: true });
  });
  after(async () => {
    await browser?.shot('storefront-zz-last').catch(() => undefined);
    await browser?.close();
    await server?.close();
    await push?.close();
  });

  test('serves the SDK, and the storefront with a write key that may only send events', async () => {
    const sdk = await fetch(`${server.url}/sdk/waymark-web.js`);
    assert.equal(sdk.status, 200);
    assert.match(sdk.headers.get('content-type') ?? '', /javascript/);
    assert.match(sdk.headers.get('cache-control') ?? '', /public/);
    assert.match(await sdk.text(), /createWaymark/);
    const html = await (await fetch(`${server.url}/demo/luma/`)).text();
    const key = /name="waymark-write-key" content="(wmk_[^"]+)"/.exec(html)?.[1];
    assert.ok(key, 'the page carries a write key');
    assert.notEqual(key, server.key);
    const asKey = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal((await asKey('/v1/journeys')).status, 403, 'the write key reads nothing');
    assert.equal((await asKey('/v1/profiles/Email/' + SHOPPER)).status, 403);
  });

  test('a shopper signs in, browses, fills the cart and checks out without buying', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/demo/luma/`);
    const products = page.getByRole('region', { name: 'Products' });
    await products.getByRole('heading', { name: 'Zing Jump Rope' }).waitFor();
    await products.getByRole('heading', { name: 'Didi Sport Watch' }).waitFor();
    // The header's logo is a header logo's size: its mark 40 px or more high, cropped to it.
    const logo = page
      .getByRole('banner')
      .getByRole('link')
      .filter({ has: page.getByAltText('Luma') });
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.brand img');
      return !!img?.complete && img.naturalWidth > 0;
    });
    const brand = (await logo.boundingBox())!;
    assert.ok(brand.height >= 40 && brand.height <= 56, `the logo is ${brand.height} px high`);
    const img = (await page.getByAltText('Luma').boundingBox())!;
    // The mark (the circle at 20..100 of the image's 120 px) and the name (up to 215 of its 400 px
    // wide) lie wholly inside the link's box.
    const scale = img.height / 120;
    assert.ok(
      img.y + 20 * scale >= brand.y - 1 && img.y + 100 * scale <= brand.y + brand.height + 1,
      'the mark is cut',
    );
    assert.ok(
      img.x + 20 * scale >= brand.x - 1 && img.x + 215 * scale <= brand.x + brand.width + 1,
      'the mark or the name is cut',
    );
    assert.ok(80 * scale >= 40, `the logo's mark is ${80 * scale} px high`);
    await browser.shotWide('storefront-00-header', true);
    await page
      .getByRole('form', { name: 'Sign in as a shopper' })
      .getByLabel('Email')
      .fill(SHOPPER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Signed in as ${SHOPPER}`).waitFor();

    await page.getByRole('button', { name: 'Add Zing Jump Rope to cart' }).click();
    await page.getByRole('button', { name: 'Add Zing Jump Rope to cart' }).click();
    await page.getByRole('button', { name: 'Add Didi Sport Watch to cart' }).click();
    const cart = page.getByRole('region', { name: 'Your cart' });
    await cart.getByText('2 × Zing Jump Rope').waitFor();
    await cart.getByText('$116.00').waitFor();
    await browser.shot('storefront-01-cart');
    await cart.getByRole('button', { name: 'Checkout' }).click();
    await page
      .getByRole('status')
      .getByText(/Checkout started/)
      .waitFor();

    const events = await until('the checkout event on the profile', async () => {
      const r = await server.api(
        'GET',
        `/v1/profiles/Email/${SHOPPER}/events?type=LumaCheckoutEvent_Email`,
      );
      return r?.items?.length ? r.items : undefined;
    });
    assert.deepEqual(events[0].payload.productListItems, [
      { name: 'Zing Jump Rope', SKU: '24-UG04', quantity: 2, priceTotal: 24 },
      { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
    ]);
    assert.equal(events[0].payload._aeppartner1.identification.core.email, SHOPPER);
    const purchases = await server.api(
      'GET',
      `/v1/profiles/Email/${SHOPPER}/events?type=LumaPurchaseEvent_Email`,
    );
    assert.equal(purchases.items.length, 0, 'no purchase: the cart was left');
    // The identity stays with the browser.
    assert.deepEqual(
      await page.evaluate(() => JSON.parse(localStorage.getItem('waymark.identity') ?? 'null')),
      { namespace: 'Email', id: SHOPPER },
    );
  });

  test(
    'on the next visit the in-app cart reminder greets the shopper and records the click',
    { skip: supportsInApp() ? false : 'needs the in-app channel (h-inapp)' },
    async () => {
      const { page } = browser;
      const interactions: Array<Record<string, unknown>> = [];
      const statuses: number[] = [];
      const onRequest = (r: Request) => {
        if (r.url().endsWith('/v1/inapp/interactions'))
          interactions.push(JSON.parse(r.postData() ?? '{}') as Record<string, unknown>);
      };
      page.on('request', onRequest);
      page.on('response', (r) => {
        if (r.url().endsWith('/v1/inapp/interactions')) statuses.push(r.status());
      });
      try {
        await page.goto(`${server.url}/demo/luma/`);
        const modal = page.getByRole('dialog', { name: 'Still thinking about it, Tom?' });
        await modal.waitFor();
        await modal.getByText(/Your cart is waiting/).waitFor();
        // The journey's code-based activity fills the storefront's hero for the shopper too.
        await page
          .getByRole('region', { name: 'Featured' })
          .getByRole('heading', { name: 'Tom, your cart is waiting' })
          .waitFor();
        await browser.shot('storefront-02-in-app-reminder');
        await until('displayed recorded', async () =>
          interactions.some((i) => i['interaction'] === 'displayed') ? true : undefined,
        );
        await modal.getByRole('button', { name: 'Back to my cart' }).click();
        await page.waitForURL(/\/demo\/luma\/cart$/);
        await until('the click recorded', async () => (statuses.length >= 2 ? true : undefined));
        const [displayed, clicked] = interactions;
        assert.equal(displayed?.['interaction'], 'displayed');
        assert.deepEqual(
          { ...clicked, messageId: undefined },
          {
            namespace: 'Email',
            id: SHOPPER,
            messageId: undefined,
            interaction: 'clicked',
            button: 'go',
          },
        );
        assert.equal(clicked?.['messageId'], displayed?.['messageId']);
        assert.deepEqual(statuses, [202, 202], 'both recorded');
        // Frequency once: the cart page (a page of /demo/luma/*) shows it no more.
        await page.getByRole('region', { name: 'Your cart' }).waitFor();
        assert.equal(await page.getByRole('dialog').count(), 0);
      } finally {
        page.off('request', onRequest);
      }
    },
  );

  test('enables notifications: the SDK registers the browser and a push to the profile arrives', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/demo/luma/`);
    await page.getByText(`Signed in as ${SHOPPER}`).waitFor();
    await page.context().grantPermissions(['notifications'], { origin: server.url });
    // Headless Chromium reaches no real push service (FCM), so PushManager.subscribe is replaced by
    // one answering the subscription a browser would: its endpoint is the local push service and its
    // keys a real P-256 key pair and auth secret made here in the test, whose private half lets the
    // test decrypt what Waymark sends. Everything else is real: the service worker registration,
    // the SDK's requests and the server's Web Push routes and delivery.
    const subscriber = push.subscribe();
    // (A script as text: the test's TypeScript, once transpiled, names its functions with a helper
    // the page does not have.)
    await page.evaluate(`(() => {
      const endpoint = ${JSON.stringify(subscriber.endpoint)};
      const keys = ${JSON.stringify(subscriber.keys)};
      PushManager.prototype.getSubscription = async () => null;
      PushManager.prototype.subscribe = async (options) => {
        const key = new Uint8Array(options.applicationServerKey);
        window.subscribedWith = btoa(String.fromCharCode(...key))
          .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        return {
          endpoint,
          expirationTime: null,
          options: { userVisibleOnly: true, applicationServerKey: key.buffer },
          getKey: () => null,
          toJSON: () => ({ endpoint, expirationTime: null, keys }),
          unsubscribe: async () => true,
        };
      };
    })()`);
    await page.getByRole('button', { name: 'Enable notifications' }).click();
    await page.getByRole('status').getByText('Notifications enabled').waitFor();
    const vapid = await server.api('GET', '/v1/push/web/LumaWebPush/key');
    assert.equal(
      await page.evaluate(() => (window as unknown as { subscribedWith?: string }).subscribedWith),
      vapid.publicKey,
      'subscribed with the configuration’s VAPID key',
    );
    const profile = await server.api('GET', `/v1/profiles/Email/${SHOPPER}`);
    assert.deepEqual(
      profile.attributes.pushNotificationDetails.filter(
        (d: { platform: string }) => d.platform === 'web',
      ),
      [
        {
          appId: 'com.luma.web',
          platform: 'web',
          token: subscriber.endpoint,
          keys: subscriber.keys,
        },
      ],
    );

    // A transactional push to the shopper (an API-triggered campaign) reaches the browser's push service.
    const created = await server.api('POST', '/v1/campaigns', {
      id: 'web-push-hello',
      name: 'Luma - Web push hello',
      type: 'api-triggered',
      mode: 'transactional',
      namespace: 'Email',
      action: {
        channel: 'push',
        configuration: 'LumaWebPush',
        content: {
          title: '{{profile.person.name.firstName}}, your order is ready',
          body: 'Pick it up at the Luma store.',
          data: { url: '/demo/luma/' },
        },
      },
    });
    assert.equal(created.id, 'web-push-hello', JSON.stringify(created));
    const live = await server.api('POST', '/v1/campaigns/web-push-hello/activate');
    assert.equal(live.status ?? live.state ?? 'live', 'live', JSON.stringify(live));
    const sent = await server.api('POST', '/v1/campaigns/web-push-hello/trigger', {
      requestId: 'web-push-hello-1',
      recipients: [{ identity: SHOPPER }],
    });
    assert.equal(
      sent.results?.[0]?.status ?? sent.recipients?.[0]?.status,
      'accepted',
      JSON.stringify(sent),
    );
    const delivery = await until('the push at the push service', async () => push.received[0]);
    assert.deepEqual(push.refused, []);
    assert.equal(delivery.vapidKey, vapid.publicKey);
    assert.equal(delivery.payload['title'], 'Tom, your order is ready');
    assert.equal(delivery.payload['body'], 'Pick it up at the Luma store.');

    // The SDK's service worker shows it: Chromium's DevTools protocol hands the worker the payload
    // the push service decrypted, as the browser would after receiving it.
    const cdp = await page.context().newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
        const r = e.registrations.find((x) => x.scopeURL.endsWith('/sdk/') && !x.isDeleted);
        if (r) resolve(r.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const scopeURL = `${server.url}/sdk/`;
    const id = await registrationId;
    // A message for a stopped worker can wait until something wakes it: the worker is started and
    // the message handed again every 2 seconds until the notification shows (the payload has no
    // tag, so each delivery is its own notification; each must be the same).
    let delivered = 0;
    const shown = await until('the notification', async () => {
      if (delivered % 8 === 0) {
        await cdp.send('ServiceWorker.startWorker', { scopeURL });
        await cdp.send('ServiceWorker.deliverPushMessage', {
          origin: new URL(server.url).origin,
          registrationId: id,
          data: JSON.stringify(delivery.payload),
        });
      }
      delivered++;
      const n = (await page.evaluate(`(async () => {
        const reg = await navigator.serviceWorker.getRegistration('/sdk/');
        const list = reg ? await reg.getNotifications() : [];
        return list.map((x) => ({ title: x.title, body: x.body, data: x.data }));
      })()`)) as Array<{ title: string; body: string; data: unknown }>;
      return n.length > 0 ? n : undefined;
    });
    // The notification's data carries the message's id, which an app reports opens and clicks with.
    const pushes = (await server.api('GET', '/v1/messages?channel=push&limit=50')) as {
      items: Array<{ id: string; recipient: string | null }>;
    };
    for (const n of shown) {
      const { waymarkMessageId, ...data } = (n.data ?? {}) as Record<string, unknown>;
      assert.deepEqual(
        { ...n, data },
        {
          title: 'Tom, your order is ready',
          body: 'Pick it up at the Luma store.',
          data: { url: '/demo/luma/' },
        },
      );
      assert.ok(
        pushes.items.some((m) => m.id === waymarkMessageId),
        `the data names the push sent: ${String(waymarkMessageId)}`,
      );
    }

    // A click on the notification is reported by the service worker (POST /v1/push/interactions,
    // with the write key and identity the SDK stored for it in IndexedDB). Headless Chromium
    // cannot click a notification, so the test dispatches a notificationclick event in the worker,
    // on the notification it shows: the worker's own listener runs (only the browser's trusted
    // click could open a window, so none opens here).
    await cdp.send('ServiceWorker.startWorker', { scopeURL });
    const worker = await until('the running service worker', async () =>
      page
        .context()
        .serviceWorkers()
        .find((w) => w.url().endsWith('/sdk/waymark-sw.js')),
    );
    const click = (action: string) =>
      worker.evaluate(`(async () => {
        // The listener closes the notification: a second click is dispatched on the same one.
        const n = self.clickedNotification ??= (await self.registration.getNotifications())[0];
        self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n, action: ${JSON.stringify(action)} }));
        return n.data.waymarkMessageId;
      })()`) as Promise<string>;
    const clickedMessage = await click('');
    const feedback = async (type: string) => {
      const r = (await server.api(
        'GET',
        `/v1/profiles/Email/${SHOPPER}/events?type=${type}&limit=10`,
      )) as { items: Array<{ payload: Record<string, unknown> }> };
      return r.items.map((e) => e.payload).filter((p) => p['messageId'] === clickedMessage);
    };
    const opened = await until('the open reported', async () => {
      const found = await feedback('message.opened');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(opened[0]?.['channel'], 'push');
    await click('view-order');
    const clickedFeedback = await until('the action click reported', async () => {
      const found = await feedback('message.clicked');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(clickedFeedback[0]?.['action'], 'view-order');
    await cdp.detach();

    // push.unregister() (from another client of the SDK on the page: the same localStorage) takes
    // the subscription off the profile.
    const removed = await page.evaluate(`(async () => {
      const { createWaymark } = await import('/sdk/waymark-web.js');
      const key = document.querySelector('meta[name="waymark-write-key"]').content;
      return createWaymark({ writeKey: key }).push.unregister();
    })()`);
    assert.equal(removed, true);
    const after = await server.api('GET', `/v1/profiles/Email/${SHOPPER}`);
    assert.deepEqual(
      after.attributes.pushNotificationDetails.filter(
        (d: { platform: string }) => d.platform === 'web',
      ),
      [],
    );
  });
  test('the SDK draws in-app messages as text in a shadow root, one at a time, and fills the hero (client routes answered by the test)', async () => {
    // Independent of the server's in-app channel: the page's calls to the contract's client routes
    // are answered here, so this checks the SDK's side alone (rendering, roles, what it records).
    const { page } = browser;
    const recorded: Array<Record<string, unknown>> = [];
    const queried: Array<Record<string, unknown>> = [];
    await page.route('**/v1/inapp/messages/query', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      queried.push(body);
      const page_ = (body['trigger'] as { kind: string }).kind === 'pageView';
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          items: page_
            ? [
                {
                  messageId: 'm-modal',
                  layout: 'modal',
                  title: 'Hello <b>Tom</b>',
                  body: 'Line one\n<img src=x onerror="window.pwned=1">',
                  imageUrl: 'javascript:alert(1)',
                  buttons: [
                    { id: 'go', label: 'Shop', action: 'url', url: 'javascript:alert(1)' },
                    { id: 'close', label: 'Not now', action: 'dismiss' },
                  ],
                },
                {
                  messageId: 'm-banner',
                  layout: 'banner',
                  title: 'Free shipping',
                  body: 'Today only',
                  buttons: [],
                },
              ]
            : [],
        }),
      });
    });
    await page.route('**/v1/inapp/interactions', async (route) => {
      recorded.push(JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>);
      await route.fulfill({
        status: 202,
        contentType: 'application/json',
        body: '{"recorded":true}',
      });
    });
    await page.route('**/v1/experiences/query', async (route) => {
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          items: [
            {
              surface: 'web://luma.example/demo/luma#hero',
              format: 'html',
              content: '<h1>Tom, your spring picks</h1>',
              messageId: 'x-hero',
            },
          ],
        }),
      });
    });
    try {
      await page.goto(`${server.url}/demo/luma/`);
      await page
        .getByRole('region', { name: 'Featured' })
        .getByRole('heading', { name: 'Tom, your spring picks' })
        .waitFor();
      const modal = page.getByRole('dialog', { name: 'Hello <b>Tom</b>' });
      await modal.waitFor();
      assert.equal(await modal.getAttribute('aria-modal'), 'true');
      await modal.getByText('<img src=x onerror="window.pwned=1">').waitFor();
      assert.equal(
        await modal.locator('img, b').count(),
        0,
        'server strings are text, unsafe URLs dropped',
      );
      assert.equal(
        await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
        undefined,
      );
      assert.equal(
        await page.evaluate(() => document.querySelector('[data-waymark-inapp]')?.shadowRoot?.mode),
        'open',
      );
      assert.equal(await page.getByRole('dialog').count(), 1, 'one message at a time');
      await browser.shot('storefront-03-in-app-rendering');
      await modal.getByRole('button', { name: 'Not now' }).click();
      const banner = page.getByRole('dialog', { name: 'Free shipping' });
      await banner.waitFor();
      assert.equal(
        await banner.getAttribute('aria-modal'),
        null,
        'a banner does not block the page',
      );
      await page.keyboard.press('Escape');
      await banner.waitFor({ state: 'detached' });
      await until('four interactions', async () => (recorded.length >= 4 ? true : undefined));
      assert.deepEqual(
        recorded.map((r) => [r['messageId'], r['interaction'], r['button']]),
        [
          ['m-modal', 'displayed', undefined],
          ['m-modal', 'dismissed', 'close'],
          ['m-banner', 'displayed', undefined],
          ['m-banner', 'dismissed', undefined],
        ],
      );
      assert.deepEqual(
        queried.map((q) => q['trigger']),
        [{ kind: 'pageView', page: '/demo/luma/' }],
        'appLaunch was asked once this session (earlier), the page view each time',
      );
      assert.deepEqual([queried[0]?.['namespace'], queried[0]?.['id']], ['Email', SHOPPER]);
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
    }
  });
  test('buying sends the purchase event with the cart and empties it', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/demo/luma/cart`);
    const cart = page.getByRole('region', { name: 'Your cart' });
    await cart.getByText('1 × Didi Sport Watch').waitFor();
    await cart.getByRole('button', { name: 'Buy' }).click();
    await page.getByRole('status').getByText('Thank you for your order!').waitFor();
    await cart.getByText('Your cart is empty.').waitFor();
    const purchase = await until('the purchase event on the profile', async () => {
      const r = await server.api(
        'GET',
        `/v1/profiles/Email/${SHOPPER}/events?type=LumaPurchaseEvent_Email`,
      );
      return r?.items?.[0];
    });
    assert.equal(purchase.payload.commerce.purchases.value, 1);
    assert.equal(purchase.payload.commerce.order.priceTotal, 116);
    assert.equal(purchase.payload.productListItems.length, 2);
  });
});
