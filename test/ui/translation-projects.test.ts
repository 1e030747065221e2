// The Translation projects page in the browser, on `waymark serve --demo` (the development
// translator): the lab's Translate of the cart-abandoned email into Spanish and French, followed
// until done without reloading, the translated subject and preview per locale; the list with each
// locale's status. Screenshots at 1440 and 1024 px in test/ui/artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { ARTIFACTS } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

const CART = 'luma-cart-abandoned-email';

describe('translation projects page', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440 }));
    // The lab finds the template untranslated (the demo ships its Spanish and French variants).
    const t = (await server.api('GET', `/v1/content-templates/${CART}`)).spec;
    const { locales: _locales, ...content } = t.content;
    await server.api('PUT', `/v1/content-templates/${CART}`, { ...t, content });
  });
  after(() => closeConsole({ server, browser }, 'translation-projects-last'));

  test('translate the cart-abandoned email into es_ES and fr_FR; follow it; read each locale', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Translation projects' })
      .click();
    await page.getByRole('heading', { name: 'Translation projects', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Translation projects · Waymark');
    await page
      .getByRole('note')
      .filter({ hasText: 'development (not a real translation)' })
      .waitFor();
    await page.getByText('No translation project yet').waitFor();

    const form = page.getByRole('form', { name: 'New translation project' });
    await form
      .getByLabel('Content template')
      .selectOption({ label: 'Luma - Cart Abandoned Email' });
    await form.getByText('Luma_Language_Settings: from en_US into').waitFor();
    assert.equal(await form.getByLabel('es_ES').isChecked(), true);
    assert.equal(await form.getByLabel('fr_FR').isChecked(), true);
    await form.getByRole('button', { name: 'Translate' }).click();

    // The project page follows the work by itself.
    await page.waitForURL(/\/translation-projects\/tp-/);
    const locales = page.getByRole('table').filter({ hasText: 'Subject' });
    await locales.getByRole('row').filter({ hasText: 'es_ES' }).getByText('Completed').waitFor();
    await locales.getByRole('row').filter({ hasText: 'fr_FR' }).getByText('Completed').waitFor();
    await locales.getByText('{{profile.person.name.firstName}}, tu carrito te espera').waitFor();
    await locales
      .getByText('{{profile.person.name.firstName}}, votre panier vous attend')
      .waitFor();
    await page.getByRole('heading', { name: 'Preview: es_ES' }).waitFor();
    const frame = page.frameLocator('.tp-preview iframe');
    await frame.getByText('Volver a mi carrito').waitFor();
    await page.screenshot({
      path: join(ARTIFACTS, 'translation-project-1440.png'),
      fullPage: true,
    });

    await locales.getByRole('button', { name: 'fr_FR' }).click();
    await page.getByRole('heading', { name: 'Preview: fr_FR' }).waitFor();
    await frame.getByText('Retourner à mon panier').waitFor();
    // A finished project is not polled.
    const calls: string[] = [];
    const count = (r: { url(): string }): void => {
      if (r.url().includes('/v1/')) calls.push(r.url());
    };
    page.on('request', count);
    await page.waitForTimeout(2500);
    page.off('request', count);
    assert.deepEqual(calls, [], 'no request once the project is done');
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.screenshot({
      path: join(ARTIFACTS, 'translation-project-1024.png'),
      fullPage: true,
    });

    // The template now holds both locales.
    const t = (await server.api('GET', `/v1/content-templates/${CART}`)).spec;
    assert.deepEqual(Object.keys(t.content.locales).sort(), ['es_ES', 'fr_FR']);

    await page.getByRole('link', { name: 'Translation projects' }).first().click();
    const row = page.getByRole('row').filter({ hasText: 'Luma - Cart Abandoned Email' });
    await row.getByText('Completed').first().waitFor();
    assert.match(await row.innerText(), /es_ES\s+Completed[\s\S]*fr_FR\s+Completed/);
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 1, `the list scrolls sideways by ${overflow} px at ${width}`);
      await page.screenshot({
        path: join(ARTIFACTS, `translation-projects-${width}.png`),
        fullPage: true,
      });
    }
    assert.deepEqual(errors, []);
  });
});
