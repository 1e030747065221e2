// The designer's drawers in the browser, as the lab uses them: the asset selector (the Luma
// collection opened by double click, search and tags, a thumbnail inserted with Enter and dragged
// with its payload, a rendition, "Use for selected image", an upload that then appears), the
// fragment drawer (visual fragments inserted, an expression fragment into the selected text), and
// the personalization editor (Contextual attributes > Journey Orchestration > Actions > Loyalty
// Service > PromoCode; Helper functions > each with the Order Content fragment; Validate; Escape).
// The parts run on a page of their own (test/ui/support/drawers-harness.tsx, bundled here) with a
// stand-in designer that records what they ask, against the demo server.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { openBrowser, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { saved } from './support/canvas.ts';
import { REPO, startWaymark } from './support/server.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const DRAG_MIME = 'application/x-waymark-designer';
const log = (page: Page) =>
  page.evaluate(() => window.drawerLog) as Promise<Array<Record<string, any>>>;
declare global {
  interface Window {
    drawerLog: unknown[];
  }
}

async function bundle(): Promise<{ js: string; css: string }> {
  const r = await build({
    entryPoints: [join(REPO, 'test/ui/support/drawers-harness.tsx')],
    bundle: true,
    write: false,
    outdir: '/virtual',
    format: 'esm',
    jsx: 'automatic',
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"development"' },
  });
  const text = (ext: string) => r.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

describe('designer drawers', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    const [s, harness] = await Promise.all([startWaymark(), bundle()]);
    server = s;
    browser = await openBrowser();
    const { page } = browser;
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route(`${server.url}/__drawers`, (r) =>
      r.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html><head><meta charset="utf-8"><title>Drawers</title><link rel="stylesheet" href="/__drawers.css"></head><body><div id="root"></div><script type="module" src="/__drawers.js"></script></body></html>',
      }),
    );
    await page.route(`${server.url}/__drawers.js`, (r) =>
      r.fulfill({ contentType: 'text/javascript', body: harness.js }),
    );
    await page.route(`${server.url}/__drawers.css`, (r) =>
      r.fulfill({ contentType: 'text/css', body: harness.css }),
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, server.url, server.key);
  });
  after(async () => {
    await browser?.shot('designer-drawers-last').catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function open(page: Page) {
    await page.goto(`${server.url}/__drawers`);
    await page.getByRole('heading', { name: 'Drawers harness' }).waitFor();
  }

  test('assets: the Luma collection, search, tags, insert with Enter, drag payload, rendition, use for the selected image, upload', async () => {
    const { page } = browser;
    await open(page);
    const assets = page.getByRole('region', { name: 'Assets' });
    await assets.getByRole('button', { name: 'Luma', exact: true }).dblclick();
    const grid = assets.getByRole('list', { name: 'Assets in Luma' });
    await grid.getByRole('img', { name: 'Luma logo' }).waitFor();
    assert.equal(
      await grid.getByRole('img', { name: 'Luma logo' }).getAttribute('loading'),
      'lazy',
    );
    await grid.getByRole('button', { name: 'Insert Luma logo' }).press('Enter');
    assert.deepEqual((await log(page)).at(-1), { insert: { type: 'asset', assetId: 'luma-logo' } });

    const banner = grid.getByRole('listitem', { name: 'Luma Loyalty +' });
    await banner.getByLabel('Rendition').selectOption({ label: 'Email 600 px' });
    await banner.getByRole('button', { name: 'Insert Luma Loyalty +' }).press('Enter');
    assert.deepEqual((await log(page)).at(-1), {
      insert: { type: 'asset', assetId: 'luma-loyalty-plus', rendition: { width: 600 } },
    });
    const dt = await page.evaluateHandle(() => new DataTransfer());
    await banner
      .getByRole('button', { name: 'Insert Luma Loyalty +' })
      .dispatchEvent('dragstart', { dataTransfer: dt });
    assert.deepEqual(JSON.parse(await dt.evaluate((d, m) => d.getData(m), DRAG_MIME)), {
      type: 'asset',
      assetId: 'luma-loyalty-plus',
      rendition: { width: 600 },
    });

    assert.equal(await grid.getByRole('button', { name: 'Use for selected image' }).count(), 0);
    await page.getByRole('button', { name: 'Select the image' }).click();
    await grid
      .getByRole('listitem', { name: 'luma-mobile-app.png' })
      .getByRole('button', { name: 'Use for selected image' })
      .click();
    const upd = (await log(page)).at(-1)!;
    assert.equal(upd['update'], 'Change image');
    assert.equal(upd['content'].document.body[0].columns[0].blocks[0].assetId, 'luma-mobile-app');
    await browser.shot('designer-assets');

    await assets.getByLabel('Search assets').fill('banner');
    await page.waitForFunction(() => document.querySelectorAll('.asset-grid img').length === 2);
    assert.deepEqual(
      await assets
        .getByRole('list', { name: 'Assets in Luma' })
        .getByRole('img')
        .evaluateAll((els) => els.map((e) => e.getAttribute('alt'))),
      ['Luma Loyalty +', 'luma-mobile-app.png'],
    );
    await assets.getByLabel('Search assets').fill('zzz');
    await assets.getByText(/No asset is named or tagged “zzz”/).waitFor();
    await assets.getByLabel('Search assets').fill('');
    await assets.getByRole('button', { name: 'All collections' }).click();
    await assets.getByRole('group', { name: 'Tags' }).getByRole('button', { name: 'logo' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.asset-grid img').length === 1);
    await assets.getByRole('img', { name: 'Luma logo' }).waitFor();
    await assets.getByRole('group', { name: 'Tags' }).getByRole('button', { name: 'logo' }).click();

    // Upload: not an image is refused in words; an image is asked its name, collection and tags.
    await assets
      .getByLabel('Image file to upload')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    await assets
      .getByRole('alert')
      .getByText(/not an image/)
      .waitFor();
    await assets
      .getByLabel('Image file to upload')
      .setInputFiles(join(REPO, 'examples/luma/assets/luma-logo.png'));
    const dialog = page.getByRole('dialog', { name: 'Upload an image' });
    await dialog.getByLabel('Name').fill('Luma summer logo');
    await dialog.getByLabel('Collection').fill('Luma');
    await dialog.getByLabel('Tags (separated by commas)').fill('logo, summer');
    await browser.shot('designer-assets-upload');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await assets.getByRole('status').getByText('Luma summer logo is in Luma.').waitFor();
    assert.equal(
      (await server.api('GET', '/v1/assets/luma-summer-logo')).spec.name,
      'Luma summer logo',
    );
    await assets
      .getByRole('list', { name: 'Assets in Luma' })
      .getByRole('listitem', { name: 'Luma summer logo' })
      .waitFor();
    // The same name again: a new asset (luma-summer-logo-2), the first one keeps its version.
    await assets
      .getByLabel('Image file to upload')
      .setInputFiles(join(REPO, 'examples/luma/assets/luma-mobile-app.png'));
    await dialog.getByLabel('Name').fill('Luma summer logo');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await assets
      .getByRole('list', { name: 'Assets in Luma' })
      .getByRole('button', { name: 'Insert Luma summer logo' })
      .nth(1)
      .waitFor();
    assert.equal(
      (await server.api('GET', '/v1/assets/luma-summer-logo-2')).spec.name,
      'Luma summer logo',
    );
    assert.equal((await server.api('GET', '/v1/assets/luma-summer-logo')).spec.version ?? 1, 1);
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-assets-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(errors, []);
  });

  test('fragments: visual ones inserted and dragged, drafts marked, an expression fragment into the selected text', async () => {
    const { page } = browser;
    await open(page);
    await page.getByRole('tab', { name: 'Fragments' }).click();
    const drawer = page.getByRole('region', { name: 'Fragments' });
    const visual = drawer.getByRole('list', { name: 'Visual fragments' });
    await visual.getByRole('button', { name: 'Insert Order Confirmation Text' }).press('Enter');
    assert.deepEqual((await log(page)).at(-1), {
      insert: { type: 'fragment', fragmentId: 'order-confirmation-text' },
    });
    const dt = await page.evaluateHandle(() => new DataTransfer());
    await visual
      .getByRole('button', { name: 'Insert Promo Code Fragment' })
      .dispatchEvent('dragstart', { dataTransfer: dt });
    assert.deepEqual(JSON.parse(await dt.evaluate((d, m) => d.getData(m), DRAG_MIME)), {
      type: 'fragment',
      fragmentId: 'promo-code-fragment',
    });
    await visual
      .getByRole('listitem', { name: 'Luma - Footer Fragment' })
      .getByText('Live')
      .waitFor();
    await browser.shot('designer-fragments');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-fragments-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    const expr = drawer
      .getByRole('list', { name: 'Expression fragments' })
      .getByRole('listitem', { name: 'Order Content' });
    await expr.getByText('<tr class="order-item">', { exact: false }).waitFor();
    assert.ok(await expr.getByRole('button', { name: 'Insert in text' }).isDisabled());
    await page.getByRole('button', { name: 'Select the text' }).click();
    await expr.getByRole('button', { name: 'Insert in text' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit personalization' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const upd = (await log(page)).at(-1)!;
    assert.equal(upd['update'], 'Add Order Content');
    assert.match(
      upd['content'].document.body[0].columns[0].blocks[1].content,
      /<p>\{\{fragment id='ajo:order-content'\}\}<\/p>$/,
    );

    await drawer.getByLabel('Search fragments').fill('footer');
    assert.equal(await drawer.getByRole('listitem').count(), 1);
    await drawer.getByLabel('Search fragments').fill('zzz');
    await drawer.getByText('No fragment is named “zzz”.').waitFor();
    assert.deepEqual(errors, []);
  });

  test('personalization: PromoCode from Contextual attributes > Journey Orchestration > Actions > Loyalty Service; validate; Escape cancels', async () => {
    const { page } = browser;
    await open(page);
    await page.getByRole('button', { name: 'Personalize a field' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit personalization' });
    await dialog.getByRole('tab', { name: 'Contextual attributes' }).click();
    const tree = dialog.getByRole('tree', { name: 'Contextual attributes' });
    await tree.getByRole('treeitem', { name: 'Journey Orchestration' }).click();
    await tree.getByRole('treeitem', { name: 'Actions' }).click();
    await tree.getByRole('treeitem', { name: 'Loyalty Service' }).click();
    await tree.getByRole('button', { name: 'Add PromoCode', exact: true }).click();
    const editor = dialog.getByLabel('Personalization source');
    assert.equal(
      await editor.textContent(),
      '{{context.journey.actions.LoyaltyService.PromoCode}}',
    );
    await dialog.getByRole('button', { name: 'Validate' }).click();
    await dialog.getByText('No problems found.').waitFor();
    await browser.shot('designer-personalization');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-personalization-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.deepEqual((await log(page)).at(-1), {
      personalized: '{{context.journey.actions.LoyaltyService.PromoCode}}',
    });

    // Keyboard only: the tree by arrows, the search, an unknown path named with its line, Escape.
    await page.getByRole('button', { name: 'Personalize a field' }).click();
    await dialog.getByRole('tab', { name: 'Contextual attributes' }).focus();
    await page.keyboard.press('ArrowUp');
    await dialog.getByRole('tab', { name: 'Audiences', selected: true }).waitFor();
    await page.keyboard.press('Home');
    await dialog.getByRole('tab', { name: 'Profile attributes', selected: true }).waitFor();
    await dialog.getByLabel('Search profile attributes').fill('first');
    await dialog
      .getByRole('tree', { name: 'Profile attributes' })
      .getByRole('button', { name: /^Add .* with fallback$/ })
      .first()
      .click();
    const ask = page.getByRole('dialog', { name: /^Fallback for/ });
    await ask.getByLabel('Text shown when the value is empty').fill('there');
    await ask.getByRole('button', { name: 'Add' }).click();
    assert.match(
      (await editor.textContent()) ?? '',
      /^\{%= profile\.person\.name\.firstName \?: "there" %\}$/,
    );
    await editor.press('End');
    await page.keyboard.type('\n{{context.journey.events.LumaPurchaseEvent_Email.nope}}');
    await dialog.getByRole('button', { name: 'Validate' }).click();
    await dialog
      .getByRole('list', { name: 'Problems' })
      .getByText(
        /^Error \(line 2, column 3\): Path "context.journey.events.LumaPurchaseEvent_Email.nope" not found/,
      )
      .waitFor();
    await editor.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual((await log(page)).at(-1), { personalized: null });

    // Completion from the server: what the journey has at this activity.
    await page.getByRole('button', { name: 'Personalize a field' }).click();
    await editor.focus();
    await page.keyboard.type('{{context.journey.actions.Loy');
    await page.keyboard.press('Control+Space');
    await page.getByRole('option', { name: /LoyaltyService/ }).waitFor();
    // CodeMirror ignores Enter for 75 ms after the list opens (an accidental accept).
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    assert.equal(await editor.textContent(), '{{context.journey.actions.LoyaltyService}}');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
  });

  test('each: Helper functions > each with the Order Content fragment makes a table of order items', async () => {
    const { page } = browser;
    await open(page);
    await page.getByRole('button', { name: 'Personalize a field' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit personalization' });
    await dialog.getByRole('tab', { name: 'Helper functions' }).click();
    await dialog.getByRole('button', { name: 'Add upperCase', exact: true }).waitFor();
    await browser.shot('designer-helpers');
    await dialog.getByLabel('Search helper functions').fill('each');
    await dialog.getByRole('button', { name: 'Add each', exact: true }).click();
    const form = dialog.getByRole('group', { name: 'Repeat for each item (each)' });
    await form
      .getByLabel('List to go through')
      .selectOption('context.journey.events.LumaPurchaseEvent_Email.productListItems');
    await form.getByRole('group', { name: 'Item fields' }).getByRole('checkbox').first().waitFor();
    await form.getByRole('radio', { name: 'An expression fragment' }).check();
    await form.getByLabel('Fragment', { exact: true }).selectOption({ label: 'Order Content' });
    await browser.shot('designer-each');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-each-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await form.getByRole('button', { name: 'Insert loop' }).click();
    const editor = dialog.getByLabel('Personalization source');
    const src = await editor.textContent();
    assert.equal(
      src,
      `<table class="order" width="100%"><tr><th align="left">Item</th><th align="left">SKU</th><th align="left">Quantity</th><th align="left">Price total</th></tr>{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}{{fragment id='ajo:order-content' mode='inline'}}{{/each}}</table>`,
    );
    await dialog.getByRole('button', { name: 'Validate' }).click();
    await dialog.getByText('No problems found.').waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    assert.equal((await log(page)).at(-1)!['personalized'], src);
    assert.deepEqual(errors, []);
  });
});

describe('designer drawers in the email designer (the lab)', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => ({ server, browser } = await openConsole({ errors, width: 1440 })));
  after(() => closeConsole({ server, browser }, 'designer-drawers-lab-last'));

  test('Promo Code fields mapped to the LoyaltyService response through the tree; banner from the Luma collection; footer fragment', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Purchase Journey' }).click();
    await page.getByRole('button', { name: 'Create new version' }).click();
    await page.getByTestId('save-state').filter({ hasNotText: 'Read only' }).waitFor();
    await page.locator('.activity-label', { hasText: /^Order Confirmation Email$/ }).click();
    await page.getByRole('button', { name: 'Edit email body' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });

    // Contextual Attributes > Journey Orchestration > Actions > Loyalty Service > PromoCode (and LoyaltyOffer).
    await canvas.getByRole('treeitem', { name: 'Fragment: Promo Code Fragment' }).click();
    for (const [field, leaf] of [
      ['Offer code', 'PromoCode'],
      ['Loyalty offer', 'LoyaltyOffer'],
    ] as const) {
      await designer.getByRole('button', { name: `Personalize ${field}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit personalization' });
      // The demo's email has the fields mapped already: as in the lab, the value is deleted first.
      await dialog.getByLabel('Personalization source').press('Control+a');
      await dialog.getByLabel('Personalization source').press('Delete');
      await dialog.getByRole('tab', { name: 'Contextual attributes' }).click();
      const tree = dialog.getByRole('tree', { name: 'Contextual attributes' });
      await tree.getByRole('treeitem', { name: 'Journey Orchestration' }).click();
      await tree.getByRole('treeitem', { name: 'Actions' }).click();
      await tree.getByRole('treeitem', { name: 'Loyalty Service' }).click();
      await tree.getByRole('button', { name: `Add ${leaf}`, exact: true }).click();
      if (leaf === 'PromoCode') await browser.shot('designer-personalization-lab');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    assert.equal(
      await designer.getByRole('group', { name: 'Offer code' }).getByRole('textbox').inputValue(),
      '{{context.journey.actions.LoyaltyService.PromoCode}}',
    );
    assert.equal(
      await designer
        .getByRole('group', { name: 'Loyalty offer' })
        .getByRole('textbox')
        .inputValue(),
      '{{context.journey.actions.LoyaltyService.LoyaltyOffer}}',
    );

    // Asset selector > Luma: the selected banner image takes another asset; Enter inserts one after the selection.
    await designer.getByRole('button', { name: 'Assets', exact: true }).click();
    const assets = designer.getByRole('region', { name: 'Assets' });
    await assets.getByRole('button', { name: 'Luma', exact: true }).dblclick();
    const images = () => canvas.getByRole('treeitem', { name: /^Image:/ }).count();
    const before = await images();
    await canvas
      .getByRole('treeitem', { name: /^Image: Luma$/ })
      .first()
      .click();
    await assets
      .getByRole('listitem', { name: 'Luma Loyalty +' })
      .getByRole('button', { name: 'Use for selected image' })
      .click();
    await canvas.locator('img[src*="luma-loyalty-plus"]').first().waitFor();
    await assets.getByRole('button', { name: 'Insert luma-mobile-app.png' }).press('Enter');
    await page.waitForFunction(
      () => document.querySelectorAll('[role=tree] img[src*="luma-mobile-app"]').length > 0,
    );
    assert.equal(await images(), before + 1);
    await browser.shot('designer-assets-lab');

    // Fragments: the footer inserted with Enter.
    await designer.getByRole('button', { name: 'Fragments', exact: true }).click();
    const footers = () =>
      canvas.getByRole('treeitem', { name: 'Fragment: Luma - Footer Fragment' }).count();
    const had = await footers();
    await designer
      .getByRole('region', { name: 'Fragments' })
      .getByRole('button', { name: 'Insert Luma - Footer Fragment' })
      .press('Enter');
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll('[aria-label="Fragment: Luma - Footer Fragment"]').length === n,
      had + 1,
    );
    await browser.shot('designer-fragments-lab');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-fragments-lab-1024');
    await page.setViewportSize({ width: 1440, height: 900 });

    await designer.getByRole('button', { name: 'Done' }).click();
    await designer.waitFor({ state: 'detached' });
    await saved(page);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    const journey = await server.api('GET', `/v1/journeys/${encodeURIComponent(id)}`);
    const def = journey.draft?.definition ?? journey.latest?.definition ?? journey.definition;
    const email = (def.nodes as Array<{ label?: string; content: unknown }>).find(
      (n) => n.label === 'Order Confirmation Email',
    )!;
    const text = JSON.stringify(email.content);
    assert.match(
      text,
      /"OfferCode":"\{\{context\.journey\.actions\.LoyaltyService\.PromoCode\}\}"/,
    );
    assert.match(
      text,
      /"LoyaltyOffer":"\{\{context\.journey\.actions\.LoyaltyService\.LoyaltyOffer\}\}"/,
    );
    assert.match(text, /"assetId":"luma-loyalty-plus"/);
    assert.match(text, /"assetId":"luma-mobile-app"/);
    assert.deepEqual(errors, []);
  });
});
