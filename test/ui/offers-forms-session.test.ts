// Offers, the generated forms and the console's session on one `waymark serve --demo` and one
// Chromium: a server and a browser started for each cost about 14 s of CPU each time. The parts
// change different parts of the demo: offers, a placement and a decision policy of their own, a
// decision for Tom and a draft of the Purchase Journey (offers); nothing (the forms part opens the
// first demo object of kinds offers does not touch, and saves nothing); one event type saved
// unchanged and the part's own sign-in sessions (session: no user, role or key is changed). Each
// part starts signed out (its cookies cleared), signs in itself, keeps its own viewport, and the
// offers and forms parts assert on their own page errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Dialog, Page, Request } from 'playwright-core';
import { signIn, signOut, type Browser } from './support/browser.ts';
import { node } from './support/canvas.ts';
import { GENERIC_OBJECT_KINDS, openConsole, closeConsole } from './support/console.ts';
import type { Running } from './support/server.ts';

const TOM = 'tom.baker@luma.example';
const JEAN = 'jean.dupont@luma.example';
const form = (page: Page) => page.getByRole('tabpanel', { name: 'Form' });

const enc = encodeURIComponent;

/** Controls of the form that have no accessible name (label, aria-label or aria-labelledby). */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.locator('.schema-form').evaluate((form) => {
    const out: string[] = [];
    for (const el of Array.from(form.querySelectorAll('input, select, textarea, button'))) {
      const e = el as unknown as {
        labels?: { length: number } | null;
        tagName: string;
        id: string;
        textContent: string | null;
        getAttribute(name: string): string | null;
      };
      const named =
        (e.labels?.length ?? 0) > 0 ||
        !!e.getAttribute('aria-label') ||
        !!e.getAttribute('aria-labelledby') ||
        (e.tagName === 'BUTTON' && (e.textContent ?? '').trim() !== '');
      if (!named) out.push(`${e.tagName.toLowerCase()}#${e.id}`);
    }
    return out;
  });
}

async function openForm(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const formTab = page.getByRole('tab', { name: 'Form' });
  await formTab.waitFor();
  if ((await formTab.getAttribute('aria-selected')) !== 'true') await formTab.click();
  await page.locator('.schema-form').waitFor();
}

let server: Running;
let browser: Browser;
const errors: string[] = [];

before(async () => {
  ({ server, browser } = await openConsole({ errors, signIn: false }));
});
after(() => closeConsole({ server, browser }, 'offers-forms-session-last'));

/** Signed out, at the part's own viewport and timeout. */
async function freshPart(width: number, height: number): Promise<void> {
  errors.length = 0;
  await browser.page.context().clearCookies();
  await browser.page.setViewportSize({ width, height });
  browser.page.setDefaultTimeout(15_000);
}

// Offers in the console, as a marketer uses them: create an offer from the form (a representation
// for the email banner, no JSON), narrow its eligibility with a decision rule in the expression
// editor, simulate the decision policy for two profiles (proposed with rank, excluded with why), then
// add a decision block to the Order Confirmation email in the designer and preview it as Tom.
// Screenshots at 1440 and 1024 px.
describe('offers in the console', () => {
  before(async () => {
    await freshPart(1440, 900);
    await signIn(browser.page, server.url, server.key);
    const assets = (await server.api('GET', '/v1/assets')).items as Array<{ key: string }>;
    await server.api('POST', '/v1/placements', {
      id: 'email-banner',
      name: 'Email banner 600x200',
      channel: 'email',
      contentType: 'imageLink',
    });
    await server.api('POST', '/v1/offers', {
      id: 'everyone',
      name: 'Spring sale for everyone',
      status: 'approved',
      priority: 10,
      tags: ['spring'],
      representations: [
        {
          placement: 'email-banner',
          text: 'Spring sale: 10% off everything',
          link: 'https://luma.example/spring',
          ...(assets[0] ? { imageAsset: assets[0].key } : {}),
        },
      ],
    });
    await server.api('POST', '/v1/offers', {
      id: 'expired-deal',
      name: 'Winter deal',
      status: 'approved',
      priority: 50,
      tags: ['spring'],
      endDate: '2020-03-01T00:00:00Z',
      representations: [{ placement: 'email-banner', text: 'Winter deal' }],
    });
    await server.api('POST', '/v1/decision-policies', {
      id: 'spring-sale',
      name: 'Spring sale',
      placement: 'email-banner',
      strategies: [{ collection: { tags: { any: ['spring'] } } }],
    });
  });
  after(() => browser.shot('offers-last').catch(() => undefined));

  test('create an offer from the form and give it a decision rule', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/offers`);
    await page.getByRole('navigation', { name: 'Main menu' }).getByText('Decisioning').waitFor();
    await page.getByRole('button', { name: 'Create offer' }).click();
    const f = form(page);
    await f.waitFor();
    await f.getByLabel(/^ID/).first().fill('tom-special');
    await f.getByLabel(/^Name/).first().fill('Tom special');
    await f
      .getByLabel(/^Status/)
      .first()
      .selectOption('approved');
    await f
      .getByLabel(/^Priority/)
      .first()
      .fill('90');
    await f.getByRole('button', { name: /Add tag/ }).click();
    await f
      .getByLabel(/^Tag 1/)
      .first()
      .fill('spring');
    await f.getByRole('button', { name: /Add representation/ }).click();
    const placement = f.getByLabel(/^Placement/).first();
    if ((await placement.evaluate((e) => e.tagName)) === 'SELECT')
      await placement.selectOption('email-banner');
    else await placement.fill('email-banner');
    await f.getByLabel(/^Text/).first().fill('Spring special for Tom: 30% off');
    await f.getByLabel(/^Link/).first().fill('https://luma.example/spring/tom');
    await browser.shotWide('offers-01-new', true);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/objects\/offers\/tom-special$/);

    // Eligibility: a decision rule in the expression editor (not in the JSON).
    const elig = page.getByRole('region', { name: 'Eligibility' });
    await elig.getByRole('button', { name: 'Add a decision rule' }).click();
    const editor = elig.locator('.cm-content').first();
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(
      '#{ExperiencePlatform.ProfileFieldGroup.profile.person.name.firstName} == "Tom"',
    );
    await page.getByRole('status', { name: 'Unsaved changes' }).waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = await server.api('GET', '/v1/offers/tom-special');
    assert.equal(stored.spec.status, 'approved');
    assert.deepEqual(stored.spec.tags, ['spring']);
    assert.equal(stored.spec.representations[0].placement, 'email-banner');
    assert.match(stored.spec.eligibility.rule, /firstName\} == "Tom"/);
    await elig.scrollIntoViewIfNeeded();
    await browser.shotWide('offers-02-eligibility', true);
  });

  test('simulate the policy for two profiles: ranks and why the others were excluded', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/decision-policies/spring-sale`);
    // The strategies are edited as choices (tags, ranking), not as JSON.
    const strategies = page.getByRole('region', { name: 'Selection strategies' });
    await strategies.getByLabel('Tags (separated by commas)').waitFor();
    assert.equal(await strategies.getByLabel('Tags (separated by commas)').inputValue(), 'spring');
    await strategies.scrollIntoViewIfNeeded();
    await browser.shotWide('offers-03a-policy-strategies', true);
    const sim = page.getByRole('region', { name: 'Simulation' });
    await sim.waitFor();
    const profiles = (await server.api('GET', '/v1/profiles?limit=200')).items as Array<{
      id: string;
      identities: Array<{ id: string }>;
    }>;
    const idOf = (email: string) => profiles.find((p) => p.identities[0]?.id === email)!.id;
    await sim.getByLabel('Profile').selectOption(idOf(TOM));
    await sim.getByRole('button', { name: 'Simulate' }).click();
    const proposed = sim.getByRole('table', { name: 'Proposed offers' });
    await proposed.getByText('Tom special').waitFor();
    const excluded = sim.getByRole('table', { name: 'Excluded offers' });
    await excluded.locator('tr[data-reason="expired"]').getByText('Winter deal').waitFor();
    await excluded
      .locator('tr[data-reason="outranked"]')
      .getByText(/Spring sale for everyone/)
      .waitFor();
    await sim.scrollIntoViewIfNeeded();
    await browser.shotWide('offers-03-simulation-tom', true);

    await sim.getByLabel('Profile').selectOption(idOf(JEAN));
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await proposed.getByText('Spring sale for everyone').waitFor();
    await excluded.locator('tr[data-reason="rule"]').getByText('Tom special').waitFor();
    assert.match(
      await excluded.locator('tr[data-reason="rule"]').innerText(),
      /decision rule is false/,
    );
    await sim.scrollIntoViewIfNeeded();
    await browser.shotWide('offers-04-simulation-jean', true);
    // Nothing recorded by a simulation.
    const props = await server.api('GET', '/v1/propositions?policy=spring-sale');
    assert.equal(props.items.length, 0);

    // A real decision for Tom is recorded: the offer's report counts it.
    await server.api('POST', '/v1/decisions', { policy: 'spring-sale', profileId: idOf(TOM) });
    await page.goto(`${server.url}/objects/offers/tom-special`);
    const report = page.getByRole('region', { name: 'Offer report' });
    await report.getByTestId('offer-proposed').filter({ hasText: '1' }).waitFor();
    await report.scrollIntoViewIfNeeded();
    await browser.shotWide('offers-04a-offer-report', true);
  });

  test('a decision block in the designer, previewed as Tom', async () => {
    const { page } = browser;
    await server.api('POST', '/v1/journeys/purchase-journey/versions');
    await page.goto(`${server.url}/journeys/purchase-journey`);
    await node(page, 'confirmation').click();
    await page.getByRole('button', { name: 'Edit email body' }).click();
    const designer = page.getByRole('dialog', { name: 'Email designer' });
    const canvas = designer.getByRole('tree', { name: 'Email canvas' });
    const logo = canvas.getByRole('treeitem', { name: /^Image: Luma$/ });
    await logo.waitFor();
    await logo.click();
    await designer.getByRole('button', { name: 'Offer decision', exact: true }).click();
    const block = canvas.getByRole('treeitem', { name: /^Offer decision/ });
    await block.waitFor();
    await block.click();
    const props = designer.getByRole('complementary', { name: 'Properties' });
    await props.getByLabel('Decision policy').selectOption('spring-sale');
    await canvas.getByRole('treeitem', { name: 'Offer decision: spring-sale' }).waitFor();
    await browser.shotWide('offers-05-designer-block', true);

    await designer.getByRole('tab', { name: 'Preview' }).click();
    const preview = designer.getByRole('region', { name: 'Simulate content' });
    await preview.waitFor();
    await preview.getByLabel('Test profile').selectOption({ label: TOM });
    const mail = preview.frameLocator('iframe[title="Email preview"]');
    await mail.getByText('Spring special for Tom: 30% off').waitFor();
    await browser.shotWide('offers-06-designer-preview-tom', true);
    await preview.getByLabel('Test profile').selectOption({ label: JEAN });
    await mail.getByText('Spring sale: 10% off everything').waitFor();
    assert.equal(await mail.getByText('Spring special for Tom').count(), 0);
    assert.deepEqual(errors, []);
  });
});

// The generated forms (ui/src/forms) in the real console, on the Luma demo: every object kind's form
// opens on a demo object with every control named for screen readers; a required field left empty
// says so in plain words at the field (aria-invalid, aria-describedby); stored secrets are kept
// unless replaced; references are chosen by name; list rows are added and removed from the keyboard.
describe('schema forms in the console', () => {
  // The tests leave edited forms behind: leaving them is meant here (in this part only).
  const leave = (d: Dialog) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss());
  before(async () => {
    await freshPart(1440, 900);
    browser.page.on('dialog', leave);
    await signIn(browser.page, server.url, server.key);
  });
  after(() => {
    browser.page.off('dialog', leave);
  });

  test('every kind opens in a form on a demo object, every control named; screenshots at 1440 and 1024 px', async () => {
    const { page } = browser;
    for (const kind of GENERIC_OBJECT_KINDS) {
      const items = (await server.api('GET', `/v1/${kind}`)).items as Array<{ key: string }>;
      if (items.length > 0)
        await openForm(page, `${server.url}/objects/${kind}/${enc(items[0]!.key)}`);
      else {
        // The demo keeps the built-in namespaces only: the form of a new one.
        await page.goto(`${server.url}/objects/${kind}`);
        await page.getByRole('button', { name: /^Create / }).click();
        await page.locator('.schema-form').waitFor();
      }
      errors.length = 0;
      assert.deepEqual(await unnamedControls(page), [], `${kind}: controls without a name`);
      assert.ok(
        (await page.locator('.schema-form .sf-field').count()) >= 2,
        `${kind}: fields shown`,
      );
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await browser.shot(`form-${kind}-${width}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      assert.deepEqual(errors, [], `${kind}: script errors`);
    }
  });

  test('a required field left empty says so at the field, in plain words, tied to the input', async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    const path = page.getByLabel('Identifier path');
    await path.fill('');
    await page.locator('.schema-form').getByText('Enter an identifier path').waitFor();
    assert.equal(await path.getAttribute('aria-invalid'), 'true');
    const described = (await path.getAttribute('aria-describedby')) ?? '';
    const texts = await Promise.all(
      described.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    assert.ok(
      texts.some((t) => t?.includes('Enter an identifier path')),
      `aria-describedby reads: ${texts.join(' | ')}`,
    );
    assert.equal(
      await page
        .locator('.schema-form')
        .getByText(/Invalid input|expected string/)
        .count(),
      0,
    );
    await path.fill('_aeppartner1.identification.core.email');
    await page
      .locator('.schema-form')
      .getByText('Enter an identifier path')
      .waitFor({ state: 'detached' });
    assert.equal(await path.getAttribute('aria-invalid'), null);
  });

  test('a stored secret is kept unless a new one is typed', async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/channel-configurations/DXDemoApp`);
    const keep = page
      .locator('.sf-secret')
      .filter({ hasText: 'Signing key (.p8)' })
      .getByLabel('Keep the stored secret');
    assert.equal(await keep.isChecked(), true);
    assert.equal(
      await page
        .locator('.sf-secret')
        .filter({ hasText: 'Signing key (.p8)' })
        .locator('textarea, input[type=password]')
        .count(),
      0,
    );
    await keep.uncheck();
    const secret = page
      .locator('.sf-secret')
      .filter({ hasText: 'Signing key (.p8)' })
      .locator('textarea, input[type=password]');
    await secret.waitFor();
    assert.equal(await secret.inputValue(), '');
    await keep.check();
    await secret.waitFor({ state: 'detached' });
  });

  test("references are chosen by name from the sandbox's objects", async () => {
    const { page } = browser;
    await openForm(page, `${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    const namespace = page.getByLabel('Identity namespace');
    assert.equal(await namespace.evaluate((s: { tagName: string }) => s.tagName), 'SELECT');
    assert.equal(await namespace.inputValue(), 'Email');
    const options = await namespace.locator('option').allTextContents();
    assert.ok(
      options.some((o) => /Phone/.test(o)) && options.some((o) => /Experience Cloud ID/.test(o)),
      options.join(', '),
    );
    await openForm(page, `${server.url}/objects/audiences/${enc('Not Luma Mobile App Users')}`);
    const audience = page
      .locator('.schema-form')
      .getByRole('combobox', { name: 'Audience', exact: true });
    assert.equal(await audience.inputValue(), 'Luma - Mobile App Users');
    assert.ok(
      (await audience.locator('option').allTextContents()).includes('Luma - Blue Luma+ Members'),
    );
  });

  test('list rows are added, moved and removed from the keyboard', async () => {
    const { page } = browser;
    await openForm(
      page,
      `${server.url}/objects/language-settings/${enc(((await server.api('GET', '/v1/language-settings')).items as Array<{ key: string }>)[0]!.key)}`,
    );
    const removers = page.getByRole('button', { name: /^Remove locale \d+$/ });
    const before = await removers.count();
    assert.ok(before >= 1);
    const firstLocale = await page
      .getByRole('textbox', { name: 'Locale', exact: true })
      .first()
      .inputValue();
    await page.getByRole('button', { name: '+ Add locale' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Remove locale ${before + 1}` }).waitFor();
    await page.getByRole('button', { name: `Move locale ${before + 1} up` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Remove locale ${before}` }).focus();
    await page.keyboard.press('Enter');
    await page
      .getByRole('button', { name: `Remove locale ${before + 1}` })
      .waitFor({ state: 'detached' });
    assert.equal(await removers.count(), before);
    assert.equal(
      await page.getByRole('textbox', { name: 'Locale', exact: true }).first().inputValue(),
      firstLocale,
    );
  });
});

// The console signs in with a session, not a stored key: the key is exchanged for an HttpOnly,
// SameSite=Strict cookie; nothing in localStorage or document.cookie holds a secret; the console
// sends no Authorization header and puts the CSRF token on every request that changes something;
// a reload stays signed in; sign-out ends the session on the server; a session ended elsewhere
// brings the console back to the sign-in screen saying so. (Chromium's own 1280 x 800 viewport.)
describe('the console session', () => {
  before(() => freshPart(1280, 800));

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
});
