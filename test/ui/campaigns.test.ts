// Campaigns in the console, on `waymark serve --demo`, by clicking and typing only: create a
// scheduled email campaign through the wizard (properties, audience with its size, content in the
// journeys' message panel and Email Designer, schedule and throttle, a content experiment), reload
// mid-wizard and find nothing lost, review it (audience size, checks, preview as a test profile),
// activate it and read its report (sent per run and per treatment, the experiment's analysis). An
// API-triggered transactional campaign's review page gives its trigger call as cURL.
//
// Every page is looked at 1440 and 1024 px wide (no sideways scroll); screenshots of them go to
// $WAYMARK_CAMPAIGN_SHOTS when it is set.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useCampaignConsole } from './support/campaign-console.ts';
import type { Running } from './support/server.ts';

const AUDIENCE = 'Luma - Mobile App Users';

describe('campaigns in the console', () => {
  const ui = useCampaignConsole('campaigns-last');
  const { errors, shot } = ui;
  let server: Running;
  let page: Page;

  const saved = () =>
    page.getByTestId('save-state').and(page.locator('[data-state="saved"]')).waitFor();
  const step = (name: string) => page.getByRole('form', { name });

  before(() => {
    server = ui.server;
    page = ui.page;
  });

  test('create, reload, review, preview, activate and read the report of a campaign', async () => {
    // The menu leads to the list.
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    // The demo's own campaigns are there.
    await page.getByRole('link', { name: 'Luma - Spring Sale' }).waitFor();
    await page.getByRole('link', { name: 'Luma - Order Shipped' }).waitFor();
    await shot('00-list-demo');

    // Properties: a scheduled marketing email.
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await step('Properties').getByLabel('Name').fill('Luma - Summer Sale');
    await step('Properties').getByLabel('Description').fill('20% off the spring collection.');
    await shot('01-properties');
    await step('Properties').getByRole('button', { name: 'Next' }).click();

    // Audience: a stored audience by its email identities; its size is shown.
    await page.waitForURL(/\/campaigns\/luma-summer-sale\/edit\/audience$/);
    await step('Audience')
      .getByRole('combobox', { name: /^Audience/ })
      .selectOption(AUDIENCE);
    await step('Audience').getByLabel('Identity namespace').selectOption('Email');
    const estimate = page.getByTestId('audience-estimate');
    await estimate.waitFor();
    assert.equal(await estimate.textContent(), '2');
    await saved();
    await shot('02-audience');

    // A reload loses nothing: the draft was saved on the server.
    await page.reload();
    assert.equal(
      await step('Audience')
        .getByRole('combobox', { name: /^Audience/ })
        .inputValue(),
      AUDIENCE,
    );
    await step('Audience').getByRole('button', { name: 'Next' }).click();

    // Content: the journeys' message panel, and the Email Designer on its body.
    await page.waitForURL(/\/edit\/content$/);
    const content = step('Content');
    await content.getByLabel('Email configuration').selectOption('EmailMarketing');
    await content
      .getByLabel('Subject')
      .fill('{{profile.person.name.firstName}}, spring is here: 20% off');
    await content
      .getByLabel('Html')
      .fill(
        '<h1>Spring sale</h1><p>Hello {{profile.person.name.firstName}}, 20% off everything.</p>',
      );
    await saved();
    await content.getByRole('button', { name: 'Edit email body' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    await designer.waitFor();
    await designer.getByText('Spring sale').first().waitFor();
    await shot('03-designer');
    await designer.getByRole('button', { name: 'Done' }).click();
    await designer.waitFor({ state: 'hidden' });
    await content.getByText('Designed email').waitFor();
    await saved();
    await shot('03-content');
    await content.getByRole('button', { name: 'Next' }).click();

    // Schedule: as soon as activated, at most 200 messages a second.
    await page.waitForURL(/\/edit\/schedule$/);
    const schedule = step('Schedule');
    await schedule.getByText('At a date and time').click();
    await schedule.getByRole('combobox', { name: /^Time zone/ }).waitFor();
    await shot('04-schedule-at');
    await schedule.getByText('Recurring').click();
    await schedule.getByLabel('Repeat').selectOption('weekly');
    await shot('04-schedule-recurring');
    await schedule.getByText('As soon as activated').click();
    await schedule.getByLabel(/^Rate/).fill('200');
    await saved();
    assert.equal(await page.getByLabel('Schedule summary').textContent(), 'As soon as activated');
    await schedule.getByRole('button', { name: 'Next' }).click();

    // Experiment: two treatments, half each; B gets another subject on the Content step.
    await page.waitForURL(/\/edit\/experiment$/);
    await step('Experiment').getByRole('button', { name: 'Add a content experiment' }).click();
    await step('Experiment').getByLabel('Treatment 2 name').fill('Short subject');
    await step('Experiment').getByLabel('Success metric').selectOption('clicks');
    await saved();
    await shot('05-experiment');
    await page
      .getByRole('navigation', { name: 'Campaign steps' })
      .getByRole('button', { name: /Content/ })
      .click();
    await page.waitForURL(/\/edit\/content$/);
    await step('Content').getByRole('tab', { name: 'Short subject' }).click();
    await step('Content').getByLabel('Subject').fill('Spring sale: 20% off');
    await saved();
    await shot('05-content-treatment');
    await page
      .getByRole('navigation', { name: 'Campaign steps' })
      .getByRole('button', { name: /Review/ })
      .click();

    // Review: the size, every check passed, the message as Tom would read it.
    await page.waitForURL(/\/campaigns\/luma-summer-sale$/);
    await page.getByText('Ready to activate').waitFor();
    assert.equal(await page.getByTestId('audience-estimate').textContent(), '2');
    const preview = page.getByRole('region', { name: 'Message preview' });
    await preview.getByLabel('Test profile').selectOption({ label: 'tom.baker@luma.example' });
    await preview
      .locator('.preview-subject', { hasText: 'Tom, spring is here: 20% off' })
      .waitFor();
    const html = await preview.locator('iframe').getAttribute('srcdoc');
    assert.match(html ?? '', /Hello Tom, 20% off everything/);
    await preview.getByLabel('Treatment').selectOption({ label: 'Short subject' });
    await preview.locator('.preview-subject', { hasText: /^Spring sale: 20% off$/ }).waitFor();
    await shot('06-review');

    // Activate (asked first); it sends at once.
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
    await page
      .locator('.page-head [data-status]')
      .and(page.locator(':not([data-status="draft"])'))
      .waitFor();

    // Report: both members sent to, one per treatment or both in one, with the analysis.
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.waitForURL(/\/report$/);
    const sent = page.locator('[data-kpi="sent"] strong');
    for (let i = 0; i < 60 && (await sent.textContent().catch(() => '0')) !== '2'; i++) {
      await page.waitForTimeout(500);
      await page.getByRole('button', { name: 'Refresh' }).click();
    }
    assert.equal(await sent.textContent(), '2');
    assert.equal(await page.locator('[data-kpi="targeted"] strong').textContent(), '2');
    const runs = page.getByRole('table', { name: 'Runs' });
    assert.equal(await runs.locator('tbody tr').count(), 1);
    const treatments = page.getByRole('table', { name: 'Treatments' });
    await treatments.waitFor();
    const analysis = page.getByRole('region', { name: 'Experiment analysis' });
    await analysis.waitFor();
    await shot('07-report');
    await analysis.scrollIntoViewIfNeeded();
    await shot('07-report-analysis');

    // The list shows it, with its sends.
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    const row = page
      .getByRole('table', { name: 'Campaigns' })
      .getByRole('row', { name: /Luma - Summer Sale/ });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Email/);
    // Its last run: when, and what it sent.
    assert.match((await row.locator('td.last-run').textContent()) ?? '', /\d{1,2}:\d{2}.*2 sent$/);
    await shot('08-list');
    assert.deepEqual(errors, []);
  });

  test('a duplicate scheduled for tomorrow is activated, then stopped', async () => {
    await page.goto(`${server.url}/campaigns`);
    const rows = page.getByRole('table', { name: 'Campaigns' }).locator('tbody tr');
    await rows
      .filter({ hasText: 'Luma - Summer Sale' })
      .getByRole('button', { name: 'Duplicate' })
      .click();
    const copy = page
      .getByRole('table', { name: 'Campaigns' })
      .getByRole('row', { name: /Luma - Summer Sale \(copy\)/ });
    assert.equal(await copy.locator('td.last-run').textContent(), '—', 'a draft has no last run');
    await page.getByRole('link', { name: 'Luma - Summer Sale (copy)' }).click();
    await page.waitForURL(/\/campaigns\/luma-summer-sale-copy\/edit$/);
    await page
      .getByRole('navigation', { name: 'Campaign steps' })
      .getByRole('button', { name: /Schedule/ })
      .click();
    await step('Schedule').getByText('At a date and time').click();
    await step('Schedule')
      .getByRole('combobox', { name: /^Time zone/ })
      .selectOption('Europe/Paris');
    await saved();
    assert.match(
      (await page.getByLabel('Schedule summary').textContent()) ?? '',
      /^Once, .* 09:00 \(Europe\/Paris\)$/,
    );
    // 09:00 in each profile's own zone: offered, and explained. (Left off here: tomorrow's 09:00
    // has already come in the easternmost zones, which would make the campaign live at once.)
    const ownZone = step('Schedule').getByRole('checkbox', {
      name: "Send at that time in each profile's own time zone",
    });
    await ownZone.check();
    await step('Schedule')
      .getByText(/profiles without one use Europe\/Paris/)
      .waitFor();
    await saved();
    await shot('11-schedule-profile-zone');
    await ownZone.uncheck();
    await saved();
    await step('Schedule').getByRole('button', { name: 'Next' }).click();
    await step('Experiment').getByRole('button', { name: 'Review' }).click();
    await page.getByText('Ready to activate').waitFor();
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate' }).click();
    await page.locator('.page-head [data-status="scheduled"]').waitFor();
    await page.getByText(/Next run .* 09:00 \(Europe\/Paris\)/).waitFor();
    await page.getByRole('region', { name: 'Message preview' }).locator('iframe').waitFor();
    await shot('12-review-scheduled');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop the campaign' }).click();
    await page.locator('.page-head [data-status="stopped"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Activate' }).count(), 0);
    assert.deepEqual(errors, []);
  });

  test("someone else's save stops the wizard's saving, and says so", async () => {
    await page.goto(`${server.url}/campaigns`);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await step('Properties').getByLabel('Name').fill('Luma - Summer Teaser');
    await step('Properties').getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/campaigns\/luma-summer-teaser\/edit\/audience$/);
    await page
      .getByRole('navigation', { name: 'Campaign steps' })
      .getByRole('button', { name: /Properties/ })
      .click();
    // Another person saves the draft (through the API) while this page has it open.
    const theirs = await server.api('GET', '/v1/campaigns/luma-summer-teaser');
    const put = await fetch(`${server.apiUrl}/v1/campaigns/luma-summer-teaser`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${server.key}`,
        'content-type': 'application/json',
        'if-match': theirs.etag,
      },
      body: JSON.stringify({ ...theirs.definition, description: 'Theirs' }),
    });
    assert.equal(put.status, 200);
    await step('Properties').getByLabel('Description').fill('Mine');
    await page.getByTestId('save-state').and(page.locator('[data-state="conflict"]')).waitFor();
    assert.match(
      (await page.getByTestId('save-state').textContent()) ?? '',
      /Someone else changed this campaign/,
    );
    const stored = await server.api('GET', '/v1/campaigns/luma-summer-teaser');
    assert.equal(stored.definition.description, 'Theirs');
    assert.deepEqual(errors, []);
    // Leaving asks first (what was typed is not stored): the next test leaves.
    page.once('dialog', (d) => void d.accept());
  });

  test('an API-triggered transactional campaign shows its trigger call', async () => {
    await page.goto(`${server.url}/campaigns`);
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await step('Properties').getByLabel('Name').fill('Luma - Password Reset');
    await step('Properties').getByText('API-triggered', { exact: true }).click();
    await step('Properties').getByText('Transactional', { exact: true }).click();
    await step('Properties').getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/\/edit\/recipients$/);
    await step('Recipients').getByLabel('Identity namespace').selectOption('Email');
    await saved();
    await shot('09-recipients');
    await page
      .getByRole('navigation', { name: 'Campaign steps' })
      .getByRole('button', { name: /Review/ })
      .click();
    await page.waitForURL(/\/campaigns\/luma-password-reset$/);
    const curl = page.getByLabel('cURL');
    await curl.waitFor();
    const text = (await curl.textContent()) ?? '';
    assert.match(text, /\/v1\/campaigns\/luma-password-reset\/trigger/);
    assert.match(text, /"identity": "someone@example.com",\s+"namespace": "Email"/);
    // Not ready: no channel configuration or content yet; each problem links to its step.
    await page.getByRole('region', { name: 'Checks' }).waitFor();
    assert.ok(await page.getByRole('button', { name: 'Activate' }).isDisabled());
    await shot('10-review-api');
    await page
      .getByRole('region', { name: 'Checks' })
      .getByRole('link', { name: 'Fix' })
      .first()
      .click();
    await page.waitForURL(/\/edit\/content$/);
    // Drafts can be filtered and deleted from the list.
    await page.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    await page.getByLabel('Status').selectOption('draft');
    const rows = page.getByRole('table', { name: 'Campaigns' }).locator('tbody tr');
    await rows.filter({ hasText: 'Luma - Password Reset' }).waitFor();
    assert.equal(await rows.filter({ hasText: 'Luma - Summer Sale' }).count(), 0);
    await shot('11-list-drafts');
    await rows
      .filter({ hasText: 'Luma - Password Reset' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete the draft' }).click();
    await rows.filter({ hasText: 'Luma - Password Reset' }).waitFor({ state: 'detached' });
    assert.equal(await rows.filter({ hasText: 'Luma - Summer Teaser' }).count(), 1);
    assert.deepEqual(errors, []);
  });
});
