// The object pages in the browser, as a marketer uses them: lists by name, the JSON tab marking the
// line a problem is on, unsaved edits held when another item is picked or the menu is used (and no
// draft leaking into another object), the business rule set the live Purchase Journey uses refused
// for deletion ("Used by: Purchase Journey v1 (live)", archive instead), a plain delete of an unused
// object, and two people saving the same object (409, reload or compare).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { GENERIC_OBJECT_KINDS, openConsole, closeConsole } from './support/console.ts';
import type { Running } from './support/server.ts';
import { pasteInto } from './support/paste.ts';

const RULES = 'Luma Marketing - Outgoing messages';
const enc = encodeURIComponent;

describe('object pages', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => ({ server, browser } = await openConsole({ errors, width: 1440 })));
  after(() => closeConsole({ server, browser }, 'objects-last'));

  test('the list shows names, marks and when each was changed; search and sort', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/fragments`);
    errors.length = 0;
    const list = page.getByRole('list', { name: 'Fragments' });
    await list.getByRole('link').first().waitFor();
    const fragments = (await server.api('GET', '/v1/fragments')).items as Array<{
      key: string;
      spec: { name?: string };
    }>;
    const named = fragments.find((f) => f.spec.name && f.spec.name !== f.key);
    assert.ok(named, 'a demo fragment whose name differs from its id');
    await list.getByRole('link', { name: new RegExp(named!.spec.name!) }).waitFor();
    await page.getByLabel('Search Fragments').fill(named!.spec.name!.slice(0, 6));
    assert.ok((await list.getByRole('link').count()) >= 1);
    await page.getByLabel('Search Fragments').fill('zzz-nothing');
    await list.getByText('Nothing matches.').waitFor();
    await page.getByLabel('Search Fragments').fill('');
    await page.getByLabel('Sort by').selectOption('modified');
    assert.equal(await page.title(), 'Fragments · Waymark');
    await page.goto(`${server.url}/objects/rule-sets`);
    await page
      .getByRole('list', { name: 'Business rules' })
      .getByRole('link', { name: new RegExp(RULES) })
      .getByText('In use')
      .waitFor();
    assert.deepEqual(errors, []);
  });

  test('the JSON tab marks a problem on its line, in plain words', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    await page.getByRole('heading', { name: 'LumaCheckoutEvent_Email' }).waitFor();
    assert.equal(await page.title(), 'LumaCheckoutEvent_Email · Events · Waymark');
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    const editor = page.getByLabel('Events definition');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('{\n  "name": "LumaCheckoutEvent_Email",\n  "schema": 42\n}');
    await page.getByRole('button', { name: 'Save' }).click();
    // The wrong field is marked on its own line, and said in plain words.
    const mark = page.locator('.json-editor .cm-lintRange-error').filter({ hasText: 'schema' });
    await mark.waitFor();
    assert.match(await mark.innerText(), /"schema": 42/);
    const problems = page.getByRole('list', { name: 'Problems' });
    await problems.waitFor();
    await browser.shot('objects-json-error');
    await problems
      .filter({ hasText: /Enter a (payload )?schema|Payload schema must be/ })
      .waitFor();
    assert.doesNotMatch(await problems.innerText(), /Invalid input|expected/);
    // The same problem on the Form tab, at its field.
    await page.getByRole('tab', { name: 'Form' }).click();
    await page
      .getByRole('tabpanel', { name: 'Form' })
      .getByText(/Enter a (payload )?schema|Payload schema must be/)
      .first()
      .waitFor();
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    await browser.shot('objects-json-error');
    // Text that is not JSON: marked where it stops being JSON.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('{\n  "name": "LumaCheckoutEvent_Email",\n  "schema": {,\n}');
    await page.locator('.json-editor .cm-lintRange-error').first().waitFor();
    // Completion from the kind's schema: the properties an event type may have.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('{\n  "name": "LumaCheckoutEvent_Email",\n  ');
    await page.keyboard.type('"desc');
    await page.keyboard.press('Control+Space');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'description' });
    await option.waitFor();
    await browser.shot('objects-json-completion');
    await option.click();
    assert.match(await editor.innerText(), /"description": $/m);
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page
      .getByRole('dialog', { name: 'Discard your changes?' })
      .getByRole('button', { name: 'Discard changes' })
      .click();
    await page.getByRole('button', { name: 'Discard changes' }).waitFor({ state: 'detached' });
  });

  test('unsaved edits are held when another item is picked and when leaving through the menu; no draft leaks into another object', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/event-types/LumaCheckoutEvent_Email`);
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    const editor = page.getByLabel('Events definition');
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.insertText(',\n  "description": "typed and not saved"');
    await page.getByRole('status', { name: 'Unsaved changes' }).waitFor();
    // Another item: asked; staying keeps the edit.
    await page
      .getByRole('list', { name: 'Events' })
      .getByRole('link', { name: /LumaPurchaseEvent_Email/ })
      .click();
    const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
    await ask.waitFor();
    assert.match(await ask.innerText(), /LumaCheckoutEvent_Email/);
    await browser.shot('objects-unsaved-pick');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.match(page.url(), /LumaCheckoutEvent_Email$/);
    assert.match(await editor.innerText(), /typed and not saved/);
    // The menu: asked too.
    await page
      .getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Journeys' })
      .click();
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.match(page.url(), /LumaCheckoutEvent_Email$/);
    // Another sandbox: asked too.
    await page.getByLabel('Sandbox').selectOption('__manage');
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.getByRole('dialog', { name: 'Open another sandbox' }).count(), 0);
    assert.match(await editor.innerText(), /typed and not saved/);
    // Leaving and discarding: the other object shows its own definition, not the typed one.
    await page
      .getByRole('list', { name: 'Events' })
      .getByRole('link', { name: /LumaPurchaseEvent_Email/ })
      .click();
    await ask.getByRole('button', { name: 'Leave and discard' }).click();
    await page.getByRole('heading', { name: 'LumaPurchaseEvent_Email' }).waitFor();
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    const other = await page.getByLabel('Events definition').innerText();
    assert.match(other, /LumaPurchaseEvent_Email/);
    assert.doesNotMatch(other, /typed and not saved/);
    const stored = await server.api('GET', '/v1/event-types/LumaCheckoutEvent_Email');
    assert.equal(stored.spec.description === 'typed and not saved', false);
  });

  test('the rule set the live Purchase Journey uses cannot be deleted: "Used by", archive instead', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/objects/rule-sets/${enc(RULES)}`);
    await page.getByRole('heading', { name: RULES }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const ask = page.getByRole('dialog', { name: `"${RULES}" is in use` });
    await ask.waitFor();
    const used = ask.getByRole('list', { name: 'Used by' });
    await used.getByRole('link', { name: /Purchase Journey v\d+ \(live\)/ }).waitFor();
    assert.match(await ask.innerText(), /Used by:/);
    assert.equal(await ask.getByRole('button', { name: 'Delete' }).isDisabled(), true);
    await browser.shot('objects-in-use');
    await ask.getByRole('button', { name: 'Archive instead' }).click();
    await page.getByRole('status').filter({ hasText: 'Archived' }).waitFor();
    await page
      .getByRole('list', { name: 'Business rules' })
      .getByRole('link', { name: new RegExp(RULES) })
      .getByText('Archived')
      .waitFor();
    assert.ok((await server.api('GET', `/v1/rule-sets/${enc(RULES)}`)).spec, 'still there');
    const journey = await server.api('GET', '/v1/journeys/purchase-journey');
    assert.equal(journey.live?.status ?? journey.status ?? 'live', 'live');
    await page.getByRole('button', { name: 'Unarchive' }).click();
    await page.getByRole('button', { name: 'Archive', exact: true }).waitFor();
    // The link in the dialog opens the journey.
    await page.getByRole('button', { name: 'Delete' }).click();
    await ask
      .getByRole('link', { name: /Purchase Journey/ })
      .first()
      .click();
    await page.waitForURL(/\/journeys\/purchase-journey$/);
    assert.equal(await page.getByRole('dialog').count(), 0);
  });

  test('an unused object is deleted after a confirmation', async () => {
    const { page } = browser;
    assert.equal(
      (
        await server.api('POST', '/v1/rule-sets', {
          name: 'Unused rules',
          domain: 'journey',
          rules: [{ kind: 'concurrency', id: 'c1', cap: 5 }],
        })
      ).status,
      'created',
    );
    await page.goto(`${server.url}/objects/rule-sets/${enc('Unused rules')}`);
    await page.getByRole('heading', { name: 'Unused rules' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const ask = page.getByRole('dialog', { name: 'Delete "Unused rules"?' });
    await ask.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/objects\/rule-sets$/);
    const gone = await fetch(`${server.apiUrl}/v1/rule-sets/${enc('Unused rules')}`, {
      headers: { authorization: `Bearer ${server.key}` },
    });
    assert.equal(gone.status, 404);
  });

  test("something starts using an object while its delete is being confirmed: the server's 409 shows who", async () => {
    const { page } = browser;
    const fragment = await server.api('POST', '/v1/fragments', {
      id: 'race-fragment',
      name: 'Race fragment',
      status: 'draft',
      channels: ['email'],
      content: { type: 'expression', source: 'Hello' },
    });
    assert.equal(fragment.status, 'created', JSON.stringify(fragment));
    await page.goto(`${server.url}/objects/fragments/race-fragment`);
    await page.getByRole('heading', { name: 'Race fragment' }).waitFor();
    await page.getByRole('button', { name: 'Delete' }).click();
    const sure = page.getByRole('dialog', { name: 'Delete "Race fragment"?' });
    await sure.waitFor();
    // Meanwhile, someone else's template starts using it.
    const template = await server.api('POST', '/v1/content-templates', {
      id: 'race-template',
      name: 'Race template',
      channel: 'email',
      content: {
        channel: 'email',
        subject: 'Hi',
        html: "<p>{{fragment id='ajo:race-fragment'}}</p>",
      },
    });
    assert.equal(template.status, 'created', JSON.stringify(template));
    await sure.getByRole('button', { name: 'Delete' }).click();
    const ask = page.getByRole('dialog', { name: '"Race fragment" is in use' });
    await ask
      .getByRole('list', { name: 'Used by' })
      .getByRole('link', { name: 'content template Race template' })
      .waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await server.api('GET', '/v1/fragments/race-fragment')).key, 'race-fragment');
  });

  test('two people save the same object: the second is asked (reload, compare, keep editing), nothing is overwritten silently', async () => {
    const { page } = browser;
    const other = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const ctx = await other.newContext({ viewport: { width: 1440, height: 900 } });
      const page2 = await ctx.newPage();
      await signIn(page2, server.url, server.key);
      const path = `/objects/rule-sets/${enc(RULES)}`;
      await page.goto(server.url + path);
      await page2.goto(server.url + path);
      for (const p of [page, page2]) {
        await p.getByRole('heading', { name: RULES }).waitFor();
        await p.getByRole('tab', { name: 'Advanced (JSON)' }).click();
      }
      const setDescription = async (p: typeof page, text: string) => {
        const spec = (await server.api('GET', `/v1/rule-sets/${enc(RULES)}`)).spec;
        await pasteInto(
          p,
          p.getByLabel('Business rules definition'),
          JSON.stringify({ ...spec, description: text }, null, 2),
        );
      };
      await setDescription(page2, 'Saved first, by the other person');
      await page2.getByRole('button', { name: 'Save' }).click();
      await page2.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await setDescription(page, 'Saved second, on an old revision');
      await page.getByRole('button', { name: 'Save' }).click();
      const ask = page.getByRole('dialog', { name: `Someone else saved "${RULES}"` });
      await ask.waitFor();
      await browser.shot('objects-conflict');
      await ask.getByRole('button', { name: 'Compare' }).click();
      const compare = page.getByRole('dialog', { name: 'Your changes and theirs' });
      const diff = compare.getByRole('table', { name: 'Differences' });
      await diff.waitFor();
      assert.match(
        await diff.innerText(),
        /description\s+"Saved second, on an old revision"\s+"Saved first, by the other person"/,
      );
      await browser.shot('objects-conflict-compare');
      await compare.getByRole('button', { name: 'Keep editing' }).click();
      await page.getByRole('alert').filter({ hasText: 'Not saved' }).waitFor();
      assert.equal(
        (await server.api('GET', `/v1/rule-sets/${enc(RULES)}`)).spec.description,
        'Saved first, by the other person',
      );
      // Reload theirs: the editor shows the stored version.
      await page.getByRole('button', { name: 'Save' }).click();
      await ask.getByRole('button', { name: 'Reload theirs' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Reloaded revision/ })
        .waitFor();
      assert.match(
        await page.getByLabel('Business rules definition').innerText(),
        /Saved first, by the other person/,
      );
    } finally {
      await other.close();
    }
  });
  test('quick search finds an object by its name, not only its key', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/journeys`);
    const search = page.getByLabel('Quick search');
    await search.click();
    await search.fill('order cont');
    const hit = page
      .getByRole('option')
      .filter({ hasText: 'Order Content' })
      .filter({ hasText: 'Fragment' });
    await hit.waitFor();
    await search.press('Enter');
    await page.waitForURL(/\/objects\/fragments\/order-content$/);
    await page.getByRole('heading', { name: 'Order Content', level: 2 }).waitFor();
    // The title follows the heading in an effect: on a loaded machine the assertion can run between
    // the two renders, so it waits (a short while) for the title it then asserts.
    const title = 'Order Content · Fragments · Waymark';
    await page
      .waitForFunction((t) => document.title === t, title, { timeout: 5_000 })
      .catch(() => undefined);
    assert.equal(await page.title(), title);
  });

  test('every object page and the packages page at 1440 and 1024 px: named in the title, no sideways scroll', async () => {
    const { page } = browser;
    const problems: string[] = [];
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      for (const route of [...GENERIC_OBJECT_KINDS, 'packages']) {
        let path = route === 'packages' ? '/packages' : `/objects/${route}`;
        if (route !== 'packages') {
          const first = (await server.api('GET', `/v1/${route}`)).items?.[0]?.key as
            string | undefined;
          if (first) path += `/${enc(first)}`;
        }
        await page.goto(server.url + path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        if (!/ · Waymark$/.test(await page.title()))
          problems.push(`${path}: title "${await page.title()}"`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        if (overflow > 1) problems.push(`${path}: scrolls sideways by ${overflow} px at ${width}`);
        await browser.shot(`objects-${width}-${route}`);
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    assert.deepEqual(problems, []);
  });
});
