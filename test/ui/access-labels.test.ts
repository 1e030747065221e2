// Access labels in the console (AJO's "Manage access"), on `waymark serve --demo`: the administrator
// puts "finance" on a fragment with the label picker (a name typed wrong is explained with the rule;
// a new label is offered as "Create"), saves, and the label is stored and shown again after a reload;
// the content manager, whose role holds every label, still sees the fragment; a custom role
// "brand-content" holding only "brand", signed in with its API key, finds the fragment neither in the
// Fragments list nor in quick search, and cannot add "finance" anywhere. The journey properties
// panel carries the journey's labels, saved with the draft.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { enterConsole, signIn, signOut } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { saved } from './support/canvas.ts';
import { closeConsole, openConsole } from './support/console.ts';
import { demoUsers } from './support/demo-users.ts';
import type { Running } from './support/server.ts';
import type { Page } from 'playwright-core';
import { mayUse, refusal } from '../../ui/src/labels/label-rules.ts';

const FOOTER = 'Luma - Footer Fragment';
let server: Running;
let browser: Browser;
let footerKey = '';
const errors: string[] = [];

before(async () => {
  ({ server, browser } = await openConsole({ errors, width: 1440 }));
  const fragments = (await server.api('GET', '/v1/fragments')) as {
    items: Array<{ key: string; spec: { name?: string } }>;
  };
  footerKey = fragments.items.find((f) => f.spec.name === FOOTER)!.key;
});
after(() => closeConsole({ server, browser }, 'access-labels-last'));

test('the picker explains what it refuses: the name rule, a repeat, the 21st, a label the role does not hold (which is also locked)', () => {
  assert.match(refusal('Finance', [], '*')!, /Use lowercase: "finance"/);
  assert.match(
    refusal('-x', [], '*')!,
    /lowercase letters, digits and hyphens, starts with a letter or digit, and is at most 40 characters/,
  );
  assert.match(refusal('a'.repeat(41), [], '*')!, /at most 40 characters/);
  assert.match(refusal('brand', ['brand'], '*')!, /already on this object/);
  assert.match(
    refusal(
      'l20',
      Array.from({ length: 20 }, (_, i) => `l${i}`),
      '*',
    )!,
    /At most 20 labels/,
  );
  assert.match(
    refusal('finance', [], ['brand'])!,
    /Your role does not hold "finance", so you cannot add it/,
  );
  assert.equal(refusal('brand', [], ['brand']), null);
  assert.equal(refusal('anything-new', [], '*'), null);
  assert.equal(mayUse(['brand'], 'finance'), false, 'a label not held is locked: no remove button');
  assert.equal(mayUse('*', 'finance'), true);
});

const picker = (page: Page) => page.getByRole('group', { name: 'Access labels' });
const chips = async (page: Page) =>
  (
    await picker(page)
      .getByRole('list', { name: /^Labels on this/ })
      .getByRole('listitem')
      .allInnerTexts()
  ).map((t) => t.replace(/×|\(locked:.*\)/g, '').trim());

async function openFooter(page: Page): Promise<void> {
  await page.goto(`${server.url}/objects/fragments/${encodeURIComponent(footerKey)}`);
  await page.getByRole('heading', { name: FOOTER, level: 2 }).waitFor();
  await picker(page).waitFor();
}

test('the administrator puts "finance" on a fragment with the picker; saved, it is stored and shown again', async () => {
  const { page } = browser;
  await openFooter(page);
  const box = picker(page);
  assert.match(
    await box.innerText(),
    /Only people whose role holds every label on this fragment can see it\./,
  );
  const input = box.getByRole('combobox');
  await box.evaluate((el) => el.scrollIntoView({ block: 'center' }));

  // A name that breaks the rule is explained in words as it is typed, and Enter adds nothing.
  await input.fill('Finance team');
  await box.getByText(/lowercase letters, digits and hyphens/).waitFor();
  await input.press('Enter');
  assert.deepEqual(await chips(page), []);

  // A valid new name is offered as a new label.
  await input.fill('finance');
  await box.getByRole('option', { name: /Create "finance"/ }).waitFor();
  await browser.shotWide('access-labels-fragment-suggest', true);
  await input.press('Enter');
  assert.deepEqual(await chips(page), ['finance']);
  await box.getByRole('button', { name: 'Remove label finance' }).waitFor();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const stored = await server.api('GET', `/v1/fragments/${encodeURIComponent(footerKey)}`);
  assert.deepEqual(stored.spec.labels, ['finance'], 'the save carried the labels');

  // Round trip: a reload shows the stored label; the picker now suggests it as in use.
  await page.reload();
  await picker(page).waitFor();
  assert.deepEqual(await chips(page), ['finance']);
  await picker(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await browser.shotWide('access-labels-fragment', true);
  const labels = await server.api('GET', '/v1/labels');
  assert.deepEqual(
    labels.inUse.map((u: { label: string }) => u.label),
    ['finance'],
  );
  assert.deepEqual(errors, []);
});

test('the content manager, whose role holds every label, sees the labelled fragment', async () => {
  const { page } = browser;
  const content = (await demoUsers(server)).get('content-manager')!;
  await signOut(page);
  const form = page.getByRole('form', { name: 'Sign in' });
  const email = form.getByLabel('Email');
  const back = form.getByRole('button', { name: 'Use email and password instead' });
  await email.or(back).first().waitFor();
  if (!(await email.isVisible())) await back.click();
  await email.fill(content.email);
  await form.getByLabel('Password').fill(content.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterConsole(page, 'prod');
  await page.goto(`${server.url}/objects/fragments`);
  await page.getByRole('list', { name: 'Fragments' }).getByText(FOOTER).first().waitFor();
  await openFooter(page);
  assert.deepEqual(await chips(page), ['finance']);
  await picker(page).getByRole('button', { name: 'Remove label finance' }).waitFor();
});

test('a "brand-content" key holding only "brand" finds the fragment neither in the list nor in quick search, and cannot add "finance"', async () => {
  const { page } = browser;
  const role = await server.api('PUT', '/v1/roles/brand-content', {
    title: 'Brand content',
    description: 'Content of the brand team',
    permissions: [
      'content.view',
      'content.manage',
      'content.delete',
      'profiles.read',
      'messages.content',
      'journeys.view',
    ],
    labels: ['brand'],
  });
  assert.equal(role?.error, undefined, JSON.stringify(role));
  const created = await server.api('POST', '/v1/api-keys', {
    name: 'Brand content team',
    role: 'brand-content',
    sandboxes: ['prod'],
  });
  assert.equal(typeof created?.key, 'string', JSON.stringify(created));

  await signOut(page);
  await signIn(page, server.url, created.key as string);
  await page.goto(`${server.url}/objects/fragments`);
  const list = page.getByRole('list', { name: 'Fragments' });
  await list.getByRole('listitem').first().waitFor();
  assert.equal(await list.getByText(FOOTER).count(), 0, 'the finance fragment is not listed');

  // Quick search: the server answers the last query typed, and the footer is not among the hits.
  await page.keyboard.press('/');
  const answered = page.waitForResponse(
    (res) =>
      res.url().includes('/v1/search') && decodeURIComponent(res.url()).includes('Luma - Foot'),
  );
  await page.keyboard.type('Luma - Foot');
  const hits = (await (await answered).json()) as { items?: Array<{ name?: string }> };
  assert.equal(JSON.stringify(hits).includes(FOOTER), false, 'the search route does not answer it');
  await page.waitForTimeout(300);
  assert.equal(
    await page.getByRole('listbox', { name: 'Search results' }).getByText(FOOTER).count(),
    0,
    'quick search does not show it',
  );
  await page.keyboard.press('Escape');

  // On a fragment it may see, "finance" cannot be added: the picker says why.
  const other = (await list.getByRole('listitem').first().innerText()).split('\n')[0]!;
  await list.getByText(other, { exact: true }).first().click();
  await picker(page).waitFor();
  const input = picker(page).getByRole('combobox');
  await input.fill('finance');
  await picker(page)
    .getByText(/Your role does not hold "finance", so you cannot add it/)
    .waitFor();
  assert.equal(
    await picker(page)
      .getByRole('option', { name: /finance/ })
      .count(),
    0,
    'not offered',
  );
  await input.press('Enter');
  assert.deepEqual(await chips(page), []);
  await input.fill('brand');
  await input.press('Enter');
  assert.deepEqual(await chips(page), ['brand']);
  await picker(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await browser.shotWide('access-labels-brand-key', true);
});

test('the journey properties panel carries the journey labels, saved with the draft', async () => {
  const { page } = browser;
  await signOut(page);
  await signIn(page, server.url, server.key);
  const demo = await server.api('GET', '/v1/journeys/purchase-journey');
  const r = await server.api('POST', '/v1/journeys', {
    ...demo.latest.definition,
    id: 'labelled-journey',
    name: 'Labelled journey',
  });
  assert.equal(r?.error, undefined, JSON.stringify(r));
  await page.goto(`${server.url}/journeys/labelled-journey`);
  await page.getByRole('heading', { name: 'Journey properties' }).waitFor();
  const input = picker(page).getByRole('combobox');
  await input.click();
  // "finance" is in use (on the fragment): suggested with its count.
  await picker(page)
    .getByRole('option', { name: /finance\s*on 1 object/ })
    .click();
  assert.deepEqual(await chips(page), ['finance']);
  await input.fill('emea');
  await input.press('Enter');
  assert.deepEqual(await chips(page), ['finance', 'emea']);
  await saved(page);
  await page
    .getByTestId('save-state')
    .filter({ hasText: /^Saved$/ })
    .waitFor();
  const stored = await server.api('GET', '/v1/journeys/labelled-journey');
  assert.deepEqual(stored.latest.definition.labels, ['finance', 'emea']);
  await browser.shotWide('access-labels-journey', true);
  await page.reload();
  await page.getByRole('heading', { name: 'Journey properties' }).waitFor();
  await picker(page).getByRole('listitem').filter({ hasText: 'emea' }).waitFor();
  assert.deepEqual(await chips(page), ['finance', 'emea']);
  assert.deepEqual(errors, []);
});

test('a label the role does not hold shows locked: no remove button, and a tooltip saying why', async () => {
  const { page } = browser;
  // The role is narrowed in the answer of GET /v1/labels only (no real role can see an object whose
  // labels it lacks, but one whose role lost a label keeps the page open until it reloads).
  await page.route('**/v1/labels', (route) =>
    route.fulfill({
      json: {
        inUse: [{ label: 'finance', count: 2, kinds: { fragment: 1, journey: 1 } }],
        held: ['brand'],
      },
    }),
  );
  try {
    await openFooter(page);
    const chip = picker(page).getByRole('listitem').filter({ hasText: 'finance' });
    await chip.waitFor();
    assert.equal(await chip.getByRole('button').count(), 0, 'no remove button on a locked label');
    assert.equal(
      await chip.getAttribute('title'),
      'Your role does not hold "finance", so you cannot remove it.',
    );
    await picker(page).getByRole('combobox').focus();
    await page.keyboard.press('Backspace');
    assert.deepEqual(await chips(page), ['finance'], 'Backspace does not remove it either');
    await picker(page).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await browser.shotWide('access-labels-locked', true);
  } finally {
    await page.unroute('**/v1/labels');
  }
});
