// The canvas's new activities: a reaction added after the demo's confirmation email reacts to it,
// its panel offers the email's reactions and a timeout path; update profile lists the profile
// schema's fields (identities left out); the profile cap is a condition mode with its number; jump
// lists the sandbox's journeys; a reaction's activity reads as its panel does ("Email clicked ·
// Order Confirmation Email"). At 1024 px, adding activities keeps the journey's start and the new
// activity in view (fitting the journey while it fits readably), leaves a view the person panned
// alone while both are in sight, and when both cannot fit readably shows the new activity with the
// path leading to it and a "Journey start" button. Screenshots at 1440 and 1024 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Browser } from './support/browser.ts';
import { inside, node, saved, select, settled } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

/** Whether the activity is wholly inside the canvas. */
async function shown(page: Page, id: string): Promise<boolean> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const box = await node(page, id).boundingBox();
  return !!box && inside(box, canvas);
}

describe('the canvas offers the reaction, update-profile, profile-cap and jump activities', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => ({ server, browser } = await openConsole({ errors })));
  after(() => closeConsole({ server, browser }, 'activities-zz-last'));

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
