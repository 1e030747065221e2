// A campaign's content experiment in the console, on `waymark serve --demo`: the wizard's
// Experiment step sets a conversion metric (event type and window), a holdout and "send the winner
// to the rest" after some hours, all stored on the draft; activated, its report shows per treatment
// the metric, the lift against the control, its interval and the probability to be best, the
// holdout's baseline, and the winner send still to come.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Browser } from './support/browser.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

const SHOTS = process.env['WAYMARK_CAMPAIGN_SHOTS'];

describe('campaign experiments in the console', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as Record<string, any>;
  };
  /** The page at 1440 and 1024 px wide: never scrolling sideways; screenshots when asked for. */
  async function shot(name: string): Promise<void> {
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow} px at ${width} px`);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  const saved = () =>
    page.getByTestId('save-state').and(page.locator('[data-state="saved"]')).waitFor();
  const step = (name: string) => page.getByRole('form', { name });

  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440 }));
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });
  after(() => closeConsole({ server, browser }, 'campaign-experiment-last'));

  test('the Experiment step sets the metric, holdout and winner send; the report shows the analysis', async () => {
    // A draft like the demo's Spring Sale (its configuration, audience and content).
    const list = await api('GET', '/v1/campaigns');
    const entry = (list['items'] as Array<Record<string, any>>).find(
      (c) => c['name'] === 'Luma - Spring Sale',
    );
    assert.ok(entry, 'the demo campaign');
    const demo = await api('GET', `/v1/campaigns/${entry['id']}`);
    const d = demo['definition'];
    await api('POST', '/v1/campaigns', {
      id: 'spring-experiment',
      name: 'Luma - Spring experiment',
      type: 'scheduled',
      action: d.action,
      audience: d.audience,
    });

    await page.goto(`${server.url}/campaigns/spring-experiment/edit/experiment`);
    const form = step('Experiment');
    await form.getByRole('button', { name: 'Add a content experiment' }).click();
    await form.getByLabel('Success metric').selectOption('conversion');
    const event = form.locator('select[name="conversion-event"]');
    const eventType = (await event.locator('option').first().getAttribute('value')) ?? '';
    assert.ok(eventType !== '', 'the sandbox has event types to choose');
    await event.selectOption(eventType);
    await form.getByLabel('Within (hours)').fill('48');
    await form.getByLabel('Send the winner to the rest').check();
    await form.getByLabel('Holdout (%)').fill('20');
    await form.getByLabel(/^Send the winner after/).fill('6');
    await saved();

    const stored = await api('GET', '/v1/campaigns/spring-experiment');
    const e = stored['definition'].experiment;
    assert.deepEqual(e.metric, { kind: 'conversion', eventType, windowHours: 48 });
    assert.equal(e.holdoutPercent, 20);
    assert.deepEqual(e.winner, { kind: 'sendWinnerToRest', afterHours: 6 });

    // Without a holdout the winner has nobody to go to: the step says so.
    await form.getByLabel('Holdout (%)').fill('0');
    await form.getByRole('alert').filter({ hasText: 'needs a holdout' }).waitFor();
    await form.getByLabel('Holdout (%)').fill('20');
    await saved();
    await shot('experiment-step');

    await api('POST', '/v1/campaigns/spring-experiment/activate');
    await page.goto(`${server.url}/campaigns/spring-experiment/report`);
    const analysis = page.getByRole('region', { name: 'Experiment analysis' });
    await analysis.waitFor();
    const heads = await analysis.locator('thead th').allTextContents();
    for (const h of [
      eventType,
      'Rate',
      'Lift vs control',
      '95% interval',
      'Probability to be best',
    ])
      assert.ok(heads.includes(h), `column ${h} in ${heads.join(', ')}`);
    assert.equal(await analysis.locator('tbody tr').count(), 2, 'one row per treatment');
    assert.match((await analysis.locator('tbody tr[data-arm="a"]').textContent()) ?? '', /control/);
    assert.match(
      (await analysis.getByTestId('holdout-baseline').textContent()) ?? '',
      /^Holdout \(20%\): \d+ profiles? held out, \d+ converted without a message: baseline/,
    );
    await analysis.getByRole('status').waitFor();
    const send = analysis.getByRole('list', { name: 'Winner sends' }).locator('li');
    assert.equal(await send.getAttribute('data-state'), 'pending');
    assert.match((await send.textContent()) ?? '', /the winner is decided and sent to the rest/);
    await analysis.scrollIntoViewIfNeeded();
    await shot('experiment-report');
    assert.deepEqual(errors, []);
  });
});
