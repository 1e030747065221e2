// The administration pages in the browser, on `waymark serve --demo` signed in with the admin key:
// an API key created and shown once, then revoked (and refused at once); a user invited with two
// roles; a custom role from grouped permissions with an access label; a sandbox created (its name
// checked as typed) with approvals turned on and a host allowed in its settings; the audit log
// showing those changes with their actors, filtered by actor and opened to an entry's changes.
// Screenshots at 1440 and 1024 px in test/ui/artifacts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from './support/browser.ts';
import type { Running } from './support/server.ts';
import { openConsole, closeConsole } from './support/console.ts';

describe('administration pages', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440 }));
  });
  after(async () => {
    if (errors.length) console.log('page errors:', errors);
    await closeConsole({ server, browser }, 'admin-last');
  });

  const menu = () => browser.page.getByRole('navigation', { name: 'Main menu' });
  const dialog = () => browser.page.locator('dialog[open]');

  test('API keys: create a viewer key, see it once with Copy; rotate it (shown once, the old one overlapping); revoke the new one: refused at once', async () => {
    const { page } = browser;
    await menu().getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    assert.equal(await page.title(), 'API keys · Waymark');
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('Agency reporting');
    await form.getByLabel('Role').selectOption({ label: 'Viewer' });
    await form.getByText('Reads journeys, reports and objects').waitFor();
    await browser.shotWide('admin-api-key-create', true);
    await form.getByRole('button', { name: 'Create key' }).click();

    const once = page.getByRole('region', { name: 'API key' });
    await once.waitFor();
    const key = await once.getByRole('textbox', { name: 'API key' }).inputValue();
    assert.match(key, /^wmk_/);
    await once.getByText('you will not see it again').waitFor();
    await once.getByRole('button', { name: 'Copy' }).waitFor();
    await browser.shotWide('admin-api-key-shown-once', true);
    await dialog().getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByText(key).count(), 0, 'the key is never shown again');

    const row = page.getByRole('row').filter({ hasText: key.slice(0, 8) });
    await row.getByText('Active').waitFor();
    await row.getByText('Viewer').waitFor();
    await row.getByText('Agency reporting').waitFor();
    const before = await fetch(`${server.apiUrl}/v1/journeys`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(before.status, 200, 'the new key works');
    await browser.shotWide('admin-api-keys', true);

    // Rotate: the successor is shown once; the old key keeps working for the overlap chosen.
    await row.getByRole('button', { name: 'Rotate' }).click();
    await dialog().getByRole('button', { name: '1 hour' }).click();
    const next = await page
      .getByRole('region', { name: 'API key' })
      .getByRole('textbox', { name: 'API key' })
      .inputValue();
    assert.match(next, /^wmk_/);
    assert.notEqual(next, key);
    await browser.shotWide('admin-api-key-rotated', true);
    await dialog().getByRole('button', { name: 'Done' }).click();
    await row.getByText('Rotating').waitFor();
    const successor = page.getByRole('row').filter({ hasText: next.slice(0, 8) });
    await successor.getByText('Active').waitFor();
    assert.equal(
      (await fetch(`${server.apiUrl}/v1/journeys`, { headers: { authorization: `Bearer ${key}` } }))
        .status,
      200,
      'the old key works during the overlap',
    );

    // Revoke the successor: refused at once.
    await successor.getByRole('button', { name: 'Revoke' }).click();
    await dialog().getByRole('button', { name: 'Revoke key' }).click();
    await successor.waitFor({ state: 'detached' });
    await page.getByLabel(/Show revoked keys/).check();
    await page
      .getByRole('row')
      .filter({ hasText: next.slice(0, 8) })
      .getByText('Revoked')
      .waitFor();
    const afterRevoke = await fetch(`${server.apiUrl}/v1/journeys`, {
      headers: { authorization: `Bearer ${next}` },
    });
    assert.equal(afterRevoke.status, 401, 'a revoked key is refused at once');
  });

  test('Users: invite someone as content manager in prod and viewer everywhere, withdraw it by deleting; disable and enable someone active', async () => {
    const { page } = browser;
    await menu().getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const form = page.getByRole('form', { name: 'Invite a user' });
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByText('Not an email address').waitFor();
    await form.getByLabel('Email').fill('dana@example.com');
    await form.getByLabel('Name (optional)').fill('Dana Reyes');
    await form.getByLabel('Role 1', { exact: true }).selectOption({ label: 'Content manager' });
    await form.getByRole('button', { name: '+ Add a role' }).click();
    await form.getByLabel('Role 2', { exact: true }).selectOption({ label: 'Viewer' });
    await form
      .getByRole('group', { name: 'Roles' })
      .locator('.assignment')
      .nth(1)
      .getByLabel('All sandboxes, present and future')
      .check();
    await browser.shotWide('admin-user-invite', true);
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('heading', { name: 'Invitation sent' }).waitFor();
    const link = page.getByRole('region', { name: 'Invitation link' });
    if (await link.isVisible())
      assert.match(await link.getByRole('textbox').inputValue(), /^https?:\/\//);
    await browser.shotWide('admin-user-invited', true);
    await dialog().getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row').filter({ hasText: 'dana@example.com' });
    await row.getByText('Invited').waitFor();
    await row.getByText('Content manager').waitFor();
    await row.getByText('All sandboxes').waitFor();
    await browser.shotWide('admin-users', true);
    await row.getByRole('link', { name: 'Dana Reyes' }).click();
    await page.getByRole('heading', { name: 'Dana Reyes', level: 1 }).waitFor();
    await browser.shotWide('admin-user-detail', true);
    await page.getByText('The invitation is pending').waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Disable' }).count(),
      0,
      'an invitation is withdrawn by deleting, not disabled',
    );
    await page.getByRole('button', { name: 'Delete user' }).click();
    await dialog().getByRole('button', { name: 'Delete user' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page
      .getByRole('table', { name: 'Users' })
      .getByText('No user yet')
      .or(page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1))
      .first()
      .waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'dana@example.com' }).count(), 0);

    // Someone active (a demo user): disabled, then enabled again.
    const active = page
      .getByRole('table', { name: 'Users' })
      .getByRole('row')
      .filter({ hasText: 'Active' })
      .first();
    if ((await active.count()) === 0) return;
    await active.getByRole('link').first().click();
    await page.getByRole('button', { name: 'Disable' }).click();
    await dialog().getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Disabled: signed out and cannot sign in.').waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('Enabled: they can sign in again.').waitFor();
  });

  test('Roles: a custom role from grouped permissions with an access label; built-in roles read only', async () => {
    const { page } = browser;
    await menu().getByRole('link', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Roles', level: 1 }).waitFor();
    await page
      .getByRole('table', { name: 'Built-in roles' })
      .getByRole('link', { name: 'Journey manager' })
      .waitFor();
    await browser.shotWide('admin-roles', true);

    await page.getByRole('button', { name: 'New role' }).click();
    await page.getByRole('heading', { name: 'New role', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Role' });
    await form.getByLabel('Name').fill('Agency Viewer');
    await form.getByText('Lowercase letters, digits and "-"').waitFor();
    await form.getByLabel('Name').fill('agency-viewer');
    await form.getByLabel('Title').fill('Agency viewer');
    await form
      .getByLabel('Description')
      .fill('Reads journeys and content of the finance campaigns.');
    const journeys = form.getByRole('group', { name: /^Journeys/ });
    await journeys.getByLabel(/^View/).check();
    const content = form.getByRole('group', { name: /^Content/ });
    await content.getByLabel(/^View/).check();
    await journeys.getByText('1 of 4').waitFor();
    await form.getByLabel('Every label').uncheck();
    await form.getByLabel('Add a label').fill('finance');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await form.getByText('finance').first().waitFor();
    await browser.shotWide('admin-role-new', true);
    await form.getByRole('button', { name: 'Create role' }).click();
    await page.waitForURL(/\/admin\/roles\/agency-viewer$/);
    await page.getByRole('heading', { name: 'Agency viewer', level: 1 }).waitFor();
    assert.equal(
      await form
        .getByRole('group', { name: /^Journeys/ })
        .getByLabel(/^View/)
        .isChecked(),
      true,
    );

    await page.getByRole('link', { name: 'Roles' }).first().click();
    const row = page
      .getByRole('table', { name: 'Custom roles' })
      .getByRole('row')
      .filter({ hasText: 'Agency viewer' });
    await row.locator('.label-chip', { hasText: 'finance' }).waitFor();
    await page
      .getByRole('table', { name: 'Built-in roles' })
      .getByRole('link', { name: 'Content manager' })
      .click();
    await page.getByText('Built-in: read only').waitFor();
    await page
      .getByRole('group', { name: /^Journeys/ })
      .getByLabel('Publish: not granted')
      .waitFor();
    await page
      .getByRole('group', { name: /^Content/ })
      .getByLabel('Create and edit: granted')
      .waitFor();
    assert.equal(await page.getByRole('checkbox').count(), 0, 'nothing to tick on a built-in role');
    await browser.shotWide('admin-role-built-in', true);
  });

  test('Sandboxes: create one with its name checked as typed, turn on approvals, allow a host; prod cannot be deleted; a development one is deleted after its name is typed', async () => {
    const { page } = browser;
    await menu().getByRole('link', { name: 'Sandboxes' }).click();
    await page.getByRole('heading', { name: 'Sandboxes', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create sandbox' }).click();
    const form = page.getByRole('form', { name: 'Create a sandbox' });
    await form.getByLabel('Name').fill('Dev EMEA');
    await form.getByText('Starts with a lowercase letter').waitFor();
    assert.equal(await form.getByRole('button', { name: 'Create sandbox' }).isDisabled(), true);
    await form.getByLabel('Name').fill('prod');
    await form.getByText('A sandbox has this name already').waitFor();
    await form.getByLabel('Name').fill('dev-emea');
    await form.getByLabel('Title (optional)').fill('Development EMEA');
    await browser.shotWide('admin-sandbox-create', true);
    await form.getByRole('button', { name: 'Create sandbox' }).click();

    await page.waitForURL(/\/admin\/sandboxes\/dev-emea$/);
    await page.getByRole('heading', { name: /Development EMEA/, level: 1 }).waitFor();
    const settings = page.getByRole('form', { name: 'Settings' });
    await settings.getByLabel(/Journey publishing needs approval/).check();
    await settings.getByLabel(/Keep experience events/).fill('90');
    await settings.getByLabel(/Keep the delivery log/).fill('0');
    await settings.getByText('A whole number of days from 1 to 3650 (empty: kept)').waitFor();
    assert.equal(
      await settings.getByRole('button', { name: 'Save settings' }).isDisabled(),
      true,
      'no save with a bad retention period',
    );
    await settings.getByLabel(/Keep the delivery log/).fill('180');
    await settings.getByLabel(/Keep dead letters/).fill('30');
    // This server has no model: the switch says so instead of showing itself on.
    const modelSwitch = settings.getByLabel(/The Assistant uses its model here/);
    assert.equal(await modelSwitch.isChecked(), false);
    assert.equal(await modelSwitch.isDisabled(), true);
    await settings.getByText(/No model is configured on this server/).waitFor();
    await browser.shotWide('admin-sandbox-retention', true);
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = await server.api('GET', '/v1/sandboxes/dev-emea');
    assert.deepEqual(saved.settings, {
      retentionDays: 90,
      retention: { messages: 180, deadLetters: 30, audit: null },
      approvals: {
        journeyPublish: true,
        journeyApprovers: { users: [], roles: [] },
        campaigns: [],
      },
      // The sandbox's own choice, kept for when a model is configured.
      assistant: { model: true, personalData: false },
    });

    const hosts = page.getByRole('region', { name: 'Allowed hosts' });
    await hosts.getByLabel('Host to allow').fill('api.example.com');
    await hosts.getByRole('button', { name: 'Allow host' }).click();
    await hosts.getByText('api.example.com', { exact: true }).waitFor();
    const listed = await fetch(`${server.apiUrl}/v1/allowed-hosts`, {
      headers: { authorization: `Bearer ${server.key}`, 'x-sandbox-name': 'dev-emea' },
    }).then((r) => r.json() as Promise<{ sandbox: string[] }>);
    assert.deepEqual(
      listed.sandbox,
      ['api.example.com'],
      "allowed in dev-emea, not in the console's sandbox",
    );
    await browser.shotWide('admin-sandbox-settings', true);

    await page.getByRole('link', { name: 'Sandboxes' }).first().click();
    await page
      .getByRole('row')
      .filter({ hasText: 'dev-emea' })
      .getByText('Journey publishing')
      .waitFor();
    await browser.shotWide('admin-sandboxes', true);
    await page.getByRole('row').filter({ hasText: 'prod' }).getByRole('link').first().click();
    const danger = page.getByRole('region', { name: 'Danger zone' });
    await danger.getByText('cannot be deleted').waitFor();
    assert.equal(await danger.getByRole('button', { name: 'Delete sandbox' }).isDisabled(), true);
    await browser.shotWide('admin-sandbox-prod', true);

    // Deleting a development sandbox takes its name typed.
    await server.api('POST', '/v1/sandboxes', { name: 'scratch', type: 'development' });
    await page.getByRole('link', { name: 'Sandboxes' }).first().click();
    await page.getByRole('row').filter({ hasText: 'scratch' }).getByRole('link').first().click();
    await page
      .getByRole('region', { name: 'Danger zone' })
      .getByRole('button', { name: 'Delete sandbox' })
      .click();
    await dialog().getByRole('button', { name: 'Continue' }).click();
    const typed = dialog().getByLabel('Type scratch to confirm');
    await typed.fill('scratc');
    assert.equal(await dialog().getByRole('button', { name: 'Delete sandbox' }).isDisabled(), true);
    await typed.fill('scratch');
    await browser.shotWide('admin-sandbox-delete-typed', true);
    await dialog().getByRole('button', { name: 'Delete sandbox' }).click();
    await page.waitForURL(/\/admin\/sandboxes$/);
    await page.getByRole('row').filter({ hasText: 'dev-emea' }).waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'scratch' }).count(), 0);
  });

  test('Audit log: the changes above with their actors, filtered by actor, an entry opened to its changes', async () => {
    const { page } = browser;
    await menu().getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByRole('row').filter({ hasText: 'Agency reporting' }).first().waitFor();
    const text = await table.innerText();
    for (const name of ['Agency reporting', 'dana@example.com', 'Agency viewer'])
      assert.ok(text.includes(name), `the log names ${name}:\n${text.slice(0, 1500)}`);
    await browser.shotWide('admin-audit-log', true);

    const actor = (await table.getByRole('row').nth(1).locator('td').nth(2).innerText())
      .split(' · ')[0]!
      .trim();
    await page.getByRole('form', { name: 'Filters' }).getByLabel('Actor').fill('nobody-at-all');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByText('No entry matches these filters.').waitFor();
    await page.getByRole('form', { name: 'Filters' }).getByLabel('Actor').fill(actor);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByRole('row').nth(1).locator('td').nth(2).getByText(actor).waitFor();
    const rows = table.locator('tbody tr:not(.audit-detail)');
    for (let i = 0; i < (await rows.count()); i++)
      assert.ok((await rows.nth(i).locator('td').nth(2).innerText()).includes(actor));

    // The sandbox's own entries: its settings changed, before → after.
    await page.getByRole('form', { name: 'Filters' }).getByLabel('Actor').fill('');
    await page
      .getByRole('form', { name: 'Filters' })
      .getByLabel('Sandbox')
      .selectOption('dev-emea');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const settings = table.getByRole('row').filter({ hasText: 'sandbox settings changed' }).first();
    await settings.getByRole('button', { name: /Show changes/ }).click();
    const changes = table.getByRole('table', { name: 'Changes' });
    await changes
      .getByRole('row')
      .filter({ hasText: 'approvals.journeyPublish' })
      .getByText('true')
      .waitFor();
    await changes.getByRole('row').filter({ hasText: 'retentionDays' }).getByText('90').waitFor();
    await browser.shotWide('admin-audit-log-open', true);
    assert.deepEqual(errors, []);
  });
});
