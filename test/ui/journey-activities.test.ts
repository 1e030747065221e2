// The canvas's new activities: a reaction added after the demo's confirmation email reacts to it,
// its panel offers the email's reactions and a timeout path; update profile lists the profile
// schema's fields (identities left out); the profile cap is a condition mode with its number; jump
// lists the sandbox's journeys; a reaction's activity reads as its panel does ("Email clicked ·
// Order Confirmation Email"). Screenshots at 1440 and 1024 px.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from './support/browser.ts';
import { node, saved, select } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

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
});
