// Debian's Chromium driven by playwright-core, with a fresh profile; screenshots as test artifacts.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO } from './server.ts';

/** The full browser: what a page needs beyond drawing and scripts (web push: the storefront's test). */
export const CHROMIUM_BROWSER = process.env.WAYMARK_CHROMIUM ?? '/usr/bin/chromium';
/**
 * Debian's headless shell of Chromium where it is installed (the same Blink without the full
 * browser's process and UI: the console's tests take about a fifth less time), else the browser.
 */
export const CHROMIUM =
  process.env.WAYMARK_CHROMIUM ??
  (existsSync('/usr/bin/chromium-headless-shell')
    ? '/usr/bin/chromium-headless-shell'
    : CHROMIUM_BROWSER);
export const ARTIFACTS = join(REPO, 'test', 'ui', 'artifacts');

export interface Browser {
  readonly page: Page;
  shot(name: string): Promise<void>;
  /** A screenshot at 1440 x 900 (`name`) and, with `also1024`, at 1024 x 768 (`name-1024`); the page is left at 1440 x 900. */
  shotWide(name: string, also1024?: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Opens Chromium on a fresh profile: the headless shell, or with `fullBrowser` the browser (web push). */
export async function openBrowser(opts: { fullBrowser?: boolean } = {}): Promise<Browser> {
  const executable = opts.fullBrowser ? CHROMIUM_BROWSER : CHROMIUM;
  if (!existsSync(executable)) {
    throw new Error(
      `Chromium is not installed at ${executable}. Install it with: apt-get update && apt-get install -y chromium chromium-headless-shell (or set WAYMARK_CHROMIUM to a Chromium binary).`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'waymark-chromium-'));
  mkdirSync(ARTIFACTS, { recursive: true });
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    page,
    async shot(name) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    },
    async shotWide(name, also1024 = false) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
      if (!also1024) return;
      await page.setViewportSize({ width: 1024, height: 768 });
      await page.screenshot({ path: join(ARTIFACTS, `${name}-1024.png`) });
      await page.setViewportSize({ width: 1440, height: 900 });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in on the sign-in screen with the admin key ("Use an API key instead" when the email form shows). */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  const keyField = page.getByLabel('API key');
  const other = page.getByRole('button', { name: 'Use an API key instead' });
  await keyField.or(other).first().waitFor();
  if (!(await keyField.isVisible())) await other.click();
  await keyField.fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await enterConsole(page);
}

/** After signing in: picks the offered sandbox when several may be entered, then waits for the menu. */
export async function enterConsole(page: Page, sandbox?: string): Promise<void> {
  const menu = page.getByRole('navigation', { name: 'Main menu' });
  const choose = page.getByRole('form', { name: 'Choose a sandbox' });
  await menu.or(choose).first().waitFor();
  if (await choose.isVisible()) {
    if (sandbox) await choose.getByRole('radio', { name: new RegExp(sandbox) }).check();
    await choose.getByRole('button', { name: 'Continue' }).click();
    await menu.waitFor();
  }
}

/** Signs out from the account menu (top right). */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account:/ }).click();
  await page
    .getByRole('group', { name: 'Account' })
    .getByRole('button', { name: 'Sign out', exact: true })
    .click();
  // Until the sign-in form is up, the page signed out of is still on screen (its own "Email" fields included).
  await page.getByRole('form', { name: 'Sign in' }).waitFor();
}
