// The canvas's in-app message and code-based experience activities: added from the palette after
// the demo's confirmation email, set with form fields (configuration, layout, title, body, a
// button, trigger, frequency, expiry; surface, format, payload), an offer decision inserted into
// the in-app body, a 3-day wait added after the in-app message, and what is saved is the content
// the server renders. The Buttons and Offer decision legends line up with the fields' labels, and
// each button field has a visible label in their style, its word in the field's accessible name.
// Screenshots at 1440 px (and the panel's groups at 1024 px).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from './support/browser.ts';
import { node, saved, select } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

describe('the canvas offers the in-app and code-based activities', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => ({ server, browser } = await openConsole({ errors })));
  after(() => closeConsole({ server, browser }, 'in-app-zz-last'));

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
