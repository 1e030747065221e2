// What the campaign browser tests share: one console session per describe (`waymark serve
// --demo`, Chromium at 1440 px, signed in as the admin), the page's uncaught errors, the API
// with the admin key, and `shot`, which checks a page at the two widths a marketer works at
// (1440 and 1024 px) never scrolls sideways and, with WAYMARK_CAMPAIGN_SHOTS set, saves it.
//   const ui = useCampaignConsole('campaigns-last');   // inside describe(): registers before/after
//   test('…', async () => { await ui.page.goto(…); await ui.shot('campaign-review'); });
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { api } from '../../support/process.ts';
import type { Browser } from './browser.ts';
import { closeConsole, openConsole } from './console.ts';
import type { Running } from './server.ts';

const SHOTS = process.env['WAYMARK_CAMPAIGN_SHOTS'];

export interface CampaignConsole {
  readonly server: Running;
  readonly browser: Browser;
  readonly page: Page;
  /** The page's uncaught errors (tests assert it stays empty). */
  readonly errors: string[];
  /** The page at 1440 and 1024 px (full page): never scrolling sideways; saved when asked for. */
  shot(name: string): Promise<void>;
  /** A call with the admin key; refuses (assertion) any answer but a success. */
  api(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** Registers the session's before and after hooks in the calling describe; its parts once started. */
export function useCampaignConsole(lastShot: string): CampaignConsole {
  let server: Running | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  before(async () => {
    ({ server, browser } = await openConsole({ errors, width: 1440 }));
    browser.page.setDefaultTimeout(30_000);
  });
  after(() => closeConsole({ server, browser }, lastShot));
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the campaign console is used before it started');
    return v;
  };
  const ui: CampaignConsole = {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    get page() {
      return started(browser).page;
    },
    errors,
    shot: (name) => shotAtWidths(ui.page, name),
    api: (method, path, body) => adminApi(ui.server, method, path, body),
  };
  return ui;
}

/** The page at 1440 and 1024 px (full page): never scrolling sideways; saved when asked for. */
export async function shotAtWidths(page: Page, name: string): Promise<void> {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `${name} scrolls sideways by ${overflow} px at ${width} px`);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** A call with the server's admin key; refuses (assertion) any answer but a success. */
export async function adminApi(
  server: Running,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await api({ url: server.apiUrl, key: server.key }, method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body ?? {}) as Record<string, unknown>;
}
