// The journey editor's header shows which journey is open: at 1024 px a 34-character name shows
// whole, the editing actions (undo, redo, Auto-layout) have moved into More, where they still show
// when they are unavailable and still work, as do their keyboard shortcuts; "Unsaved changes"
// shows as "Unsaved", never cut mid-word. A name too long for any row is cut with an ellipsis and
// carries the whole name on hover. At 1440 px the name and the actions all show in the row.
// Screenshots of the header at both widths go to test/ui/artifacts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page, Route } from 'playwright-core';
import { openConsole, closeConsole } from './support/console.ts';
import type { Browser } from './support/browser.ts';
import type { Running } from './support/server.ts';
import { node, settled } from './support/canvas.ts';

const NAME = 'Fit on add keeps the start in view';
const HUGE =
  'Winback for customers who bought twice in spring but never opened an email since the summer sale';

/** A draft copy of the demo Purchase Journey with its activities piled up (Auto-layout moves them). */
async function pile(server: Running, id: string, name: string): Promise<void> {
  const demo = (await server.api('GET', '/v1/journeys/purchase-journey')).latest.definition;
  const r = await server.api('POST', '/v1/journeys', {
    ...demo,
    id,
    name,
    nodes: demo.nodes.map((n: object, i: number) => ({
      ...n,
      position: { x: 40 * i, y: 30 * (i % 3) },
    })),
  });
  assert.equal(r?.error, undefined, JSON.stringify(r));
}

/** Whether the element's text is cut (wider than its box). */
const isCut = (l: Locator) =>
  l.evaluate((e: { scrollWidth: number; clientWidth: number }) => e.scrollWidth > e.clientWidth);

/** Where the canvas draws an activity (its position in the journey, whatever the zoom). */
const at = (page: Page, id: string) =>
  page
    .locator(`.react-flow__node[data-id="${id}"]`)
    .evaluate((e: { style: { transform: string } }) => e.style.transform);

/** Waits until the canvas draws the activity at `want`. */
async function drawnAt(page: Page, id: string, want: string, what: string): Promise<void> {
  let now = '';
  for (let i = 0; i < 50; i++) {
    now = await at(page, id);
    if (now === want) return;
    await page.waitForTimeout(100);
  }
  assert.equal(now, want, what);
}

async function open(page: Page, url: string, id: string): Promise<void> {
  await page.goto(`${url}/journeys/${id}`);
  await node(page, 'checkout').waitFor();
  await settled(page);
}

describe('the journey editor header', () => {
  let server: Running;
  let browser: Browser;
  before(async () => {
    ({ server, browser } = await openConsole());
    await pile(server, 'header-long', NAME);
    await pile(server, 'header-huge', HUGE);
  });
  after(() => closeConsole({ server, browser }, 'editor-header-last'));

  test('at 1024 px the whole name shows and undo, redo and Auto-layout work from More', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1024, height: 768 });
    await open(page, server.url, 'header-long');
    const toolbar = page.getByRole('toolbar', { name: 'Journey' });
    const name = toolbar.getByRole('heading', { level: 1 });
    assert.equal(await name.innerText(), NAME);
    assert.equal(await isCut(name), false, 'the name is cut at 1024 px');
    assert.equal(await name.getAttribute('title'), null, 'a whole name needs no tooltip');
    for (const action of ['Undo', 'Redo', 'Auto-layout'])
      assert.equal(await toolbar.getByRole('button', { name: action }).count(), 0, action);
    for (const action of ['Save', 'Publish', 'Fit'])
      assert.ok(
        await toolbar.getByRole('button', { name: action, exact: true }).isVisible(),
        action,
      );

    // In More: nothing to undo or redo yet (shown, disabled); Escape closes the menu.
    const more = toolbar.locator('details.more');
    const menu = toolbar.getByRole('menu');
    const item = (n: string) => menu.getByRole('menuitem', { name: n, exact: true });
    await more.locator('summary').click();
    assert.ok(await item('Undo').isDisabled());
    assert.ok(await item('Redo').isDisabled());
    assert.ok(await item('Auto-layout').isEnabled());
    assert.equal(await item('Undo').getAttribute('aria-keyshortcuts'), 'Control+Z');
    await browser.shot('editor-header-1024-more');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });

    // Saves are held, so the header shows the unsaved state while we look.
    const held: Route[] = [];
    let hold = true;
    await page.route(/\/v1\/journeys\/header-long$/, (route) =>
      hold && route.request().method() === 'PUT' ? void held.push(route) : route.continue(),
    );
    const piled = await at(page, 'checkout');
    await more.locator('summary').click();
    await item('Auto-layout').click();
    await menu.waitFor({ state: 'hidden' });
    let laid = piled;
    for (let i = 0; i < 50 && laid === piled; i++) {
      await page.waitForTimeout(100);
      laid = await at(page, 'checkout');
    }
    assert.notEqual(laid, piled, 'Auto-layout moved the activities');
    const state = page.getByTestId('save-state');
    await state.filter({ hasText: 'Saving…' }).waitFor();
    // A second Auto-layout while the first save waits: unsaved.
    await more.locator('summary').click();
    await item('Auto-layout').click();
    await state.filter({ hasText: 'Unsaved' }).waitFor();
    // "Unsaved" shows; " changes" is there for screen readers only.
    const rest = (await state.locator('.wide-only').boundingBox())!;
    assert.ok(rest.width <= 1 && rest.height <= 1, `" changes" shows (${JSON.stringify(rest)})`);
    const shown = (await state.boundingBox())!;
    assert.ok(shown.width < 70, `the save state is ${shown.width} px wide`);
    assert.equal(await state.textContent(), 'Unsaved changes', 'read aloud whole');
    assert.equal(await state.getAttribute('title'), 'Unsaved changes');
    assert.equal(await isCut(state), false, 'the save state is cut');
    assert.equal(await isCut(name), false, 'the name is cut beside "Unsaved"');
    await settled(page);
    await browser.shot('editor-header-1024');
    hold = false;
    for (const r of held.splice(0)) await r.continue();
    await state.filter({ hasText: /^Saved$/ }).waitFor();
    await page.unroute(/\/v1\/journeys\/header-long$/);

    // Undo and redo from More, then from the keyboard (Ctrl+Z, Ctrl+Shift+Z and Ctrl+Y).
    await more.locator('summary').click();
    await item('Undo').click();
    await more.locator('summary').click();
    await item('Undo').click();
    await drawnAt(page, 'checkout', piled, 'undone to the piled activities');
    await more.locator('summary').click();
    assert.ok(await item('Undo').isDisabled(), 'nothing left to undo');
    assert.ok(await item('Redo').isEnabled());
    await item('Redo').click();
    await drawnAt(page, 'checkout', laid, 'redone');
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await drawnAt(page, 'checkout', piled, 'Ctrl+Z undoes');
    await page.keyboard.press('Control+Shift+z');
    await drawnAt(page, 'checkout', laid, 'Ctrl+Shift+Z redoes');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+y');
    await drawnAt(page, 'checkout', laid, 'Ctrl+Y redoes');
    await state.filter({ hasText: /^Saved$/ }).waitFor();
    assert.equal(await isCut(name), false);
  });

  test('a name too long for the row is cut with an ellipsis and shows whole on hover', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1024, height: 768 });
    await open(page, server.url, 'header-huge');
    const name = page.getByRole('toolbar', { name: 'Journey' }).getByRole('heading', { level: 1 });
    assert.equal(await isCut(name), true);
    assert.equal(await name.getAttribute('title'), HUGE);
    assert.equal(await name.evaluate((e) => getComputedStyle(e).textOverflow), 'ellipsis');
    const box = (await name.boundingBox())!;
    assert.ok(box.width >= 250, `the cut name keeps ${box.width} px`);
    await browser.shot('editor-header-1024-huge');
  });

  test('at 1440 px the name and every action show in the row', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 900 });
    await open(page, server.url, 'header-long');
    const toolbar = page.getByRole('toolbar', { name: 'Journey' });
    const name = toolbar.getByRole('heading', { level: 1 });
    assert.equal(await isCut(name), false, 'the name is cut at 1440 px');
    for (const action of ['Undo', 'Redo', 'Auto-layout', 'Fit', 'Save', 'Publish'])
      assert.ok(
        await toolbar.getByRole('button', { name: action, exact: true }).isVisible(),
        `${action} shows at 1440 px`,
      );
    await toolbar.locator('details.more summary').click();
    assert.equal(await toolbar.getByRole('menuitem', { name: 'Undo' }).count(), 0);
    await page.keyboard.press('Escape');
    await browser.shot('editor-header-1440');
    // Narrowed to 1024 px the actions fold into More; widened again they come back.
    await page.setViewportSize({ width: 1024, height: 768 });
    await toolbar.getByRole('button', { name: 'Auto-layout' }).waitFor({ state: 'detached' });
    assert.equal(await isCut(name), false);
    await page.setViewportSize({ width: 1440, height: 900 });
    await toolbar.getByRole('button', { name: 'Auto-layout' }).waitFor();
    assert.equal(await isCut(name), false);
  });
});
