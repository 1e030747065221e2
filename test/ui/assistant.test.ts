// The Assistant panel on `waymark serve --demo`, after some checkouts and purchases: the icon in
// the top bar opens it; a suggested data question answers with the Purchase Journey's figures, a
// chart and a link to its report; a product question cites the docs; feedback is recorded;
// screenshots at 1440 and 1024 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from './support/browser.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

let server: Running;
let browser: Browser;
const errors: string[] = [];

const event = (type: string, email: string) => ({
  type,
  payload: {
    _aeppartner1: { identification: { core: { email } } },
    ...(type === 'LumaPurchaseEvent_Email'
      ? { commerce: { purchases: { value: 1 } } }
      : { commerce: { checkouts: { value: 1 } } }),
    productListItems: [{ name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
  },
});

before(async () => {
  ({ server, browser } = await openConsole({ errors, width: 1440 }));
  for (let i = 0; i < 12; i++) {
    const email = `panel${i}@luma.example`;
    await server.api('POST', '/v1/events', event('LumaCheckoutEvent_Email', email));
    if (i % 3 !== 0)
      await server.api('POST', '/v1/events', event('LumaPurchaseEvent_Email', email));
  }
});
after(() => closeConsole({ server, browser }, 'assistant-last'));

test('the top bar icon opens the Assistant; a suggested question answers with figures, a chart and links', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/journeys`);
  await page.getByRole('table', { name: 'Journeys' }).waitFor();
  await page.getByRole('button', { name: 'Assistant' }).click();
  const panel = page.getByRole('dialog', { name: 'Assistant' });
  await panel.waitFor();
  await panel.getByText(/Runs without a model/).waitFor();
  await browser.shotWide('assistant-01-open', true);
  await page.setViewportSize({ width: 1440, height: 900 });

  await panel
    .getByRole('button', { name: 'Which journey is the most used, and how is it performing?' })
    .click();
  const answer = panel.getByRole('article', { name: 'Answer' }).last();
  await answer.getByText(/The most used journey is/).waitFor();
  const text = await answer.innerText();
  assert.match(text, /Purchase Journey/);
  assert.match(text, /\d+ profiles entered/);
  assert.match(text, /errors/);
  assert.match(text, /timeouts/);
  // Every checkout enters the Purchase Journey and the demo's Cart reminder alike: either may lead.
  const most = /The most used journey is (.+?) \(/.exec(text)?.[1];
  assert.ok(most, text);
  const journeys = (await server.api('GET', '/v1/journeys')) as {
    items: Array<{ id: string; name: string }>;
  };
  const mostId = journeys.items.find((j) => j.name === most)?.id;
  assert.ok(mostId, `the journey named ${most}`);
  // Several journeys had entries: the chart compares them (one journey alone: its activities).
  await answer.getByRole('img', { name: 'Profiles entered per journey' }).waitFor();
  const report = answer.getByRole('link', { name: `${most} — report` });
  assert.equal(await report.getAttribute('href'), `/journeys/${mostId}/report`);
  await browser.shotWide('assistant-02-data-answer', true);
  await page.setViewportSize({ width: 1440, height: 900 });

  await answer.getByRole('button', { name: 'Helpful', exact: true }).click();
  await answer.getByText(/feedback was recorded/).waitFor();

  await report.click();
  await page.waitForURL((url) => url.pathname === `/journeys/${mostId}/report`);
});

test('a product question cites the documentation; Escape closes the panel', async () => {
  const { page } = browser;
  const panel = page.getByRole('dialog', { name: 'Assistant' });
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Assistant' }).click();
  await panel.getByLabel('Ask the Assistant').fill('How do I test a journey before publishing it?');
  await page.keyboard.press('Enter');
  const answer = panel.getByRole('article', { name: 'Answer' }).last();
  await answer.getByText(/Test mode/).waitFor();
  const link = answer.getByRole('link', { name: 'Journeys › Lifecycle' });
  assert.equal(await link.getAttribute('href'), '/docs/concepts/journeys.html#lifecycle');
  await browser.shotWide('assistant-03-docs-answer', true);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});
