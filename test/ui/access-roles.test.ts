// Signing in as each demo role (`waymark serve --demo` creates one person per built-in role): the
// console offers exactly what the role may do. The menu lists only permitted pages; the journey
// list's Create journey and the object pages' Create/Save/Delete follow the role's manage and delete
// permissions; a viewer reads forms it may not change and is told which permission would change
// them; a data-ingest account is welcomed with a clear message instead of a wall of refusals. The
// server is the guard (test/security); this is what people see.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { enterConsole, openBrowser } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { demoUsers } from './support/demo-users.ts';
import type { DemoUser } from './support/demo-users.ts';
import { startWaymark } from './support/server.ts';
import type { Running } from './support/server.ts';

const ACCESS = ['Users', 'Roles', 'API keys', 'Sandboxes', 'Audit log'];
const FOOTER = 'Luma - Footer Fragment';

/** What each built-in role must and must not find in the menu, and whether it may create journeys. */
const EXPECTED: Record<string, { sees: string[]; hidden: string[]; createJourney: boolean }> = {
  admin: {
    sees: [
      'Journeys',
      'Reports',
      'Audiences',
      'Profiles',
      'Fragments',
      'Packages',
      'Development inbox',
      'Dead letters',
      'Suppression list',
      'System status',
      ...ACCESS,
    ],
    hidden: [],
    createJourney: true,
  },
  'journey-manager': {
    sees: ['Journeys', 'Reports', 'Profiles', 'Custom actions', 'Packages', 'Development inbox'],
    hidden: ACCESS,
    createJourney: true,
  },
  'content-manager': {
    sees: [
      'Journeys',
      'Content templates',
      'Fragments',
      'Assets',
      'Translation projects',
      'Profiles',
      'Development inbox',
    ],
    hidden: ['Packages', ...ACCESS],
    createJourney: false,
  },
  'audience-manager': {
    sees: ['Journeys', 'Audiences', 'Profiles'],
    hidden: ['Development inbox', 'Packages', ...ACCESS],
    createJourney: false,
  },
  viewer: {
    sees: [
      'Journeys',
      'Reports',
      'Audiences',
      'Content templates',
      'Fragments',
      'Events',
      'Business rules',
      'System status',
    ],
    hidden: [
      'Profiles',
      'Development inbox',
      'Dead letters',
      'Suppression list',
      'Packages',
      ...ACCESS,
    ],
    createJourney: false,
  },
  'data-ingest': {
    sees: ['System status'],
    hidden: [
      'Journeys',
      'Reports',
      'Audiences',
      'Profiles',
      'Fragments',
      'Events',
      'Packages',
      ...ACCESS,
    ],
    createJourney: false,
  },
};

let server: Running;
let browser: Browser;
let loading: Promise<Map<string, DemoUser>> | undefined;
/** The demo's people, read (or created) once, when a test first needs them. */
const demo = async (role: string): Promise<DemoUser> =>
  (await (loading ??= demoUsers(server))).get(role)!;
let footerKey: string;
const errors: string[] = [];

before(async () => {
  // Chromium starts while the server does.
  const opening = openBrowser();
  opening.catch(() => undefined);
  server = await startWaymark().catch(async (err: unknown) => {
    await (await opening.catch(() => undefined))?.close();
    throw err;
  });
  browser = await opening;
  browser.page.on('pageerror', (e) => errors.push(e.message));
  const fragments = (await server.api('GET', '/v1/fragments')) as {
    items: Array<{ key: string; spec: { name?: string } }>;
  };
  footerKey = fragments.items.find((f) => f.spec.name === FOOTER)!.key;
});
after(async () => {
  await browser?.shot('access-roles-last').catch(() => undefined);
  await browser?.close();
  await server?.close();
});

const menu = (page: Page) => page.getByRole('navigation', { name: 'Main menu' });

/** The menu's entries once GET /v1/me has answered. */
async function menuEntries(page: Page): Promise<string[]> {
  await page.locator('nav[aria-label="Main menu"][aria-busy="false"]').waitFor();
  await menu(page).getByRole('link').first().waitFor();
  return (await menu(page).getByRole('link').allInnerTexts()).map((t) => t.trim());
}

async function signInAs(page: Page, user: DemoUser): Promise<void> {
  await page.goto(server.url);
  const email = page.getByLabel('Email');
  const back = page.getByRole('button', { name: 'Use email and password instead' });
  await email.or(back).first().waitFor();
  if (!(await email.isVisible())) await back.click();
  await email.fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterConsole(page, 'prod');
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page
    .getByRole('group', { name: 'Account' })
    .getByRole('button', { name: 'Sign out', exact: true })
    .click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
}

async function openFooter(page: Page): Promise<void> {
  await page.goto(`${server.url}/objects/fragments/${encodeURIComponent(footerKey)}`);
  await page.getByRole('heading', { name: FOOTER, level: 2 }).waitFor();
}

test('the sign-in page: email and password, an API key on request, and a forgotten password answered the same for everyone', async () => {
  const { page } = browser;
  await page.goto(server.url);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.waitFor();
  await page.getByLabel('Email').waitFor();
  await page.getByLabel('Password').waitFor();
  assert.equal(
    await page.getByLabel('Sandbox').count(),
    0,
    'the sandbox is not typed before signing in',
  );
  await browser.shotWide('access-sign-in', true);

  // A wrong password: one message, the form stays.
  await page.getByLabel('Email').fill('someone@luma.example');
  await page.getByLabel('Password').fill('not the right password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await form.getByRole('alert').waitFor();

  // Forgot password: the same answer whether the account exists or not.
  for (const email of ['someone@luma.example', 'nobody-here@example.com']) {
    await page.getByRole('button', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const said = page.getByRole('status').filter({ hasText: /If an account exists for/ });
    await said.waitFor();
    assert.match(await said.innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
    await page.getByRole('button', { name: 'Back to sign-in' }).click();
  }

  // The key path is one click away, and back.
  await page.getByRole('button', { name: 'Use an API key instead' }).click();
  await page.getByLabel('API key').waitFor();
  await page.getByRole('button', { name: 'Use email and password instead' }).click();
  await page.getByLabel('Email').waitFor();
});

test('a reset or invitation link: the password rule shown, a short password refused before sending, a bad link explained', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/reset-password?token=not-a-real-token`);
  const form = page.getByRole('form', { name: 'Set a new password' });
  await form.waitFor();
  assert.match(
    await page.getByRole('list', { name: 'Password rules' }).innerText(),
    /At least 12 characters/,
  );
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the password').fill('short');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  assert.match(await form.getByRole('alert').innerText(), /at least 12 characters/);
  await page.getByLabel('New password', { exact: true }).fill('a long enough password');
  await page.getByLabel('Repeat the password').fill('a long enough password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await form
    .getByRole('alert')
    .filter({ hasText: /expired|used|not valid|invalid/i })
    .waitFor();
  await browser.shotWide('access-reset-password');

  await page.goto(`${server.url}/accept-invitation`);
  await page
    .getByRole('form', { name: 'Welcome to Waymark' })
    .getByRole('alert')
    .filter({ hasText: /link is incomplete/ })
    .waitFor();
  await page.getByRole('button', { name: 'Go to sign-in' }).click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
});

describe('each demo role sees its own console', () => {
  for (const role of Object.keys(EXPECTED)) {
    test(`${role}: the menu and the main buttons match the role`, async () => {
      const { page } = browser;
      const user = await demo(role);
      const expected = EXPECTED[role]!;
      await signInAs(page, user);
      const entries = await menuEntries(page);
      for (const e of expected.sees)
        assert.ok(
          entries.includes(e),
          `${role} sees "${e}" in the menu (menu: ${entries.join(', ')})`,
        );
      for (const e of expected.hidden)
        assert.ok(
          !entries.includes(e),
          `${role} does not see "${e}" in the menu (menu: ${entries.join(', ')})`,
        );

      // Who is signed in, with the role's name, top right.
      await page.getByRole('button', { name: /^Account:/ }).click();
      const account = page.getByRole('group', { name: 'Account' });
      await account.getByTestId('roles').waitFor();
      assert.match(await account.innerText(), new RegExp(user.email.replace(/[.]/g, '\\.'), 'i'));
      if (role === 'viewer') await browser.shotWide('access-account-menu');
      await page.keyboard.press('Escape');

      // The sandbox switcher lists what the person may enter; only an admin may manage sandboxes.
      const options = await page.getByLabel('Sandbox').locator('option').allInnerTexts();
      assert.equal(
        await page
          .getByLabel('Sandbox')
          .locator('optgroup[label="Production"] option[value="prod"]')
          .count(),
        1,
        `the production sandbox is offered under its type: ${options.join(' | ')}`,
      );
      await page.locator('.topbar .badge.sandbox-type').filter({ hasText: 'Production' }).waitFor();
      assert.equal(
        options.some((o) => o === 'Manage sandboxes…'),
        role === 'admin',
        `Manage sandboxes… only for an admin: ${options.join(' | ')}`,
      );
      assert.ok(!options.some((o) => /Other sandbox/.test(o)), 'no sandbox is typed by name');

      if (role !== 'data-ingest') {
        await page.goto(`${server.url}/journeys`);
        await page
          .getByRole('table', { name: 'Journeys' })
          .getByRole('link', { name: 'Purchase Journey' })
          .first()
          .waitFor();
        await page.locator('nav[aria-label="Main menu"][aria-busy="false"]').waitFor();
        assert.equal(
          await page.getByRole('button', { name: 'Create journey' }).count(),
          expected.createJourney ? 1 : 0,
          `Create journey ${expected.createJourney ? 'offered' : 'not offered'} to ${role}`,
        );
        assert.equal(
          (await page.getByRole('button', { name: 'Duplicate' }).count()) > 0,
          expected.createJourney,
          `Duplicate follows journeys.manage for ${role}`,
        );
      }

      if (role === 'admin') {
        await browser.shotWide('access-menu-admin', true);
      }
      if (role === 'content-manager') {
        await page.goto(`${server.url}/objects/fragments`);
        await page.getByRole('button', { name: 'Create fragment' }).waitFor();
        await openFooter(page);
        await page.getByRole('button', { name: 'Save' }).waitFor();
        await page.getByRole('button', { name: 'Delete' }).waitFor();
        assert.equal(
          await page.getByRole('note').count(),
          0,
          'no read-only note for a content manager',
        );
      }
      if (role === 'journey-manager') {
        // Content is read, not changed, by a journey manager.
        await openFooter(page);
        await page.getByRole('note').filter({ hasText: 'content.manage' }).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Delete' }).count(), 0);
      }
      if (role === 'audience-manager') {
        await page.goto(`${server.url}/objects/audiences`);
        await page.getByRole('button', { name: 'Create audience' }).waitFor();
        await page.goto(`${server.url}/objects/fragments`);
        await page.getByRole('heading', { name: 'Fragments', level: 1 }).waitFor();
        await page.getByRole('list', { name: 'Fragments' }).getByRole('link').first().waitFor();
        assert.equal(await page.getByRole('button', { name: 'Create fragment' }).count(), 0);
      }
      if (role === 'viewer') {
        await page.goto(`${server.url}/objects/fragments`);
        await page.getByRole('list', { name: 'Fragments' }).getByRole('link').first().waitFor();
        assert.equal(
          await page.getByRole('button', { name: 'Create fragment' }).count(),
          0,
          'a viewer creates nothing',
        );
        await openFooter(page);
        const note = page.getByRole('note');
        await note.waitFor();
        assert.match(
          await note.innerText(),
          /You can view this fragment; changing it needs the permission content\.manage/,
        );
        for (const b of ['Save', 'Delete', 'Archive'])
          assert.equal(
            await page.getByRole('button', { name: b, exact: true }).count(),
            0,
            `no ${b} for a viewer`,
          );
        const field = page
          .locator('.tab-panel input, .tab-panel select, .tab-panel textarea')
          .first();
        if (await field.count())
          assert.equal(await field.isDisabled(), true, 'the form is read-only');
        // A page the viewer may not open says why, and where to go instead.
        await page.goto(`${server.url}/profiles`);
        const refusal = page.getByRole('region', { name: 'No access' });
        await refusal.waitFor();
        assert.match(await refusal.innerText(), /profiles\.read/);
        await openFooter(page);
        await browser.shotWide('access-menu-viewer', true);
      }
      if (role === 'data-ingest') {
        const welcome = page.getByRole('region', { name: 'Welcome' });
        await welcome.waitFor();
        assert.match(await welcome.innerText(), /Data ingest/);
        assert.match(await welcome.innerText(), /journeys\.view/);
        await browser.shotWide('access-data-ingest');
      }
      await signOut(page);
    });
  }
});

test("sign out everywhere ends the person's other sessions too, after a confirmation", async () => {
  const { page } = browser;
  const viewer = await demo('viewer');
  // Another browser session of the same person.
  const other = await fetch(`${server.apiUrl}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: viewer.email, password: viewer.password }),
  });
  assert.equal(other.status, 200);
  const cookie = other.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  assert.equal((await fetch(`${server.apiUrl}/v1/me`, { headers: { cookie } })).status, 200);

  await signInAs(page, viewer);
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page.getByRole('button', { name: 'Sign out everywhere…' }).click();
  const ask = page.getByRole('dialog', { name: 'Sign out everywhere?' });
  await ask.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
  assert.equal(
    (await fetch(`${server.apiUrl}/v1/me`, { headers: { cookie } })).status,
    401,
    'the other session ended too',
  );
});

test('with several sandboxes, the person picks one after signing in; the switcher shows its type', async () => {
  const { page } = browser;
  const created = await server.api('POST', '/v1/sandboxes', {
    name: 'staging',
    title: 'Staging',
    type: 'development',
  });
  assert.equal(created?.name, 'staging', JSON.stringify(created));
  const admin = await demo('admin');
  await page.goto(server.url);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const choose = page.getByRole('form', { name: 'Choose a sandbox' });
  await choose.waitFor();
  const text = await choose.innerText();
  assert.match(text, /Staging/);
  assert.match(text, /Development/);
  assert.match(text, /Production/);
  await browser.shotWide('access-choose-sandbox');
  await choose.getByRole('radio', { name: /Staging/ }).check();
  await choose.getByRole('button', { name: 'Continue' }).click();
  await menu(page).waitFor();
  assert.equal(await page.getByLabel('Sandbox').inputValue(), 'staging');
  await page.locator('.topbar .badge.sandbox-type').filter({ hasText: 'Development' }).waitFor();
  // Back to production from the switcher: the badge follows.
  await page.getByLabel('Sandbox').selectOption('prod');
  await page.locator('.topbar .badge.sandbox-type').filter({ hasText: 'Production' }).waitFor();
  await signOut(page);
});

test('no uncaught errors in the page', () => {
  assert.deepEqual(errors, []);
});
