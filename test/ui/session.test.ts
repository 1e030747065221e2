// The console signs in with a session, not a stored key: the key is exchanged for an HttpOnly,
// SameSite=Strict cookie; nothing in localStorage or document.cookie holds a secret; the console
// sends no Authorization header and puts the CSRF token on every request that changes something;
// a reload stays signed in; sign-out ends the session on the server; a session ended elsewhere
// brings the console back to the sign-in screen saying so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Request } from 'playwright-core';
import { openBrowser, signIn, signOut, type Browser } from './support/browser.ts';
import { startWaymark, type Running } from './support/server.ts';

let server: Running;
let browser: Browser;
before(async () => {
  server = await startWaymark();
  browser = await openBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('signing in keeps an HttpOnly session cookie and no key anywhere a script can read', async () => {
  const { page } = browser;
  const sent: Request[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/v1/')) sent.push(r);
  });
  await signIn(page, server.url, server.key);

  const cookies = await page.context().cookies(server.url);
  const session = cookies.find((c) => c.name === 'waymark_session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(session.path, '/');
  assert.equal(await page.evaluate('document.cookie'), '', 'scripts see no cookie');
  const stored = (await page.evaluate(
    'JSON.stringify({ ...localStorage, ...sessionStorage })',
  )) as string;
  assert.ok(!stored.includes(server.key), `the key is not in web storage: ${stored}`);
  assert.ok(!stored.includes(session.value), 'nor the session id');

  // Something that changes state: an event type saved through the console.
  await page.getByRole('link', { name: 'Events' }).click();
  await page.getByRole('link', { name: /LumaCheckoutEvent_Email/ }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await page
    .locator('.object-detail [role="status"]')
    .filter({ hasText: /Saved/ })
    .first()
    .waitFor();
  for (const r of sent) {
    const h = await r.allHeaders();
    assert.equal(
      h['authorization'],
      undefined,
      `${r.method()} ${r.url()} carries no Authorization header`,
    );
    assert.equal(h['x-api-key'], undefined);
    if (
      r.method() !== 'GET' &&
      r.method() !== 'HEAD' &&
      !(r.method() === 'POST' && new URL(r.url()).pathname === '/v1/session')
    ) {
      assert.ok(h['x-csrf-token'], `${r.method()} ${r.url()} carries the CSRF token`);
    }
  }
  assert.ok(
    sent.some(
      (r) => r.method() === 'PUT' && new URL(r.url()).pathname.startsWith('/v1/event-types/'),
    ),
    'the event type was saved through the API',
  );
});

test('a reload stays signed in; a request without the CSRF token is refused', async () => {
  const { page } = browser;
  await page.reload();
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
  // The cookie alone does not let a cross-site form or script change anything.
  const status = await page.evaluate(
    `fetch('/v1/journeys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status)`,
  );
  assert.equal(status, 403);
});

test('a session ended elsewhere brings the console back to the sign-in screen, saying so', async () => {
  const { page } = browser;
  await page.goto(`${server.url}/journeys`);
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
  // Signing out in another tab ends the same session.
  const other = await page.context().newPage();
  try {
    await other.goto(`${server.url}/journeys`);
    await signOut(other);
    await other.getByLabel('API key').waitFor();
  } finally {
    await other.close();
  }
  await page.getByRole('link', { name: 'Reports' }).first().click();
  await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
  await page.getByLabel('API key').waitFor();
  await browser.shot('session-ended');
});

test('sign-out ends the session on the server: the old cookie opens nothing', async () => {
  const { page } = browser;
  await signIn(page, server.url, server.key);
  const id = (await page.context().cookies(server.url)).find(
    (c) => c.name === 'waymark_session',
  )!.value;
  const asCookie = { cookie: `waymark_session=${id}` };
  assert.equal((await fetch(`${server.url}/v1/session`, { headers: asCookie })).status, 200);
  await signOut(page);
  await page.getByLabel('API key').waitFor();
  assert.equal((await fetch(`${server.url}/v1/session`, { headers: asCookie })).status, 401);
  assert.equal((await fetch(`${server.url}/v1/journeys`, { headers: asCookie })).status, 401);
  await page.reload();
  await page.getByLabel('API key').waitFor();
});
