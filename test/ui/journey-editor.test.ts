// The journey editor never loses or mixes up work: an email without a configuration and its typed
// subject survive leaving through the menu (after the leave dialog) and a reload; browser back with
// unsaved changes asks; each side panel edits only its own activity ("Edit content as code" on one
// email, then another email); two people editing one draft get a conflict dialog, never a silent
// overwrite; a condition built with the form round-trips through its expression.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { inside, node, saved, select, settled } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

/** A draft copy of the demo Purchase Journey (the live one is read only). */
async function draftCopy(server: Running, id: string): Promise<void> {
  const demo = await server.api('GET', '/v1/journeys/purchase-journey');
  const r = await server.api('POST', '/v1/journeys', {
    ...demo.latest.definition,
    id,
    name: `Editor ${id}`,
  });
  assert.equal(r?.error, undefined, JSON.stringify(r));
}

const nodeOf = async (server: Running, journey: string, id: string) =>
  (await server.api('GET', `/v1/journeys/${journey}`)).latest.definition.nodes.find(
    (n: { id: string }) => n.id === id,
  );

/** Until the server's draft has what the editor autosaved (it saves a moment after the last edit). */
async function stored(what: string, has: () => Promise<boolean>): Promise<void> {
  for (const end = Date.now() + 15_000; Date.now() < end;) {
    if (await has()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the draft was not saved with ${what}`);
}

describe('the journey editor keeps every change', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole()));
  after(() => closeConsole({ server, browser }, 'editor-zz-last'));

  test('an email without a configuration and its typed subject survive leaving through the menu and a reload', async () => {
    const { page } = browser;
    await draftCopy(server, 'keep-work');
    await page.goto(`${server.url}/journeys/keep-work`);
    await node(page, 'confirmation').waitFor();
    assert.match(await page.title(), /^Editor keep-work · Journeys · Waymark$/);
    await select(page, 'confirmation');
    // The palette adds after the selected activity, connected to it.
    await page.getByTestId('palette-Email').click();
    await node(page, 'email').waitFor();
    await page.waitForTimeout(400);
    // The new activity lands in view, beside the side panel, not under it.
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const added = (await node(page, 'email').boundingBox())!;
    assert.ok(
      added.x >= canvas.x &&
        added.x + added.width <= canvas.x + canvas.width &&
        added.y >= canvas.y &&
        added.y + added.height <= canvas.y + canvas.height,
      `the new activity is at ${JSON.stringify(added)}, the canvas at ${JSON.stringify(canvas)}`,
    );
    await page.getByLabel('Subject').fill('Your receipt, typed before any configuration');
    // Leaving at once: the edit is not saved yet, so the console asks.
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Journeys', exact: true })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Leave without saving?' }).waitFor();
    await browser.shot('editor-leave-dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.match(page.url(), /\/journeys\/keep-work$/);
    // The invalid draft is saved with its problem listed on the activity; publishing is what it blocks.
    await saved(page);
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await node(page, 'email').locator('.activity-error').waitFor();
    await page.getByRole('alert', { name: 'Problems' }).waitFor();
    await browser.shot('editor-draft-with-problems');
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Journeys', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Editor keep-work' }).click();
    await select(page, 'email');
    assert.equal(
      await page.getByLabel('Subject').inputValue(),
      'Your receipt, typed before any configuration',
    );
    await page.reload();
    await select(page, 'email');
    assert.equal(
      await page.getByLabel('Subject').inputValue(),
      'Your receipt, typed before any configuration',
    );
    assert.deepEqual((await nodeOf(server, 'keep-work', 'confirmation')).next, ['email']);
  });

  test('browser back with unsaved changes asks, and staying keeps them', async () => {
    const { page } = browser;
    await draftCopy(server, 'back-button');
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Journeys', exact: true })
      .click();
    await page.getByRole('link', { name: 'Editor back-button' }).click();
    await select(page, 'loyalty');
    await page.getByLabel('Label', { exact: true }).fill('Loyalty points');
    await page.goBack();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Leave without saving?' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.match(page.url(), /\/journeys\/back-button$/);
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    assert.equal((await nodeOf(server, 'back-button', 'loyalty')).label, 'Loyalty points');
  });

  test('"Edit content as code" belongs to the email it was opened on', async () => {
    const { page } = browser;
    await draftCopy(server, 'keyed-panels');
    await page.goto(`${server.url}/journeys/keyed-panels`);
    const before = {
      confirmation: await nodeOf(server, 'keyed-panels', 'confirmation'),
      abandoned: await nodeOf(server, 'keyed-panels', 'abandoned-email'),
    };
    await select(page, 'confirmation');
    await page.getByText('Edit content as code').click();
    const code = page.getByLabel('Message content (JSON)');
    await code.waitFor();
    assert.ok((await code.innerText()).includes(before.confirmation.content.subject));
    await select(page, 'abandoned-email');
    await page.getByLabel('Subject').waitFor();
    // The other email's panel starts fresh: its own subject, no JSON from the confirmation.
    assert.equal(await page.getByLabel('Subject').inputValue(), before.abandoned.content.subject);
    await page.getByText('Edit content as code').click();
    const text = await code.innerText();
    assert.ok(!text.includes(before.confirmation.content.subject), text.slice(0, 200));
    assert.ok(text.includes(before.abandoned.content.subject));
    // An edit there changes the abandoned-cart email only.
    await code.click();
    // A last property, typed before the closing brace (a later key wins in JSON).
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(', "preheader": "Still in your cart"\n');
    if (process.env.DBG) console.log('CODE', (await code.innerText()).slice(0, 160));
    await browser.shot('editor-keyed-panel');
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await stored(
      'the preheader',
      async () =>
        (await nodeOf(server, 'keyed-panels', 'abandoned-email')).content.preheader ===
        'Still in your cart',
    );
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    const after = {
      confirmation: await nodeOf(server, 'keyed-panels', 'confirmation'),
      abandoned: await nodeOf(server, 'keyed-panels', 'abandoned-email'),
    };
    assert.deepEqual(after.confirmation.content, before.confirmation.content);
    assert.equal(after.abandoned.content.preheader, 'Still in your cart');
    assert.deepEqual(
      { ...after.abandoned.content, preheader: before.abandoned.content.preheader },
      before.abandoned.content,
    );
  });

  test('a condition built with the form round-trips through its expression', async () => {
    const { page } = browser;
    await draftCopy(server, 'condition-form');
    await page.goto(`${server.url}/journeys/condition-form`);
    await select(page, 'preferred-channel');
    const path = page.getByLabel('Path 1 condition');
    // The demo's expression reads back as one audience row.
    assert.equal(await path.getByLabel('Row 1 kind').inputValue(), 'audience');
    assert.equal(await path.getByLabel('Row 1 audience').inputValue(), 'Luma - Mobile App Users');
    await path.getByRole('button', { name: 'Add attribute' }).click();
    await path
      .getByLabel('Row 2 attribute')
      .selectOption('@event{LumaCheckoutEvent_Email.productListItems.at(0).priceTotal}');
    await path.getByLabel('Row 2 operator').selectOption({ label: 'is greater than' });
    await path.getByLabel('Row 2 value').fill('50');
    await path.getByLabel('Combine rows').selectOption('any');
    const expected =
      'inAudience("Luma - Mobile App Users") or @event{LumaCheckoutEvent_Email.productListItems.at(0).priceTotal} > 50';
    await path.locator('.cm-content').filter({ hasText: expected }).waitFor();
    await browser.shot('editor-condition-form');
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    assert.equal(
      (await nodeOf(server, 'condition-form', 'preferred-channel')).paths[0].expression,
      expected,
    );
    // Typed in the expression editor: beyond the form, the editor alone; simple again, the form again.
    await path.locator('.cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type(
      '(toInteger(@event{LumaCheckoutEvent_Email.productListItems.at(0).quantity}) + 1) > 2',
    );
    await path.getByText('This expression goes beyond what the form can show').waitFor();
    assert.equal(await path.getByLabel('Row 1 kind').count(), 0);
    await page.keyboard.press('Control+a');
    await page.keyboard.type('not inAudience("Luma - Mobile App Users")');
    await path.getByLabel('Row 1 membership').waitFor();
    assert.equal(await path.getByLabel('Row 1 membership').inputValue(), 'out');
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await stored(
      'the typed expression',
      async () =>
        (await nodeOf(server, 'condition-form', 'preferred-channel')).paths[0].expression ===
        'not inAudience("Luma - Mobile App Users")',
    );
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    assert.equal(
      (await nodeOf(server, 'condition-form', 'preferred-channel')).paths[0].expression,
      'not inAudience("Luma - Mobile App Users")',
    );
  });

  test('two people edit one draft: the second save gets the conflict dialog, not an overwrite', async () => {
    const { page } = browser;
    await draftCopy(server, 'two-editors');
    const other = await openBrowser();
    try {
      await signIn(other.page, server.url, server.key);
      await page.goto(`${server.url}/journeys/two-editors`);
      await other.page.goto(`${server.url}/journeys/two-editors`);
      await node(page, 'loyalty').waitFor();
      await node(other.page, 'loyalty').waitFor();
      // The first person saves…
      await select(other.page, 'loyalty');
      await other.page.getByLabel('Label', { exact: true }).fill('Theirs: loyalty points');
      await other.page
        .getByTestId('save-state')
        .filter({ hasText: /^Saved$/ })
        .waitFor();
      await stored(
        "the other person's label",
        async () =>
          (await nodeOf(server, 'two-editors', 'loyalty')).label === 'Theirs: loyalty points',
      );
      assert.equal(
        (await nodeOf(server, 'two-editors', 'loyalty')).label,
        'Theirs: loyalty points',
      );
      // …then the second, who loaded the draft before that save.
      await select(page, 'loyalty');
      await page.getByLabel('Label', { exact: true }).fill('Mine: loyalty');
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('heading', { name: 'Someone else changed this journey' }).waitFor();
      await page
        .getByTestId('save-state')
        .filter({ hasText: 'someone else saved a newer version' })
        .waitFor();
      assert.equal(
        (await nodeOf(server, 'two-editors', 'loyalty')).label,
        'Theirs: loyalty points',
      );
      await dialog.getByRole('button', { name: 'Compare' }).click();
      const diff = page.getByRole('table', { name: 'Differences' });
      await diff
        .getByRole('row')
        .filter({ hasText: 'Activity Theirs: loyalty points › label' })
        .filter({ hasText: 'Mine: loyalty' })
        .waitFor();
      await browser.shot('editor-conflict-compare');
      await page.getByRole('dialog').getByRole('button', { name: 'Reload theirs' }).click();
      // Theirs is on screen once the reload answered (until then the editor still shows mine).
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^Saved$/ })
        .waitFor();
      await select(page, 'loyalty');
      assert.equal(
        await page.getByLabel('Label', { exact: true }).inputValue(),
        'Theirs: loyalty points',
      );
      assert.equal(
        (await nodeOf(server, 'two-editors', 'loyalty')).label,
        'Theirs: loyalty points',
      );
    } finally {
      await other.close();
    }
  });

  test('while the journey reloads nothing can be edited, so no edit is dropped by the reload', async () => {
    const { page } = browser;
    await draftCopy(server, 'reload-window');
    await page.goto(`${server.url}/journeys/reload-window`);
    await node(page, 'loyalty').waitFor();
    await select(page, 'loyalty');
    // Someone else saves; our next edit gets the conflict dialog, and we reload theirs.
    const theirs = (await server.api('GET', '/v1/journeys/reload-window')).latest.definition;
    await server.api('PUT', '/v1/journeys/reload-window', {
      ...theirs,
      nodes: theirs.nodes.map((n: { id: string }) =>
        n.id === 'loyalty' ? { ...n, label: 'Theirs: loyalty' } : n,
      ),
    });
    const label = page.getByLabel('Label', { exact: true });
    await label.fill('Mine: loyalty');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Someone else changed this journey' }).waitFor();
    // The reload's request is held until the checks below are done.
    let release = () => {};
    const held = new Promise<void>((ok) => (release = ok));
    let arrived = () => {};
    const asked = new Promise<void>((ok) => (arrived = ok));
    const journey = (u: URL) => u.pathname === '/v1/journeys/reload-window';
    await page.route(journey, async (route) => {
      if (route.request().method() === 'GET') {
        arrived();
        await held;
      }
      await route.continue();
    });
    try {
      await dialog.getByRole('button', { name: 'Reload theirs' }).click();
      await asked;
      // Meanwhile the editor says so, and takes no edit the reloaded copy would wipe out.
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^Reloading…$/ })
        .waitFor();
      assert.equal(await label.isDisabled(), true, 'the Label field takes edits during the reload');
      assert.equal(await page.getByTestId('palette-Email').isDisabled(), true);
      assert.equal(
        await page
          .getByRole('toolbar', { name: 'Journey' })
          .getByRole('button', { name: 'Undo' })
          .isDisabled(),
        true,
      );
      assert.equal(
        await page
          .getByRole('toolbar', { name: 'Journey' })
          .getByRole('button', { name: 'Publish' })
          .isDisabled(),
        true,
        'Publish would act on a journey not yet on screen',
      );
      await browser.shot('editor-reloading');
    } finally {
      release();
    }
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await page.unroute(journey);
    assert.equal(await label.inputValue(), 'Theirs: loyalty');
    assert.equal(await label.isDisabled(), false);
    assert.equal((await nodeOf(server, 'reload-window', 'loyalty')).label, 'Theirs: loyalty');
  });

  test('"Journey start" shows while editing, not in the test and report views', async () => {
    const { page } = browser;
    await draftCopy(server, 'start-hint');
    const start = (await server.api('GET', '/v1/journeys/start-hint')).latest.definition.start;
    await page.goto(`${server.url}/journeys/start-hint`);
    await node(page, start).waitFor();
    await settled(page);
    const canvas = page.getByTestId('canvas');
    const hint = page.getByRole('button', { name: 'Journey start' });
    /** Pans the canvas from its right edge to its left one: the start goes out of view. */
    const panAway = async () => {
      const c = (await canvas.boundingBox())!;
      await page.mouse.move(c.x + c.width - 30, c.y + 30);
      await page.mouse.down();
      await page.mouse.move(c.x + 30, c.y + 30, { steps: 8 });
      await page.mouse.up();
      await settled(page);
      assert.ok(
        !inside((await node(page, start).boundingBox())!, (await canvas.boundingBox())!),
        'the start is still in view',
      );
    };
    await panAway();
    await hint.waitFor();
    // The report and test views only look at the journey: no way back to its start to build from.
    const modes = page.getByRole('group', { name: 'Mode' });
    await modes.getByRole('button', { name: 'Report' }).click();
    await page.getByRole('link', { name: 'Open the full report' }).waitFor();
    await panAway();
    assert.equal(await hint.count(), 0, '"Journey start" shows in the report view');
    await modes.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByRole('complementary', { name: 'Test mode' }).waitFor();
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Test mode/ })
      .waitFor();
    await settled(page);
    await panAway();
    await browser.shot('editor-test-mode-start-out-of-view');
    assert.equal(await hint.count(), 0, '"Journey start" shows in the test view');
    // Back to editing (leaving test mode), the button comes back once the start is out of view.
    await modes.getByRole('button', { name: 'Edit' }).click();
    await page
      .getByTestId('save-state')
      .filter({ hasText: /^Saved$/ })
      .waitFor();
    await settled(page);
    await panAway();
    await hint.waitFor();
  });

  test('the editor does not move once it shows, and a long name stays whole in its header at 1024 to 1440 px', async () => {
    const { page } = browser;
    const name = 'Luma spring loyalty re-engagement for members who browsed but did not buy';
    const demo = await server.api('GET', '/v1/journeys/purchase-journey');
    await server.api('POST', '/v1/journeys', { ...demo.latest.definition, id: 'long-name', name });
    const heading = page.getByRole('toolbar', { name: 'Journey' }).getByRole('heading', { name });
    try {
      for (const [width, height] of [
        [1024, 768],
        [1280, 800],
        [1440, 900],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.goto(`${server.url}/journeys/long-name`);
        // What the editor draws first stays where it is once everything it loads has arrived.
        const canvas = page.getByTestId('canvas');
        await canvas.waitFor();
        const first = await canvas.boundingBox();
        await page.waitForLoadState('networkidle');
        assert.deepEqual(await canvas.boundingBox(), first, `the canvas moved at ${width} px`);
        // The whole name on hover at any width; up to 1440 px with the menu open (1024 px with it
        // folded) the header gives it a row of its own.
        assert.equal(await heading.getAttribute('title'), name);
        const menu = page.getByRole('navigation', { name: 'Main menu' });
        assert.equal(await menu.isVisible(), width > 1024, `the menu at ${width} px`);
        assert.equal(
          await heading.evaluate((e) => e.scrollWidth > e.clientWidth),
          false,
          `the name is cut at ${width} px`,
        );
      }
      await browser.shotWide('editor-header-long-name', true);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
