// One console session for a browser test file: `waymark serve --demo`, Chromium, signed in.
//   before(async () => ({ server, browser } = await openConsole({ errors })));
//   after(() => closeConsole({ server, browser }, 'objects-last'));
import { openBrowser, signIn } from './browser.ts';
import type { Browser } from './browser.ts';
import { startWaymark } from './server.ts';
import type { Running } from './server.ts';

/** The object kinds the console shows with its generic list and form (offers and the rest have pages of their own). */
export const GENERIC_OBJECT_KINDS = [
  'event-types',
  'actions',
  'audiences',
  'content-templates',
  'fragments',
  'rule-sets',
  'channel-configurations',
  'namespaces',
  'language-settings',
  'assets',
  'profile-schemas',
] as const;

export interface ConsoleOptions {
  /** Collects the page's uncaught errors (tests assert it stays empty). */
  readonly errors?: string[];
  /** The viewport (Chromium's 1280 x 800 when not given). */
  readonly width?: number;
  readonly height?: number;
  /** Sign in with the admin key (default true). */
  readonly signIn?: boolean;
}

export async function openConsole(
  opts: ConsoleOptions = {},
): Promise<{ server: Running; browser: Browser }> {
  // Chromium starts while the server does (it waits on neither).
  const [started, opened] = await Promise.allSettled([startWaymark(), openBrowser()]);
  if (started.status === 'rejected' || opened.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close();
    if (started.status === 'fulfilled') await started.value.close();
    throw started.status === 'rejected' ? started.reason : (opened as PromiseRejectedResult).reason;
  }
  const server = started.value;
  const browser: Browser = opened.value;
  try {
    const errors = opts.errors;
    if (errors) browser.page.on('pageerror', (e) => errors.push(e.message));
    if (opts.width !== undefined)
      await browser.page.setViewportSize({ width: opts.width, height: opts.height ?? 900 });
    if (opts.signIn !== false) await signIn(browser.page, server.url, server.key);
    return { server, browser };
  } catch (err) {
    await browser.close();
    await server.close();
    throw err;
  }
}

/** The last screenshot (what the page showed when a test failed), then Chromium and the server stop. */
export async function closeConsole(
  c: { readonly server?: Running; readonly browser?: Browser },
  lastShot: string,
): Promise<void> {
  await c.browser?.shot(lastShot).catch(() => undefined);
  await c.browser?.close();
  await c.server?.close();
}
