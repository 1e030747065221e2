// Translation projects through the API: the lab's "Translate" of the cart-abandoned email into
// Spanish and French with the development translator (template tags intact, the template's
// locales written with a new revision), a provider behind a real loopback HTTP server that fails
// once then answers (retried), the review flow, bad input naming its path, providers without keys,
// and a project left in progress by a stop resumed at the next start.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEVELOPMENT_TRANSLATOR_NAME } from '../../src/channels/translation/development-translator.ts';
import { compileMessage } from '../../src/content/index.ts';
import type { MessageContent } from '../../src/model/message-content.ts';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { createSandbox } from '../support/sandboxes.ts';
import { testStoreKind } from '../support/test-store.ts';

const CART = 'luma-cart-abandoned-email';

/** The template as the lab finds it: not translated yet (the demo ships Spanish and French variants). */
async function untranslated(w: ApiWorld): Promise<void> {
  const t = (await w.request('GET', `/v1/content-templates/${CART}`)).body.spec;
  const { locales: _locales, ...content } = t.content;
  const r = await w.request('PUT', `/v1/content-templates/${CART}`, { ...t, content });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(
    (await w.request('GET', `/v1/content-templates/${CART}`)).body.spec.content.locales,
    undefined,
  );
}

/** Polls GET /v1/translation-projects/:id (as the console does) until it is no longer in progress. */
async function finished(w: ApiWorld, id: string): Promise<any> {
  for (let i = 0; i < 200; i++) {
    const r = await w.request('GET', `/v1/translation-projects/${id}`);
    assert.equal(r.status, 200);
    if (r.body.status !== 'in_progress') return r.body;
    await new Promise((res) => setTimeout(res, 25));
  }
  assert.fail(`project ${id} still in progress`);
}

/** An Azure Translator v3 stand-in that answers `failures` 500s before translating (prefixing "ES:"). */
async function flakyAzure(
  failures: number,
): Promise<{ url: string; calls: () => number; keys: string[]; close: () => Promise<void> }> {
  let calls = 0;
  const keys: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      calls++;
      keys.push(String(req.headers['ocp-apim-subscription-key']));
      res.setHeader('Content-Type', 'application/json');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (calls <= failures) {
        res.statusCode = 500;
        res.end(
          JSON.stringify({ error: { code: 500000, message: 'An unexpected error occurred.' } }),
        );
        return;
      }
      const to = url.searchParams.get('to') ?? '';
      const items = JSON.parse(body) as Array<{ Text: string }>;
      // Leaves the protected spans as they are, like the service; marks the rest.
      res.end(
        JSON.stringify(
          items.map((i) => ({ translations: [{ text: `${to.toUpperCase()}: ${i.Text}`, to }] })),
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    keys,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('translation projects', () => {
  test('the lab: the cart-abandoned template translated to es_ES and fr_FR by the development translator; tags intact; the template gets both locales', async () => {
    const w = await apiWorld();
    try {
      await untranslated(w);
      w.app.translations.configure([{ kind: 'development' }]);
      const providers = await w.request('GET', '/v1/translation-providers');
      assert.deepEqual(providers.body, {
        items: [
          {
            name: DEVELOPMENT_TRANSLATOR_NAME,
            kind: 'development',
            development: true,
            default: true,
          },
        ],
      });
      const before = await w.request('GET', `/v1/content-templates/${CART}`);
      const revision = before.body.revision as number;

      const started = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
      });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const p = started.body.project;
      assert.equal(p.languageSettings, 'Luma_Language_Settings', "the content's own");
      assert.equal(p.sourceLocale, 'en_US', "the settings' first locale");
      assert.equal(p.provider, DEVELOPMENT_TRANSLATOR_NAME);
      assert.deepEqual(p.source, {
        kind: 'content-template',
        key: CART,
        name: 'Luma - Cart Abandoned Email',
      });
      assert.deepEqual(
        p.targets.map((t: any) => t.locale),
        ['es_ES', 'fr_FR'],
        'every other locale of the settings',
      );

      const done = await finished(w, p.id);
      assert.equal(done.status, 'completed');
      assert.deepEqual(
        done.targets.map((t: any) => [t.locale, t.status, t.attempts]),
        [
          ['es_ES', 'completed', 1],
          ['fr_FR', 'completed', 1],
        ],
      );
      assert.equal(
        done.result.locales.es_ES.subject,
        '{{profile.person.name.firstName}}, tu carrito te espera',
      );
      assert.equal(
        done.result.locales.fr_FR.subject,
        '{{profile.person.name.firstName}}, votre panier vous attend',
      );

      const after = await w.request('GET', `/v1/content-templates/${CART}`);
      assert.ok(after.body.revision > revision, 'a new revision of the template');
      const content = after.body.spec.content as MessageContent & { locales: Record<string, any> };
      assert.deepEqual(Object.keys(content.locales).sort(), ['es_ES', 'fr_FR']);
      const es = JSON.stringify(content.locales['es_ES']);
      assert.match(
        es,
        /\{\{#each context\.journey\.events\.LumaCheckoutEvent_Email\.productListItems as \|item\|\}\}\{\{fragment id='ajo:order-content' mode='inline'\}\}\{\{\/each\}\}/,
        'the block helper and fragment tag intact',
      );
      assert.doesNotMatch(es, /notranslate/, 'the protecting spans are removed');
      assert.match(es, /Volver a mi carrito/);
      assert.match(
        JSON.stringify(content.locales['fr_FR']),
        /\[fr_FR\] Luma/,
        'sentences it has no word for are marked: not a real translation',
      );

      // The translated template renders in Spanish for a Spanish-speaking profile.
      const library = (await w.app.catalogs.get('prod')).content;
      const compiled = await compileMessage(content, library);
      if (!compiled.ok) assert.fail(JSON.stringify(compiled.diagnostics));

      const list = await w.request('GET', '/v1/translation-projects');
      assert.deepEqual(
        list.body.items.map((x: any) => x.id),
        [p.id],
      );
      assert.equal(
        list.body.items[0].result.locales.es_ES.subject,
        done.result.locales.es_ES.subject,
      );
    } finally {
      await w.close();
    }
  });

  test('a provider answering 500 then 200 (a real Azure protocol server on loopback) is retried; its key never shows', async () => {
    const azure = await flakyAzure(1);
    const w = await apiWorld();
    try {
      w.app.translations.configure(
        [{ kind: 'azure', key: 'azure-secret-key-123', endpoint: azure.url, region: 'westeurope' }],
        null,
        { retryDelaysMs: [50, 50, 50] },
      );
      const providers = await w.request('GET', '/v1/translation-providers');
      assert.deepEqual(providers.body.items, [
        { name: 'azure-translator', kind: 'azure', development: false, default: true },
      ]);
      assert.doesNotMatch(JSON.stringify(providers.body), /azure-secret-key|127\.0\.0\.1/);
      const started = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
        targets: ['es_ES'],
        provider: 'azure',
      });
      assert.equal(started.status, 202, JSON.stringify(started.body));
      const done = await finished(w, started.body.project.id);
      assert.deepEqual(
        done.targets.map((t: any) => [t.locale, t.status, t.attempts]),
        [['es_ES', 'completed', 2]],
      );
      assert.equal(azure.calls(), 2);
      assert.deepEqual(azure.keys, ['azure-secret-key-123', 'azure-secret-key-123']);
      assert.equal(
        done.result.locales.es_ES.subject,
        'ES: {{profile.person.name.firstName}}, your cart is waiting',
      );
      assert.doesNotMatch(JSON.stringify(done), /azure-secret-key/);
    } finally {
      await w.close();
      await azure.close();
    }
  });

  test('a provider that keeps failing: the locale fails with its error after the retries; inline content gives result.locales only', async () => {
    const azure = await flakyAzure(100);
    const w = await apiWorld();
    try {
      w.app.translations.configure(
        [{ kind: 'azure', key: 'k', endpoint: azure.url }, { kind: 'development' }],
        'development',
        { retryDelaysMs: [20, 20, 20] },
      );
      const before = await w.request('GET', `/v1/content-templates/${CART}`);
      const started = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
        targets: ['fr_FR'],
        provider: 'azure-translator',
      });
      const failed = await finished(w, started.body.project.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.targets[0].status, 'failed');
      assert.match(
        failed.targets[0].error,
        /translator answered 500: An unexpected error occurred/,
      );
      assert.equal(failed.targets[0].attempts, 4, 'the first call and three retries');
      assert.equal(
        (await w.request('GET', `/v1/content-templates/${CART}`)).body.revision,
        before.body.revision,
        'the template is untouched',
      );

      // Content being edited (a journey activity in the designer): the result only, nothing written.
      const inline = {
        channel: 'sms',
        text: 'Your cart is waiting: {{profile.person.name.firstName}}',
        languageSettings: 'Luma_Language_Settings',
      };
      const s = await w.request('POST', '/v1/translation-projects', {
        name: 'SMS reminder',
        source: { kind: 'content', content: inline },
        targets: ['es_ES'],
      });
      assert.equal(s.status, 202, JSON.stringify(s.body));
      assert.deepEqual(s.body.project.source, { kind: 'content', channel: 'sms' });
      assert.equal(s.body.project.provider, DEVELOPMENT_TRANSLATOR_NAME, 'the default provider');
      const done = await finished(w, s.body.project.id);
      assert.deepEqual(done.result, {
        locales: { es_ES: { text: 'Tu carrito te espera: {{profile.person.name.firstName}}' } },
      });
      const list = await w.request('GET', '/v1/translation-projects');
      assert.deepEqual(
        list.body.items.map((x: any) => x.name),
        ['SMS reminder', 'Luma - Cart Abandoned Email'],
        'newest first',
      );
    } finally {
      await w.close();
      await azure.close();
    }
  });

  test('DeepL through a real DeepL v2 protocol server on loopback; a provider host the sandbox does not allow is refused, not retried', async () => {
    const seen: Array<{
      auth: string | undefined;
      body: { text: string[]; source_lang: string; target_lang: string; tag_handling?: string };
    }> = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        const b = JSON.parse(body) as {
          text: string[];
          source_lang: string;
          target_lang: string;
          tag_handling?: string;
        };
        seen.push({ auth: req.headers['authorization'], body: b });
        res.setHeader('Content-Type', 'application/json');
        if (req.url !== '/v2/translate') {
          res.statusCode = 404;
          res.end('{}');
          return;
        }
        res.end(
          JSON.stringify({
            translations: b.text.map((t) => ({
              detected_source_language: 'EN',
              text: `${b.target_lang}: ${t}`,
            })),
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const w = await apiWorld();
    await createSandbox(w, 'dev');
    try {
      w.app.translations.configure([{ kind: 'deepl', key: 'deepl-key-1', endpoint: url }], null, {
        retryDelaysMs: [20, 20, 20],
      });
      const s = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
        targets: ['fr_FR'],
      });
      const done = await finished(w, s.body.project.id);
      assert.equal(done.status, 'completed', JSON.stringify(done));
      assert.equal(done.provider, 'deepl');
      assert.equal(
        done.result.locales.fr_FR.subject,
        'FR: {{profile.person.name.firstName}}, your cart is waiting',
      );
      assert.equal(seen[0]?.auth, 'DeepL-Auth-Key deepl-key-1');
      assert.deepEqual(
        [seen[0]?.body.source_lang, seen[0]?.body.target_lang, seen[0]?.body.tag_handling],
        ['EN', 'FR', 'html'],
      );
      assert.match(
        seen[0]!.body.text[0]!,
        /^<span class="notranslate" translate="no">\{\{profile\.person\.name\.firstName\}\}<\/span>, your cart is waiting$/,
        'tags travel protected',
      );

      // The dev sandbox does not list 127.0.0.1: the call never leaves, and the locale fails at once.
      const dev = { 'x-sandbox-name': 'dev' };
      assert.equal(
        (
          await w.request(
            'PUT',
            '/v1/language-settings/Dev_Settings',
            {
              id: 'Dev_Settings',
              name: 'Dev',
              locales: [{ locale: 'en_US' }, { locale: 'fr_FR' }],
            },
            dev,
          )
        ).status,
        201,
      );
      const calls = seen.length;
      const r = await w.request(
        'POST',
        '/v1/translation-projects',
        {
          source: {
            kind: 'content',
            content: { channel: 'sms', text: 'Your order', languageSettings: 'Dev_Settings' },
          },
        },
        dev,
      );
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const refused = await finished(
        { ...w, request: (m, u, b) => w.request(m, u, b, dev) },
        r.body.project.id,
      );
      assert.equal(refused.targets[0].status, 'failed');
      assert.equal(refused.targets[0].attempts, 1, 'a refusal is not retried');
      assert.match(refused.targets[0].error, /127\.0\.0\.1/);
      assert.equal(seen.length, calls, 'nothing reached the server');
      assert.equal(
        (await w.request('GET', '/v1/translation-projects')).body.items.length,
        1,
        'projects are per sandbox',
      );
    } finally {
      await w.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  test('review: ready_for_review, approve, publish writes the template; wrong steps are refused', async () => {
    const w = await apiWorld();
    try {
      await untranslated(w);
      w.app.translations.configure([{ kind: 'development' }]);
      const started = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
        review: true,
      });
      const id = started.body.project.id as string;
      const ready = await finished(w, id);
      assert.equal(ready.status, 'ready_for_review');
      assert.equal(
        (await w.request('GET', `/v1/content-templates/${CART}`)).body.spec.content.locales,
        undefined,
        'nothing written before review',
      );
      const early = await w.request('POST', `/v1/translation-projects/${id}/targets/es_ES/publish`);
      assert.equal(early.status, 409);
      assert.match(
        early.body.error.message,
        /cannot publish locale es_ES while it is ready_for_review/,
      );
      assert.equal(
        (await w.request('POST', `/v1/translation-projects/${id}/targets/es_ES/approve`)).body
          .project.targets[0].status,
        'reviewed',
      );
      const published = await w.request(
        'POST',
        `/v1/translation-projects/${id}/targets/es_ES/publish`,
      );
      assert.equal(published.status, 200);
      assert.deepEqual(
        published.body.project.targets.map((t: any) => [t.locale, t.status]),
        [
          ['es_ES', 'completed'],
          ['fr_FR', 'ready_for_review'],
        ],
      );
      assert.equal(published.body.project.status, 'ready_for_review');
      assert.deepEqual(
        Object.keys(
          (await w.request('GET', `/v1/content-templates/${CART}`)).body.spec.content.locales,
        ),
        ['es_ES'],
      );
      assert.equal(
        (await w.request('POST', `/v1/translation-projects/${id}/targets/de_DE/approve`)).status,
        404,
      );
      assert.equal((await w.request('GET', '/v1/translation-projects/tp-nope')).status, 404);
    } finally {
      await w.close();
    }
  });

  test('bad input answers 400 naming the path', async () => {
    const w = await apiWorld();
    try {
      const none = await w.request('POST', '/v1/translation-projects', {
        source: { kind: 'content-template', key: CART },
      });
      assert.equal(none.status, 400);
      assert.equal(none.body.error.issues[0].path, 'provider', 'no provider configured');
      w.app.translations.configure([{ kind: 'development' }]);
      const cases: Array<[unknown, string, RegExp]> = [
        [{ source: { kind: 'content-template', key: 'nope' } }, 'source.key', /does not exist/],
        [
          { source: { kind: 'content-template', key: CART }, targets: ['de_DE'] },
          'targets.0',
          /not a locale of Luma_Language_Settings/,
        ],
        [
          { source: { kind: 'content-template', key: CART }, targets: ['es_ES', 'not a locale'] },
          'targets.1',
          /locale/,
        ],
        [
          { source: { kind: 'content-template', key: CART }, targets: ['en_US'] },
          'targets.0',
          /source locale/,
        ],
        [
          { source: { kind: 'content-template', key: CART }, sourceLocale: 'it_IT' },
          'sourceLocale',
          /not a locale/,
        ],
        [
          { source: { kind: 'content-template', key: CART }, languageSettings: 'Other' },
          'languageSettings',
          /do not exist/,
        ],
        [
          { source: { kind: 'content-template', key: CART }, provider: 'google' },
          'provider',
          /not a configured provider/,
        ],
        [
          { source: { kind: 'content', content: { channel: 'sms', text: 'hi' } } },
          'languageSettings',
          /names no language settings|give the language settings/,
        ],
        [
          { source: { kind: 'content', content: { channel: 'fax' } } },
          'source.content.channel',
          /./,
        ],
        [{ source: { kind: 'page', key: 'x' } }, 'source.kind', /./],
        [{ source: { kind: 'content-template', key: CART }, extra: 1 }, '(root)', /extra/],
      ];
      for (const [body, path, message] of cases) {
        const r = await w.request('POST', '/v1/translation-projects', body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.status}`);
        const issue = r.body.error.issues.find((i: any) => i.path === path);
        assert.ok(
          issue,
          `${JSON.stringify(body)}: no issue at "${path}" in ${JSON.stringify(r.body.error.issues)}`,
        );
        assert.match(`${issue.message} ${r.body.error.message}`, message);
      }
      assert.equal(
        (await w.request('GET', '/v1/translation-projects')).body.items.length,
        0,
        'nothing started',
      );
    } finally {
      await w.close();
    }
  });

  test(
    'a project in progress when the server stopped resumes at the next start',
    { skip: testStoreKind !== 'sqlite' ? 'the file-backed restart runs on SQLite' : false },
    async () => {
      const dbPath = join(mkdtempSync(join(tmpdir(), 'waymark-tp-')), 'waymark.db');
      const first = await apiWorld({ store: 'sqlite', dbPath });
      let id: string;
      try {
        first.app.translations.configure([{ kind: 'development' }]);
        const started = await first.request('POST', '/v1/translation-projects', {
          source: { kind: 'content-template', key: CART },
        });
        id = started.body.project.id;
        // Put back as it was stored before any locale was done: what a stop mid-translation leaves.
        const row = (await first.app.reads.getTranslationProject('prod', id))!;
        await first.app.translations.settle();
        const body = row.body as { targets: Array<{ status: string }>; result: unknown };
        await first.store.putTranslationProject({
          ...row,
          status: 'in_progress',
          body: {
            ...body,
            status: 'in_progress',
            targets: body.targets.map((t) => ({ ...t, status: 'in_progress', attempts: 0 })),
            result: { locales: {} },
          },
        });
      } finally {
        await first.close();
      }
      const second = await apiWorld({ store: 'sqlite', dbPath });
      try {
        assert.equal(
          (await second.request('GET', `/v1/translation-projects/${id}`)).body.status,
          'in_progress',
        );
        second.app.translations.configure([{ kind: 'development' }]);
        assert.equal(await second.app.translations.resume(), 1);
        const done = await finished(second, id);
        assert.equal(done.status, 'completed');
        assert.deepEqual(
          done.targets.map((t: any) => t.status),
          ['completed', 'completed'],
        );
      } finally {
        await second.close();
      }
    },
  );
});
