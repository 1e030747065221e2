// The console's help links: a "?" in the top bar opens the documentation of the page shown, and one
// beside each main page's title opens its section, both in a new tab. (That every href names a
// built page and heading is checked by test/docs/site.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HELP } from '../../ui/src/app/help-links.ts';
import type { Browser } from './support/browser.ts';
import { closeConsole, openConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

describe('help links into the documentation', () => {
  let server: Running;
  let browser: Browser;
  before(async () => ({ server, browser } = await openConsole()));
  after(() => closeConsole({ server, browser }, 'help-links-last'));

  const topBarHelp = () => browser.page.locator('header.topbar a.help-link');
  const titleHelp = () => browser.page.locator('main a.help-link').first();

  test('the top bar and the page title link the section of the page shown, in a new tab', async () => {
    const { page } = browser;
    const pages: [string, keyof typeof HELP][] = [
      ['/journeys', 'journeys'],
      ['/objects/audiences', 'audiences'],
      ['/campaigns', 'campaigns'],
      ['/objects/content-templates', 'content'],
      ['/admin/users', 'users'],
      ['/dead-letters', 'deadLetters'],
    ];
    for (const [path, topic] of pages) {
      await page.goto(`${server.url}${path}`);
      await titleHelp().waitFor();
      assert.equal(await topBarHelp().getAttribute('href'), HELP[topic].href, `top bar on ${path}`);
      assert.equal(await titleHelp().getAttribute('href'), HELP[topic].href, `title on ${path}`);
      assert.equal(await titleHelp().getAttribute('target'), '_blank');
      assert.match(String(await titleHelp().getAttribute('aria-label')), /^Help /);
      assert.match(String(await titleHelp().getAttribute('title')), new RegExp(HELP[topic].title));
      if (path === '/journeys') await browser.shotWide('help-links-journeys', true);
      if (path === '/objects/audiences') await browser.shotWide('help-links-audiences', true);
    }
  });

  test('the journey editor links the activities section', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys/purchase-journey`);
    const help = page.getByRole('toolbar', { name: 'Journey' }).locator('a.help-link');
    await help.waitFor();
    assert.equal(await help.getAttribute('href'), HELP.journeyEditor.href);
    assert.equal(await topBarHelp().getAttribute('href'), HELP.journeyEditor.href);
    await browser.shotWide('help-links-journey-editor', true);
  });
});
