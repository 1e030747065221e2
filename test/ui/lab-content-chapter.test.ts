// The lab's content chapter (Build the Order Confirmation Email), done in the console only, on
// `waymark serve --demo`: a draft of the Purchase Journey whose Order Confirmation Email has no
// content yet (the only setup through the API), then every content step by clicking, typing and
// dragging in the email designer: the subject through the personalization editor, a 1-column
// structure, the Luma logo from the Luma collection, the Order Confirmation Text fragment, a text
// with an `each` loop over the order items (Order Content fragment), the Promo Code fragment's two
// fields mapped to the LoyaltyService response through the personalization tree, the Luma Loyalty +
// banner in a container with a "Not Mobile App Users" variant, the footer fragment; simulate content
// as Tom, Jean and Sarah; checks; a proof found in the development inbox; Done, publish; then Tom's
// real checkout and purchase: the email sent equals the preview's HTML once tracking is taken out.
//
// The demo data decides who uses the app (examples/luma/luma.yaml): Tom and Jean have not installed
// it (the lab says Tom has), Sarah and Ana have. So Tom and Jean get the "Not Mobile App Users"
// banner, Sarah the default Luma+ banner.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page, Response } from 'playwright-core';
import { signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { node, saved } from './support/canvas.ts';
import { openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';
import { offerFor } from '../../examples/luma/loyalty-service.ts';

const TOM = 'tom.baker@luma.example';
const JEAN = 'jean.dupont@luma.example';
const SARAH = 'sarah.miller@luma.example';
const ITEMS = [
  { name: 'Zing Jump Rope', SKU: 'ZJR-1', quantity: 2, priceTotal: 24 },
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
];
const PURCHASE = {
  _aeppartner1: { identification: { core: { email: TOM } } },
  productListItems: ITEMS,
};
// What the demo LoyaltyService answers for Tom's order (its value is the first item's price total).
const LOYALTY = offerFor(TOM, ITEMS[0]!.priceTotal);

interface RenderCall {
  readonly body: Record<string, unknown>;
  readonly answer: { ok: boolean; html?: string; subject?: string };
}

/** Replaces a CodeMirror editor's text (the editor is the element carrying the aria-label). */
async function typeInto(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** What link tracking adds to a sent email, taken out: click URLs and the open pixel. */
function untracked(html: string): string {
  return html
    .replace(
      /<img src="[^"]*\/t\/o\/[^"]*" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" \/>/g,
      '',
    )
    .replace(/(<a\b[^>]*?\shref\s*=\s*)"[^"]*\/t\/c\/[^"]*"/gi, '$1"[tracked]"');
}

/** The preview's HTML with the links tracking would rewrite (absolute http(s), not data-wm-notrack) marked the same way. */
function trackable(html: string): string {
  return html.replace(/<a\b[^>]*>/gi, (tag) => {
    if (/\sdata-wm-notrack\b/i.test(tag)) return tag;
    // {{landingPageUrl}}: the preview signs it for its test profile (an absolute address like any
    // other link); the send signs it for the recipient and tracks it.
    return tag.replace(
      /(\shref\s*=\s*)("https?:\/\/[^"\s]+"|'https?:\/\/[^'\s]+')/i,
      '$1"[tracked]"',
    );
  });
}

/** The first line where two texts differ, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i])
      return `line ${i + 1}:\n  sent:    ${(la[i] ?? '<none>').slice(0, 400)}\n  preview: ${(lb[i] ?? '<none>').slice(0, 400)}`;
  }
  return 'no difference';
}

describe("the lab's content chapter in the console", () => {
  let server: Running;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const renders: RenderCall[] = [];
  const shot = (name: string, also1024 = false) =>
    browser.shotWide(`lab-content-${name}`, also1024);
  const designer = () => page.getByRole('dialog', { name: 'Email designer' });
  const canvas = () => designer().getByRole('tree', { name: 'Email canvas' });
  const rail = (name: 'Components' | 'Assets' | 'Fragments') =>
    designer()
      .getByRole('navigation', { name: 'Designer tools' })
      .getByRole('button', { name, exact: true })
      .click();
  const p13n = () => page.getByRole('dialog', { name: 'Edit personalization' });

  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440, signIn: false }));
    page = browser.page;
    page.setDefaultTimeout(30_000);
    // Every preview the designer asks for, with its answer: the preview's HTML is the render API's.
    page.on('response', (r: Response) => {
      const req = r.request();
      if (
        req.method() !== 'POST' ||
        new URL(r.url()).pathname !== '/v1/render' ||
        r.status() !== 200
      )
        return;
      void r.json().then(
        (answer: RenderCall['answer']) => {
          renders.push({ body: req.postDataJSON() as Record<string, unknown>, answer });
        },
        () => undefined,
      );
    });
  });
  let finished = 0;
  afterEach(async () => {
    await browser?.shot(`lab-content-zz-after-test-${++finished}`).catch(() => undefined);
  });
  after(async () => {
    await browser?.shot('lab-content-zz-last').catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('subject, design from scratch, fragments, each, promo code, conditional banner, footer', async () => {
    // Setup (not the content chapter): a draft version whose Order Confirmation Email has no content.
    const v2 = await server.api('POST', '/v1/journeys/purchase-journey/versions');
    const def = structuredClone(v2.definition);
    const confirmation = def.nodes.find((n: { id: string }) => n.id === 'confirmation');
    confirmation.content = { channel: 'email', subject: '' };
    const put = await server.api('PUT', '/v1/journeys/purchase-journey', def);
    assert.ok(!put?.error, JSON.stringify(put));

    await signIn(page, server.url, server.key);
    await page.goto(`${server.url}/journeys/purchase-journey`);
    await page.getByTestId('save-state').filter({ hasNotText: 'Read only' }).waitFor();
    await node(page, 'confirmation').click();

    // Personalize the subject: Profile attributes > first name, then ", your order confirmation".
    await page.getByLabel('Subject').waitFor();
    await page
      .locator('.personalized-input[data-field="subject"]')
      .getByRole('button', { name: 'Add personalization' })
      .click();
    await p13n().getByRole('tab', { name: 'Profile attributes' }).click();
    await p13n().getByLabel('Search profile attributes').fill('first');
    await p13n()
      .getByRole('tree', { name: 'Profile attributes' })
      .getByRole('button', { name: /^Add first ?name$/i })
      .first()
      .click();
    const source = p13n().getByLabel('Personalization source');
    assert.equal(await source.textContent(), '{{profile.person.name.firstName}}');
    await source.press('End');
    await page.keyboard.type(', your order confirmation');
    await shot('00-subject');
    await p13n().getByRole('button', { name: 'Save' }).click();
    await p13n().waitFor({ state: 'hidden' });
    assert.equal(
      await page.getByLabel('Subject').inputValue(),
      '{{profile.person.name.firstName}}, your order confirmation',
    );
    await saved(page);

    // Edit email body: design from scratch.
    await page.getByRole('button', { name: 'Edit email body' }).click();
    await designer().waitFor();
    const empty = canvas().getByText('Drag a structure or a component here to start.');
    await empty.waitFor();
    await shot('01-empty');
    await designer().getByRole('button', { name: '1 column', exact: true }).dragTo(empty);
    const structure = canvas().getByRole('treeitem', { name: 'Structure 1 (1 column)' });
    await structure.getByText('Drop content here').waitFor();
    await shot('01-structure', true);

    // Assets > Luma collection: the Luma logo into the column.
    const assets = designer().getByRole('region', { name: 'Assets' });
    const luma = assets.getByRole('list', { name: 'Assets in Luma' });
    // The drawer reopens where it was left; the first time it shows All collections.
    const openLuma = async () => {
      await rail('Assets');
      await assets.getByRole('button', { name: 'Luma', exact: true }).or(luma).first().waitFor();
      if (!(await luma.isVisible()))
        await assets.getByRole('button', { name: 'Luma', exact: true }).dblclick();
      await luma.waitFor();
    };
    await openLuma();
    await luma
      .getByRole('button', { name: 'Insert Luma logo' })
      .dragTo(structure.getByText('Drop content here'));
    const logo = structure.getByRole('treeitem', { name: 'Image: Luma' });
    await logo.locator('img').waitFor();
    // The image's properties: 60% wide, centred.
    const props = designer().locator('.wm-properties');
    await props.getByLabel('Width', { exact: true }).fill('60%');
    await props.getByLabel('Align', { exact: true }).selectOption({ label: 'Center' });
    await shot('02-logo', true);

    // Fragments: Order Confirmation Text below the image.
    await rail('Fragments');
    const fragments = designer().getByRole('region', { name: 'Fragments' });
    const visual = fragments.getByRole('list', { name: 'Visual fragments' });
    const below = async (target: Locator) => {
      const b = await target.boundingBox();
      return { x: (b?.width ?? 100) / 2, y: (b?.height ?? 20) - 3 };
    };
    await visual
      .getByRole('button', { name: 'Insert Order Confirmation Text' })
      .dragTo(logo, { targetPosition: await below(logo) });
    const orderText = structure.getByRole('treeitem', {
      name: 'Fragment: Order Confirmation Text',
    });
    await orderText.waitFor();

    // A text below it: "Here are the details of your order" and an each loop with Order Content.
    await rail('Components');
    await designer()
      .getByRole('button', { name: 'Text', exact: true })
      .dragTo(orderText, { targetPosition: await below(orderText) });
    const text = structure.getByRole('treeitem', { name: /^Text: Please type your text here/ });
    await text.waitFor();
    await text.dblclick();
    const inline = designer().getByRole('region', { name: 'Edit text' });
    const editor = inline.getByRole('textbox', { name: 'Text' });
    await editor.click();
    await shot('03-editing-text');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Here are the details of your order');
    await inline
      .getByRole('toolbar', { name: 'Text formatting' })
      .getByRole('button', { name: 'Personalize' })
      .click();
    await p13n().getByRole('tab', { name: 'Helper functions' }).click();
    await p13n().getByLabel('Search helper functions').fill('each');
    await p13n().getByRole('button', { name: 'Add each', exact: true }).click();
    const each = p13n().getByRole('group', { name: 'Repeat for each item (each)' });
    await each
      .getByLabel('List to go through')
      .selectOption('context.journey.events.LumaPurchaseEvent_Email.productListItems');
    await each.getByRole('radio', { name: 'An expression fragment' }).check();
    await each.getByLabel('Fragment', { exact: true }).selectOption({ label: 'Order Content' });
    await shot('03-each', true);
    await each.getByRole('button', { name: 'Insert loop' }).click();
    assert.match(
      (await p13n().getByLabel('Personalization source').textContent()) ?? '',
      /\{\{#each context\.journey\.events\.LumaPurchaseEvent_Email\.productListItems as \|item\|\}\}\{\{fragment id='ajo:order-content' mode='inline'\}\}\{\{\/each\}\}/,
    );
    await p13n().getByRole('button', { name: 'Save' }).click();
    await p13n().waitFor({ state: 'hidden' });
    await designer().getByRole('button', { name: 'Done editing' }).click();
    const details = structure.getByRole('treeitem', {
      name: /^Text: Here are the details of your order/,
    });
    await details.waitFor();
    await shot('04-text-each', true);

    // The Promo Code Fragment, its two fields from Contextual attributes > Journey Orchestration > Actions > Loyalty Service.
    await rail('Fragments');
    await visual
      .getByRole('button', { name: 'Insert Promo Code Fragment' })
      .dragTo(details, { targetPosition: await below(details) });
    const promo = structure.getByRole('treeitem', { name: 'Fragment: Promo Code Fragment' });
    await promo.waitFor();
    await promo.click();
    const fields = designer().getByRole('group', { name: 'Editable fields' });
    for (const [field, attribute] of [
      ['Loyalty offer', 'LoyaltyOffer'],
      ['Offer code', 'PromoCode'],
    ] as const) {
      await fields.getByRole('button', { name: `Personalize ${field}` }).click();
      await p13n().getByRole('tab', { name: 'Contextual attributes' }).click();
      const tree = p13n().getByRole('tree', { name: 'Contextual attributes' });
      await tree.getByRole('treeitem', { name: 'Journey Orchestration' }).click();
      await tree.getByRole('treeitem', { name: 'Actions' }).click();
      await tree.getByRole('treeitem', { name: 'Loyalty Service' }).click();
      await tree.getByRole('button', { name: `Add ${attribute}`, exact: true }).click();
      assert.equal(
        await p13n().getByLabel('Personalization source').textContent(),
        `{{context.journey.actions.LoyaltyService.${attribute}}}`,
      );
      if (attribute === 'PromoCode') await shot('05-promo-tree', true);
      await p13n().getByRole('button', { name: 'Save' }).click();
      await p13n().waitFor({ state: 'hidden' });
      await fields
        .getByRole('group', { name: field })
        .getByRole('button', { name: `Reset ${field}` })
        .waitFor();
    }
    await shot('05-promo-fields', true);

    // A container with the Luma Loyalty + banner; conditional content: "Not Mobile App Users" shows the app banner.
    await rail('Components');
    await designer()
      .getByRole('button', { name: 'Container', exact: true })
      .dragTo(promo, { targetPosition: await below(promo) });
    const container = structure.getByRole('treeitem', { name: /^Container: / });
    await structure.getByRole('treeitem', { name: 'Container: 0 blocks' }).waitFor();
    await openLuma();
    await luma
      .getByRole('button', { name: 'Insert Luma Loyalty +' })
      .dragTo(container.getByText('Drop content here'));
    const banner = container.getByRole('treeitem', { name: /^Image: / }).first();
    await banner.locator('img').waitFor();
    await banner.click();
    await designer().getByRole('button', { name: 'Enable conditional content' }).click();
    const variant = designer().getByRole('group', { name: 'Variant 1' });
    await variant.getByLabel('Name').fill('Not Mobile App Users');
    await variant.getByLabel('Audience').selectOption('Not Luma Mobile App Users');
    await variant.getByRole('button', { name: 'Edit content' }).click();
    await openLuma();
    await luma
      .getByRole('listitem', { name: 'luma-mobile-app.png' })
      .getByRole('button', { name: 'Use for selected image' })
      .click();
    await canvas().locator('img[src*="luma-mobile-app"]').first().waitFor();
    await shot('06-conditional', true);

    // The footer fragment at the end of the email.
    await rail('Fragments');
    await visual
      .getByRole('button', { name: 'Insert Luma - Footer Fragment' })
      .dragTo(canvas().locator('.wm-body-end'));
    await canvas().getByRole('treeitem', { name: 'Fragment: Luma - Footer Fragment' }).waitFor();
    await shot('07-footer', true);

    // The document as built: every piece, in the lab's order.
    const blocks = await canvas()
      .locator('[role="treeitem"][aria-level="3"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.deepEqual(
      blocks.map((b) => b.replace(/:.*/, '')),
      ['Image', 'Fragment', 'Text', 'Fragment', 'Container', 'Fragment'],
      JSON.stringify(blocks),
    );
    assert.deepEqual(errors, []);
  });

  test('simulate content as Tom, Jean and Sarah: banners by audience, the order items and the promo code', async () => {
    await designer().getByRole('tab', { name: 'Preview' }).click();
    const preview = designer().getByRole('region', { name: 'Simulate content' });
    await preview.waitFor();
    const mail = preview.frameLocator('iframe[title="Email preview"]');
    await preview.getByLabel('Test profile').selectOption({ label: TOM });
    await preview.getByRole('button', { name: 'Edit LumaPurchaseEvent_Email as JSON' }).click();
    await typeInto(
      page,
      preview.getByLabel('Sample event LumaPurchaseEvent_Email'),
      JSON.stringify(PURCHASE, null, 2),
    );
    await preview.getByRole('button', { name: 'Edit LoyaltyService as JSON' }).click();
    await typeInto(
      page,
      preview.getByLabel('Sample response LoyaltyService'),
      JSON.stringify(LOYALTY, null, 2),
    );
    await mail.getByText(LOYALTY.PromoCode).waitFor();
    await mail.getByText(LOYALTY.LoyaltyOffer).first().waitFor();
    await mail.getByText('Here are the details of your order').waitFor();
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Tom, your order confirmation' })
      .waitFor();
    // Tom has no app: the "Not Mobile App Users" variant.
    await preview
      .getByLabel('Chosen variants')
      .getByText(/Not Mobile App Users/)
      .waitFor();
    await mail.locator('img[src*="luma-mobile-app"]').waitFor();
    assert.equal(await mail.locator('img[src*="luma-loyalty"]').count(), 0);
    await shot('08-preview-tom', true);

    await preview.getByLabel('Test profile').selectOption({ label: JEAN });
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Jean, your order confirmation' })
      .waitFor();
    await mail.locator('img[src*="luma-mobile-app"]').waitFor();
    await mail.getByText(LOYALTY.PromoCode).waitFor();
    await shot('09-preview-jean');

    // Sarah has the app: the default variant, the Luma+ banner.
    await preview.getByLabel('Test profile').selectOption({ label: SARAH });
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Sarah, your order confirmation' })
      .waitFor();
    await mail.locator('img[src*="luma-loyalty"]').waitFor();
    assert.equal(await mail.locator('img[src*="luma-mobile-app"]').count(), 0);
    await shot('10-preview-sarah', true);

    // Back to Tom: the preview whose HTML the real send must match; the frame shows the render's HTML as is.
    await preview.getByLabel('Test profile').selectOption({ label: TOM });
    await preview
      .getByTestId('preview-subject')
      .filter({ hasText: 'Tom, your order confirmation' })
      .waitFor();
    await mail.locator('img[src*="luma-mobile-app"]').waitFor();
    const shown = await preview.locator('iframe[title="Email preview"]').getAttribute('srcdoc');
    const last = renders.at(-1)?.answer;
    assert.equal(shown, last?.html, "the preview frame shows the render API's HTML");
    assert.deepEqual(errors, []);
    // The order items, in the Order Content rows of the each loop: visible in the frame (checked last,
    // so that everything else above is checked even when this fails).
    // Visible, not only present: rows that fall out of their table end up in MJML's cells of font-size 0.
    const missing: string[] = [];
    for (const item of ITEMS) {
      const drawn = await mail
        .getByText(item.name)
        .first()
        .boundingBox()
        .catch(() => null);
      if (!drawn || drawn.height < 5) missing.push(item.name);
    }
    assert.deepEqual(missing, [], 'the order items are drawn in the preview');
  });

  test('checks and a proof in the development inbox', async () => {
    const checked = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/v1/content/check' && r.request().method() === 'POST',
    );
    await designer().getByRole('button', { name: 'Check', exact: true }).click();
    const checks = designer().getByRole('region', { name: 'Check results' });
    const answer = (await (await checked).json()) as {
      issues: Array<{ severity: string; code: string; message: string }>;
      sizeBytes: number;
    };
    await checks.getByLabel('Email size').getByText(/KB/).waitFor();
    await shot('11-checks', true);
    const errs = answer.issues.filter((i) => i.severity === 'error');
    assert.deepEqual(errs, [], 'no errors in the checks');
    assert.ok(answer.sizeBytes > 1000 && answer.sizeBytes < 102 * 1024, `size ${answer.sizeBytes}`);
    if (answer.issues.length === 0) await checks.getByText('No problems found.').waitFor();

    await designer().getByRole('button', { name: 'Send proof', exact: true }).click();
    const proof = page.getByRole('dialog', { name: 'Send proof' });
    await proof.getByLabel('Proof recipients').fill('lab-proof@luma.example');
    await proof.getByLabel('Personalize as (test profile)').selectOption({ label: TOM });
    await proof.getByRole('button', { name: 'Send proofs' }).click();
    await proof
      .getByRole('list', { name: 'Proof results' })
      .getByText('lab-proof@luma.example: sent')
      .waitFor();
    await shot('12-proof', true);
    await proof.getByRole('button', { name: 'Close' }).click();
    let got: { subject: string; html: string } | undefined;
    for (let i = 0; i < 100 && !got; i++) {
      const inbox = await server.api('GET', '/v1/dev/inbox?to=lab-proof@luma.example');
      got = (inbox.email ?? [])[0];
      if (!got) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(got, 'the proof is in the development inbox');
    assert.match(got.subject, /Tom, your order confirmation/);
    assert.ok(
      got.html.includes(LOYALTY.PromoCode) && got.html.includes('Zing Jump Rope'),
      'the proof carries the sample data',
    );
  });

  test("Done, publish; Tom's real purchase sends what the preview showed", async () => {
    // The preview's last answer for Tom: its HTML, and the request that made it.
    const tomPreview = [...renders]
      .reverse()
      .find(
        (r) =>
          JSON.stringify(r.body['profileId'] ?? '').includes('tom') ||
          r.answer.subject?.startsWith('Tom'),
      );
    assert.ok(
      tomPreview?.answer.html,
      `a preview for Tom was rendered (${renders.length} renders)`,
    );

    await designer().getByRole('button', { name: 'Done' }).click();
    await designer().waitFor({ state: 'detached' });
    await saved(page);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.toolbar .badge', { hasText: 'live' }).waitFor();
    await shot('13-published', true);
    const j = await server.api('GET', '/v1/journeys/purchase-journey');
    const sentContent = j.latest.definition.nodes.find(
      (n: { id: string }) => n.id === 'confirmation',
    ).content;
    assert.equal(sentContent.subject, '{{profile.person.name.firstName}}, your order confirmation');

    // The same content rendered as the preview did (the published content, the preview's inputs).
    const rerender = await server.api('POST', '/v1/render', {
      ...tomPreview!.body,
      content: sentContent,
    });
    assert.equal(
      rerender.html,
      tomPreview!.answer.html,
      'the published content renders as the designer previewed it',
    );

    const checkout = await server.api('POST', '/v1/events', {
      type: 'LumaCheckoutEvent_Email',
      payload: PURCHASE,
    });
    assert.equal(checkout.accepted, 1, JSON.stringify(checkout));
    const purchase = await server.api('POST', '/v1/events', {
      type: 'LumaPurchaseEvent_Email',
      payload: PURCHASE,
    });
    assert.equal(purchase.accepted, 1, JSON.stringify(purchase));
    let mail: { subject: string; html: string } | undefined;
    for (let i = 0; i < 150 && !mail; i++) {
      const inbox = await server.api('GET', `/v1/dev/inbox?to=${encodeURIComponent(TOM)}`);
      mail = (inbox.email ?? []).find(
        (m: { subject: string }) => m.subject === 'Tom, your order confirmation',
      );
      if (!mail) await new Promise((ok) => setTimeout(ok, 200));
    }
    assert.ok(mail, 'the order confirmation reached the development inbox');
    assert.ok(
      mail.html.includes(LOYALTY.PromoCode),
      `the LoyaltyService answered ${LOYALTY.PromoCode}`,
    );
    const sent = untracked(mail.html);
    const shown = trackable(tomPreview!.answer.html!);
    assert.ok(
      sent === shown,
      `the sent email differs from the preview at ${firstDifference(sent, shown)}`,
    );
  });
});
