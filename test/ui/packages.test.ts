// The packages page in the browser: the Purchase Journey exported with what it uses (the server's
// closure, grouped by kind: the order-content fragment inside another fragment included), imported
// into an empty sandbox (the LoyaltyService host question answered with "Allow it", the secrets that
// came redacted listed with a link to their form), then imported again after the sandbox changed
// three objects, with a different choice for each conflict: create a copy, use the existing one,
// replace it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from './support/browser.ts';
import { openConsole, closeConsole } from './support/console.ts';
import type { Running } from './support/server.ts';
import { pasteInto } from './support/paste.ts';

const RULES = 'Luma Marketing - Outgoing messages';

describe('packages page', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  /** The API in the sandbox named `sandbox`. */
  const inSandbox = async (
    sandbox: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<any> => {
    const r = await fetch(server.apiUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${server.key}`,
        'x-sandbox-name': sandbox,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    return text ? JSON.parse(text) : null;
  };
  before(async () => ({ server, browser } = await openConsole({ errors, width: 1440 })));
  after(() => closeConsole({ server, browser }, 'packages-last'));

  let exported = '';

  test('a journey and what it uses, from the server, grouped by kind', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/packages`);
    await page.getByRole('heading', { name: 'Packages', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Packages · Waymark');
    await page
      .getByLabel('What to export')
      .selectOption({ label: 'Purchase Journey and what it uses' });
    await page.getByRole('button', { name: 'Prepare export' }).click();
    const contents = page.getByRole('list', { name: 'Package contents' });
    await contents.waitFor();
    const fragments = contents
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: /^Fragments/ }) });
    await fragments.getByText('order-content').waitFor();
    for (const heading of [
      'Journeys',
      'Events',
      'Custom actions',
      'Business rules',
      'Channel configurations',
      'Audiences',
    ]) {
      await contents.getByRole('heading', { name: new RegExp(`^${heading} \\(\\d+\\)`) }).waitFor();
    }
    const closure = await server.api('GET', '/v1/packages/export?journey=purchase-journey');
    assert.equal(await contents.locator('ul > li').count(), closure.objects.length);
    await browser.shot('packages-export');
    await page.getByRole('button', { name: 'Copy to import' }).click();
    exported = await page.evaluate(
      () => document.querySelector('.cm-content[aria-label="Package (JSON)"]')?.textContent ?? '',
    );
    assert.match(exported, /purchase-journey/);
    assert.deepEqual(errors, []);
  });

  test('into an empty sandbox: the plan, the import, "Allow it" for the LoyaltyService host, secrets to set', async () => {
    const { page } = browser;
    const pkg = await server.api('GET', '/v1/packages/export?journey=purchase-journey');
    // Sandboxes exist once created: made through the API, then chosen in the switcher (GET /v1/me, read again on reload).
    assert.equal(
      (await server.api('POST', '/v1/sandboxes', { name: 'staging', type: 'development' })).name,
      'staging',
    );
    await page.reload();
    await page.getByLabel('Sandbox').selectOption('staging');
    await page.goto(`${server.url}/packages`);
    await pasteInto(page, page.getByLabel('Package (JSON)'), JSON.stringify(pkg, null, 2));
    await page.getByRole('button', { name: 'Check' }).click();
    const plan = page.getByRole('table', { name: 'Plan' });
    await plan.waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `${pkg.objects.length} objects: ${pkg.objects.length} new` })
      .waitFor();
    const hosts = page.getByRole('region', { name: 'Hosts not allowed' });
    await hosts
      .getByText(/LoyaltyService calls 127\.0\.0\.1:\d+, which this sandbox does not allow\./)
      .waitFor();
    await browser.shot('packages-plan');
    await page.getByRole('button', { name: 'Import' }).click();
    const result = page.getByRole('region', { name: 'Import result' });
    await result.waitFor();
    await result
      .getByRole('table', { name: 'Imported objects' })
      .getByRole('row', { name: /Purchase Journey/ })
      .waitFor();
    const warning = result
      .getByRole('region', { name: 'Hosts not allowed' })
      .getByRole('listitem')
      .filter({ hasText: 'LoyaltyService' })
      .first();
    await warning.getByText(/which this sandbox does not allow/).waitFor();
    const secrets = result.getByRole('region', { name: 'Needs a secret' });
    const applied = await inSandbox('staging', 'GET', '/v1/allowed-hosts');
    assert.ok(applied, "the sandbox's allowed hosts answer");
    await result.evaluate((e) => e.scrollIntoView());
    await browser.shot('packages-result');
    await warning.getByRole('button', { name: 'Allow it' }).click();
    await warning.getByRole('status').filter({ hasText: 'Allowed' }).waitFor();
    const allowed = await inSandbox('staging', 'GET', '/v1/allowed-hosts');
    assert.match(JSON.stringify(allowed.sandbox), /127\.0\.0\.1:\d+/);
    // Each secret links to its object's form.
    if (await secrets.count()) {
      const link = secrets.getByRole('link', { name: 'Set it in the form' }).first();
      assert.match((await link.getAttribute('href')) ?? '', /^\/objects\//);
    }
    const staged = await inSandbox('staging', 'GET', '/v1/journeys/purchase-journey');
    assert.equal(staged.name, 'Purchase Journey');
    const fragment = await inSandbox('staging', 'GET', '/v1/fragments/order-content');
    assert.equal(fragment.key, 'order-content');
  });

  test('again after the sandbox changed three objects: a copy, the existing one, a replacement', async () => {
    const { page } = browser;
    const change = async (route: string, key: string) => {
      const o = await inSandbox('staging', 'GET', `/v1/${route}/${encodeURIComponent(key)}`);
      const r = await inSandbox('staging', 'PUT', `/v1/${route}/${encodeURIComponent(key)}`, {
        ...o.spec,
        description: 'changed in staging',
      });
      assert.equal(r.status, 'updated', JSON.stringify(r));
    };
    await change('fragments', 'order-content');
    await change('rule-sets', RULES);
    await change('event-types', 'LumaPurchaseEvent_Email');
    await page.getByRole('button', { name: 'Check' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '3 already here with other content' })
      .waitFor();
    assert.equal(await page.getByLabel('Conflict order-content').inputValue(), 'use-existing');
    await page.getByLabel('Conflict order-content').selectOption('copy');
    await page
      .getByLabel('Conflict order-content')
      .locator('option', { hasText: 'Create a copy (order-content-copy)' })
      .waitFor({ state: 'attached' });
    await page.getByLabel(`Conflict ${RULES}`).selectOption('use-existing');
    await page.getByLabel('Conflict LumaPurchaseEvent_Email').selectOption('replace');
    await page
      .getByRole('table', { name: 'Plan' })
      .getByText('(now uses the copies)')
      .first()
      .waitFor();
    await browser.shot('packages-conflicts');
    await page.getByRole('button', { name: 'Import' }).click();
    const rows = page.getByRole('table', { name: 'Imported objects' });
    await rows.getByRole('row', { name: /order-content.*Copied as order-content-copy/ }).waitFor();
    await rows.getByRole('row', { name: new RegExp(`${RULES}.*Kept the existing one`) }).waitFor();
    await rows.getByRole('row', { name: /LumaPurchaseEvent_Email.*Replaced/ }).waitFor();
    await browser.shot('packages-conflicts-result');
    assert.equal(
      (await inSandbox('staging', 'GET', '/v1/fragments/order-content')).spec.description,
      'changed in staging',
    );
    assert.equal(
      (await inSandbox('staging', 'GET', '/v1/fragments/order-content-copy')).key,
      'order-content-copy',
    );
    assert.equal(
      (await inSandbox('staging', 'GET', `/v1/rule-sets/${encodeURIComponent(RULES)}`)).spec
        .description,
      'changed in staging',
    );
    assert.notEqual(
      (await inSandbox('staging', 'GET', '/v1/event-types/LumaPurchaseEvent_Email')).spec
        .description,
      'changed in staging',
    );
    assert.deepEqual(errors, []);
  });
});
