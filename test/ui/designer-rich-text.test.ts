// The email designer's properties panel and rich text editor in Chromium, on a harness page
// (test/ui/harness/designer-properties) built here with Vite: the real panel, editor, dialogs and API
// client over a stand-in designer; /v1 answered by a small server with the demo's fragments.
// Covers: every demo text round-trips through the browser's DOM exactly (or falls back to code),
// chips, formatting, links with "Track clicks", personalization insert/edit, the lab's conditional
// banner, the Promo Code fragment's fields, break inheritance, columns, locks and the theme.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { emailContentSchema } from '../../src/model/message-content.ts';
import type { EmailContent, LeafBlock } from '../../src/model/message-content.ts';
import { openBrowser } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { REPO, freePort } from './support/server.ts';

const HARNESS = join(REPO, 'test', 'ui', 'harness', 'designer-properties');
const CONTENT = join(REPO, 'examples', 'luma', 'content');
const fragments = JSON.parse(readFileSync(join(CONTENT, 'fragments.json'), 'utf8')) as Array<{
  id: string;
  name: string;
}>;

function demoTexts(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o['kind'] === 'text' || o['kind'] === 'html') && typeof o['content'] === 'string')
      out.push(o['content']);
    Object.values(o).forEach(walk);
  };
  for (const f of readdirSync(CONTENT).filter((n) => n.endsWith('.json')))
    walk(JSON.parse(readFileSync(join(CONTENT, f), 'utf8')));
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

let dist = '';
let server: Server;
let url = '';
let browser: Browser;
let page: Page;

async function buildHarness(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'wm-props-harness-'));
  const { build } = await import('vite');
  // The console's alias for the server's shared modules, as scripts/build-ui.mjs sets it.
  const resolve = {
    alias: [{ find: /^@waymark\/shared\//, replacement: `${join(REPO, 'src', 'isomorphic')}/` }],
  };
  await build({
    root: HARNESS,
    base: '/',
    configFile: false,
    logLevel: 'error',
    resolve,
    build: { outDir: out, emptyOutDir: true, assetsDir: 'static', chunkSizeWarningLimit: 5000 },
  });
  return out;
}

function serve(root: string): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const m = /^\/v1\/fragments\/([^/]+)$/.exec(path);
    if (m) {
      const f = fragments.find((x) => x.id === decodeURIComponent(m[1]!));
      return f
        ? json(200, { key: f.id, name: f.name, revision: 1, spec: f })
        : json(404, { error: { code: 'not_found', message: 'no such fragment' } });
    }
    if (path === '/v1/personalization/validate' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const source = String((JSON.parse(body) as { source?: string }).source ?? '');
        const bad = source.includes('=>');
        json(200, {
          valid: !bad,
          diagnostics: bad
            ? [{ severity: 'error', code: 'syntax', message: 'unexpected "=>"' }]
            : [],
        });
      });
      return;
    }
    if (path === '/v1/asset-library/luma-logo/renditions') {
      // As the server answers: sizes snapped by the rendition policy, and a thumbnail the panel leaves out.
      return json(200, {
        items: [
          ['Original', {}],
          ['Email 600 px', { width: 640 }],
          ['Retina 1200 px', { width: 1280 }],
          ['Thumbnail', { width: 200, format: 'webp' }],
        ].map(([label, spec]) => ({
          label,
          spec,
          url: 'https://cdn.example/x.png',
          previewUrl: '/x.png',
        })),
      });
    }
    if (path.startsWith('/v1/'))
      return json(404, { error: { code: 'not_found', message: 'not here' } });
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
}

const content = (): Promise<EmailContent> => page.evaluate(() => window.wm.content as never);
const select = async (id: string) => {
  await page
    .getByRole('navigation', { name: 'Canvas' })
    .getByRole('button', { name: `Select ${id}`, exact: true })
    .click();
};
const panel = () => page.getByRole('complementary', { name: 'Properties' });
function findBlock(c: EmailContent, id: string): LeafBlock | undefined {
  for (const s of c.document!.body)
    for (const col of s.columns)
      for (const b of col.blocks) if (b.id === id && b.kind !== 'container') return b;
  return undefined;
}

/** The input's value once it is `expected`, or what it holds after 5 s. */
async function settledValue(input: Locator, expected: string): Promise<string> {
  let v = await input.inputValue();
  for (let i = 0; i < 50 && v !== expected; i++) {
    await new Promise((ok) => setTimeout(ok, 100));
    v = await input.inputValue();
  }
  return v;
}

async function open(query = '') {
  await page.goto(`${url}/${query}`);
  await page.getByRole('navigation', { name: 'Canvas' }).waitFor();
}

before(async () => {
  dist = await buildHarness();
  const port = await freePort();
  server = serve(dist);
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  url = `http://127.0.0.1:${port}`;
  browser = await openBrowser();
  page = browser.page;
  page.on('pageerror', (e) => {
    console.error('page error:', e);
  });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  if (dist) rmSync(dist, { recursive: true, force: true });
});

describe('rich text editor', () => {
  test('every demo text goes source -> DOM -> source unchanged (an order table made by a loop is one chip)', async () => {
    await open();
    const texts = demoTexts();
    const results = await page.evaluate(
      (ts) => ts.map((t) => ({ t, r: window.wm.roundTrip(t) })),
      texts,
    );
    for (const { t, r } of results) {
      assert.ok(r.ok, `visual: ${t}`);
      assert.equal(r.back, t);
    }
    // Unsafe text is never put into the page: it is edited as code.
    const unsafe = await page.evaluate(() => [
      window.wm.roundTrip('<p>x</p><img src=x onerror="alert(1)">'),
      window.wm.roundTrip('<a href="javascript:alert(1)">x</a>'),
    ]);
    assert.deepEqual(
      unsafe.map((u) => u.ok),
      [false, false],
    );
  });

  test('chips, formatting, links with Track clicks, personalization insert and edit', async () => {
    await open();
    const box = page.getByRole('textbox', { name: 'Standalone text' });
    const chip = box.locator('.wm-chip');
    assert.equal(await chip.textContent(), 'firstName · there');
    assert.equal(await chip.getAttribute('contenteditable'), 'false');
    const source = () => page.evaluate(() => window.wm.rt);
    // Type at the end, then bold a word with Ctrl+B.
    await box.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Enjoy');
    assert.equal(
      await source(),
      '<p>Hello {%= profile.person.name.firstName ?: "there" %}, welcome. Enjoy</p>',
    );
    for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('Control+b');
    assert.equal(
      await source(),
      '<p>Hello {%= profile.person.name.firstName ?: "there" %}, welcome. <b>Enjoy</b></p>',
    );
    // Ctrl+K: a link, not tracked.
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Link' });
    await dialog.getByLabel('URL').fill('https://luma.example/shop');
    await dialog.getByLabel('Track clicks').uncheck();
    await browser.shot('designer-rich-text-link-1440');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    assert.match(
      await source(),
      /<a href="https:\/\/luma\.example\/shop" data-wm-notrack="">Enjoy<\/a>|<b><a href="https:\/\/luma\.example\/shop" data-wm-notrack="">Enjoy<\/a><\/b>/,
    );
    // Personalize inserts at the caret.
    await page.evaluate(() => {
      window.wm.personalizeAnswer = '{{profile.person.name.lastName}}';
    });
    await box.click();
    await page.keyboard.press('Home');
    await page
      .getByRole('toolbar', { name: 'Standalone text formatting' })
      .getByRole('button', { name: 'Personalize' })
      .click();
    await page.waitForFunction(() => window.wm.rt.includes('lastName'));
    assert.ok(
      (await source()).startsWith('<p>{{profile.person.name.lastName}}Hello {%='),
      await source(),
    );
    const calls = await page.evaluate(() => window.wm.personalizeCalls);
    assert.deepEqual(calls.at(-1), { initial: '', mode: 'inline' });
    // Clicking a chip edits it.
    await page.evaluate(() => {
      window.wm.personalizeAnswer = '{%= profile.person.name.firstName ?: "friend" %}';
    });
    await box.locator('.wm-chip', { hasText: 'firstName' }).click();
    await page.waitForFunction(() => window.wm.rt.includes('friend'));
    assert.equal(
      (await page.evaluate(() => window.wm.personalizeCalls)).at(-1)?.initial,
      '{%= profile.person.name.firstName ?: "there" %}',
    );
    assert.equal(
      await box.locator('.wm-chip', { hasText: 'firstName' }).textContent(),
      'firstName · friend',
    );
    // Headings, lists and colours from the palette.
    const toolbar = page.getByRole('toolbar', { name: 'Standalone text formatting' });
    await box.click({ position: { x: 4, y: 4 } }); // not on a chip: that would edit it
    await toolbar.getByLabel('Paragraph style').selectOption('h2');
    assert.match(await source(), /^<h2>/);
    await toolbar.getByLabel('Paragraph style').selectOption('p');
    await toolbar.getByRole('button', { name: 'Bulleted list' }).click();
    assert.match(await source(), /<ul><li>/);
    await toolbar.getByRole('button', { name: 'Bulleted list' }).click();
    await page.keyboard.press('Control+a');
    await toolbar.getByRole('button', { name: 'Text colour #d7373f' }).click();
    assert.match(await source(), /color: rgb\(215, 55, 63\)|#d7373f/);
    await toolbar.getByRole('button', { name: 'Align center' }).click();
    assert.match(await source(), /text-align: center/);
    await browser.shot('designer-rich-text-1440');
  });

  test('a block helper is one chip; a table whose rows a loop makes is one chip too', async () => {
    await open();
    await page.evaluate(() =>
      window.wm.setRt(
        '<p>Items: {{#each context.journey.events.E.productListItems as |item|}}<b>{{item.name}}</b>{{/each}}</p>',
      ),
    );
    const box = page.getByRole('textbox', { name: 'Standalone text' });
    assert.equal(await box.locator('.wm-chip').count(), 1);
    assert.equal(await box.locator('.wm-chip').textContent(), 'each · productListItems');
    // The order details: the browser would move the loop out of the table; as a chip it stays.
    await select('order-details');
    const text = panel().getByRole('textbox', { name: 'Text', exact: true });
    await text.locator('.wm-chip', { hasText: 'table · each · productListItems' }).waitFor();
    assert.equal(
      await panel()
        .getByText('This text holds a table built by personalization: edit it as code.')
        .count(),
      0,
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.shot('designer-properties-text-as-code-1440');
  });
});

describe('properties panel', () => {
  test('the lab banner: conditional content with the Not Luma Mobile App Users audience and the mobile app asset', async () => {
    await open();
    await page.setViewportSize({ width: 1440, height: 900 });
    await select('loyalty-banner');
    await panel().getByRole('heading', { name: 'Image' }).waitFor();
    await panel().getByRole('button', { name: 'Enable conditional content' }).click();
    const v1 = panel().getByRole('group', { name: 'Variant 1' });
    await v1.getByLabel('Name').fill('Not Mobile App Users');
    await v1.getByLabel('Audience').selectOption('Not Luma Mobile App Users');
    await v1.getByRole('button', { name: 'Edit content' }).click();
    await panel()
      .getByRole('heading', { name: /Image · variant “Not Mobile App Users”/ })
      .waitFor();
    assert.deepEqual(await page.evaluate(() => window.wm.shown), { 'loyalty-banner': 0 });
    await panel().getByRole('button', { name: 'Change image' }).click();
    const sel = await page.evaluate(() => window.wm.selection);
    assert.deepEqual(await page.evaluate(() => window.wm.pickAssetCalls), [sel]);
    await panel().getByLabel('Asset', { exact: true }).fill('luma-mobile-app');
    await panel().getByLabel('Alternative text').fill('Get the Luma mobile app');
    await browser.shot('designer-properties-variant-1440');
    const c = emailContentSchema.parse(await content());
    const banner = findBlock(c, 'loyalty-banner')!;
    assert.equal(banner.kind, 'image');
    assert.equal(banner.variants.length, 1);
    const v = banner.variants[0]!;
    assert.equal(v.name, 'Not Mobile App Users');
    assert.deepEqual(v.condition, {
      kind: 'audience',
      audience: 'Not Luma Mobile App Users',
      status: 'realized',
    });
    assert.ok(
      v.block.kind === 'image' &&
        v.block.assetId === 'luma-mobile-app' &&
        v.block.alt === 'Get the Luma mobile app',
    );
    assert.notEqual(v.block.id, 'loyalty-banner');
    assert.ok(
      banner.kind === 'image' && banner.assetId === 'luma-loyalty-plus',
      'the default keeps its asset',
    );
    // Back to the block: Preview as, a second variant, reorder, an expression checked by the server.
    await panel().getByRole('button', { name: 'Back to the default image' }).click();
    assert.deepEqual(await page.evaluate(() => window.wm.shown), {});
    await panel().getByLabel('Preview as').selectOption({ label: 'Not Mobile App Users' });
    assert.deepEqual(await page.evaluate(() => window.wm.shown), { 'loyalty-banner': 0 });
    await panel().getByRole('button', { name: 'Add variant' }).click();
    const v2 = panel().getByRole('group', { name: 'Variant 2' });
    await v2.getByLabel('Condition').selectOption('expression');
    await v2.getByLabel('Expression').fill('x => 1');
    await v2.getByLabel('Name').click();
    await v2.getByText('unexpected "=>"').waitFor();
    await v2.getByLabel('Expression').fill('profile.person.gender = "female"');
    await v2.getByLabel('Name').fill('Bad-name!');
    await v2.getByText('Use letters, digits and spaces only.').waitFor();
    await v2.getByLabel('Name').fill('Women');
    await v2.getByRole('button', { name: 'Move up' }).click();
    const names = (await content())
      .document!.body.flatMap((s) => s.columns.flatMap((col) => col.blocks))
      .find((b) => b.id === 'loyalty-banner');
    assert.deepEqual(
      (names as LeafBlock).variants.map((x) => x.name),
      ['Women', 'Not Mobile App Users'],
    );
    assert.deepEqual(
      await page.evaluate(() => window.wm.shown),
      { 'loyalty-banner': 1 },
      'the previewed variant follows its move',
    );
    await browser.shot('designer-properties-conditional-1440');
    await page.setViewportSize({ width: 1024, height: 800 });
    await browser.shot('designer-properties-conditional-1024');
  });

  test("a container's variants: names, default name, edit content selects the variant's blocks", async () => {
    await open();
    await select('banner-container');
    await panel().getByRole('heading', { name: 'Container' }).waitFor();
    const v1 = panel().getByRole('group', { name: 'Variant 1' });
    assert.equal(await v1.getByLabel('Name').inputValue(), 'Not Mobile App Users');
    assert.equal(await v1.getByLabel('Audience').inputValue(), 'Not Luma Mobile App Users');
    await v1.getByRole('button', { name: 'Edit content' }).click();
    assert.equal(await page.evaluate(() => window.wm.selection), 'app-banner-c');
    assert.deepEqual(await page.evaluate(() => window.wm.shown), { 'banner-container': 0 });
  });

  test('the Promo Code fragment: editable fields mapped to the LoyaltyService response', async () => {
    await open();
    await select('promo-code');
    const offer = panel().getByRole('group', { name: 'Loyalty offer' });
    const code = panel().getByRole('group', { name: 'Offer code' });
    await offer.waitFor();
    // The demo content already maps them: set back to defaults, then map again through Personalize.
    await offer.getByRole('button', { name: 'Reset Loyalty offer' }).click();
    await code.getByRole('button', { name: 'Reset Offer code' }).click();
    // A click's re-render may land after the click returns: the value is read until it settles.
    assert.equal(
      await settledValue(
        offer.getByRole('textbox', { name: 'Loyalty offer' }),
        '10% off your next order',
      ),
      '10% off your next order',
    );
    assert.equal(
      await settledValue(code.getByRole('textbox', { name: 'Offer code' }), 'LUMA10'),
      'LUMA10',
    );
    await page.evaluate(() => {
      window.wm.personalizeAnswer = '{{context.journey.actions.LoyaltyService.LoyaltyOffer}}';
    });
    await offer.getByRole('button', { name: 'Personalize Loyalty offer' }).click();
    await page.evaluate(() => {
      window.wm.personalizeAnswer = '{{context.journey.actions.LoyaltyService.PromoCode}}';
    });
    await code.getByRole('button', { name: 'Personalize Offer code' }).click();
    await code.getByText('PromoCode', { exact: true }).waitFor();
    const calls = await page.evaluate(() => window.wm.personalizeCalls);
    assert.deepEqual(
      calls.map((x) => [x.mode, x.title]),
      [
        ['field', 'Loyalty offer (Promo Code Fragment)'],
        ['field', 'Offer code (Promo Code Fragment)'],
      ],
    );
    const promo = findBlock(await content(), 'promo-code');
    assert.ok(promo?.kind === 'fragment');
    assert.deepEqual(promo.fields, {
      LoyaltyOffer: '{{context.journey.actions.LoyaltyService.LoyaltyOffer}}',
      OfferCode: '{{context.journey.actions.LoyaltyService.PromoCode}}',
    });
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.shot('designer-properties-fragment-1440');
  });

  test('break inheritance replaces the footer fragment with copies of its blocks after a confirmation', async () => {
    await open();
    await select('footer-fragment');
    await panel().getByRole('button', { name: 'Break inheritance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Break inheritance?' });
    await dialog.getByRole('button', { name: 'Break inheritance' }).click();
    const c = await content();
    const col = c.document!.body.find((s) => s.id === 'footer')!.columns[0]!;
    assert.deepEqual(
      col.blocks.map((b) => b.kind),
      ['divider', 'text'],
    );
    assert.ok(
      col.blocks.every((b) => b.id !== 'footer-divider' && b.id !== 'footer-links'),
      'fresh ids',
    );
    assert.equal(await page.evaluate(() => window.wm.selection), col.blocks[0]!.id);
    emailContentSchema.parse(c);
  });

  test('structures: ratios at least 10%, add a column, only an empty column is removed', async () => {
    await open();
    await select('order');
    await panel().getByRole('heading', { name: 'Structure' }).waitFor();
    await panel().getByRole('button', { name: 'Add column' }).click();
    assert.equal(await panel().getByRole('button', { name: 'Remove column 1' }).isDisabled(), true);
    await panel().getByLabel('Column ratios').fill('95:5');
    await panel().getByText('Each column needs at least 10% of the width.').waitFor();
    await panel().getByLabel('Column ratios').fill('1:2');
    let s = (await content()).document!.body.find((x) => x.id === 'order')!;
    assert.deepEqual(
      s.columns.map((c) => c.width),
      ['33.33%', '66.67%'],
    );
    await panel().getByLabel('Stack columns on mobile').uncheck();
    await panel().getByLabel('Background', { exact: true }).fill('#fafafa');
    await browser.shot('designer-properties-structure-1440');
    await panel().getByRole('button', { name: 'Remove column 2' }).click();
    s = (await content()).document!.body.find((x) => x.id === 'order')!;
    assert.equal(s.columns.length, 1);
    assert.equal(s.stackOnMobile, false);
    assert.equal(s.backgroundColor, '#fafafa');
    await panel().getByRole('button', { name: 'Column 1', exact: true }).click();
    await panel().getByRole('heading', { name: 'Column' }).waitFor();
    await panel().getByLabel('Vertical align').selectOption('middle');
    assert.equal(
      (await content()).document!.body.find((x) => x.id === 'order')!.columns[0]!.verticalAlign,
      'middle',
    );
  });

  test('block style: padding per side, border, hide on; image link tracking', async () => {
    await open();
    await select('logo');
    await panel().getByLabel('Padding per side').check();
    await panel().getByLabel('Padding top').fill('10px');
    await panel().getByLabel('Padding left').fill('4px');
    await panel().getByLabel('Border').fill('1px solid #cccccc');
    await panel().getByLabel('Hide on').selectOption('mobile');
    await panel().getByLabel('Track clicks').uncheck();
    await panel().getByLabel('Width').fill('60%');
    const logo = findBlock(await content(), 'logo');
    assert.ok(logo?.kind === 'image');
    assert.equal(logo.padding, '10px 0 0 4px');
    assert.equal(logo.border, '1px solid #cccccc');
    assert.equal(logo.hideOn, 'mobile');
    assert.equal(logo.tracked, false);
    assert.equal(logo.width, '60%');
    await panel().getByLabel('Border').fill('1px "solid"');
    await panel().getByText('No quotes, angle brackets, braces or semicolons.').waitFor();
    assert.equal(
      findBlock(await content(), 'logo')?.border,
      '1px solid #cccccc',
      'an invalid value is not written',
    );
  });

  test("locks: a locked structure's blocks are read-only with the reason; content-only leaves the fields", async () => {
    await open('?locks=1');
    await select('logo');
    await panel().getByText('Locked by the content template: it cannot be changed here.').waitFor();
    assert.equal(await panel().getByLabel('Alternative text').getAttribute('readonly'), '');
    assert.equal(
      await panel().getByRole('button', { name: 'Enable conditional content' }).isDisabled(),
      true,
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.shot('designer-properties-locked-1440');
    await select('promo-code');
    await panel()
      .getByText('The content template lets only the text of this component change.')
      .waitFor();
    assert.equal(
      await panel().getByRole('textbox', { name: 'Offer code' }).getAttribute('readonly'),
      null,
    );
    assert.equal(
      await panel().getByRole('button', { name: 'Break inheritance' }).isDisabled(),
      true,
    );
    assert.equal(await panel().getByLabel('Padding', { exact: true }).getAttribute('readonly'), '');
  });

  test("a structure's conditional content: variants copy its columns with fresh ids, edit content shows and selects the variant", async () => {
    await open();
    await page.setViewportSize({ width: 1440, height: 900 });
    await select('banner-demo');
    await panel().getByRole('heading', { name: 'Structure' }).waitFor();
    await panel().getByRole('button', { name: 'Enable conditional content' }).click();
    const v1 = panel().getByRole('group', { name: 'Variant 1' });
    await v1.getByLabel('Name').fill('App users');
    await v1.getByLabel('Audience').selectOption('Luma Mobile App Users');
    await panel().getByRole('button', { name: 'Add variant' }).click();
    const v2 = panel().getByRole('group', { name: 'Variant 2' });
    await v2.getByLabel('Condition').selectOption('expression');
    await v2.getByLabel('Expression').fill('x => 1');
    await v2.getByLabel('Name').click();
    await v2.getByText('unexpected "=>"').waitFor();
    await v2.getByLabel('Expression').fill('profile.person.gender = "female"');
    await v2.getByLabel('Name').fill('Women');
    await panel().getByLabel('Preview as').selectOption({ label: 'Women' });
    assert.deepEqual(await page.evaluate(() => window.wm.shown), { 'banner-demo': 1 });
    await v2.getByRole('button', { name: 'Move up' }).click();
    assert.deepEqual(
      await page.evaluate(() => window.wm.shown),
      { 'banner-demo': 0 },
      'the previewed variant follows its move',
    );
    await browser.shot('designer-properties-structure-variants-1440');
    let c = emailContentSchema.parse(await content());
    let s = c.document!.body.find((x) => x.id === 'banner-demo')!;
    assert.deepEqual(
      s.variants.map((v) => v.name),
      ['Women', 'App users'],
    );
    assert.deepEqual(s.variants[1]!.condition, {
      kind: 'audience',
      audience: 'Luma Mobile App Users',
      status: 'realized',
    });
    assert.deepEqual(s.variants[0]!.condition, {
      kind: 'expression',
      expression: 'profile.person.gender = "female"',
    });
    const ids: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach(walk);
        return;
      }
      if (typeof v !== 'object' || v === null) return;
      const o = v as Record<string, unknown>;
      if (typeof o['id'] === 'string') ids.push(o['id']);
      for (const k of ['body', 'columns', 'blocks', 'variants', 'block']) if (k in o) walk(o[k]);
    };
    walk(c.document!.body);
    assert.equal(new Set(ids).size, ids.length, 'ids stay unique in the document');
    // Edit content: the canvas shows the variant, the panel edits its first column.
    await panel()
      .getByRole('group', { name: 'Variant 2' })
      .getByRole('button', { name: 'Edit content' })
      .click();
    assert.deepEqual(await page.evaluate(() => window.wm.shown), { 'banner-demo': 1 });
    assert.equal(await page.evaluate(() => window.wm.selection), s.variants[1]!.columns[0]!.id);
    await panel()
      .getByRole('heading', { name: /Column · variant “App users”/ })
      .waitFor();
    await panel().getByLabel('Background', { exact: true }).fill('#eef4ff');
    c = emailContentSchema.parse(await content());
    s = c.document!.body.find((x) => x.id === 'banner-demo')!;
    assert.equal(s.variants[1]!.columns[0]!.backgroundColor, '#eef4ff');
    assert.equal(s.columns[0]!.backgroundColor, undefined, 'the default column is untouched');
    await browser.shot('designer-properties-structure-variant-column-1440');
    // Back to the structure: delete a variant after a confirmation.
    await panel().getByRole('button', { name: '‹ Structure' }).click();
    await panel()
      .getByRole('group', { name: 'Variant 1' })
      .getByRole('button', { name: 'Delete variant' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete variant' }).click();
    s = (await content()).document!.body.find((x) => x.id === 'banner-demo')!;
    assert.deepEqual(
      s.variants.map((v) => v.name),
      ['App users'],
    );
    await page.setViewportSize({ width: 1024, height: 800 });
    await browser.shot('designer-properties-structure-variants-1024');
  });

  test("image rendition: the library's choices, or the usual three when it does not answer; Original removes it", async () => {
    await open();
    await select('logo');
    const rendition = panel().getByLabel('Rendition');
    await rendition.waitFor();
    assert.equal(await rendition.locator('option:checked').textContent(), 'Original');
    await rendition.selectOption({ label: 'Retina 1200 px' });
    const logo = async () =>
      findBlock(await content(), 'logo') as Extract<LeafBlock, { kind: 'image' }>;
    assert.deepEqual((await logo()).rendition, { width: 1280 }, "the server's snapped width");
    assert.deepEqual(await rendition.locator('option').allTextContents(), [
      'Original',
      'Email 600 px',
      'Retina 1200 px',
    ]);
    await rendition.selectOption({ label: 'Original' });
    assert.ok(!('rendition' in (await logo())));
    // No renditions route for this asset (404): the usual three.
    await select('loyalty-banner');
    await panel().getByLabel('Rendition').selectOption({ label: 'Email 600 px' });
    assert.deepEqual(
      (findBlock(await content(), 'loyalty-banner') as Extract<LeafBlock, { kind: 'image' }>)
        .rendition,
      { width: 600 },
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.shot('designer-properties-rendition-1440');
    // An image URL instead of an asset: no rendition.
    await panel().getByLabel('Image URL').fill('https://example.com/x.png');
    assert.equal(await panel().getByLabel('Rendition').count(), 0);
    assert.ok(!('rendition' in (findBlock(await content(), 'loyalty-banner') as object)));
  });

  test('nothing selected: the theme panel', async () => {
    await open();
    await panel().getByRole('heading', { name: 'Email settings' }).waitFor();
    await panel().getByLabel('Title', { exact: true }).fill('Your order');
    await panel().getByLabel('Email width').fill('640px');
    await panel().getByLabel('Text colour', { exact: true }).fill('#333333');
    await panel().getByLabel('New colour').fill('#ff8800');
    await panel().getByRole('button', { name: 'Add colour' }).click();
    const d = (await content()).document!;
    assert.equal(d.title, 'Your order');
    assert.equal(d.width, '640px');
    assert.equal(d.theme?.textColor, '#333333');
    assert.deepEqual(d.theme?.palette, ['#1473e6', '#d7373f', '#2c2c2c', '#ff8800']);
    await page.setViewportSize({ width: 1440, height: 900 });
    await browser.shot('designer-properties-theme-1440');
    await page.setViewportSize({ width: 1024, height: 800 });
    await browser.shot('designer-properties-theme-1024');
  });
});
