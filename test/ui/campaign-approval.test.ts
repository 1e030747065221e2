// Campaign approvals in the console, on `waymark serve --demo`: with the sandbox's policy for
// API-triggered transactional campaigns, a draft's review page offers Request approval (not
// Activate); requested, it is In review with the message shown; Request changes sends it back to
// draft with the reviewer's message; requested again, Approve & activate makes it live. (The demo
// signs in one admin, so the policy allows self-approval; the API scenario covers refusing it.)
//
// Pages are looked at 1440 and 1024 px wide; screenshots go to $WAYMARK_CAMPAIGN_SHOTS when set.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useCampaignConsole } from './support/campaign-console.ts';
import type { Running } from './support/server.ts';

describe('campaign approvals in the console', () => {
  const ui = useCampaignConsole('campaign-approval-last');
  const { errors, shot, api } = ui;
  let server: Running;
  let page: Page;

  const head = () => page.locator('.campaign-review .page-head');
  const badge = () => head().locator('.badge');

  before(() => {
    server = ui.server;
    page = ui.page;
  });

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
