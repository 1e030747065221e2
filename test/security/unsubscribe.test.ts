// One-click unsubscribe follows RFC 8058: opening the link (GET, or the HEAD a link scanner or mail
// prefetcher sends) shows a confirmation page and changes nothing; only a POST carrying
// List-Unsubscribe=One-Click (a mail client's one-click, or the page's button) withdraws consent.
// A real server on loopback, the real email's List-Unsubscribe link, consent read back by the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signClaims } from '../../src/channels/tracking/index.ts';
import { cart, lumaEvent, PUBLIC_URL, TRACKING_SECRET } from '../support/luma.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { openBrowser } from '../ui/support/browser.ts';

let w: ApiWorld;
let base: string;
before(async () => {
  w = await apiWorld();
  base = await w.listen();
});
after(async () => {
  await w.close();
});

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

/** A shopper who exists (their checkout made the profile), and the path of an unsubscribe link for them. */
async function shopper(email: string): Promise<string> {
  await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
  const profile = await w.request('GET', `/v1/profiles/Email/${email}`);
  assert.equal(profile.status, 200);
  return `/t/u/${signClaims({ kind: 'unsubscribe', channel: 'email', messageId: `m-${email}`, profileId: profile.body.id, sandbox: 'prod' }, TRACKING_SECRET)}`;
}

const emailConsent = async (email: string): Promise<unknown> =>
  (await w.request('GET', `/v1/profiles/Email/${email}`)).body.attributes.consents?.marketing
    ?.email;

const unsubscribedEvents = async (email: string): Promise<number> => {
  const id = (await w.request('GET', `/v1/profiles/Email/${email}`)).body.id as string;
  return (
    await w.app.reads.profileEvents('prod', id, { types: ['message.unsubscribed'], since: null })
  ).length;
};

const oneClick = (path: string, init: { contentType?: string; body?: string } = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' },
    body: init.body ?? 'List-Unsubscribe=One-Click',
  });

test('GET and HEAD of the link in a real email show a confirmation page and change nothing; the one-click POST unsubscribes', async () => {
  const email = 'jean.dupont@luma.example'; // a known shopper with a locale: the journey mails them
  await w.request('POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart));
  await w.advance(61_000);
  const mail = await until(() => w.inbox.list({ to: email })[0]);
  assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
  const path = mail.headers['list-unsubscribe']!.match(/<(http[^>]+)>/)![1]!.slice(
    PUBLIC_URL.length,
  );
  const before = await emailConsent(email);
  assert.notEqual(before, 'n');

  // A link scanner, a prefetcher and a person who only looks.
  for (let i = 0; i < 3; i++) {
    const get = await fetch(base + path);
    assert.equal(get.status, 200);
    assert.match(get.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(get.headers.get('content-security-policy'), 'the page is served under the CSP');
    const html = await get.text();
    assert.match(html, /<form method="post">/, 'a form that posts back to the same link');
    assert.match(html, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    assert.doesNotMatch(html, /<script/i, 'no script');
    const head = await fetch(base + path, { method: 'HEAD' });
    assert.equal(head.status, 200);
  }
  await w.app.engine.settle();
  assert.equal(await emailConsent(email), before, 'GET and HEAD changed no consent');
  assert.equal(await unsubscribedEvents(email), 0, 'and recorded no unsubscribe');

  const post = await oneClick(path);
  assert.equal(post.status, 200);
  assert.match(await post.text(), /You are unsubscribed/);
  assert.equal(await emailConsent(email), 'n');
  assert.equal(await unsubscribedEvents(email), 1);
});

test('a POST without List-Unsubscribe=One-Click changes nothing and says what it must carry', async () => {
  const email = 'empty.post@luma.example';
  const path = await shopper(email);
  const before = await emailConsent(email);
  for (const init of [
    { body: '' },
    { body: 'List-Unsubscribe=Maybe' },
    { contentType: 'application/json', body: '{"List-Unsubscribe":"One-Click"}' },
  ]) {
    const res = await oneClick(path, init);
    assert.ok(res.status === 400 || res.status === 415, `${JSON.stringify(init)}: ${res.status}`);
    if (res.status === 400) assert.match(await res.text(), /List-Unsubscribe=One-Click/);
  }
  assert.equal(await emailConsent(email), before);
  assert.equal(await unsubscribedEvents(email), 0);
});

test('a mail client may send the one-click body as multipart/form-data (RFC 8058)', async () => {
  const email = 'multipart.client@luma.example';
  const path = await shopper(email);
  const boundary = '----waymark-test-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
  const res = await oneClick(path, {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body,
  });
  assert.equal(res.status, 200);
  assert.equal(await emailConsent(email), 'n');
});

test('a forged link is refused on GET and POST and records nothing', async () => {
  const email = 'forged.link@luma.example';
  const path = await shopper(email);
  const forged = `${path.slice(0, -4)}AAAA`;
  assert.equal((await fetch(base + forged)).status, 400);
  assert.equal((await oneClick(forged)).status, 400);
  assert.equal(await unsubscribedEvents(email), 0);
});

test("in Chromium, the confirmation page's button unsubscribes under the CSP, with no script and no violation", async () => {
  const email = 'clicks.the.button@luma.example';
  const path = await shopper(email);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(base + path);
    await page.getByRole('heading', { name: 'Unsubscribe?' }).waitFor();
    await w.app.engine.settle();
    assert.notEqual(await emailConsent(email), 'n', 'opening the page changed nothing');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await browser.shot('unsubscribe-done');
    assert.deepEqual(violations, []);
    assert.equal(await emailConsent(email), 'n');
  } finally {
    await browser.close();
  }
});
