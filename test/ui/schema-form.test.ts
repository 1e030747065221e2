// The generated forms (ui/src/forms) in the real console, on the Luma demo: every object kind's form
// opens on a demo object with every control named for screen readers; a required field left empty
// says so in plain words at the field (aria-invalid, aria-describedby); stored secrets are kept
// unless replaced; references are chosen by name; list rows are added and removed from the keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { startWaymark } from './support/server.ts';
import type { Running } from './support/server.ts';

const KINDS = [
  'event-types',
  'actions',
  'audiences',
  'content-templates',
  'fragments',
  'rule-sets',
  'channel-configurations',
  'namespaces',
  'language-settings',
  'assets',
  'profile-schemas',
] as const;
const enc = encodeURIComponent;

/** Controls of the form that have no accessible name (label, aria-label or aria-labelledby). */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.locator('.schema-form').evaluate((form) => {
    const out: string[] = [];
    for (const el of Array.from(form.querySelectorAll('input, select, textarea, button'))) {
      const e = el as unknown as {
        labels?: { length: number } | null;
        tagName: string;
        id: string;
        textContent: string | null;
        getAttribute(name: string): string | null;
      };
      const named =
        (e.labels?.length ?? 0) > 0 ||
        !!e.getAttribute('aria-label') ||
        !!e.getAttribute('aria-labelledby') ||
        (e.tagName === 'BUTTON' && (e.textContent ?? '').trim() !== '');
      if (!named) out.push(`${e.tagName.toLowerCase()}#${e.id}`);
    }
    return out;
  });
}

async function openForm(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const formTab = page.getByRole('tab', { name: 'Form' });
  await formTab.waitFor();
  if ((await formTab.getAttribute('aria-selected')) !== 'true') await formTab.click();
  await page.locator('.schema-form').waitFor();
}

describe('schema forms in the console', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    server = await startWaymark();
    browser = await openBrowser();
    browser.page.on('pageerror', (e) => errors.push(e.message));
    // The tests leave edited forms behind: leaving them is meant here.
    browser.page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
    await browser.page.setViewportSize({ width: 1440, height: 900 });
    await signIn(browser.page, server.url, server.key);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every kind opens in a form on a demo object, every control named; screenshots at 1440 and 1024 px', async () => {
    const { page } = browser;
    for (const kind of KINDS) {
      const items = (await server.api('GET', `/v1/${kind}`)).items as Array<{ key: string }>;
      if (items.length > 0)
        await openForm(page, `${server.url}/objects/${kind}/${enc(items[0]!.key)}`);
      else {
        // The demo keeps the built-in namespaces only: the form of a new one.
        await page.goto(`${server.url}/objects/${kind}`);
        await page.getByRole('button', { name: /^Create / }).click();
        await page.locator('.schema-form').waitFor();
      }
      errors.length = 0;
      assert.deepEqual(await unnamedControls(page), [], `${kind}: controls without a name`);
      assert.ok(
        (await page.locator('.schema-form .sf-field').count()) >= 2,
        `${kind}: fields shown`,
      );
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await browser.shot(`form-${kind}-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      assert.deepEqual(errors, [], `${kind}: script errors`);
    }
  });

  test('a required field left empty says so at the field, in plain words, tied to the input', async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    const path = page.getByLabel('Identifier path');
    await path.fill('');
    await page.locator('.schema-form').getByText('Enter an identifier path').waitFor();
    assert.equal(await path.getAttribute('aria-invalid'), 'true');
    const described = (await path.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      described.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    assert.ok(
      texts.some((t) => t?.includes('Enter an identifier path')),
      `aria-describedby reads: ${texts.join(' | ')}`,
    );
    assert.equal(
      await page
        .locator('.schema-form')
        .getByText(/Invalid input|expected string/)
        .count(),
      0,
    );
    await path.fill('_aeppartner1.identification.core.email');
    await page
      .locator('.schema-form')
      .getByText('Enter an identifier path')
      .waitFor({ state: 'detached' });
    assert.equal(await path.getAttribute('aria-invalid'), null);
  });

  test('a stored secret is kept unless a new one is typed', async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/channel-configurations/DXDemoApp`);
    const keep = page
      .locator('.sf-secret')
      .filter({ hasText: 'Signing key (.p8)' })
      .getByLabel('Keep the stored secret');
    assert.equal(await keep.isChecked(), true);
    assert.equal(
      await page
        .locator('.sf-secret')
        .filter({ hasText: 'Signing key (.p8)' })
        .locator('textarea, input[type=password]')
        .count(),
      0,
    );
    await keep.uncheck();
    const secret = page
      .locator('.sf-secret')
      .filter({ hasText: 'Signing key (.p8)' })
      .locator('textarea, input[type=password]');
    await secret.waitFor();
    assert.equal(await secret.inputValue(), '');
    await keep.check();
    await secret.waitFor({ state: 'detached' });
  });

  test("references are chosen by name from the sandbox's objects", async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    const namespace = page.getByLabel('Identity namespace');
    assert.equal(await namespace.evaluate((s: { tagName: string }) => s.tagName), 'SELECT');
    assert.equal(await namespace.inputValue(), 'Email');
    const options = await namespace.locator('option').allTextContents();
    assert.ok(
      options.some((o) => /Phone/.test(o)) && options.some((o) => /Experience Cloud ID/.test(o)),
      options.join(', '),
    );
    await openForm(page, `${server.url}/objects/audiences/${enc('Not Luma Mobile App Users')}`);
    const audience = page
      .locator('.schema-form')
      .getByRole('combobox', { name: 'Audience', exact: true });
    assert.equal(await audience.inputValue(), 'Luma - Mobile App Users');
    assert.ok(
      (await audience.locator('option').allTextContents()).includes('Luma - Blue Luma+ Members'),
    );
  });

  test('list rows are added, moved and removed from the keyboard', async () => {
    const { page } = browser;
    await openForm(
      page,
      `${server.url}/objects/language-settings/${enc(((await server.api('GET', '/v1/language-settings')).items as Array<{ key: string }>)[0]!.key)}`,
    );
    const removers = page.getByRole('button', { name: /^Remove locale \d+$/ });
    const before = await removers.count();
    assert.ok(before >= 1);
    const firstLocale = await page
      .getByRole('textbox', { name: 'Locale', exact: true })
      .first()
      .inputValue();
    await page.getByRole('button', { name: '+ Add locale' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Remove locale ${before + 1}` }).waitFor();
    await page.getByRole('button', { name: `Move locale ${before + 1} up` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Remove locale ${before}` }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('button', { name: `Remove locale ${before + 1}` })
      .waitFor({ state: 'detached' });
    assert.equal(await removers.count(), before);
    assert.equal(
      await page.getByRole('textbox', { name: 'Locale', exact: true }).first().inputValue(),
      firstLocale,
    );
  });
});
