// The lab's abandoned-cart email in the console, on `waymark serve --demo`: a draft of the Purchase
// Journey whose Abandoned Cart Email has no content (the only setup through the API); in the email
// activity "Apply content template…" Luma - Cart Abandoned Email, Luma_Language_Settings, then in
// the designer the template's locks hold (the locked logo and footer cannot be deleted or edited; the
// UI says so), an unlocked text is edited, "Translate…" to es_ES and fr_FR runs a translation project
// with the development translator, the locale tabs then hold the translations, and the preview of a
// Spanish-preferring profile (Ana) shows the Spanish text. Screenshots at 1440 and 1024 px.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { node, saved } from './support/canvas.ts';
import { openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

const ANA = 'ana.garcia@luma.example';
const ADDED = ' Free shipping today.';

describe('the abandoned-cart email from its content template, translated', () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const shot = (name: string, also1024 = false) => browser.shotWide(`lab-cart-${name}`, also1024);
  const designer = () => page.getByRole('dialog', { name: 'Email designer' });
  const canvas = () => designer().getByRole('tree', { name: 'Email canvas' });
  const languages = () => designer().getByRole('group', { name: 'Languages' });

  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440, signIn: false }));
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });
  let finished = 0;
  afterEach(async () => {
    await browser?.shot(`lab-cart-zz-after-test-${++finished}`).catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('apply the template, language settings; locks hold in the designer', async () => {
    const v2 = await server.api('POST', '/v1/journeys/purchase-journey/versions');
    const def = structuredClone(v2.definition);
    def.nodes.find((n: { id: string }) => n.id === 'abandoned-email').content = {
      channel: 'email',
      subject: '',
    };
    const put = await server.api('PUT', '/v1/journeys/purchase-journey', def);
    assert.ok(!put?.error, JSON.stringify(put));

    await signIn(page, server.url, server.key);
    await page.goto(`${server.url}/journeys/purchase-journey`);
    await page.getByTestId('save-state').filter({ hasNotText: 'Read only' }).waitFor();
    await node(page, 'abandoned-email').click();
    await page
      .getByLabel('Content template')
      .selectOption({ label: 'Luma - Cart Abandoned Email' });
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForFunction(
      () =>
        (document.querySelector<HTMLInputElement>('input[name="content-subject"]')?.value ?? '') !==
        '',
    );
    const languageSettings = page.locator('select[name="language-settings"]');
    await languageSettings.selectOption('Luma_Language_Settings');
    assert.equal(await languageSettings.inputValue(), 'Luma_Language_Settings');
    await saved(page);
    await shot('01-template-applied', true);
    const draft = await server.api('GET', '/v1/journeys/purchase-journey');
    const applied = (draft.draft ?? draft.latest).definition.nodes.find(
      (n: { id: string }) => n.id === 'abandoned-email',
    ).content;
    assert.equal(
      applied.template,
      'luma-cart-abandoned-email',
      'the message names the template it was made from',
    );
    assert.match(await page.getByLabel('Subject').inputValue(), /your cart is waiting/);

    await page.getByRole('button', { name: 'Edit email body' }).click();
    await designer().waitFor();
    // Three locales loaded from the language settings.
    await languages()
      .getByRole('tab', { name: /^en_US \(default\)/ })
      .waitFor();
    await languages()
      .getByRole('tab', { name: /^es_ES/ })
      .waitFor();
    await languages()
      .getByRole('tab', { name: /^fr_FR/ })
      .waitFor();
    await designer()
      .getByText(/This message follows a content template/)
      .waitFor();

    // The locked logo: marked locked, no Delete in its toolbar, its properties read only; the Delete key leaves it.
    const logo = canvas()
      .getByRole('treeitem', { name: /^Image: Luma/ })
      .first();
    await logo.click();
    assert.equal(await logo.getAttribute('aria-selected'), 'true');
    const actions = designer().getByRole('toolbar', { name: 'Selection actions' });
    assert.equal(
      await actions.getByRole('button', { name: 'Delete' }).count(),
      0,
      'a locked block offers no Delete',
    );
    const props = designer().locator('.wm-properties');
    await props.getByText('Locked by the content template').waitFor();
    assert.equal(
      await props.getByLabel('Alternative text').isEditable(),
      false,
      "a locked image's alt text cannot be edited",
    );
    await page.keyboard.press('Delete');
    await page.keyboard.press('Control+x');
    assert.equal(
      await canvas()
        .getByRole('treeitem', { name: /^Image: Luma/ })
        .count(),
      1,
      'the locked logo is still there',
    );
    assert.equal(
      await designer().getByRole('button', { name: 'Undo' }).isDisabled(),
      true,
      'nothing was changed',
    );
    await shot('02-locked-refused', true);

    // The locked footer text cannot be edited: its editor is read only.
    const footer = canvas().getByRole('treeitem', { name: /^Text: Luma Retail/ });
    await footer.dblclick();
    const inline = designer().getByRole('region', { name: 'Edit text' });
    const footerEditor = inline.getByRole('textbox', { name: 'Text' });
    const readOnly = await footerEditor.getAttribute('aria-readonly').catch(() => null);
    const editable = await footerEditor.getAttribute('contenteditable').catch(() => null);
    assert.ok(
      readOnly === 'true' || editable === 'false' || (await inline.count()) === 0,
      `the footer's editor is read only (aria-readonly ${readOnly}, contenteditable ${editable})`,
    );
    await shot('03-locked-text', true);
    if (await inline.count()) await inline.getByRole('button', { name: 'Done editing' }).click();

    // An unlocked text is edited: a sentence added at its end.
    const cartText = canvas().getByRole('treeitem', { name: /^Text: Your cart is still waiting/ });
    await cartText.dblclick();
    const editor = inline.getByRole('textbox', { name: 'Text' });
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(ADDED);
    await inline.getByRole('button', { name: 'Done editing' }).click();
    await canvas().getByText(ADDED.trim()).waitFor();
    assert.deepEqual(errors, []);
  });

  test('Translate… to es_ES and fr_FR through a translation project', async () => {
    await languages().getByRole('button', { name: 'Translate…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Translate' });
    await dlg
      .getByLabel('Provider')
      .locator('option', { hasText: /not a real translation/ })
      .first()
      .waitFor({ state: 'attached' });
    await dlg.getByLabel('Provider').selectOption({
      label: (await dlg
        .getByLabel('Provider')
        .locator('option', { hasText: /not a real translation/ })
        .first()
        .textContent())!,
    });
    for (const l of ['es_ES', 'fr_FR'])
      await dlg.getByRole('checkbox', { name: new RegExp(l) }).check();
    await shot('04-translate', true);
    await dlg.getByRole('button', { name: 'Start translation' }).click();
    await dlg.getByText(/added to the message/).waitFor({ timeout: 120_000 });
    await dlg
      .getByLabel('Translation progress')
      .getByText('es_ES: completed')
      .or(dlg.getByLabel('Translation progress').getByText(/es_ES: (done|published|approved)/))
      .first()
      .waitFor();
    await shot('05-translated', true);
    await dlg.getByRole('button', { name: 'Close' }).click();
    const projects = await server.api('GET', '/v1/translation-projects');
    assert.ok((projects.items ?? []).length >= 1, 'a translation project was made');

    // The locale tabs hold the translated text (the development translator's Spanish and French).
    await languages()
      .getByRole('tab', { name: /^es_ES/ })
      .click();
    await canvas().getByText(/envío/).first().waitFor();
    await shot('06-es_ES', true);
    await languages()
      .getByRole('tab', { name: /^fr_FR/ })
      .click();
    await canvas()
      .getByText(/livraison/)
      .first()
      .waitFor();
    await shot('07-fr_FR');
    assert.equal(
      await languages()
        .getByText(/Missing/)
        .count(),
      0,
      'no locale is missing',
    );
    await languages()
      .getByRole('tab', { name: /^en_US \(default\)/ })
      .click();
  });

  test('the preview of a Spanish-preferring profile shows the Spanish text', async () => {
    await designer().getByRole('tab', { name: 'Preview' }).click();
    const preview = designer().getByRole('region', { name: 'Simulate content' });
    await preview.getByLabel('Test profile').selectOption({ label: ANA });
    const mail = preview.frameLocator('iframe[title="Email preview"]');
    await preview.getByLabel('Locale used').filter({ hasText: 'es_ES' }).waitFor();
    await mail.getByText(/envío/).first().waitFor();
    await preview.getByTestId('preview-subject').filter({ hasText: /Ana/ }).waitFor();
    await shot('08-preview-ana-es', true);

    await designer().getByRole('button', { name: 'Done' }).click();
    await designer().waitFor({ state: 'detached' });
    await saved(page);
    const j = await server.api('GET', '/v1/journeys/purchase-journey');
    const content = (j.draft ?? j.latest).definition.nodes.find(
      (n: { id: string }) => n.id === 'abandoned-email',
    ).content;
    assert.match(JSON.stringify(content.locales.es_ES), /envío/);
    assert.match(JSON.stringify(content.locales.fr_FR), /livraison/);
    assert.deepEqual(errors, []);
  });
});
