// Every object kind edited with its form, as a marketer would: a demo object opened in the Form tab,
// one field changed, saved, the page reloaded and the change still there (and on the server); then
// a new object created from the form: first refused in plain words at the empty fields, then created
// once they are filled. Identity namespaces have no demo object: the one created is round-tripped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, signIn } from './support/browser.ts';
import type { Browser } from './support/browser.ts';
import { startWaymark } from './support/server.ts';
import type { Running } from './support/server.ts';

interface Kind {
  readonly route: string;
  /** The label of the text field the round trip changes. */
  readonly field: string;
  /** The spec field it writes. */
  readonly specField: string;
  /** A new object: the fields to fill (label → value) and the key it gets; none for the profile schema (one per sandbox). */
  readonly create?: {
    readonly fill: ReadonlyArray<readonly [RegExp, string]>;
    readonly key: string;
  };
}

const KINDS: readonly Kind[] = [
  {
    route: 'event-types',
    field: 'Description',
    specField: 'description',
    create: { fill: [[/^Name/, 'FormEvent']], key: 'FormEvent' },
  },
  {
    route: 'actions',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^Name/, 'FormAction'],
        [/^URL/, 'https://api.luma.example/hook'],
      ],
      key: 'FormAction',
    },
  },
  {
    route: 'audiences',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^Name/, 'Form audience'],
        [/^Attribute/, 'loyalty.tier'],
      ],
      key: 'Form audience',
    },
  },
  {
    route: 'content-templates',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^ID/, 'form-template'],
        [/^Name/, 'Form template'],
      ],
      key: 'form-template',
    },
  },
  {
    route: 'fragments',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^ID/, 'form-fragment'],
        [/^Name/, 'Form fragment'],
      ],
      key: 'form-fragment',
    },
  },
  {
    route: 'rule-sets',
    field: 'Description',
    specField: 'description',
    create: { fill: [[/^Name/, 'Form rules']], key: 'Form rules' },
  },
  {
    route: 'channel-configurations',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^Name/, 'FormMail'],
        [/^Sender address/, 'news@luma.example'],
        [/^Host/, 'smtp.luma.example'],
      ],
      key: 'FormMail',
    },
  },
  {
    route: 'namespaces',
    field: 'Display name',
    specField: 'name',
    create: {
      fill: [
        [/^Code/, 'FormNS'],
        [/^Display name/, 'Form namespace'],
      ],
      key: 'FormNS',
    },
  },
  {
    route: 'language-settings',
    field: 'Name',
    specField: 'name',
    create: {
      fill: [
        [/^ID/, 'form-languages'],
        [/^Name/, 'Form languages'],
      ],
      key: 'form-languages',
    },
  },
  {
    route: 'assets',
    field: 'Name',
    specField: 'name',
    create: {
      fill: [
        [/^ID/, 'form-asset'],
        [/^Name/, 'Form asset'],
        [/^URL/, 'https://assets.luma.example/form.png'],
      ],
      key: 'form-asset',
    },
  },
  { route: 'profile-schemas', field: 'Description', specField: 'description' },
  {
    route: 'segment-sources',
    field: 'Description',
    specField: 'description',
    create: {
      fill: [
        [/^ID/, 'luma-web'],
        [/^Name/, 'Luma website (Segment)'],
      ],
      key: 'luma-web',
    },
  },
];

const form = (page: Page) => page.getByRole('tabpanel', { name: 'Form' });

describe('every object kind has a form', () => {
  let server: Running;
  let browser: Browser;
  const errors: string[] = [];
  before(async () => {
    server = await startWaymark();
    browser = await openBrowser();
    browser.page.on('pageerror', (e) => errors.push(`${browser.page.url()}: ${e.message}`));
    await browser.page.setViewportSize({ width: 1440, height: 900 });
    await signIn(browser.page, server.url, server.key);
  });
  after(async () => {
    await browser?.shot('forms-last').catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  for (const k of KINDS) {
    if (k.create) {
      test(`${k.route}: a new one from the form, refused in plain words until its fields are filled`, async () => {
        const { page } = browser;
        await page.goto(`${server.url}/objects/${k.route}`);
        await page.getByRole('button', { name: /^Create / }).click();
        await form(page).waitFor();
        await page.getByRole('button', { name: 'Create', exact: true }).click();
        await page
          .getByRole('alert')
          .filter({ hasText: /need(s)? your attention/ })
          .waitFor();
        const invalid = form(page).locator('[aria-invalid="true"]');
        await invalid.first().waitFor();
        const text = await form(page).innerText();
        assert.match(text, /Enter |Choose |Fill in /, 'the problem said in plain words');
        assert.doesNotMatch(text, /Invalid input|expected \w+, received/);
        await browser.shot(`forms-new-${k.route}-refused`);
        for (const [label, value] of k.create!.fill)
          await form(page).getByLabel(label).first().fill(value);
        await page.getByRole('button', { name: 'Create', exact: true }).click();
        await page.waitForURL(
          new RegExp(
            `/objects/${k.route}/${encodeURIComponent(k.create!.key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
          ),
        );
        const stored = await server.api(
          'GET',
          `/v1/${k.route}/${encodeURIComponent(k.create!.key)}`,
        );
        assert.equal(stored.key, k.create!.key, JSON.stringify(stored));
      });
    }

    test(`${k.route}: change a field in the form, save, reload, still there`, async () => {
      const { page } = browser;
      const items = (await server.api('GET', `/v1/${k.route}`)).items as Array<{ key: string }>;
      const key = k.route === 'namespaces' ? k.create!.key : items[0]!.key;
      await page.goto(`${server.url}/objects/${k.route}/${encodeURIComponent(key)}`);
      const field = form(page).getByLabel(k.field, { exact: false }).first();
      await field.waitFor();
      const value = `Changed in the ${k.route} form`;
      await field.fill(value);
      await page.getByRole('status', { name: 'Unsaved changes' }).waitFor();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await browser.shot(`forms-${k.route}`);
      await page.reload();
      await form(page).getByLabel(k.field, { exact: false }).first().waitFor();
      assert.equal(
        await form(page).getByLabel(k.field, { exact: false }).first().inputValue(),
        value,
      );
      const stored = await server.api('GET', `/v1/${k.route}/${encodeURIComponent(key)}`);
      assert.equal(stored.spec[k.specField], value);
    });
  }

  test('no script error on any form', () => {
    assert.deepEqual(
      errors.filter((e) => e.includes('/objects/')),
      [],
    );
  });
});
