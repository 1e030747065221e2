// Landing pages in the console, on `waymark serve --demo`, by clicking and typing only: create a
// page (a draft), design it in the Email Designer, give it a form and publish it; then the demo's
// "Email preferences" page: edit a field's label and publish it again, open it from the "Manage
// preferences" link of Sarah's order confirmation in the development inbox (signed for her: no
// sign-in), untick marketing email, send, and see the consent changed on her profile. A robot that
// fills the honeypot is refused.
//
// Every page is looked at 1440 and 1024 px wide (no sideways scroll); screenshots go to
// $WAYMARK_CAMPAIGN_SHOTS when it is set.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useCampaignConsole } from './support/campaign-console.ts';
import { cart, lumaEvent } from '../support/luma.ts';

const SARAH = 'sarah.miller@luma.example';

describe('landing pages in the console', () => {
  const ui = useCampaignConsole('landing-pages-last');
  const { errors, shot } = ui;
  let page: Page;

  before(() => {
    page = ui.page;
  });

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
