// Five parts of the console on one `waymark serve --demo` and one Chromium, signed in as the admin
// at 1440 px: a server and a browser started for each cost about 14 s of CPU each time. The parts
// read or change different parts of the demo: System status's Fleet section (it reads the
// engine's timers and outbox, so it goes first, though it passed last too), quick search and the
// help links (they only read), a campaign experiment (a new campaign, activated) and the Assistant
// (events of its own, then journey figures: it names whichever journey leads). Each part starts
// from its own page and asserts on the page errors of its own part.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fleetViewSchema } from '../../src/isomorphic/api/status.ts';
import { HELP } from '../../ui/src/app/help-links.ts';
import type { Browser } from './support/browser.ts';
import { adminApi, shotAtWidths } from './support/campaign-console.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

const TOM = 'tom.baker@luma.example';
const FOOTER = 'Luma - Footer Fragment';

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

let server: Running;
let browser: Browser;
const errors: string[] = [];

before(async () => {
  ({ server, browser } = await openConsole({ errors, width: 1440 }));
});
after(() => closeConsole({ server, browser }, 'demo-tools-last'));

// The Fleet section of System status, on `waymark serve --demo`: the one embedded engine owns all
// 256 partitions (one colour in the 16 x 16 map, "this engine" in the legend and the table), and
// nothing lags. Then the page as an operator of a three-engine fleet sees it mid-failover: this
// server has no fleet to show, so the browser is given one answer of GET /v1/status/fleet in the
// shape the fleet mode sends (a killed engine's partitions partly taken over, the rest in handoff, a
// new engine just joined, one partition lagging), held to the route's answer schema.
describe('the Fleet section of System status', () => {
  before(() => {
    errors.length = 0;
  });

  test('one engine owns every partition: one colour, this engine in the legend, nothing lagging', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/system`);
    const fleet = page.getByTestId('fleet');
    await fleet.getByRole('heading', { name: 'Fleet' }).waitFor();
    assert.match(
      await page.getByTestId('fleet-summary').innerText(),
      /^One engine runs everything and owns all 256 partitions/,
    );
    assert.equal(await page.getByTestId('fleet-engines').innerText(), '1');
    assert.equal(await page.getByTestId('fleet-lagging').innerText(), '0');
    const cells = page.getByTestId('fleet-grid').locator('.fleet-cell');
    assert.equal(await cells.count(), 256);
    const owners = await cells.evaluateAll((els) => [
      ...new Set(
        els.map((e) => `${e.getAttribute('data-owner')} ${getComputedStyle(e).backgroundColor}`),
      ),
    ]);
    assert.equal(owners.length, 1, `one owner, one colour: ${owners.join(' | ')}`);
    const { width, height } = await page.getByTestId('fleet-grid').evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { width: r.width, height: r.height };
    });
    assert.ok(
      width < 400 && Math.abs(width - height) < 4,
      `a compact square map (${width} x ${height})`,
    );
    const legend = page.getByRole('list', { name: 'Legend' });
    assert.match(await legend.innerText(), /this engine\s+256/);
    const byOwner = page.getByRole('table', { name: 'Partitions by owner' });
    assert.match(await byOwner.innerText(), /256\s+0–255/);
    assert.equal(await page.getByRole('table', { name: 'Engines' }).locator('tbody tr').count(), 1);
    assert.equal(
      await cells
        .first()
        .getAttribute('title')
        .then((t) => /^Partition 0: \S+\. no timer due; 0 in the outbox$/.test(t ?? '')),
      true,
    );
    await browser.shotWide('fleet-status-single', true);
    assert.deepEqual(errors, []);
  });

  test('a fleet mid-failover: partitions coloured per engine, those in handoff hatched, the lagging one marked', async () => {
    const { page } = browser;
    const now = Date.now();
    // Three engines held 0–85, 86–170 and 171–255; the third was killed: the first took 171–212 over, 213–255 wait (in handoff).
    const owner = (p: number): string | null =>
      p <= 85 || (p >= 171 && p <= 212)
        ? 'waymark-1.prod-7f9c2d1e'
        : p <= 170
          ? 'waymark-2.prod-0b3a5c77'
          : null;
    const partitions = Array.from({ length: 256 }, (_, p) => ({
      partition: p,
      owner: owner(p),
      leaseExpiresAt: owner(p) === null ? null : new Date(now + 4000).toISOString(),
      timersDue: p === 42 ? 1_250 : owner(p) === null ? 3 : p % 7 === 0 ? 1 : 0,
      timersLagMs: p === 42 ? 48_000 : owner(p) === null ? 6_500 : p % 7 === 0 ? 120 : 0,
      outboxPending: p === 42 ? 310 : p % 11 === 0 ? 2 : 0,
    }));
    const engines = [
      {
        id: 'waymark-1.prod-7f9c2d1e',
        host: 'waymark-1.prod',
        pid: 41,
        partitions: partitions.filter((p) => p.owner === 'waymark-1.prod-7f9c2d1e').length,
      },
      {
        id: 'waymark-2.prod-0b3a5c77',
        host: 'waymark-2.prod',
        pid: 38,
        partitions: partitions.filter((p) => p.owner === 'waymark-2.prod-0b3a5c77').length,
      },
      { id: 'waymark-4.prod-c41d9e02', host: 'waymark-4.prod', pid: 52, partitions: 0 },
    ].map((e) => ({
      ...e,
      startedAt: new Date(now - 3_600_000).toISOString(),
      heartbeatAt: new Date(now - 700).toISOString(),
    }));
    const unowned = partitions.filter((p) => p.owner === null).length;
    const view = {
      mode: 'fleet',
      partitionCount: 256,
      self: 'waymark-1.prod-7f9c2d1e',
      laggingAfterMs: 10_000,
      engines,
      partitions,
      totals: {
        timersDue: partitions.reduce((s, p) => s + p.timersDue, 0),
        timersLagMs: 48_000,
        outboxPending: partitions.reduce((s, p) => s + p.outboxPending, 0),
        unowned,
        lagging: 1,
      },
    };
    // The answer given is one the route could send: it parses with the schema the page's type comes from.
    fleetViewSchema.parse(view);
    await page.route('**/v1/status/fleet', (r) =>
      r.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(view) }),
    );
    await page.goto(`${server.url}/system`);
    await page
      .getByTestId('fleet-summary')
      .filter({ hasText: '3 engines share 256 partitions' })
      .waitFor();
    assert.match(
      await page.getByTestId('fleet-summary').innerText(),
      new RegExp(`${unowned} in handoff`),
    );
    assert.equal(await page.getByTestId('fleet-lagging').innerText(), '1');
    assert.equal(await page.getByTestId('fleet-timers-lag').innerText(), '48 s');
    const cells = page.getByTestId('fleet-grid').locator('.fleet-cell');
    const colours = await cells.evaluateAll(
      (els) =>
        new Set(
          els
            .filter((e) => !e.classList.contains('unowned'))
            .map((e) => getComputedStyle(e).backgroundColor),
        ).size,
    );
    assert.equal(
      colours,
      2,
      'a colour per engine holding partitions (the one just joined holds none yet)',
    );
    assert.equal(
      await page.getByTestId('fleet-grid').locator('.fleet-cell.unowned').count(),
      unowned,
    );
    const lagging = page.getByTestId('fleet-grid').locator('.fleet-cell.lagging');
    assert.equal(await lagging.count(), 1);
    assert.equal(await lagging.getAttribute('data-partition'), '42');
    assert.match(
      (await lagging.getAttribute('title')) ?? '',
      /^Partition 42: waymark-1\.prod-7f9c2d1e\. 1,250 timers due, oldest 48 s late; 310 in the outbox\. Lagging\.$/,
    );
    const rows = page.getByRole('table', { name: 'Partitions by owner' }).locator('tbody tr');
    assert.equal(
      await rows.count(),
      3,
      'the engines holding partitions, and the partitions in handoff',
    );
    assert.match(
      await rows.first().innerText(),
      /^waymark-1\.prod-7f9c2d1e\s+128 0–85, 171–212\s+1,2\d\d\s+48 s/,
    );
    assert.match(await rows.last().innerText(), /^in handoff\s+43 213–255/);
    await browser.shotWide('fleet-status-fleet', true);
    await page.getByRole('table', { name: 'Engines' }).scrollIntoViewIfNeeded();
    await browser.shotWide('fleet-status-fleet-engines', true);
    await page.unroute('**/v1/status/fleet');
    assert.deepEqual(errors, []);
  });
});

// Quick search, keyboard first, on `waymark serve --demo`: '/' from anywhere puts the cursor in it;
// the server searches (GET /v1/search) every kind the person may see and profiles by email; results
// show the name, the kind and the status; arrows move, Enter opens the page, Escape closes. Nothing
// is loaded in bulk: typing asks the search route only.
describe('quick search', () => {
  const asked: string[] = [];
  before(() => {
    errors.length = 0;
    browser.page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/v1/')) asked.push(`${r.method()} ${u.pathname}${u.search}`);
    });
  });

  test("'/' from the page focuses the search; a profile is found by email and Enter opens it", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys`);
    await page.getByRole('table', { name: 'Journeys' }).waitFor();
    asked.length = 0;
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('/');
    const search = page.getByLabel('Quick search');
    assert.equal(
      await search.evaluate((el) => el === document.activeElement),
      true,
      "'/' focuses the quick search",
    );
    await page.keyboard.type(TOM);
    const hit = page.getByRole('option').filter({ hasText: TOM });
    await hit.waitFor();
    assert.match(await hit.innerText(), /Profile/);
    assert.ok(
      asked.some((a) => a.startsWith('GET /v1/search?q=')),
      `the server searches: ${asked.join(', ')}`,
    );
    assert.ok(
      !asked.some((a) => /^GET \/v1\/(fragments|content-templates|audiences|event-types)$/.test(a)),
      `no list is loaded to search: ${asked.join(', ')}`,
    );
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/profiles/);
  });

  test('a fragment is found by its name, with its kind and status; arrows and Enter open it; Escape closes', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys`);
    await page.getByRole('table', { name: 'Journeys' }).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('Luma - Footer');
    const list = page.getByRole('listbox', { name: 'Search results' });
    const hit = list.getByRole('option').filter({ hasText: FOOTER });
    await hit.waitFor();
    assert.match(await hit.innerText(), /Fragment/);
    await browser.shotWide('quick-search-results', true);

    // Escape closes the results and keeps the text; typing opens them again.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await page.keyboard.type(' ');
    await hit.waitFor();

    // Arrows move the highlighted result; Enter opens the one highlighted.
    const options = list.getByRole('option');
    const index = (await options.allInnerTexts()).findIndex((t) => t.includes(FOOTER));
    for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await options.nth(index).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/objects\/fragments\//);
    await page.getByRole('heading', { name: FOOTER, level: 2 }).waitFor();
  });

  test("'/' typed in a field is text, not a jump to the search", async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys`);
    const filter = page.getByLabel('Filter journeys');
    await filter.click();
    await page.keyboard.type('a/b');
    assert.equal(await filter.inputValue(), 'a/b');
    assert.equal(
      await page.getByLabel('Quick search').evaluate((el) => el === document.activeElement),
      false,
    );
  });

  test('nothing found says so', async () => {
    const { page } = browser;
    await page.keyboard.press('Escape');
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('/');
    await page.keyboard.type('zzqx-nothing-has-this-name');
    await page.getByText(/Nothing found for/).waitFor();
  });

  test('no uncaught errors in the page', () => {
    assert.deepEqual(errors, []);
  });
});

// The console's help links: a "?" in the top bar opens the documentation of the page shown, and one
// beside each main page's title opens its section, both in a new tab. (That every href names a
// built page and heading is checked by test/docs/site.test.ts.)
describe('help links into the documentation', () => {
  before(() => {
    errors.length = 0;
  });

  const topBarHelp = () => browser.page.locator('header.topbar a.help-link');
  const titleHelp = () => browser.page.locator('main a.help-link').first();

  test('the top bar and the page title link the section of the page shown, in a new tab', async () => {
    const { page } = browser;
    const pages: [string, keyof typeof HELP][] = [
      ['/journeys', 'journeys'],
      ['/objects/audiences', 'audiences'],
      ['/campaigns', 'campaigns'],
      ['/objects/content-templates', 'content'],
      ['/admin/users', 'users'],
      ['/dead-letters', 'deadLetters'],
    ];
    for (const [path, topic] of pages) {
      await page.goto(`${server.url}${path}`);
      await titleHelp().waitFor();
      assert.equal(await topBarHelp().getAttribute('href'), HELP[topic].href, `top bar on ${path}`);
      assert.equal(await titleHelp().getAttribute('href'), HELP[topic].href, `title on ${path}`);
      assert.equal(await titleHelp().getAttribute('target'), '_blank');
      assert.match(String(await titleHelp().getAttribute('aria-label')), /^Help /);
      assert.match(String(await titleHelp().getAttribute('title')), new RegExp(HELP[topic].title));
      if (path === '/journeys') await browser.shotWide('help-links-journeys', true);
      if (path === '/objects/audiences') await browser.shotWide('help-links-audiences', true);
    }
  });

  test('the journey editor links the activities section', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys/purchase-journey`);
    const help = page.getByRole('toolbar', { name: 'Journey' }).locator('a.help-link');
    await help.waitFor();
    assert.equal(await help.getAttribute('href'), HELP.journeyEditor.href);
    assert.equal(await topBarHelp().getAttribute('href'), HELP.journeyEditor.href);
    await browser.shotWide('help-links-journey-editor', true);
  });
});

// A campaign's content experiment in the console, on `waymark serve --demo`: the wizard's
// Experiment step sets a conversion metric (event type and window), a holdout and "send the winner
// to the rest" after some hours, all stored on the draft; activated, its report shows per treatment
// the metric, the lift against the control, its interval and the probability to be best, the
// holdout's baseline, and the winner send still to come.
describe('campaign experiments in the console', () => {
  let page: Page;

  const api = async (method: string, path: string, body?: unknown) =>
    (await adminApi(server, method, path, body)) as Record<string, any>;
  const shot = (name: string) => shotAtWidths(page, name);
  const saved = () =>
    page.getByTestId('save-state').and(page.locator('[data-state="saved"]')).waitFor();
  const step = (name: string) => page.getByRole('form', { name });

  before(() => {
    errors.length = 0;
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });
  after(() => {
    browser.page.setDefaultTimeout(15_000);
  });

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

// The Assistant panel on `waymark serve --demo`, after some checkouts and purchases: the icon in
// the top bar opens it; a suggested data question answers with the Purchase Journey's figures, a
// chart and a link to its report; a product question cites the docs; feedback is recorded;
// screenshots at 1440 and 1024 px.
describe('the Assistant panel', () => {
  before(async () => {
    errors.length = 0;
    for (let i = 0; i < 12; i++) {
      const email = `panel${i}@luma.example`;
      await server.api('POST', '/v1/events', event('LumaCheckoutEvent_Email', email));
      if (i % 3 !== 0)
        await server.api('POST', '/v1/events', event('LumaPurchaseEvent_Email', email));
    }
  });

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
    await panel
      .getByLabel('Ask the Assistant')
      .fill('How do I test a journey before publishing it?');
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
});
