// "Create audience" from a campaign report's cell, in the console on `waymark serve --demo`: the
// demo's Spring Sale is sent, two of its recipients open it (their open pixels, fetched as a mail
// client does), and from the report's "Opened" cell a marketer makes an audience of those two, then
// finds it in the audiences list with its two members.
//
// The report is looked at 1440 and 1024 px wide (no sideways scroll); screenshots go to
// $WAYMARK_CAMPAIGN_SHOTS when it is set.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useCampaignConsole } from './support/campaign-console.ts';
import type { Running } from './support/server.ts';

const CAMPAIGN = 'luma-spring-sale';

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 120; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('an audience from a campaign report cell', () => {
  const ui = useCampaignConsole('campaign-report-audiences-last');
  const { errors, shot } = ui;
  let server: Running;
  let page: Page;

  before(() => {
    server = ui.server;
    page = ui.page;
  });

  test('the "Opened" cell becomes an audience of the two who opened', async () => {
    // The campaign is sent; two recipients open it.
    await server.api('POST', `/v1/campaigns/${CAMPAIGN}/activate`, {});
    const sent = await until('the sends', async () => {
      const r = await server.api('GET', `/v1/campaigns/${CAMPAIGN}/report`);
      return r.totals.sent >= 2 && r.status === 'completed' ? (r.totals.sent as number) : undefined;
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
