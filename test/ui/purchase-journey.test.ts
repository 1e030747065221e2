// The lab in the browser: sign in, look at the demo Purchase Journey, build the lab's journey from an
// empty canvas by drag and drop, see a validation error on an activity, publish, fire the checkout
// event in test mode, watch the profile take the timeout path, find the abandoned-cart email in the
// development inbox, and read the report. Screenshots of each stage go to test/ui/artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { connect, drop, node, saved, select } from './support/canvas.ts';
import { startWaymark } from './support/server.ts';
import type { Running } from './support/server.ts';

describe('the lab in the web console', () => {
  let server: Running;
  let browser: Browser;
  before(async () => {
    server = await startWaymark();
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.shot('zz-last').catch(() => undefined);
    if (process.env.WAYMARK_UI_DEBUG)
      console.log(
        JSON.stringify(
          (
            await server.api('GET', '/v1/journeys/lab-purchase-journey')
          )?.latest?.definition?.nodes?.map((n: any) => [n.id, n.next, n.position]),
        ),
      );
    await browser?.close();
    await server?.close();
  });

  test('signs in and shows the demo Purchase Journey with its activities', async () => {
    const { page } = browser;
    await signIn(page, server.url, server.key);
    await page.getByRole('link', { name: 'Purchase Journey' }).waitFor();
    await browser.shot('01-journeys');
    await page.getByRole('link', { name: 'Purchase Journey' }).click();
    for (const label of [
      'LumaCheckoutEvent_Email',
      'LumaPurchaseEvent_Email',
      'LoyaltyService',
      'Order Confirmation Email',
      'Preferred Channel',
      'Abandoned Cart Push',
      'Abandoned Cart Email',
      'LumaPurchaseEvent_Email1',
    ]) {
      await page.locator('.activity-label', { hasText: new RegExp(`^${label}$`) }).waitFor();
    }
    assert.equal(await page.locator('.react-flow__node').count(), 8);
    assert.equal(await page.locator('.react-flow__edge').count(), 9);
    await page.getByText('Read only: create a new version to edit').waitFor();
    await browser.shot('02-purchase-journey');
  });

  test('builds the lab journey by drag and drop, publishes it and follows a profile in test mode', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    await page.getByRole('button', { name: 'Create journey' }).click();
    await page.getByLabel('Name').fill('Lab Purchase Journey');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Not saved: add an event').waitFor();

    // Order confirmation branch.
    await drop(page, 'LumaCheckoutEvent_Email');
    await node(page, 'lumacheckoutevent_email').waitFor();
    await saved(page);
    await drop(page, 'LumaPurchaseEvent_Email');
    await connect(page, 'lumacheckoutevent_email', 'next', 'lumapurchaseevent_email');
    await drop(page, 'LoyaltyService');
    await connect(page, 'lumapurchaseevent_email', 'next', 'loyaltyservice');
    await select(page, 'loyaltyservice');
    // loyaltyId in simple mode: pick the field in the tree; orderValue in advanced mode.
    await page.getByRole('button', { name: 'Pick a field for loyaltyId' }).click();
    await page.getByRole('button', { name: '▸ LumaPurchaseEvent_Email' }).click();
    await page.getByRole('button', { name: '▸ _aeppartner1' }).click();
    await page.getByRole('button', { name: '▸ identification' }).click();
    await page.getByRole('button', { name: '▸ core' }).click();
    await page.getByRole('button', { name: 'email', exact: true }).click();
    assert.equal(
      await page.getByLabel('loyaltyId', { exact: true }).inputValue(),
      '@event{LumaPurchaseEvent_Email._aeppartner1.identification.core.email}',
    );
    await page
      .locator('[data-param="orderValue"]')
      .getByRole('button', { name: 'Advanced mode' })
      .click();
    await page.getByLabel('orderValue expression').click();
    await page.keyboard.type('@event{LumaPurchaseEvent_Email.productListItems.at(0).priceTotal}');
    await drop(page, 'Email');
    await connect(page, 'loyaltyservice', 'next', 'email');
    // The new email has no configuration yet: the activity shows the problem.
    await node(page, 'email').locator('.activity-error').waitFor();
    await browser.shot('03-validation-error');
    await page.getByRole('alert', { name: 'Problems' }).waitFor();
    await page.getByLabel('Label', { exact: true }).fill('Order Confirmation Email');
    await page.getByLabel('Email configuration').selectOption('EmailMarketing');
    await page
      .getByLabel('Subject')
      .fill('{{profile.person.name.firstName}}, your order confirmation');
    await page
      .getByLabel('Html')
      .fill(
        '<p>Thank you for your order: {{context.journey.actions.LoyaltyService.PromoCode}}</p>',
      );
    await saved(page);
    await node(page, 'email').locator('.activity-error').waitFor({ state: 'detached' });

    // Abandoned cart branch: the purchase event times out.
    await select(page, 'lumapurchaseevent_email');
    await page.getByLabel('Define the event timeout').check();
    await page.getByLabel('Timeout amount').fill('1');
    await page.getByLabel('Timeout unit').selectOption('M');
    await page.getByLabel('Set a timeout path').check();
    await drop(page, 'Condition');
    await connect(page, 'lumapurchaseevent_email', 'timeout', 'condition');
    await select(page, 'condition');
    await page.getByLabel('Label', { exact: true }).fill('Preferred Channel');
    await page.getByLabel('Expression').click();
    await page.keyboard.type('inAudience("Luma - Mobile App Users")');
    await page.getByLabel('Path label', { exact: true }).fill('Push');
    await page.getByLabel('Show path for other cases than the one(s) above').check();
    await page.getByLabel('Other cases label').fill('Others');
    await drop(page, 'Push');
    await connect(page, 'condition', 'path-0', 'push');
    await page.getByLabel('Label', { exact: true }).fill('Abandoned Cart Push');
    await page.getByLabel('Push configuration').selectOption('DXDemoApp');
    await page.getByLabel('Title').fill('You left something in your cart');
    await page.getByLabel('Body', { exact: true }).fill('Your Luma cart is waiting.');
    // The push panel inserts an offer decision (the decide helper) into the body; put back after.
    const offers = page.getByRole('group', { name: 'Offer decision' });
    await offers.getByRole('button', { name: 'Insert offer' }).click();
    assert.match(
      await page.getByLabel('Body', { exact: true }).inputValue(),
      /^Your Luma cart is waiting\. \{\{#each \(decide "[^"]+"\) as \|offer\|\}\}\{\{offer\.text\}\}\{\{\/each\}\}$/,
    );
    await page.getByLabel('Body', { exact: true }).fill('Your Luma cart is waiting.');
    await page.getByLabel('Business rule set').selectOption('Luma Marketing - Outgoing messages');
    await drop(page, 'Email');
    await connect(page, 'condition', 'otherwise', 'email-2');
    await page.getByLabel('Label', { exact: true }).fill('Abandoned Cart Email');
    await page.getByLabel('Email configuration').selectOption('EmailMarketing');
    await page
      .getByLabel('Subject')
      .fill('Lab: {{profile.person.name.firstName}}, you left items in your cart');
    await page.getByLabel('Html').fill('<p>Your cart is waiting.</p>');
    await page.getByLabel('Business rule set').selectOption('Luma Marketing - Outgoing messages');
    // Finalize: a second purchase event after both messages, leading back to the LoyaltyService.
    await drop(page, 'LumaPurchaseEvent_Email');
    await connect(page, 'push', 'next', 'lumapurchaseevent_email1');
    await connect(page, 'email-2', 'next', 'lumapurchaseevent_email1');
    await connect(page, 'lumapurchaseevent_email1', 'next', 'loyaltyservice');
    await page.getByRole('button', { name: 'Auto-layout' }).click();
    await saved(page);
    assert.equal(
      await page.locator('.activity.has-errors').count(),
      0,
      await page
        .locator('.activity.has-errors')
        .allTextContents()
        .then((t) => t.join(' | ')),
    );
    assert.equal(await page.locator('.react-flow__edge').count(), 9);
    await browser.shot('04-lab-journey');

    // Test mode shortens every wait and timeout (here to 3 seconds; the product's default is 10).
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.getByLabel('Test mode: waits and timeouts last (seconds)').fill('3');
    await saved(page);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('.toolbar .badge', { hasText: 'test' }).waitFor();
    // Jean has no mobile app: after the timeout the Preferred Channel sends the Abandoned Cart Email.
    await page.getByLabel('Test profile').selectOption({ label: 'jean.dupont@luma.example' });
    await page.locator('select[name="test-event"]').selectOption('LumaCheckoutEvent_Email');
    await page
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.name"]')
      .fill('Didi Sport Watch');
    await page
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.SKU"]')
      .fill('24-WG02');
    await page
      .locator('input[name="LumaCheckoutEvent_Email.productListItems.0.priceTotal"]')
      .fill('92');
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.locator('.test-panel pre.ok', { hasText: 'accepted' }).waitFor();
    await page
      .getByTestId('path-log')
      .getByText('LumaCheckoutEvent_Email', { exact: true })
      .waitFor();
    await browser.shot('05-test-mode');
    await page
      .getByTestId('path-log')
      .getByText('Abandoned Cart Email')
      .waitFor({ timeout: 30_000 });
    await node(page, 'email-2').and(page.locator('.lit')).waitFor();
    await node(page, 'condition').and(page.locator('.lit')).waitFor();
    assert.equal(await node(page, 'push').and(page.locator('.lit')).count(), 0);
    assert.equal(await node(page, 'loyaltyservice').and(page.locator('.lit')).count(), 0);
    await browser.shot('06-test-timeout-path');

    await page.getByRole('link', { name: 'Development inbox' }).click();
    // The message may still be on its way: the inbox shows it when it arrives.
    await page
      .getByText('Lab: Jean, you left items in your cart')
      .first()
      .click({ timeout: 30_000 });
    await page
      .getByTestId('inbox-subject')
      .filter({ hasText: 'Lab: Jean, you left items in your cart' })
      .waitFor();
    await browser.shot('07-inbox');

    // Leave test mode and publish.
    await page.goto(`${server.url}/journeys/lab-purchase-journey`);
    await page.locator('.toolbar .badge', { hasText: 'test' }).waitFor();
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.locator('.toolbar .badge', { hasText: 'draft' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.toolbar .badge', { hasText: 'live' }).waitFor();
    const j = await server.api('GET', '/v1/journeys/lab-purchase-journey');
    assert.equal(j.latest.status, 'live');
    assert.equal(j.latest.definition.start, 'lumacheckoutevent_email');
    await browser.shot('08-published');

    // A real checkout, then the report.
    const sent = await server.api('POST', '/v1/events', {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'tom.baker@luma.example' } } },
        productListItems: [{ name: 'Watch', SKU: 'W1', quantity: 1, priceTotal: 10 }],
      },
    });
    assert.equal(sent.accepted, 1);
    await page.getByRole('button', { name: 'Report', exact: true }).click();
    await node(page, 'lumacheckoutevent_email')
      .locator('[data-count="entered"]', { hasText: 'in 1' })
      .waitFor();
    await browser.shot('09-canvas-counts');
    await page.goto(`${server.url}/journeys/lab-purchase-journey/report`);
    await page.getByTestId('kpi-entered').filter({ hasText: '1' }).waitFor();
    await page.getByRole('img', { name: 'Profiles per activity' }).waitFor();
    await browser.shot('10-report');
  });
});
