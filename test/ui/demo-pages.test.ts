// Four pages of the console on one `waymark serve --demo` and one Chromium, signed in as the admin
// at 1440 px (test/ui/support/campaign-console.ts): a server and a browser started for each page
// cost about 14 s of CPU each time. Each part changes a part of the demo that the others do not
// read (a new draft campaign, the cart-abandoned email's locales, the Spring Sale and its openers,
// the suppression list), starts from its own page, and asserts on the page errors of its own part.
//
// Pages are looked at 1440 and 1024 px wide; screenshots go to $WAYMARK_CAMPAIGN_SHOTS when set,
// or to test/ui/artifacts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { useCampaignConsole } from './support/campaign-console.ts';
import type { Running } from './support/server.ts';

const CART = 'luma-cart-abandoned-email';
const CAMPAIGN = 'luma-spring-sale';

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('console pages on one demo server', () => {
  const ui = useCampaignConsole('demo-pages-last');

  // A campaign's sample context in the console: the demo's Order Shipped (live) previews with the
  // one it ships, shown read only; a draft's is edited as JSON on its review page: a mistake is
  // named under the text, which stays as typed (and so does a refused save), and the preview
  // renders {{context.…}} from it once saved.
  describe('sample context on the campaign review page', () => {
    before(() => {
      ui.errors.length = 0;
    });
    const card = () => ui.page.getByRole('region', { name: 'Sample context' });
    const preview = () =>
      ui.page.getByRole('region', { name: 'Message preview' }).locator('.preview-subject');

    test("the demo's Order Shipped previews with its sample context, read only", async () => {
      const { page } = ui;
      await page.goto(`${ui.server.url}/campaigns/luma-order-shipped`);
      await card().getByText('"trackingUrl": "https://ups.example/1Z1001"').waitFor();
      assert.equal(await card().getByRole('textbox').count(), 0, 'live: read only');
      await preview().getByText('Your order 1001 has shipped').waitFor();
      await page.getByLabel('cURL').getByText('"orderId": "1001"').waitFor();
    });

    test('a draft: edited as JSON, a mistake named and the text kept; saved, the preview uses it', async () => {
      const { page } = ui;
      const shipped = await ui.api('GET', '/v1/campaigns/luma-order-shipped');
      const def = shipped['definition'] as Record<string, unknown>;
      const { sampleContext: _none, ...withoutContext } = def;
      await ui.api('POST', '/v1/campaigns', {
        ...withoutContext,
        id: 'order-delayed',
        name: 'Luma - Order Delayed',
      });
      await page.goto(`${ui.server.url}/campaigns/order-delayed`);
      const editor = card().getByLabel('Sample context (JSON)');
      await editor.waitFor();
      await preview().getByText('Your order  has shipped').waitFor();

      const broken = '{\n  "orderId": "2002",\n  "carrier": DHL\n}';
      await editor.fill(broken);
      await card()
        .getByRole('alert')
        .getByText(/Not valid JSON \(line 3\)/)
        .waitFor();
      assert.equal(await editor.inputValue(), broken, 'the text stays as typed');
      assert.equal(
        await card().getByRole('button', { name: 'Save sample context' }).isDisabled(),
        true,
      );
      await editor.fill('[1, 2]');
      await card()
        .getByRole('alert')
        .getByText(/a JSON object.*not a list/)
        .waitFor();

      await editor.fill('{\n  "orderId": "2002",\n  "carrier": "DHL"\n}');
      assert.equal(await card().getByRole('alert').count(), 0);
      // The preview follows the text as soon as it is an object.
      await preview().getByText('Your order 2002 has shipped').waitFor();
      await ui.shot('campaign-sample-context-edit');

      // A save the server refuses (another change came first) says why; the text stays.
      const current = await ui.api('GET', '/v1/campaigns/order-delayed');
      await ui.api('PUT', '/v1/campaigns/order-delayed', {
        ...(current['definition'] as Record<string, unknown>),
        description: 'changed elsewhere',
      });
      await card().getByRole('button', { name: 'Save sample context' }).click();
      await card().getByRole('alert').waitFor();
      assert.match(await editor.inputValue(), /"carrier": "DHL"/);

      await page.reload();
      await editor.fill('{\n  "orderId": "2002",\n  "carrier": "DHL"\n}');
      await card().getByRole('button', { name: 'Save sample context' }).click();
      await card()
        .getByRole('button', { name: 'Save sample context' })
        .and(page.locator(':disabled'))
        .waitFor();
      const saved = await ui.api('GET', '/v1/campaigns/order-delayed');
      assert.deepEqual((saved['definition'] as Record<string, unknown>)['sampleContext'], {
        orderId: '2002',
        carrier: 'DHL',
      });
      await preview().getByText('Your order 2002 has shipped').waitFor();
      assert.deepEqual(ui.errors, []);
    });
  });

  // The Translation projects page in the browser, on `waymark serve --demo` (the development
  // translator): the lab's Translate of the cart-abandoned email into Spanish and French, followed
  // until done without reloading, the translated subject and preview per locale; the list with each
  // locale's status. Screenshots at 1440 and 1024 px in test/ui/artifacts.
  describe('translation projects page', () => {
    let server: Running;
    let browser: Browser;
    const errors = ui.errors;
    before(async () => {
      ({ server, browser } = ui);
      errors.length = 0;
      browser.page.setDefaultTimeout(15_000);
      // The lab finds the template untranslated (the demo ships its Spanish and French variants).
      const t = (await server.api('GET', `/v1/content-templates/${CART}`)).spec;
      const { locales: _locales, ...content } = t.content;
      await server.api('PUT', `/v1/content-templates/${CART}`, { ...t, content });
    });

    test('translate the cart-abandoned email into es_ES and fr_FR; follow it; read each locale', async () => {
      const { page } = browser;
      await page
        .getByRole('navigation', { name: 'Main menu' })
        .getByRole('link', { name: 'Translation projects' })
        .click();
      await page.getByRole('heading', { name: 'Translation projects', level: 1 }).waitFor();
      assert.equal(await page.title(), 'Translation projects · Waymark');
      await page
        .getByRole('note')
        .filter({ hasText: 'development (not a real translation)' })
        .waitFor();
      await page.getByText('No translation project yet').waitFor();

      const form = page.getByRole('form', { name: 'New translation project' });
      await form
        .getByLabel('Content template')
        .selectOption({ label: 'Luma - Cart Abandoned Email' });
      await form.getByText('Luma_Language_Settings: from en_US into').waitFor();
      assert.equal(await form.getByLabel('es_ES').isChecked(), true);
      assert.equal(await form.getByLabel('fr_FR').isChecked(), true);
      await form.getByRole('button', { name: 'Translate' }).click();

      // The project page follows the work by itself.
      await page.waitForURL(/\/translation-projects\/tp-/);
      const locales = page.getByRole('table').filter({ hasText: 'Subject' });
      await locales.getByRole('row').filter({ hasText: 'es_ES' }).getByText('Completed').waitFor();
      await locales.getByRole('row').filter({ hasText: 'fr_FR' }).getByText('Completed').waitFor();
      await locales.getByText('{{profile.person.name.firstName}}, tu carrito te espera').waitFor();
      await locales
        .getByText('{{profile.person.name.firstName}}, votre panier vous attend')
        .waitFor();
      await page.getByRole('heading', { name: 'Preview: es_ES' }).waitFor();
      const frame = page.frameLocator('.tp-preview iframe');
      await frame.getByText('Volver a mi carrito').waitFor();
      await page.screenshot({
        path: join(ARTIFACTS, 'translation-project-1440.png'),
        fullPage: true,
      });

      await locales.getByRole('button', { name: 'fr_FR' }).click();
      await page.getByRole('heading', { name: 'Preview: fr_FR' }).waitFor();
      await frame.getByText('Retourner à mon panier').waitFor();
      // A finished project is not polled.
      const calls: string[] = [];
      const count = (r: { url(): string }): void => {
        if (r.url().includes('/v1/')) calls.push(r.url());
      };
      page.on('request', count);
      await page.waitForTimeout(2500);
      page.off('request', count);
      assert.deepEqual(calls, [], 'no request once the project is done');
      await page.setViewportSize({ width: 1024, height: 900 });
      await page.screenshot({
        path: join(ARTIFACTS, 'translation-project-1024.png'),
        fullPage: true,
      });

      // The template now holds both locales.
      const t = (await server.api('GET', `/v1/content-templates/${CART}`)).spec;
      assert.deepEqual(Object.keys(t.content.locales).sort(), ['es_ES', 'fr_FR']);

      await page.getByRole('link', { name: 'Translation projects' }).first().click();
      const row = page.getByRole('row').filter({ hasText: 'Luma - Cart Abandoned Email' });
      await row.getByText('Completed').first().waitFor();
      assert.match(await row.innerText(), /es_ES\s+Completed[\s\S]*fr_FR\s+Completed/);
      for (const width of [1024, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.ok(overflow <= 1, `the list scrolls sideways by ${overflow} px at ${width}`);
        await page.screenshot({
          path: join(ARTIFACTS, `translation-projects-${width}.png`),
          fullPage: true,
        });
      }
      assert.deepEqual(errors, []);
    });
  });

  // "Create audience" from a campaign report's cell, in the console on `waymark serve --demo`: the
  // demo's Spring Sale is sent, two of its recipients open it (their open pixels, fetched as a mail
  // client does), and from the report's "Opened" cell a marketer makes an audience of those two, then
  // finds it in the audiences list with its two members.
  //
  // The report is looked at 1440 and 1024 px wide (no sideways scroll); screenshots go to
  // $WAYMARK_CAMPAIGN_SHOTS when it is set.
  describe('an audience from a campaign report cell', () => {
    const { errors, shot } = ui;
    let server: Running;
    let page: Page;

    before(() => {
      server = ui.server;
      page = ui.page;
      errors.length = 0;
      page.setDefaultTimeout(30_000);
    });

    test('the "Opened" cell becomes an audience of the two who opened', async () => {
      // The campaign is sent; two recipients open it.
      await server.api('POST', `/v1/campaigns/${CAMPAIGN}/activate`, {});
      const sent = await until('the sends', async () => {
        const r = await server.api('GET', `/v1/campaigns/${CAMPAIGN}/report`);
        return r.totals.sent >= 2 && r.status === 'completed'
          ? (r.totals.sent as number)
          : undefined;
      });
      const inbox = await server.api('GET', '/v1/dev/inbox?limit=500');
      const pixels = (inbox.email as Array<{ html?: string }>)
        .map((m) => /src="[^"]*?(\/t\/o\/[^"]+)"/.exec(m.html ?? '')?.[1])
        .filter((p): p is string => p !== undefined);
      assert.ok(pixels.length >= 2, `open pixels in the mails (${pixels.length} of ${sent})`);
      for (const p of pixels.slice(0, 2))
        assert.equal((await fetch(`${server.apiUrl}${p}`)).status, 200);
      await until('the opens in the report', async () => {
        const r = await server.api('GET', `/v1/campaigns/${CAMPAIGN}/report`);
        return r.totals.opened === 2 ? true : undefined;
      });

      // From the report: the first run's "Opened" cell.
      await page.goto(`${server.url}/campaigns/${CAMPAIGN}/report`);
      const runs = page.getByRole('table', { name: 'Runs' });
      await runs.waitFor();
      await shot('20-report-cells');
      await runs.getByRole('button', { name: 'Create audience: opened, run 1' }).click();
      const dialog = page.getByRole('dialog');
      const name = dialog.getByLabel('Audience name');
      assert.equal(await name.inputValue(), 'Luma - Spring Sale: opened, run 1');
      await name.fill('Spring Sale openers');
      await dialog.getByRole('button', { name: 'Create audience' }).click();
      const notice = page.getByRole('status').filter({ hasText: 'Spring Sale openers' });
      await notice.waitFor();
      assert.match((await notice.textContent()) ?? '', /created with 2 members/);
      await shot('21-report-audience-created');

      // The audiences list has it; its page shows its two members.
      await page.goto(`${server.url}/objects/audiences`);
      await page.getByRole('link', { name: 'Spring Sale openers' }).click();
      await page.waitForURL(/\/objects\/audiences\/Spring%20Sale%20openers$/);
      assert.equal(await page.getByTestId('audience-realized').textContent(), '2');
      await shot('22-audience-from-cell');
      assert.deepEqual(errors, []);
    });
  });

  // The suppression list in the browser, on `waymark serve --demo` signed in with the admin key:
  // entries from a bounce, a complaint and a manual addition listed with reason, source and date;
  // a search narrows the list; an address added through the dialog (a bad one refused with the
  // reason); one removed after confirming. Screenshots at 1440 and 1024 px in test/ui/artifacts.
  describe('suppression list page', () => {
    let server: Running;
    let browser: Browser;
    const errors = ui.errors;
    before(() => {
      ({ server, browser } = ui);
      errors.length = 0;
      browser.page.setDefaultTimeout(15_000);
    });
    after(() => {
      if (errors.length) console.log('page errors:', errors);
    });

    test('list with reasons, search, add through the dialog, remove', async () => {
      const { page } = browser;
      for (const [address, reason, detail] of [
        ['jean.dupont@luma.example', 'hard_bounce', '550 5.1.1 The email account does not exist'],
        ['kate.moss@luma.example', 'complaint', 'spam report'],
        ['+14155550123', 'manual', 'asked by phone'],
      ] as const)
        await server.api('POST', '/v1/suppressions', {
          address,
          reason,
          detail,
          channel: address.startsWith('+') ? 'sms' : 'email',
        });

      await page
        .getByRole('navigation', { name: 'Main menu' })
        .getByRole('link', { name: 'Suppression list' })
        .click();
      await page.getByRole('heading', { name: 'Suppression list', level: 1 }).waitFor();
      assert.equal(await page.title(), 'Suppression list · Waymark');
      const table = page.getByRole('table', { name: 'Suppressed addresses' });
      const bounced = table.getByRole('row').filter({ hasText: 'jean.dupont@luma.example' });
      await bounced.getByText('Hard bounce').waitFor();
      await bounced.getByText('550 5.1.1 The email account does not exist').waitFor();
      await table
        .getByRole('row')
        .filter({ hasText: 'kate.moss' })
        .getByText('Complaint')
        .waitFor();
      await table.getByRole('row').filter({ hasText: '+14155550123' }).getByText('SMS').waitFor();
      await browser.shotWide('suppressions', true);

      await page.getByRole('searchbox', { name: 'Search addresses' }).fill('DUPONT');
      await page.getByText('1 address', { exact: true }).waitFor();
      assert.equal(await table.getByRole('row').filter({ hasText: 'kate.moss' }).count(), 0);
      await page.getByRole('searchbox', { name: 'Search addresses' }).fill('');
      await page.getByText('3 addresses').waitFor();

      await page.getByRole('button', { name: 'Suppress an address' }).click();
      const form = page.getByRole('form', { name: 'Suppress an address' });
      await form.getByLabel('Email address').fill('not an address');
      await form.getByRole('button', { name: 'Suppress' }).click();
      await form
        .getByRole('alert')
        .getByText(/address/)
        .waitFor();
      await form.getByLabel('Email address').fill('Tom.Baker@Luma.example');
      await form.getByLabel('Note (optional)').fill('left the company');
      await browser.shotWide('suppressions-add', true);
      await form.getByRole('button', { name: 'Suppress' }).click();
      const added = table.getByRole('row').filter({ hasText: 'tom.baker@luma.example' });
      await added.getByText('Manual').waitFor();
      await added.getByText('left the company').waitFor();

      await bounced.getByRole('button', { name: 'Remove' }).click();
      await page
        .locator('dialog[open]')
        .getByRole('button', { name: 'Remove from the list' })
        .click();
      await page.getByText('3 addresses').waitFor();
      assert.equal(await table.getByRole('row').filter({ hasText: 'jean.dupont' }).count(), 0);
      const left = await server.api('GET', '/v1/suppressions');
      assert.deepEqual(left.items.map((i: { address: string }) => i.address).sort(), [
        '+14155550123',
        'kate.moss@luma.example',
        'tom.baker@luma.example',
      ]);
    });
  });
});
