// Test mode as a journey debugger, in Chromium on `waymark serve --demo` (its LoyaltyService is a
// real loopback HTTP server). First the lab's "click a link in the email, then see it in the
// report" from the development inbox without leaving the console; then a draft v2 of the Purchase
// Journey in test mode beside the live v1: the timeout path (checkout, no purchase, the shortened
// timeout fires, the abandoned-cart email), then a purchase (the LoyaltyService with a bearer token
// that must not show). The run is listed, its steps show what happened, it survives the Report tab,
// and it replays. Screenshots at 1440 and 1024 px go to test/ui/artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { node } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const TOKEN = 'sk-live-4f9a1c0e7b2d-do-not-show';
const JEAN = 'jean.dupont@luma.example';
const email = (address: string) => ({
  _aeppartner1: { identification: { core: { email: address } } },
});
const items = [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }];

describe('test mode as a journey debugger', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole({ signIn: false })));
  after(() => closeConsole({ server, browser }, 'test-mode-zz-last'));

  test('a link clicked in the development inbox is tracked, the console stays, and the report counts the click', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, server.url, server.key);
    // The inbox is open before the order: its confirmation appears there without a click on Refresh.
    await page.goto(`${server.url}/inbox`);
    await page.getByRole('heading', { name: 'Development inbox' }).waitFor();
    // A real order on the live journey: the Order Confirmation Email, whose footer links are tracked.
    for (const type of ['LumaCheckoutEvent_Email', 'LumaPurchaseEvent_Email']) {
      const r = await server.api('POST', '/v1/events', {
        type,
        payload: { ...email('tom.baker@luma.example'), productListItems: items },
      });
      assert.equal(r.accepted, 1, JSON.stringify(r));
    }
    const mail = page
      .getByRole('list', { name: 'Messages' })
      .getByText('Tom, your order confirmation')
      .first();
    await mail.waitFor({ timeout: 30_000 });
    await mail.click();
    const links = page.getByRole('list', { name: 'Links in this email' });
    await links.waitFor();
    // At 1024 px the mail and its links (a long tracked preference-centre address among them) fit:
    // nothing scrolls sideways.
    await page.setViewportSize({ width: 1024, height: 768 });
    const pastEdge = await page.evaluate(() => {
      const view = document.querySelector('.message-view')!;
      return Math.max(
        view.getBoundingClientRect().right - document.documentElement.clientWidth,
        view.scrollWidth - view.clientWidth,
      );
    });
    await browser.shot('test-mode-inbox-mail-1024');
    assert.ok(pastEdge <= 1, `the mail shown runs ${pastEdge} px past the window at 1024 px`);
    await page.setViewportSize({ width: 1440, height: 900 });
    const before = page.url();
    await links.getByRole('button', { name: 'Click https://luma.example/shop' }).click();
    await links.getByText('Click recorded').waitFor();
    assert.equal(page.url(), before, 'the console did not navigate away');
    // A click inside the email opens a new tab through the tracking redirect; the console stays.
    const mailFrame = page.frameLocator('iframe[title="Email"]');
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      mailFrame.getByRole('link', { name: 'Help', exact: true }).click(),
    ]);
    await tab.close();
    assert.equal(page.url(), before);
    await browser.shot('test-mode-01-inbox-click-1440');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('test-mode-01-inbox-click-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.goto(`${server.url}/journeys/purchase-journey/report`);
    const row = page
      .getByRole('table', { name: 'Link clicks' })
      .getByRole('row')
      .filter({ hasText: 'https://luma.example/shop' });
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), /\b1\b/);
    await page
      .getByRole('table', { name: 'Link clicks' })
      .getByRole('row')
      .filter({ hasText: 'https://luma.example/help' })
      .waitFor();
    // Then the lab's next step: an audience of the profiles who clicked, from the report.
    await row.getByRole('button', { name: 'Create audience' }).click();
    await page.getByRole('dialog').getByLabel('Audience name').fill('Clicked shop');
    await page.getByRole('dialog').getByRole('button', { name: 'Create audience' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Audience "Clicked shop" created with 1 member.' })
      .waitFor();
    await row.scrollIntoViewIfNeeded();
    await browser.shot('test-mode-02-report-link-click-1440');
  });

  test('the timeout path in test mode: runs listed, each step shows what happened there, kept across the Report tab, replayed', async () => {
    const { page } = browser;
    // A draft v2 beside the live v1: 3-second test waits, the LoyaltyService called with a bearer token.
    const action = await server.api('GET', '/v1/actions/LoyaltyService');
    const spec = action.spec ?? action;
    await server.api('PUT', '/v1/actions/LoyaltyService', {
      ...spec,
      auth: { kind: 'bearer', token: TOKEN },
    });
    const v2 = await server.api('POST', '/v1/journeys/purchase-journey/versions');
    assert.equal(v2.version, 2, JSON.stringify(v2));
    await server.api('PUT', '/v1/journeys/purchase-journey', {
      ...v2.definition,
      testMode: { waitSeconds: 3 },
    });

    // Test mode on through the API (the editor's Test button is the lab test's); the journey opens in the debugger.
    assert.equal(
      (await server.api('POST', '/v1/journeys/purchase-journey/test-mode', { enabled: true }))
        .status,
      'test',
    );
    await page.goto(`${server.url}/journeys/purchase-journey`);
    await page.locator('.toolbar .badge', { hasText: 'test' }).waitFor();
    const panel = page.getByRole('complementary', { name: 'Test mode' });

    // Checkout, and no purchase: the 1-minute timeout lasts 3 seconds.
    await panel.getByLabel('Test profile').selectOption({ label: JEAN });
    await panel.locator('select[name="test-event"]').selectOption('LumaCheckoutEvent_Email');
    await panel
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.name"]')
      .fill('Didi Sport Watch');
    await panel
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.SKU"]')
      .fill('24-WG02');
    await panel
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.priceTotal"]')
      .fill('92');
    await panel.getByRole('button', { name: 'Send event' }).click();
    await panel.locator('pre.ok', { hasText: 'accepted' }).waitFor();
    const runs = panel.getByRole('list', { name: 'Test runs' });
    await runs.getByRole('button', { name: new RegExp(JEAN) }).waitFor();
    const path = panel.getByTestId('path-log');
    await path.getByText('Abandoned Cart Email', { exact: true }).waitFor({ timeout: 30_000 });
    await node(page, 'abandoned-email').and(page.locator('.lit')).waitFor();
    assert.equal(
      await node(page, 'abandoned-push').and(page.locator('.lit')).count(),
      0,
      'Jean has no app: not the push',
    );

    // Then a purchase: the LoyaltyService and the confirmation.
    await panel.locator('select[name="test-event"]').selectOption('LumaPurchaseEvent_Email');
    await panel.getByText('Payload', { exact: true }).click();
    await panel
      .locator('input[name="LumaPurchaseEvent_Email.productListItems.0.priceTotal"]')
      .fill('92');
    await panel.getByRole('button', { name: 'Send event' }).click();
    await path.getByText('LoyaltyService', { exact: true }).waitFor({ timeout: 20_000 });
    await path.getByText('Order Confirmation Email', { exact: true }).waitFor({ timeout: 20_000 });

    // Each step shows what happened there.
    const details = panel.getByTestId('step-details');
    const open = async (label: string, nth = 0) => {
      await path
        .getByRole('button', { name: new RegExp(`^${label}\\b`) })
        .nth(nth)
        .click();
      await details.waitFor();
    };
    await open('LumaCheckoutEvent_Email');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('test-mode-03-event-payload-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.match(
      await panel.getByTestId('event-payload').innerText(),
      /Didi Sport Watch[\s\S]*jean\.dupont@luma\.example|jean\.dupont@luma\.example[\s\S]*Didi Sport Watch/,
    );
    await browser.shot('test-mode-03-event-payload-1440');

    await open('LumaPurchaseEvent_Email');
    const due = await panel.getByTestId('timer-due').innerText();
    assert.match(due, /test mode: 3 s after arrival instead of 1 minute/);

    await open('Preferred Channel');
    await details.getByRole('table').waitFor();
    await node(page, 'preferred-channel').and(page.locator('.current')).waitFor();
    const condition = await details.innerText();
    assert.match(condition, /inAudience\("Luma - Mobile App Users"\)/);
    assert.match(condition, /false/);
    assert.match(condition, /took Others/);
    await browser.shot('test-mode-04-condition-1440');

    await open('Abandoned Cart Email');
    assert.match(await panel.getByTestId('message-subject').innerText(), /Jean/);
    const preview = details.frameLocator('iframe[title="Rendered message"]');
    await preview.locator('body').waitFor();
    assert.equal(
      await details.locator('iframe[title="Rendered message"]').getAttribute('sandbox'),
      '',
      'no scripts in the preview',
    );
    await browser.shot('test-mode-05-email-desktop-1440');
    await details.getByRole('button', { name: 'Mobile' }).click();
    await browser.shot('test-mode-06-email-mobile-1440');

    await open('LoyaltyService');
    const request = await panel.getByTestId('action-request').innerText();
    assert.match(request, /^POST http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(request, /authorization: \[redacted\]/i);
    assert.ok(!request.includes(TOKEN), 'the bearer token never shows');
    assert.match(
      await panel.getByTestId('action-response').innerText(),
      /HTTP 200[\s\S]*PromoCode/,
    );
    await browser.shot('test-mode-07-action-1440');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('test-mode-08-action-1024');
    await open('Abandoned Cart Email');
    await browser.shot('test-mode-09-email-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    const trace = JSON.stringify(
      await server.api('GET', `/v1/journeys/purchase-journey/test-runs?version=2`),
    );
    assert.ok(!trace.includes(TOKEN));

    // The Report tab and back: the run is still there.
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    await node(page, 'checkout').locator('[data-count="entered"]').first().waitFor();
    assert.equal(await panel.count(), 0, 'the Report tab replaced the test panel');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('.toolbar .badge', { hasText: 'test' }).waitFor();
    await runs.getByRole('button', { name: new RegExp(JEAN) }).waitFor();
    await path.getByText('Abandoned Cart Email', { exact: true }).waitFor();
    await node(page, 'abandoned-email').and(page.locator('.lit')).waitFor();
    assert.equal(
      await panel.getByLabel('Test profile').inputValue(),
      await panel
        .getByLabel('Test profile')
        .locator('option', { hasText: JEAN })
        .getAttribute('value'),
      'the same profile is selected again',
    );
    await browser.shot('test-mode-10-after-report-1440');

    // Replay: the same profile and events against the draft, a second run.
    await panel.getByRole('button', { name: 'Replay' }).click();
    await panel.locator('pre.ok', { hasText: 'Replayed against v2' }).waitFor();
    await runs.getByRole('listitem').nth(1).waitFor();
    assert.equal(await runs.getByRole('listitem').count(), 2);
    // The purchase came after the timeout in the original run: the replay takes the timeout path too.
    await path.getByText('Abandoned Cart Email', { exact: true }).waitFor({ timeout: 30_000 });
    await path.getByText('Order Confirmation Email', { exact: true }).waitFor({ timeout: 30_000 });
    await browser.shot('test-mode-11-replayed-1440');
  });
});
