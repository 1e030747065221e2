// Every console page at the two widths a marketer works at (1440 and 1024 px): each names itself in
// the tab's title, shows its heading, has no horizontal scroll of the whole page and throws no
// script error. The screenshots land in test/ui/artifacts/tour-<width>-<page>.png to be looked at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { ARTIFACTS, openBrowser, signIn, type Browser } from './support/browser.ts';
import { startWaymark, type Running } from './support/server.ts';

let server: Running;
let browser: Browser;
const errors: string[] = [];
before(async () => {
  server = await startWaymark();
  browser = await openBrowser();
  browser.page.on('pageerror', (e) => errors.push(e.message));
  await signIn(browser.page, server.url, server.key);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** The pages of the console, with one opened object of each kind: [file name, path]. */
async function pages(): Promise<Array<[string, string]>> {
  // Some kinds have only built-in objects in the demo (the standard identity namespaces): their list only.
  const first = async (route: string): Promise<string | null> => {
    const r = await server.api('GET', `/v1/${route}`);
    const key = r.items?.[0]?.key as string | undefined;
    return key ? `/objects/${route}/${encodeURIComponent(key)}` : null;
  };
  const list: Array<[string, string]> = [
    ['journeys', '/journeys'],
    ['journey-editor', '/journeys/purchase-journey'],
    ['journey-report', '/journeys/purchase-journey/report'],
    ['reports', '/reports'],
    ['profiles', '/profiles'],
    ['packages', '/packages'],
    ['inbox', '/inbox'],
    ['dead-letters', '/dead-letters'],
    ['suppressions', '/suppressions'],
    ['translation-projects', '/translation-projects'],
    ['system', '/system'],
  ];
  for (const route of [
    'audiences',
    'content-templates',
    'fragments',
    'assets',
    'event-types',
    'actions',
    'rule-sets',
    'channel-configurations',
    'namespaces',
    'language-settings',
    'profile-schemas',
  ]) {
    list.push([`${route}-list`, `/objects/${route}`]);
    const detail = await first(route);
    if (detail) list.push([route, detail]);
  }
  return list;
}

for (const width of [1440, 1024]) {
  test(`every page reads well at ${width} px`, async () => {
    const { page } = browser;
    await page.setViewportSize({ width, height: 900 });
    const problems: string[] = [];
    for (const [name, path] of await pages()) {
      errors.length = 0;
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const title = await page.title();
      if (!/ · Waymark$/.test(title))
        problems.push(`${path}: the title "${title}" does not name the page`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (overflow > 1) problems.push(`${path}: the page scrolls sideways by ${overflow} px`);
      if (errors.length) problems.push(`${path}: script errors: ${errors.join('; ')}`);
      await page.screenshot({ path: join(ARTIFACTS, `tour-${width}-${name}.png`) });
    }
    assert.deepEqual(problems, []);
  });
}
