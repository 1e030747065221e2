// Landing pages and campaign approvals in the console on one `waymark serve --demo` and one
// Chromium, signed in as the admin at 1440 px (test/ui/support/campaign-console.ts): a server and a
// browser started for each cost about 14 s of CPU each time. The parts change different parts of
// the demo: landing pages (a new page, the preference centre, Sarah's consent after her purchase
// journey mail) and a new API-triggered campaign with the prod sandbox's campaign approval policy
// (which covers only API-triggered transactional campaigns: no landing page or journey needs
// approval). Each part starts from its own page and asserts on the page errors of its own part.
//
// Pages are looked at 1440 and 1024 px wide; screenshots go to $WAYMARK_CAMPAIGN_SHOTS when set.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useCampaignConsole } from './support/campaign-console.ts';
import type { Running } from './support/server.ts';
import { cart, lumaEvent } from '../support/luma.ts';

const SARAH = 'sarah.miller@luma.example';

describe('landing pages and campaign approvals on one demo server', () => {
  const ui = useCampaignConsole('campaign-flows-last');

  // Landing pages in the console, by clicking and typing only: create a page (a draft), design it
  // in the Email Designer, give it a form and publish it; then the demo's "Email preferences" page:
  // edit a field's label and publish it again, open it from the "Manage preferences" link of
  // Sarah's order confirmation in the development inbox (signed for her: no sign-in), untick
  // marketing email, send, and see the consent changed on her profile. A robot that fills the
  // honeypot is refused.
  describe('landing pages in the console', () => {
    const { errors, shot } = ui;
    let page: Page;

    before(async () => {
      page = ui.page;
      errors.length = 0;
      await page.goto(ui.server.url);
    });
    after(() => ui.browser.shot('landing-pages-last').catch(() => undefined));

    test('create, design, give a form and publish a landing page', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Landing pages' }).click();
      await page.getByRole('heading', { name: 'Landing pages', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Email preferences' }).waitFor();
      await page.getByRole('link', { name: 'Spring sale' }).waitFor();
      await shot('lp-00-list');

      const create = page.getByRole('form', { name: 'Create a landing page' });
      await create.getByLabel('Name').fill('Summer news');
      await create.getByRole('button', { name: 'Create landing page' }).click();
      await page.waitForURL(/\/landing-pages\/summer-news$/);
      await page.getByRole('heading', { name: 'Summer news', level: 1 }).waitFor();

      // The content, in the Email Designer.
      const primary = page.getByRole('article', { name: 'Primary page' });
      await primary.getByRole('button', { name: 'Edit content' }).click();
      const designer = page.getByRole('dialog', { name: 'Email designer' });
      await designer
        .getByRole('tree', { name: 'Email canvas' })
        .getByRole('treeitem', { name: /^Text: / })
        .waitFor();
      await shot('lp-01-designer');
      await designer.getByRole('button', { name: 'Done', exact: true }).click();
      await designer.waitFor({ state: 'detached' });

      // A form: a consent box and a subscription list.
      await primary.getByRole('button', { name: 'Add a form' }).click();
      await primary.getByLabel('Field 1 label').fill('Summer news by email');
      await primary.getByRole('button', { name: 'Add field' }).click();
      await primary.getByLabel('Field 2 kind').selectOption('subscription');
      await primary.getByLabel('Field 2 label').fill('The summer newsletter');
      await primary.getByLabel('Field 2 name').fill('summer');
      await primary.getByLabel('Field 2 list').fill('summer-news');
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
      await shot('lp-02-editor-published');

      const stored = (await ui.api('GET', '/v1/landing-pages/summer-news')) as {
        spec: {
          status: string;
          primary: { form: { fields: Array<{ kind: string; list?: string }> } };
        };
      };
      assert.equal(stored.spec.status, 'published');
      assert.deepEqual(
        stored.spec.primary.form.fields.map((f) => f.kind),
        ['consent', 'subscription'],
      );
      // The public address answers.
      await page.goto(`${ui.server.apiUrl}/lp/prod/summer-news`);
      await page.getByRole('heading', { name: 'Summer news' }).waitFor();
      await page.getByLabel('The summer newsletter').waitFor();
      await shot('lp-03-public-new');
    });

    test('from the email link, as Sarah: the preference form changes her consent', async () => {
      // The demo's preference centre, edited and published again in the console.
      await page.goto(`${ui.server.url}/landing-pages/email-preferences`);
      await page.getByRole('heading', { name: 'Email preferences', level: 1 }).waitFor();
      const primary = page.getByRole('article', { name: 'Primary page' });
      await primary.getByLabel('Field 1 label').fill('Your first name');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      await page.getByRole('button', { name: 'Unpublish' }).click();
      await page.getByRole('status').filter({ hasText: 'Unpublished' }).waitFor();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
      await shot('lp-04-editor-preferences');

      // Sarah buys: her order confirmation's footer links to the preference centre.
      await ui.api('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', SARAH, cart));
      await ui.api('POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', SARAH, cart));
      let link: string | undefined;
      for (let i = 0; i < 100 && !link; i++) {
        const inbox = (await ui.api('GET', `/v1/dev/inbox?to=${SARAH}`)) as {
          email: Array<{ html: string }>;
        };
        const html = inbox.email[0]?.html ?? '';
        link = /<a [^>]*href="([^"]+)"[^>]*>Manage preferences<\/a>/.exec(html)?.[1];
        if (!link) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(link, 'the confirmation has the Manage preferences link');
      const target = new URL(link.replace(/&amp;/g, '&'));
      await page.goto(`${ui.server.apiUrl}${target.pathname}${target.search}`);
      await page.waitForURL(/\/lp\/prod\/email-preferences\?p=/);
      await page.getByText('Hello Sarah').waitFor();
      await page.getByLabel('Your first name').waitFor();
      assert.equal(await page.getByLabel('Emails from Luma (offers and news)').isChecked(), true);
      await shot('lp-05-public-preferences');

      await page.getByLabel('Emails from Luma (offers and news)').uncheck();
      await page.getByLabel('The monthly Luma newsletter').check();
      await page.getByLabel('How often may we write?').selectOption('monthly');
      await page.getByRole('button', { name: 'Save my preferences' }).click();
      await page.waitForURL(/\/lp\/prod\/email-preferences\/saved\?p=/);
      await page.getByRole('heading', { name: 'Your preferences are saved' }).waitFor();
      assert.equal(await page.locator('strong.consent-email').textContent(), 'no');
      await shot('lp-06-public-saved');

      const profile = (await ui.api('GET', `/v1/profiles/Email/${SARAH}`)) as {
        attributes: {
          consents: { marketing: { email: string }; subscriptions: Record<string, string> };
          preferences: Record<string, string>;
        };
      };
      assert.equal(profile.attributes.consents.marketing.email, 'n');
      assert.equal(profile.attributes.consents.subscriptions['newsletter'], 'y');
      assert.equal(profile.attributes.preferences['emailFrequency'], 'monthly');

      // A robot fills the field people never see: refused, nothing written.
      await page.goto(`${ui.server.apiUrl}${target.pathname}${target.search}`);
      await page.locator('input[name="_website"]').fill('http://spam.example', { force: true });
      await page.getByLabel('Emails from Luma (offers and news)').check();
      await page.getByRole('button', { name: 'Save my preferences' }).click();
      await page.getByText('This submission looks automated').waitFor();
      const after = (await ui.api('GET', `/v1/profiles/Email/${SARAH}`)) as typeof profile;
      assert.equal(after.attributes.consents.marketing.email, 'n');

      // The report counts it all.
      await page.goto(`${ui.server.url}/landing-pages/email-preferences`);
      const report = page.getByRole('region', { name: 'Report' });
      await report.getByText('Conversions').waitFor();
      await shot('lp-07-editor-report');
      assert.deepEqual(errors, []);
    });
  });

  // Campaign approvals: with the sandbox's policy for API-triggered transactional campaigns, a
  // draft's review page offers Request approval (not Activate); requested, it is In review with the
  // message shown; Request changes sends it back to draft with the reviewer's message; requested
  // again, Approve & activate makes it live. (The demo signs in one admin, so the policy allows
  // self-approval; the API scenario covers refusing it.)
  describe('campaign approvals in the console', () => {
    const { errors, shot, api } = ui;
    let server: Running;
    let page: Page;

    const head = () => page.locator('.campaign-review .page-head');
    const badge = () => head().locator('.badge');

    before(() => {
      server = ui.server;
      page = ui.page;
      errors.length = 0;
    });
    after(() => ui.browser.shot('campaign-approval-last').catch(() => undefined));

    test('request approval, request changes, then approve and activate', async () => {
      // A draft copied from the demo's Order Shipped campaign, and the sandbox's policy.
      const list = (await api('GET', '/v1/campaigns')) as {
        items: Array<{ id: string; name: string }>;
      };
      const shipped = list.items.find((c) => c.name === 'Luma - Order Shipped');
      assert.ok(shipped, 'the demo has Luma - Order Shipped');
      const def = (await api('GET', `/v1/campaigns/${shipped.id}`))['definition'] as Record<
        string,
        unknown
      >;
      await api('POST', '/v1/campaigns', {
        ...def,
        id: 'order-delayed',
        name: 'Luma - Order Delayed',
      });
      const settings = await api('GET', '/v1/sandboxes/prod/settings');
      await api('PUT', '/v1/sandboxes/prod/settings', {
        ...settings,
        approvals: {
          ...(settings['approvals'] as object),
          campaigns: [
            {
              name: 'Transactional review',
              campaignTypes: ['api-triggered-transactional'],
              allowSelfApproval: true,
            },
          ],
        },
      });

      await page.goto(`${server.url}/campaigns/order-delayed`);
      const request = head().getByRole('button', { name: 'Request approval' });
      await request.waitFor();
      assert.equal(await head().getByRole('button', { name: 'Activate' }).count(), 0);
      await page.getByText('Ready to request approval: every check passed.').waitFor();
      await shot('20-approval-draft');

      await request.click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox').fill('New delay wording');
      await dialog.getByRole('button', { name: 'Request approval' }).click();
      await page.getByRole('status', { name: 'In review' }).waitFor();
      assert.equal(await badge().textContent(), 'In review');
      assert.match(
        (await page.getByRole('status', { name: 'In review' }).textContent()) ?? '',
        /Transactional review · “New delay wording”/,
      );
      assert.equal(await head().getByRole('link', { name: 'Edit' }).count(), 0, 'locked');
      await shot('21-approval-in-review');
      // The console's approval queue lists it next to journey requests, decided on its own page.
      await page.goto(`${server.url}/approvals`);
      const row = page
        .getByRole('table', { name: 'Approval requests' })
        .getByRole('row', { name: /Luma - Order Delayed/ });
      await row.getByRole('link', { name: 'Review campaign' }).click();
      await page.waitForURL(/\/campaigns\/order-delayed$/);
      await page.getByRole('status', { name: 'In review' }).waitFor();

      await head().getByRole('button', { name: 'Request changes' }).click();
      await dialog.getByRole('textbox').fill('Say when it ships instead');
      await dialog.getByRole('button', { name: 'Request changes' }).click();
      await page.getByRole('status', { name: 'Changes requested' }).waitFor();
      assert.equal(await badge().textContent(), 'Draft');
      assert.match(
        (await page.getByRole('status', { name: 'Changes requested' }).textContent()) ?? '',
        /Say when it ships instead/,
      );
      await head().getByRole('link', { name: 'Edit' }).waitFor();
      await shot('22-approval-changes-requested');

      await head().getByRole('button', { name: 'Request approval' }).click();
      await dialog.getByRole('textbox').fill('Wording changed as asked');
      await dialog.getByRole('button', { name: 'Request approval' }).click();
      await page.getByRole('status', { name: 'In review' }).waitFor();
      await head().getByRole('button', { name: 'Approve & activate' }).click();
      await dialog.getByRole('button', { name: 'Approve & activate' }).click();
      await head().getByRole('button', { name: 'Stop' }).waitFor();
      assert.equal(await badge().textContent(), 'Live');
      await shot('23-approval-live');
      assert.deepEqual(errors, []);
    });
  });
});
