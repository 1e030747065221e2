// Quick search, keyboard first, on `waymark serve --demo`: '/' from anywhere puts the cursor in it;
// the server searches (GET /v1/search) every kind the person may see and profiles by email; results
// show the name, the kind and the status; arrows move, Enter opens the page, Escape closes. Nothing
// is loaded in bulk: typing asks the search route only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from './support/browser.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

const TOM = 'tom.baker@luma.example';
const FOOTER = 'Luma - Footer Fragment';

let server: Running;
let browser: Browser;
const errors: string[] = [];
const asked: string[] = [];

before(async () => {
  ({ server, browser } = await openConsole({ errors, width: 1440 }));
  browser.page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/v1/')) asked.push(`${r.method()} ${u.pathname}${u.search}`);
  });
});
after(() => closeConsole({ server, browser }, 'quick-search-last'));

test("'/' from the page focuses the search; a profile is found by email and Enter opens it", async () => {
  const { page } = browser;
  await page.goto(`${server.url}/journeys`);
  await page.getByRole('table', { name: 'Journeys' }).waitFor();
  asked.length = 0;
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.keyboard.press('/');
  const search = page.getByLabel('Quick search');
  assert.equal(
    await search.evaluate((el) => el === document.activeElement),
    true,
    "'/' focuses the quick search",
  );
  await page.keyboard.type(TOM);
  const hit = page.getByRole('option').filter({ hasText: TOM });
  await hit.waitFor();
  assert.match(await hit.innerText(), /Profile/);
  assert.ok(
    asked.some((a) => a.startsWith('GET /v1/search?q=')),
    `the server searches: ${asked.join(', ')}`,
  );
  assert.ok(
    !asked.some((a) => /^GET \/v1\/(fragments|content-templates|audiences|event-types)$/.test(a)),
    `no list is loaded to search: ${asked.join(', ')}`,
  );
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/profiles/);
});

test('a fragment is found by its name, with its kind and status; arrows and Enter open it; Escape closes', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/journeys`);
  await page.getByRole('table', { name: 'Journeys' }).waitFor();
  await page.keyboard.press('/');
  await page.keyboard.type('Luma - Footer');
  const list = page.getByRole('listbox', { name: 'Search results' });
  const hit = list.getByRole('option').filter({ hasText: FOOTER });
  await hit.waitFor();
  assert.match(await hit.innerText(), /Fragment/);
  await browser.shotWide('quick-search-results', true);

  // Escape closes the results and keeps the text; typing opens them again.
  await page.keyboard.press('Escape');
  await list.waitFor({ state: 'detached' });
  await page.keyboard.type(' ');
  await hit.waitFor();

  // Arrows move the highlighted result; Enter opens the one highlighted.
  const options = list.getByRole('option');
  const index = (await options.allInnerTexts()).findIndex((t) => t.includes(FOOTER));
  for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await options.nth(index).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/objects\/fragments\//);
  await page.getByRole('heading', { name: FOOTER, level: 2 }).waitFor();
});

test("'/' typed in a field is text, not a jump to the search", async () => {
  const { page } = browser;
  await page.goto(`${server.url}/journeys`);
  const filter = page.getByLabel('Filter journeys');
  await filter.click();
  await page.keyboard.type('a/b');
  assert.equal(await filter.inputValue(), 'a/b');
  assert.equal(
    await page.getByLabel('Quick search').evaluate((el) => el === document.activeElement),
    false,
  );
});

test('nothing found says so', async () => {
  const { page } = browser;
  await page.keyboard.press('Escape');
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.keyboard.press('/');
  await page.keyboard.type('zzqx-nothing-has-this-name');
  await page.getByText(/Nothing found for/).waitFor();
});

test('no uncaught errors in the page', () => {
  assert.deepEqual(errors, []);
});
