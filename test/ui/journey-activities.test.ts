// Activities and journey rules on the canvas, three parts on one `waymark serve --demo` and one
// Chromium, signed in as the admin (a server and a browser started for each part cost about 14 s of
// CPU each time). Each part works on journeys and objects of its own (copies of the demo's Purchase
// Journey, new channel configurations, placements, event types), starts from its own page at
// Chromium's 1280 x 800, and asserts on the page errors of its own part.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Browser } from './support/browser.ts';
import { inside, node, saved, select, settled } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const AUDIENCE = 'Luma - Blue Luma+ Members';

/** Whether the activity is wholly inside the canvas. */
async function shown(page: Page, id: string): Promise<boolean> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const box = await node(page, id).boundingBox();
  return !!box && inside(box, canvas);
}

let server: Running;
let browser: Browser;
const errors: string[] = [];
before(async () => ({ server, browser } = await openConsole({ errors })));
after(() => closeConsole({ server, browser }, 'activities-zz-last'));

// The canvas's new activities: a reaction added after the demo's confirmation email reacts to it,
// its panel offers the email's reactions and a timeout path; update profile lists the profile
// schema's fields (identities left out); the profile cap is a condition mode with its number; jump
// lists the sandbox's journeys; a reaction's activity reads as its panel does ("Email clicked ·
// Order Confirmation Email"). At 1024 px, adding activities keeps the journey's start and the new
// activity in view (fitting the journey while it fits readably), leaves a view the person panned
// alone while both are in sight, and when both cannot fit readably shows the new activity with the
// path leading to it and a "Journey start" button. Screenshots at 1440 and 1024 px.
describe('the canvas offers the reaction, update-profile, profile-cap and jump activities', () => {
  before(async () => {
    errors.length = 0;
    await browser.page.setViewportSize({ width: 1280, height: 800 });
  });

  test('each activity is added from the palette and set with form fields', async () => {
    const { page } = browser;
    const demo = await server.api('GET', '/v1/journeys/purchase-journey');
    await server.api('POST', '/v1/journeys', {
      ...demo.latest.definition,
      id: 'activities',
      name: 'Activities',
    });
    await page.goto(`${server.url}/journeys/activities`);
    await node(page, 'confirmation').waitFor();
    await select(page, 'confirmation');
    await page.getByTestId('palette-Reaction').click();
    await node(page, 'reaction').waitFor();
    const panel = page.getByRole('complementary', { name: 'Reaction settings' });
    assert.equal(await panel.locator('select[name="message"]').inputValue(), 'confirmation');
    const reactions = await panel.locator('select[name="reaction"] option').allTextContents();
    assert.deepEqual(reactions, [
      'Message sent',
      'Email opened',
      'Email clicked',
      'Message bounced',
    ]);
    await panel.locator('select[name="reaction"]').selectOption('clicked');
    await panel.getByLabel('Define the reaction timeout').check();
    await saved(page);
    // The activity says it in words, as the panel does: the reaction and the message's label.
    assert.equal(
      await node(page, 'reaction').locator('.activity-kind').innerText(),
      'Email clicked · Order Confirmation Email · timeout 1 day',
    );
    await browser.shotWide('activities-reaction-panel', true);

    await select(page, 'reaction');
    await page.getByTestId('palette-Update profile').click();
    await node(page, 'update-profile').waitFor();
    const up = page.getByRole('complementary', { name: 'Update profile settings' });
    const fields = await up.locator('select[name="attribute"] option').allTextContents();
    assert.ok(fields.includes('loyalty.tier (string)'), fields.join(', '));
    assert.ok(!fields.some((f) => f.startsWith('personalEmail.address')), 'no identity field');
    await up.locator('select[name="attribute"]').selectOption('loyalty.tier');
    await browser.shotWide('activities-update-profile-panel', true);

    await page.getByTestId('palette-Profile cap').click();
    await node(page, 'profile-cap').waitFor();
    const cap = page.getByRole('complementary', { name: 'Condition settings' });
    assert.equal(await cap.locator('select').first().inputValue(), 'profileCap');
    await cap.locator('input[name="cap"]').fill('250');

    await page.getByTestId('palette-Jump').click();
    await node(page, 'jump').waitFor();
    const jump = page.getByRole('complementary', { name: 'Jump settings' });
    const journeys = await jump.locator('select[name="journey"] option').allTextContents();
    assert.ok(journeys.includes('Purchase Journey'), journeys.join(', '));
    await jump.locator('select[name="journey"]').selectOption('purchase-journey');
    await saved(page);

    const def = (await server.api('GET', '/v1/journeys/activities')).latest.definition;
    const byId = (id: string) => def.nodes.find((n: { id: string }) => n.id === id);
    assert.deepEqual(
      {
        message: byId('reaction').message,
        reaction: byId('reaction').reaction,
        timeout: byId('reaction').timeout,
      },
      { message: 'confirmation', reaction: 'clicked', timeout: { duration: 'P1D', next: [] } },
    );
    assert.equal(byId('update-profile').attribute, 'loyalty.tier');
    assert.deepEqual([byId('profile-cap').mode, byId('profile-cap').cap], ['profileCap', 250]);
    assert.equal(byId('jump').journey, 'purchase-journey');
    assert.deepEqual(errors, []);
  });

  test('at 1024 px, adding activities keeps the start and the new activity in view', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1024, height: 768 });
    const demo = (await server.api('GET', '/v1/journeys/purchase-journey')).latest.definition;
    const byId = (id: string) => demo.nodes.find((n: { id: string }) => n.id === id);
    await server.api('POST', '/v1/journeys', {
      ...demo,
      id: 'fit-on-add',
      name: 'Fit on add',
      start: 'checkout',
      nodes: [
        { ...byId('checkout'), next: ['confirmation'], position: { x: 0, y: 100 } },
        { ...byId('confirmation'), next: [], position: { x: 240, y: 100 } },
      ],
    });
    await page.goto(`${server.url}/journeys/fit-on-add`);
    await node(page, 'confirmation').waitFor();
    await settled(page);
    // At 1024 px the palette starts closed; opening it and the side panel narrows the canvas to
    // about 560 px, and the new activity lands beyond its right edge.
    await page.getByTitle('Show the activities').click();
    await select(page, 'confirmation');
    await page.getByTestId('palette-Wait').click();
    await node(page, 'wait').waitFor();
    await settled(page);
    assert.ok(await shown(page, 'checkout'), 'the start is in view after adding an activity');
    assert.ok(await shown(page, 'wait'), 'the new activity is in view');
    const style = await settled(page);
    const zoom = Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? '1');
    assert.ok(zoom >= 0.69, `the journey is fitted at a readable zoom (${zoom})`);
    await browser.shot('activities-fit-on-add-1024');

    // A view the person panned, with the start and the new activity in sight, is left as it is.
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height - 50);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width / 2 + 12, canvas.y + canvas.height - 40, {
      steps: 4,
    });
    await page.mouse.up();
    const panned = await settled(page);
    assert.notEqual(panned, style, 'the pane was panned');
    await select(page, 'checkout');
    await page.getByTestId('palette-Condition').click();
    await node(page, 'condition').waitFor();
    assert.ok(await shown(page, 'condition'), 'the new condition is in view');
    assert.equal(await settled(page), panned, 'the panned view is kept');

    // Too wide to fit readably with the start: the new activity is shown at the readable zoom with
    // the path leading to it, and a "Journey start" button on the canvas brings the start back.
    await select(page, 'wait');
    await page.getByTestId('palette-End').click();
    await node(page, 'end').waitFor();
    const wide = await settled(page);
    assert.ok(await shown(page, 'end'), 'the new end is in view');
    for (const id of ['wait', 'confirmation'])
      assert.ok(await shown(page, id), `${id}, on the path to the new end, is in view`);
    const floor = Number(/scale\(([\d.]+)\)/.exec(wide)?.[1] ?? '1');
    assert.ok(Math.abs(floor - 0.7) < 0.01, `at the readable zoom, to show the most (${floor})`);
    assert.ok(!(await shown(page, 'checkout')), 'the start does not fit beside the new end');
    await browser.shot('activities-fit-on-add-wide-1024');
    const hint = page.getByRole('button', { name: 'Journey start' });
    await hint.click();
    await settled(page);
    assert.ok(await shown(page, 'checkout'), 'the start is one click away');
    await hint.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  });
});

// The canvas's in-app message and code-based experience activities: added from the palette after
// the demo's confirmation email, set with form fields (configuration, layout, title, body, a
// button, trigger, frequency, expiry; surface, format, payload), an offer decision inserted into
// the in-app body, a 3-day wait added after the in-app message, and what is saved is the content
// the server renders. The Buttons and Offer decision legends line up with the fields' labels, and
// each button field has a visible label in their style, its word in the field's accessible name.
// Screenshots at 1440 px (and the panel's groups at 1024 px).
describe('the canvas offers the in-app and code-based activities', () => {
  before(async () => {
    errors.length = 0;
    await browser.page.setViewportSize({ width: 1280, height: 800 });
  });

  test('an in-app message and a code-based experience are set with form fields, with an offer in the body', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/channel-configurations', { channel: 'inApp', name: 'LumaWeb' });
    await server.api('POST', '/v1/channel-configurations', {
      channel: 'code',
      name: 'LumaWebCode',
    });
    await server.api('POST', '/v1/placements', {
      id: 'inapp-line',
      name: 'In-app line',
      channel: 'inApp',
      contentType: 'text',
    });
    await server.api('POST', '/v1/decision-policies', {
      id: 'inapp-offer',
      name: 'In-app offer',
      placement: 'inapp-line',
      strategies: [{ collection: { tags: { any: ['inapp'] } } }],
    });
    const demo = await server.api('GET', '/v1/journeys/purchase-journey');
    await server.api('POST', '/v1/journeys', {
      ...demo.latest.definition,
      id: 'in-app-canvas',
      name: 'In-app canvas',
    });
    await page.goto(`${server.url}/journeys/in-app-canvas`);
    await node(page, 'confirmation').waitFor();
    await select(page, 'confirmation');
    await page.getByTestId('palette-In-app message').click();
    await node(page, 'inapp').waitFor();
    const panel = page.getByRole('complementary', { name: 'In-app message settings' });
    await panel.locator('select[name="configuration"]').selectOption('LumaWeb');
    await panel.locator('select[name="content-layout"]').selectOption('banner');
    await panel
      .locator('input[name="content-title"]')
      .fill('Thanks, {{profile.person.name.firstName}}');
    await panel.locator('textarea[name="content-body"]').fill('Your order is on its way.');
    await panel.getByRole('button', { name: 'Add a button' }).click();
    await panel.getByLabel('Button 1 label').fill('See my order');
    await panel.getByLabel('Button 1 action').selectOption('url');
    await panel.getByLabel('Button 1 URL').fill('/demo/luma/orders');
    await panel.locator('select[name="trigger-kind"]').selectOption('pageView');
    await panel.locator('input[name="trigger-page"]').fill('/demo/luma/*');
    await panel.locator('select[name="frequency-kind"]').selectOption('times');
    await panel.locator('input[name="frequency-count"]').fill('2');
    await panel.locator('input[name="expires-after-hours"]').fill('48');
    const offer = panel.getByRole('group', { name: 'Offer decision' });
    const fields = await offer
      .getByLabel('Field the offer goes in')
      .locator('option')
      .allTextContents();
    assert.deepEqual(fields, ['Body', 'Title', 'Image URL', 'First button URL']);
    await offer.getByRole('button', { name: 'Insert offer' }).click();
    await saved(page);
    // The offer decision's legend lines up with the fields' labels, in their size and colour.
    const textOf = (l: typeof offer) =>
      l.evaluate((e) => {
        const range = document.createRange();
        range.selectNodeContents(e.firstChild!);
        const style = getComputedStyle(e);
        return {
          left: range.getBoundingClientRect().left,
          font: style.fontSize,
          color: style.color,
        };
      });
    const legend = await textOf(offer.locator('legend'));
    const trigger = await textOf(panel.locator('label').filter({ hasText: /^Trigger/ }));
    const title = await textOf(panel.locator('label').filter({ hasText: /^Title/ }));
    assert.ok(Math.abs(legend.left - trigger.left) < 0.5, `${legend.left} vs ${trigger.left}`);
    assert.ok(Math.abs(legend.left - title.left) < 0.5, `${legend.left} vs ${title.left}`);
    assert.deepEqual([legend.font, legend.color], [trigger.font, trigger.color]);
    // So does the Buttons legend (the same rule for both groups of fields).
    const buttons = await textOf(panel.getByRole('group', { name: 'Buttons' }).locator('legend'));
    assert.ok(Math.abs(buttons.left - title.left) < 0.5, `${buttons.left} vs ${title.left}`);
    assert.deepEqual([buttons.font, buttons.color], [title.font, title.color]);
    // Each button field has a visible label above it, in the size and colour of the panel's other
    // labels; its accessible name holds that word and says which button (WCAG 2.5.3).
    const button1 = panel.locator('[data-button="0"]');
    for (const [word, name, role] of [
      ['Label', 'Button 1 label', 'textbox'],
      ['Action', 'Button 1 action', 'combobox'],
      ['URL', 'Button 1 URL', 'textbox'],
    ] as const) {
      const field = button1.getByRole(role, { name, exact: true });
      assert.equal(await field.count(), 1, `one field named "${name}"`);
      assert.equal(await panel.getByLabel(name, { exact: true }).count(), 1, name);
      const shown = await field.locator('xpath=ancestor::label[1]').evaluate((e) => {
        const range = document.createRange();
        range.selectNodeContents(e.firstChild!);
        const r = range.getBoundingClientRect();
        const style = getComputedStyle(e);
        return {
          text: e.firstChild!.textContent!.trim(),
          shown: r.width > 0 && r.height > 0 && style.visibility === 'visible',
          bottom: r.bottom,
          font: style.fontSize,
          color: style.color,
        };
      });
      const box = (await field.boundingBox())!;
      assert.equal(shown.text, word);
      assert.ok(name.toLowerCase().includes(shown.text.toLowerCase()), `"${name}" holds "${word}"`);
      assert.ok(shown.shown, `"${word}" is visible`);
      assert.ok(shown.bottom <= box.y + 0.5, `"${word}" is above its field`);
      assert.deepEqual([shown.font, shown.color], [title.font, title.color], word);
    }
    await panel
      .getByRole('group', { name: 'Buttons' })
      .evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await browser.shotWide('in-app-panel-buttons', true);
    await offer.scrollIntoViewIfNeeded();
    await browser.shotWide('in-app-panel', true);

    // A 3-day wait follows the in-app message (it shows only while the profile is in the journey).
    const draft = (await server.api('GET', '/v1/journeys/in-app-canvas')).latest.definition;
    const waitId: string = draft.nodes.find((n: { id: string }) => n.id === 'inapp').next[0];
    const wait = draft.nodes.find((n: { id: string }) => n.id === waitId);
    assert.deepEqual([wait.kind, wait.duration], ['wait', 'P3D']);
    await select(page, waitId);
    await page.getByTestId('palette-Code-based experience').click();
    await node(page, 'codebased').waitFor();
    const code = page.getByRole('complementary', { name: 'Code-based experience settings' });
    await code.locator('select[name="configuration"]').selectOption('LumaWebCode');
    await code.locator('input[name="content-surface"]').fill('web://luma.example/demo/luma#hero');
    await code.locator('select[name="content-format"]').selectOption('json');
    await code
      .locator('textarea[name="content-payload"]')
      .fill('{"headline": "Welcome back, {{profile.person.name.firstName}}"}');
    await saved(page);
    await browser.shotWide('code-based-panel', true);

    const def = (await server.api('GET', '/v1/journeys/in-app-canvas')).latest.definition;
    const byId = (id: string) => def.nodes.find((n: { id: string }) => n.id === id);
    const inApp = byId('inapp');
    assert.equal(inApp.kind, 'inApp');
    assert.equal(inApp.configuration, 'LumaWeb');
    assert.deepEqual(byId('confirmation').next, ['inapp']);
    assert.deepEqual(
      { ...inApp.content },
      {
        layout: 'banner',
        title: 'Thanks, {{profile.person.name.firstName}}',
        body: 'Your order is on its way. {{#each (decide "inapp-offer") as |offer|}}{{offer.text}}{{/each}}',
        buttons: [
          { id: 'button1', label: 'See my order', action: 'url', url: '/demo/luma/orders' },
        ],
        trigger: { kind: 'pageView', page: '/demo/luma/*' },
        frequency: { kind: 'times', count: 2 },
        expiresAfterHours: 48,
      },
    );
    assert.deepEqual(byId(waitId).next, ['codebased']);
    const hero = byId('codebased');
    assert.equal(hero.kind, 'codeBased');
    assert.equal(hero.configuration, 'LumaWebCode');
    assert.deepEqual(hero.content, {
      surface: 'web://luma.example/demo/luma#hero',
      format: 'json',
      payload: '{"headline": "Welcome back, {{profile.person.name.firstName}}"}',
    });
    const check = await server.api('POST', '/v1/journeys/in-app-canvas/validate', def);
    const problems = JSON.stringify(check);
    assert.doesNotMatch(problems, /inapp|codebased|In-app|Code-based/, problems);
    assert.deepEqual(errors, []);
  });
});

// The journey rules of issue #19 in the console: the journey's identity namespace and exit on
// leaving an audience in the journey properties, a dry run started and stopped from the editor,
// and a read-audience entry run on a business event.
describe('journey rules in the console', () => {
  before(async () => {
    errors.length = 0;
    await browser.page.setViewportSize({ width: 1280, height: 800 });
  });

  test('namespace and audience exit in the properties, then a dry run started and stopped', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/journeys', {
      id: 'rules-check',
      name: 'Rules check',
      start: 'checkout',
      nodes: [
        {
          id: 'checkout',
          kind: 'event',
          event: 'LumaCheckoutEvent_Email',
          next: ['wait'],
          position: { x: 0, y: 0 },
        },
        { id: 'wait', kind: 'wait', duration: 'PT1H', next: ['done'], position: { x: 260, y: 0 } },
        { id: 'done', kind: 'end', position: { x: 520, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/rules-check`);
    const namespace = page.locator('input[name="journey-namespace"]');
    await namespace.waitFor();
    await namespace.fill('Email');
    const exits = page.locator('input[name="journey-exit-audiences"]');
    await exits.fill(AUDIENCE);
    await exits.press('Tab');
    await saved(page);
    const stored = (await server.api('GET', '/v1/journeys/rules-check')).latest.definition;
    assert.equal(stored.namespace, 'Email');
    assert.deepEqual(stored.exitCriteria, [{ audienceExit: AUDIENCE }]);

    await page.locator('details.more summary').click();
    await page.getByRole('menuitem', { name: 'Dry run' }).click();
    await page.locator('.toolbar .badge.status-dryRun').waitFor();
    assert.equal(
      (await server.api('GET', '/v1/journeys/rules-check')).latest.status,
      'dryRun',
      'the draft runs dry',
    );
    await page.getByText('Dry run: nothing is sent').waitFor();
    // A checkout for the draft in dry run: its summary counts the entry, and nothing is sent.
    await server.api('POST', '/v1/events', {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'ana.garcia@luma.example' } } },
        productListItems: [{ name: 'Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 }],
      },
    });
    const summary = page.getByTestId('dry-run-summary');
    await summary.filter({ hasText: '1 entered' }).waitFor({ timeout: 15_000 });
    // When it ends by itself shows, as a date in one sentence (the banner's flex row keeps it whole).
    const endsAt = await summary.getAttribute('data-ends');
    assert.ok(endsAt, 'the report tells when the dry run ends');
    assert.equal(await summary.locator('time').getAttribute('datetime'), endsAt);
    assert.match(
      await summary.innerText(),
      /^Dry run until .+ \(it ends by itself 14 days after it started\): 1 entered/,
    );
    assert.equal(await summary.locator(':scope > *').count(), 1, 'one flowing paragraph');
    assert.equal(await page.locator('.toolbar .badge.status-dryRun').innerText(), 'dry run');
    await page.locator('details.more summary').click();
    await page.getByRole('menuitem', { name: 'Stop dry run' }).click();
    await page.locator('.toolbar .badge.status-draft').waitFor();
    assert.equal((await server.api('GET', '/v1/journeys/rules-check')).latest.status, 'draft');
  });

  test('an SMS configuration shows its tracking; a reaction to untracked clicks says which setting to turn on', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/channel-configurations', {
      channel: 'sms',
      name: 'RulesSMS',
      provider: 'twilio',
      twilio: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'secret', from: '+15551234567' },
    });
    await page.goto(`${server.url}/objects/channel-configurations/RulesSMS`);
    const clicks = page.getByLabel('Track link clicks');
    await clicks.waitFor();
    assert.equal(await clicks.isChecked(), false, 'shown without adding a section, off by default');
    assert.equal(await page.getByLabel('Short links valid for (days)').inputValue(), '30');
    await page.getByRole('button', { name: '+ Add Vonage' }).waitFor();
    await page.getByRole('button', { name: 'Remove Twilio' }).waitFor();

    await server.api('POST', '/v1/journeys', {
      id: 'sms-clicks',
      name: 'SMS clicks',
      start: 'checkout',
      nodes: [
        {
          id: 'checkout',
          kind: 'event',
          event: 'LumaCheckoutEvent_Email',
          next: ['text'],
          position: { x: 0, y: 0 },
        },
        {
          id: 'text',
          kind: 'sms',
          label: 'Thank-you SMS',
          configuration: 'RulesSMS',
          content: { channel: 'sms', text: 'Thanks! https://luma.example/track' },
          next: ['clicked'],
          position: { x: 260, y: 0 },
        },
        {
          id: 'clicked',
          kind: 'reaction',
          message: 'text',
          reaction: 'clicked',
          next: ['done'],
          position: { x: 520, y: 0 },
        },
        { id: 'done', kind: 'end', position: { x: 780, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/sms-clicks`);
    await page.locator('.react-flow__node[data-id="clicked"]').click();
    const panel = page.getByRole('complementary', { name: 'Reaction settings' });
    await panel
      .getByText('"RulesSMS" does not track link clicks', { exact: false })
      .waitFor({ timeout: 15_000 });
    assert.match(await panel.innerText(), /turn on "Track link clicks" in its Tracking settings/);
    assert.doesNotMatch(await panel.innerText(), /reaction_untracked/);
    assert.equal(
      await panel.locator('select[name="reaction"] option:checked').innerText(),
      'SMS link clicked',
    );
    assert.equal(
      await panel.locator('select[name="message"] option:checked').innerText(),
      'Thank-you SMS (SMS)',
    );
  });

  test('a read-audience entry runs on a business event', async () => {
    const { page } = browser;
    await server.api('PUT', '/v1/event-types/FlashSale', {
      name: 'FlashSale',
      business: true,
      schema: { type: 'object', properties: { discount: { type: 'number' } } },
    });
    await server.api('POST', '/v1/journeys', {
      id: 'flash-sale',
      name: 'Flash sale',
      start: 'wait',
      nodes: [
        { id: 'wait', kind: 'wait', duration: 'PT1H', next: ['done'], position: { x: 0, y: 0 } },
        { id: 'done', kind: 'end', position: { x: 260, y: 0 } },
      ],
    });
    await page.goto(`${server.url}/journeys/flash-sale`);
    await page.getByTestId('palette-Read audience').click();
    await page.getByRole('region', { name: 'Journey entry' }).waitFor();
    await page.getByLabel('Entry audience').selectOption(AUDIENCE);
    await page.getByLabel('Entry schedule').selectOption('business');
    assert.equal(await page.getByLabel('Entry business event').inputValue(), 'FlashSale');
    await saved(page);
    const stored = (await server.api('GET', '/v1/journeys/flash-sale')).latest.definition;
    assert.equal(stored.entry.type, 'readAudience');
    assert.equal(stored.entry.businessEvent, 'FlashSale');
    assert.deepEqual(stored.entry.schedule, { kind: 'once' });
  });
});
