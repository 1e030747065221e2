// The suppression list in the browser, on `waymark serve --demo` signed in with the admin key:
// entries from a bounce, a complaint and a manual addition listed with reason, source and date;
// a search narrows the list; an address added through the dialog (a bad one refused with the
// reason); one removed after confirming. Screenshots at 1440 and 1024 px in test/ui/artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from './support/browser.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

describe('suppression list page', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440 }));
  });
  after(async () => {
    if (errors.length) console.log('page errors:', errors);
    await closeConsole({ server, browser }, 'suppressions-last');
  });

  test('list with reasons, search, add through the dialog, remove', async () => {
    const { page } = browser;
    for (const [address, reason, detail] of [
      ['jean.dupont@luma.example', 'hard_bounce', '550 5.1.1 The email account does not exist'],
      ['kate.moss@luma.example', 'complaint', 'spam report'],
      ['+14155550123', 'manual', 'asked by phone'],
    ] as const)
      await server.api('POST', '/v1/suppressions', {
        address,
        reason,
        detail,
        channel: address.startsWith('+') ? 'sms' : 'email',
      });

    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Suppression list' })
      .click();
    await page.getByRole('heading', { name: 'Suppression list', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Suppression list · Waymark');
    const table = page.getByRole('table', { name: 'Suppressed addresses' });
    const bounced = table.getByRole('row').filter({ hasText: 'jean.dupont@luma.example' });
    await bounced.getByText('Hard bounce').waitFor();
    await bounced.getByText('550 5.1.1 The email account does not exist').waitFor();
    await table.getByRole('row').filter({ hasText: 'kate.moss' }).getByText('Complaint').waitFor();
    await table.getByRole('row').filter({ hasText: '+14155550123' }).getByText('SMS').waitFor();
    await browser.shotWide('suppressions', true);

    await page.getByRole('searchbox', { name: 'Search addresses' }).fill('DUPONT');
    await page.getByText('1 address', { exact: true }).waitFor();
    assert.equal(await table.getByRole('row').filter({ hasText: 'kate.moss' }).count(), 0);
    await page.getByRole('searchbox', { name: 'Search addresses' }).fill('');
    await page.getByText('3 addresses').waitFor();

    await page.getByRole('button', { name: 'Suppress an address' }).click();
    const form = page.getByRole('form', { name: 'Suppress an address' });
    await form.getByLabel('Email address').fill('not an address');
    await form.getByRole('button', { name: 'Suppress' }).click();
    await form
      .getByRole('alert')
      .getByText(/address/)
      .waitFor();
    await form.getByLabel('Email address').fill('Tom.Baker@Luma.example');
    await form.getByLabel('Note (optional)').fill('left the company');
    await browser.shotWide('suppressions-add', true);
    await form.getByRole('button', { name: 'Suppress' }).click();
    const added = table.getByRole('row').filter({ hasText: 'tom.baker@luma.example' });
    await added.getByText('Manual').waitFor();
    await added.getByText('left the company').waitFor();

    await bounced.getByRole('button', { name: 'Remove' }).click();
    await page
      .locator('dialog[open]')
      .getByRole('button', { name: 'Remove from the list' })
      .click();
    await page.getByText('3 addresses').waitFor();
    assert.equal(await table.getByRole('row').filter({ hasText: 'jean.dupont' }).count(), 0);
    const left = await server.api('GET', '/v1/suppressions');
    assert.deepEqual(left.items.map((i: { address: string }) => i.address).sort(), [
      '+14155550123',
      'kate.moss@luma.example',
      'tom.baker@luma.example',
    ]);
  });
});
