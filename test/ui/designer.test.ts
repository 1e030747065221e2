// The email designer in the browser: open it from the demo Purchase Journey's Order Confirmation
// email (a new draft version), drag a structure, a text and an image from the palette (native HTML5
// drag and drop), reorder with the keyboard, duplicate, delete, undo and redo, switch to mobile, apply
// to the journey draft with Done, and reopen. Screenshots of each state at 1440 and 1024 px.
// First, the live version's email opens read only ("View email body"): looked at, never changed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { saved } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

/** The names of the blocks of one structure, in order. */
async function blocksOf(structure: Locator): Promise<string[]> {
  return structure
    .locator('[role="treeitem"][aria-level="3"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
}

describe('the email designer', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  const shots = async (name: string) => {
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(100);
      await browser.shot(`designer-${name}-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  };
  /** The preview rendered (the email with its images loaded, or why not), no render pending. */
  const previewShown = async (designer: Locator) => {
    const done = designer.locator('.dz-mail[aria-busy="false"]');
    await done.getByTestId('preview-subject').or(done.getByRole('alert')).first().waitFor();
    if (!(await done.getByTestId('preview-subject').count())) return;
    await designer
      .frameLocator('iframe[title="Email preview"]')
      .locator('body')
      .evaluate((body) =>
        Promise.all([...body.ownerDocument.images].map((i) => i.decode().catch(() => undefined))),
      );
  };
  /** The checks answered (the size shown) and none running. */
  const checksShown = async (designer: Locator) => {
    const results = designer.getByRole('region', { name: 'Check results' });
    await results.getByLabel('Email size').waitFor();
    await results.getByRole('button', { name: 'Check again' }).waitFor();
  };
  before(async () => {
    ({ server, browser } = await openConsole({ width: 1440, signIn: false }));
    page = browser.page;
  });
  after(() => closeConsole({ server, browser }, 'designer-zz-last'));

  test("views the live Purchase Journey's Order Confirmation email read only", async () => {
    await signIn(page, server.url, server.key);
    await page.getByRole('link', { name: 'Purchase Journey' }).click();
    await page.getByTestId('save-state').filter({ hasText: 'Read only' }).waitFor();
    await page.locator('.activity-label', { hasText: /^Order Confirmation Email$/ }).click();
    // The panel's inputs are disabled (a live version), its email button is not.
    await page.getByLabel('Subject').waitFor();
    assert.equal(await page.getByLabel('Subject').isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Edit email body' }).count(), 0);
    const view = page.getByRole('button', { name: 'View email body' });
    assert.equal(await view.isEnabled(), true);
    await view.click();

    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });
    await canvas.getByRole('treeitem', { name: 'Fragment: Promo Code Fragment' }).waitFor();
    await canvas
      .getByRole('treeitem', { name: /^Image: Luma$/ })
      .locator('img')
      .waitFor();
    assert.equal(await canvas.getByRole('treeitem', { level: 1 }).count(), 5);
    const live = 'This version is live: create a new version to edit it.';
    await designer.getByRole('note').filter({ hasText: live }).waitFor();
    // Only Close: no undo, no Done.
    assert.equal(await designer.getByRole('button', { name: 'Done' }).count(), 0);
    assert.equal(await designer.getByRole('button', { name: 'Undo' }).count(), 0);
    assert.equal(await designer.getByRole('button', { name: 'Close designer' }).isEnabled(), true);
    await shots('readonly-01-open');

    // A structure dragged from the palette is refused, and the designer says why.
    await designer
      .getByRole('button', { name: '1 column', exact: true })
      .dragTo(canvas.locator('.wm-body-end'));
    await designer.getByRole('alert').filter({ hasText: live }).waitFor();
    assert.equal(await canvas.getByRole('treeitem', { level: 1 }).count(), 5);
    await designer.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    // Delete on the selected logo leaves it (and the block toolbar has no Delete).
    const logo = canvas.getByRole('treeitem', { name: /^Image: Luma$/ });
    await logo.click();
    assert.equal(
      await designer
        .getByRole('toolbar', { name: 'Selection actions' })
        .getByRole('button', { name: 'Delete' })
        .count(),
      0,
    );
    await page.keyboard.press('Delete');
    await designer.getByRole('alert').filter({ hasText: live }).waitFor();
    assert.equal(await logo.count(), 1);
    assert.equal(await canvas.getByRole('treeitem', { level: 1 }).count(), 5);
    // The properties are shown disabled.
    const props = designer.locator('.wm-properties');
    const inputs = props.locator('input, select, textarea, button');
    if (await inputs.count()) assert.equal(await inputs.first().isDisabled(), true);
    await shots('readonly-02-refused');

    // Preview, Code (read only) and Check still work.
    await designer.getByRole('tab', { name: 'Preview' }).click();
    await designer.getByRole('region', { name: 'Simulate content' }).waitFor();
    await previewShown(designer);
    await shots('readonly-03-preview');
    await designer.getByRole('tab', { name: 'Code' }).click();
    await designer.getByRole('region', { name: 'Code' }).waitFor();
    assert.equal(await designer.getByRole('button', { name: 'Apply' }).count(), 0);
    assert.equal(await designer.getByRole('button', { name: 'Import HTML…' }).count(), 0);
    await designer.getByRole('tab', { name: 'Design' }).click();
    await designer.getByRole('button', { name: 'Check', exact: true }).click();
    await designer.getByRole('region', { name: 'Check results' }).waitFor();
    await checksShown(designer);
    await shots('readonly-04-checks');

    await designer.getByRole('button', { name: 'Close designer' }).click();
    await designer.waitFor({ state: 'detached' });
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
  });

  test('edits the Order Confirmation email of a new Purchase Journey version', async () => {
    await page.getByRole('link', { name: 'Purchase Journey' }).waitFor();
    await page.getByRole('link', { name: 'Purchase Journey' }).click();
    await page.getByRole('button', { name: 'Create new version' }).click();
    await page.getByTestId('save-state').filter({ hasNotText: 'Read only' }).waitFor();
    await page.locator('.activity-label', { hasText: /^Order Confirmation Email$/ }).click();
    await page.getByLabel('Subject').waitFor();
    const opened = Date.now();
    await page.getByRole('button', { name: 'Edit email body' }).click();

    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });
    await canvas.getByRole('treeitem', { name: 'Fragment: Promo Code Fragment' }).waitFor();
    await canvas
      .getByRole('treeitem', { name: /^Image: Luma$/ })
      .locator('img')
      .waitFor();
    const openMs = Date.now() - opened;
    assert.ok(openMs < 3000, `the designer opened in ${openMs} ms`);
    console.log(`# designer open (click to fragments and logo drawn): ${openMs} ms`);
    await designer.getByRole('button', { name: 'Components', pressed: true }).waitFor();
    assert.equal(await canvas.getByRole('treeitem', { level: 1 }).count(), 5);
    await shots('01-open');

    // The Promo Code fragment's fields open the personalization editor (DesignerApi.personalize); Escape cancels.
    await canvas.getByRole('treeitem', { name: 'Fragment: Promo Code Fragment' }).click();
    await designer.getByRole('button', { name: 'Personalize Offer code' }).click();
    await page.getByRole('dialog', { name: 'Edit personalization' }).waitFor();
    await shots('01b-personalize');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Edit personalization' }).waitFor({ state: 'detached' });
    assert.equal(await designer.isVisible(), true);
    assert.equal(
      await designer.getByRole('button', { name: 'Undo' }).isDisabled(),
      true,
      'a cancelled personalization changes nothing',
    );

    // A 1-column structure dragged below the last one.
    await designer
      .getByRole('button', { name: '1 column', exact: true })
      .dragTo(canvas.locator('.wm-body-end'));
    const added = canvas.getByRole('treeitem', { name: 'Structure 6 (1 column)' });
    await added.waitFor();
    await added.getByText('Drop content here').waitFor();
    // A text into its empty column, then an image below the text.
    await designer
      .getByRole('button', { name: 'Text', exact: true })
      .dragTo(added.getByText('Drop content here'));
    const text = added.getByRole('treeitem', { name: /^Text: Please type your text here/ });
    await text.waitFor();
    const box = await text.boundingBox();
    await designer
      .getByRole('button', { name: 'Image', exact: true })
      .dragTo(text, { targetPosition: { x: 40, y: (box?.height ?? 20) - 4 } });
    await added.getByRole('treeitem', { name: 'Image: no image' }).waitFor();
    assert.deepEqual(await blocksOf(added), [
      'Text: Please type your text here.',
      'Image: no image',
    ]);
    await shots('02-dropped');

    // Keyboard: the image moves above the text, is duplicated, then deleted.
    const image = added.getByRole('treeitem', { name: 'Image: no image' });
    await image.click();
    assert.equal(await image.getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForFunction(
      () => document.activeElement?.getAttribute('aria-label') === 'Image: no image',
    );
    assert.deepEqual(await blocksOf(added), [
      'Image: no image',
      'Text: Please type your text here.',
    ]);
    await page.keyboard.press('Control+d');
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Image: no image"]').length === 2,
    );
    assert.deepEqual(await blocksOf(added), [
      'Image: no image',
      'Image: no image',
      'Text: Please type your text here.',
    ]);
    await shots('03-duplicated');
    await page.keyboard.press('Delete');
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Image: no image"]').length === 1,
    );
    // Arrow keys move the selection through the tree.
    await page.keyboard.press('ArrowUp');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Image: no image',
    );

    // Undo brings the copy back, redo deletes it again; Ctrl+Z undoes from the keyboard.
    await designer.getByRole('button', { name: 'Undo' }).click();
    assert.deepEqual(await blocksOf(added), [
      'Image: no image',
      'Image: no image',
      'Text: Please type your text here.',
    ]);
    await designer.getByRole('button', { name: 'Redo' }).click();
    assert.deepEqual(await blocksOf(added), [
      'Image: no image',
      'Text: Please type your text here.',
    ]);
    await canvas.getByRole('treeitem', { name: 'Image: no image' }).click();
    await page.keyboard.press('Control+z');
    assert.equal((await blocksOf(added)).length, 3);
    await page.keyboard.press('Control+Shift+z');
    assert.equal((await blocksOf(added)).length, 2);
    // The block toolbar does the same with the mouse.
    await canvas.getByRole('treeitem', { name: /^Text: Please type/ }).click();
    await designer
      .getByRole('toolbar', { name: 'Selection actions' })
      .getByRole('button', { name: 'Move up' })
      .click();
    assert.deepEqual(await blocksOf(added), [
      'Text: Please type your text here.',
      'Image: no image',
    ]);
    await shots('04-selected');

    await designer.getByRole('button', { name: 'Mobile' }).click();
    assert.equal(
      await designer.getByRole('button', { name: 'Mobile' }).getAttribute('aria-pressed'),
      'true',
    );
    const width = await canvas.evaluate((e) => e.getBoundingClientRect().width);
    assert.equal(Math.round(width), 375);
    await shots('05-mobile');
    await designer.getByRole('button', { name: 'Desktop' }).click();
    assert.equal(Math.round(await canvas.evaluate((e) => e.getBoundingClientRect().width)), 600);

    // The other views mount: code, preview, checks, proof.
    await designer.getByRole('tab', { name: 'Code' }).click();
    await designer.getByRole('region', { name: 'Code' }).waitFor();
    await shots('05d-code');
    await designer.getByRole('tab', { name: 'Preview' }).click();
    await designer.getByRole('region', { name: 'Simulate content' }).waitFor();
    await previewShown(designer);
    await shots('05e-preview');
    await designer.getByRole('tab', { name: 'Design' }).click();
    await designer.getByRole('button', { name: 'Check', exact: true }).click();
    await designer.getByRole('region', { name: 'Check results' }).waitFor();
    await checksShown(designer);
    await shots('05f-checks');
    await designer.getByRole('button', { name: 'Check', exact: true }).click();
    await designer.getByRole('button', { name: 'Send proof' }).click();
    await page.getByRole('dialog', { name: 'Send proof' }).waitFor();
    await shots('05g-proof');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Send proof' }).waitFor({ state: 'detached' });
    assert.equal(
      await designer.isVisible(),
      true,
      'Escape in the proof dialog leaves the designer open',
    );

    // An asset dropped onto the empty image fills it; a fragment dragged below the text is a reference.
    await designer.getByRole('button', { name: 'Assets', exact: true }).click();
    await designer.getByLabel('Search assets').fill('logo');
    await designer
      .getByRole('button', { name: 'Insert Luma logo' })
      .dragTo(added.getByRole('treeitem', { name: 'Image: no image' }));
    await added.getByRole('treeitem', { name: 'Image: Luma' }).locator('img').waitFor();
    await designer.getByRole('button', { name: 'Fragments', exact: true }).click();
    const textBox = await added.getByRole('treeitem', { name: /^Text: Please type/ }).boundingBox();
    await designer
      .getByRole('button', { name: 'Insert Luma - Footer Fragment' })
      .dragTo(added.getByRole('treeitem', { name: /^Text: Please type/ }), {
        targetPosition: { x: 40, y: (textBox?.height ?? 20) - 3 },
      });
    await added.getByRole('treeitem', { name: 'Fragment: Luma - Footer Fragment' }).waitFor();
    assert.deepEqual(await blocksOf(added), [
      'Text: Please type your text here.',
      'Fragment: Luma - Footer Fragment',
      'Image: Luma',
    ]);
    await shots('05b-asset-fragment');
    // Enter on a text opens the inline editor over the block (the email above stays in sight); Escape closes it.
    const edited = added.getByRole('treeitem', { name: /^Text: Please type/ });
    await edited.click();
    await page.keyboard.press('Enter');
    const inline = designer.getByRole('region', { name: 'Edit text' });
    await inline.waitFor();
    await inline.getByLabel('Text').first().waitFor();
    await page.waitForTimeout(300);
    const eb = (await inline.boundingBox())!;
    const bb = (await edited.boundingBox())!;
    const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    assert.ok(
      overlap(eb, bb),
      `the editor ${JSON.stringify(eb)} is over the block ${JSON.stringify(bb)}`,
    );
    assert.ok(
      Math.abs(eb.y - bb.y) < 4,
      `the editor starts where the block does (${eb.y} vs ${bb.y})`,
    );
    // The structure above is not covered.
    const above = (await canvas.getByRole('treeitem', { level: 1 }).nth(4).boundingBox())!;
    assert.ok(
      above.y + above.height <= eb.y + 1,
      'the structure above the edited text stays visible',
    );
    await shots('inline-text');
    await page.keyboard.press('Escape');
    await inline.waitFor({ state: 'detached' });
    assert.equal(
      await designer.isVisible(),
      true,
      'Escape in the inline editor leaves the designer open',
    );
    await edited.dblclick();
    await inline.waitFor();
    await designer.getByRole('button', { name: 'Done editing' }).click();
    await inline.waitFor({ state: 'detached' });
    await designer.getByRole('button', { name: 'Components', exact: true }).click();

    // Done applies to the journey draft, which the journey editor saves.
    await designer.getByRole('button', { name: 'Done' }).click();
    await designer.waitFor({ state: 'detached' });
    await saved(page);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    const journey = await server.api('GET', `/v1/journeys/${encodeURIComponent(id)}`);
    const def = journey.draft?.definition ?? journey.latest?.definition ?? journey.definition;
    const email = (
      def.nodes as Array<{
        label?: string;
        content: {
          document: { body: Array<{ columns: Array<{ blocks: Array<{ kind: string }> }> }> };
        };
      }>
    ).find((n) => n.label === 'Order Confirmation Email')!;
    assert.equal(email.content.document.body.length, 6);
    assert.deepEqual(
      email.content.document.body[5]!.columns[0]!.blocks.map((b) => b.kind),
      ['text', 'fragment', 'image'],
    );
    await shots('06-applied');

    // Reopened: the new structure is there; closing unchanged asks nothing.
    await page.getByRole('button', { name: 'Edit email body' }).click();
    await canvas.getByRole('treeitem', { name: 'Structure 6 (1 column)' }).waitFor();
    // The fragment's name comes with the fragment list, a moment after the canvas.
    await canvas
      .getByRole('treeitem', { name: 'Structure 6 (1 column)' })
      .getByRole('treeitem', { name: 'Fragment: Luma - Footer Fragment' })
      .waitFor();
    assert.deepEqual(
      await blocksOf(canvas.getByRole('treeitem', { name: 'Structure 6 (1 column)' })),
      ['Text: Please type your text here.', 'Fragment: Luma - Footer Fragment', 'Image: Luma'],
    );
    // An unsaved change asks before closing.
    await canvas.getByRole('treeitem', { name: 'Structure 6 (1 column)' }).click();
    await page.keyboard.press('Delete');
    await designer.getByRole('button', { name: 'Close designer' }).click();
    await page.getByRole('dialog', { name: 'Unsaved changes in the email' }).waitFor();
    await shots('07-close-guard');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await designer.waitFor({ state: 'detached' });
  });

  test('a message made from a content template shows its locks; the template itself edits them', async () => {
    await page.locator('.activity-label', { hasText: /^Abandoned Cart Email$/ }).click();
    await page.getByRole('button', { name: 'Edit email body' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });
    await canvas.locator('[data-wm-id="logo"]').waitFor();
    assert.match(
      (await canvas.locator('[data-wm-id="logo"]').getAttribute('class')) ?? '',
      /locked/,
    );
    assert.equal(
      await designer.getByRole('button', { name: '1 column', exact: true }).isDisabled(),
      true,
      'the template allows content only',
    );
    assert.equal(
      await designer.getByRole('button', { name: 'Text', exact: true }).isDisabled(),
      false,
    );
    // A locked structure is not deleted from the keyboard and has no Delete in its toolbar.
    await canvas.getByRole('treeitem', { name: 'Structure 1 (1 column)' }).click();
    await page.keyboard.press('Delete');
    assert.equal(await canvas.getByRole('treeitem', { level: 1 }).count(), 3);
    assert.equal(
      await designer
        .getByRole('toolbar', { name: 'Selection actions' })
        .getByRole('button', { name: 'Delete' })
        .count(),
      0,
    );
    await shots('08-template-locks');
    await designer.getByRole('button', { name: 'Close designer' }).click();
    await designer.waitFor({ state: 'detached' });

    await page.goto(`${server.url}/objects/content-templates/luma-cart-abandoned-email`);
    await page.getByRole('button', { name: 'Open in designer' }).click();
    await canvas.locator('[data-wm-id="cart-text"]').click();
    await designer.getByLabel('Lock', { exact: true }).selectOption('locked');
    await shots('09-template-lock-edit');
    await designer.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('.wm-dirty'));
    const t = await server.api('GET', '/v1/content-templates/luma-cart-abandoned-email');
    assert.equal(t.spec.governance.locks['cart-text'], 'locked');
    assert.equal(t.spec.governance.locks['header'], 'locked');
    await designer.getByRole('button', { name: 'Close designer' }).click();
    await designer.waitFor({ state: 'detached' });
  });

  test('a visual fragment opens in the designer and saves its blocks (drag, and Enter from the palette)', async () => {
    await page.goto(`${server.url}/objects/fragments/promo-code-fragment`);
    await page.getByRole('button', { name: 'Open in designer' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });
    const text = canvas.getByRole('treeitem', { name: /^Text: / });
    await text.waitFor();
    const box = await text.boundingBox();
    await designer
      .getByRole('button', { name: 'Divider', exact: true })
      .dragTo(text, { targetPosition: { x: 40, y: (box?.height ?? 20) - 3 } });
    await canvas.getByRole('treeitem', { name: 'Divider' }).waitFor();
    // From the keyboard: Enter on a palette item inserts it after the selection (the new divider).
    await designer.getByRole('button', { name: 'Spacer', exact: true }).focus();
    await page.keyboard.press('Enter');
    await canvas.getByRole('treeitem', { name: 'Spacer' }).waitFor();
    assert.equal(
      await canvas.getByRole('treeitem', { name: 'Spacer' }).getAttribute('aria-selected'),
      'true',
    );
    await shots('10-fragment');
    await designer.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('.wm-dirty'));
    const f = await server.api('GET', '/v1/fragments/promo-code-fragment');
    assert.deepEqual(
      f.spec.content.blocks.map((b: { kind: string }) => b.kind),
      ['text', 'divider', 'spacer'],
    );
    await designer.getByRole('button', { name: 'Close designer' }).click();
    await designer.waitFor({ state: 'detached' });
  });
});
