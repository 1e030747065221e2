// Machine translation through the Azure Translator v3 protocol, against a local server speaking it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { azureTranslator } from '../../src/channels/translation/azure-translator.ts';
import { deeplTranslator } from '../../src/channels/translation/deepl.ts';
import type { OutboundPolicy } from '../../src/channels/outbound/index.ts';

// The stand-in providers listen on loopback: the policy lists it, as an operator would.
const LOOPBACK: OutboundPolicy = { allowHosts: ['127.0.0.1'] };
import {
  translateContent,
  runTranslationProject,
  translationLockViolation,
  startProject,
  advanceTarget,
  projectStatus,
  isLockedForTranslation,
  compileMessage,
  type TranslationProject,
} from '../../src/content/index.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import { input } from './helpers.ts';

const dictionary: Record<string, Record<string, string>> = {
  es: {
    'your cart is waiting': 'tu carrito te espera',
    'Return to my cart': 'Volver a mi carrito',
  },
  fr: {
    'your cart is waiting': 'votre panier vous attend',
    'Return to my cart': 'Retourner à mon panier',
  },
};
const seen: Array<{ url: string; key: string | undefined; region: string | undefined }> = [];
const deeplSeen: Array<{ source: string; target: string; tagHandling: string | undefined }> = [];

/** Translates known phrases, leaves class="notranslate" spans as they are, like the service. */
function fakeTranslate(text: string, to: string): string {
  const parts = text.split(/(<span class="notranslate"[^>]*>[\s\S]*?<\/span>)/);
  return parts
    .map((p) =>
      p.startsWith('<span class="notranslate"')
        ? p
        : Object.entries(dictionary[to] ?? {}).reduce((s, [a, b]) => s.split(a).join(b), p),
    )
    .join('');
}

let server: Server;
let endpoint = '';
before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({
      url: req.url ?? '',
      key: req.headers['ocp-apim-subscription-key'] as string | undefined,
      region: req.headers['ocp-apim-subscription-region'] as string | undefined,
    });
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (url.pathname === '/v2/translate') {
        if (req.headers['authorization'] !== 'DeepL-Auth-Key d-456') {
          res.statusCode = 403;
          res.end(JSON.stringify({ message: 'Authorization failure, check auth_key' }));
          return;
        }
        const b = JSON.parse(body) as {
          text: string[];
          source_lang: string;
          target_lang: string;
          tag_handling?: string;
        };
        deeplSeen.push({
          source: b.source_lang,
          target: b.target_lang,
          tagHandling: b.tag_handling,
        });
        res.end(
          JSON.stringify({
            translations: b.text.map((t) => ({
              detected_source_language: b.source_lang,
              text: fakeTranslate(t, b.target_lang.toLowerCase()),
            })),
          }),
        );
        return;
      }
      if (req.headers['ocp-apim-subscription-key'] !== 'k-123') {
        res.statusCode = 401;
        res.end(
          JSON.stringify({
            error: {
              code: 401000,
              message: 'The request is not authorized because credentials are missing or invalid.',
            },
          }),
        );
        return;
      }
      if (url.pathname !== '/translate' || url.searchParams.get('api-version') !== '3.0') {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { code: 400000, message: 'bad request' } }));
        return;
      }
      const to = url.searchParams.get('to') ?? '';
      const items = JSON.parse(body) as Array<{ Text: string }>;
      res.end(
        JSON.stringify(
          items.map((i) => ({ translations: [{ text: fakeTranslate(i.Text, to), to }] })),
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

describe('automated translation', () => {
  test('the adapter speaks Azure Translator v3: api-version, languages, key and region headers', async () => {
    const p = azureTranslator({ endpoint, outbound: LOOPBACK, key: 'k-123', region: 'westeurope' });
    const out = await p.translate({
      texts: [
        'Return to my cart',
        '<span class="notranslate">{{profile.x}}</span>, your cart is waiting',
      ],
      from: 'en_US',
      to: 'es_ES',
      format: 'html',
    });
    assert.deepEqual(out, [
      'Volver a mi carrito',
      '<span class="notranslate">{{profile.x}}</span>, tu carrito te espera',
    ]);
    const last = seen.at(-1);
    assert.equal(last?.url, '/translate?api-version=3.0&from=en&to=es&textType=html');
    assert.deepEqual([last?.key, last?.region], ['k-123', 'westeurope']);
  });

  test('the DeepL adapter speaks DeepL v2: auth header, language codes, HTML tag handling', async () => {
    const p = deeplTranslator({ endpoint, outbound: LOOPBACK, key: 'd-456' });
    const out = await p.translate({
      texts: [
        '<span class="notranslate" translate="no">{{profile.x}}</span>, your cart is waiting',
      ],
      from: 'en_US',
      to: 'fr_FR',
      format: 'html',
    });
    assert.deepEqual(out, [
      '<span class="notranslate" translate="no">{{profile.x}}</span>, votre panier vous attend',
    ]);
    assert.deepEqual(deeplSeen.at(-1), { source: 'EN', target: 'FR', tagHandling: 'html' });
    await assert.rejects(
      deeplTranslator({ endpoint, outbound: LOOPBACK, key: 'nope' }).translate({
        texts: ['x'],
        from: 'en',
        to: 'es',
        format: 'plain',
      }),
      /DeepL answered 403/,
    );
  });

  test('provider errors become WaymarkErrors with the status', async () => {
    const p = azureTranslator({ endpoint, outbound: LOOPBACK, key: 'wrong' });
    await assert.rejects(
      p.translate({ texts: ['x'], from: 'en', to: 'fr', format: 'plain' }),
      (e: Error & { code?: string; retryable?: boolean }) =>
        e.code === 'provider_error' && e.retryable === false && /401/.test(e.message),
    );
  });

  test('the abandoned-cart email translated into French keeps its personalization and renders', async () => {
    const { library } = loadLumaContent();
    const t = library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(t !== undefined && t.content.channel === 'email');
    const source = { ...t.content, locales: undefined };
    const fr = await translateContent(
      source,
      'en_US',
      'fr_FR',
      azureTranslator({ endpoint, outbound: LOOPBACK, key: 'k-123' }),
    );
    assert.equal(fr['subject'], '{{profile.person.name.firstName}}, votre panier vous attend');
    const r = await compileMessage({ ...source, locales: { fr_FR: fr } }, library);
    if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
    const o = r.message.render(
      input({ person: { name: { firstName: 'Zoé' } }, preferredLanguage: 'fr' }),
    );
    if (!o.ok || o.channel !== 'email') assert.fail(JSON.stringify(o));
    assert.equal(o.subject, 'Zoé, votre panier vous attend');
    assert.match(o.html, /Retourner à mon panier/);
  });

  test('a project translates every target, locks edits while in progress, and records provider failures', async () => {
    const { library } = loadLumaContent();
    const t = library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(t !== undefined && t.content.channel === 'email');
    const source = { ...t.content, locales: undefined };
    const project = startProject(
      'tp-lab',
      'en_US',
      [
        { locale: 'es_ES', provider: 'azure' },
        { locale: 'fr_FR', provider: 'azure' },
        { locale: 'de_DE', provider: 'broken' },
      ],
      true,
    );
    assert.match(
      translationLockViolation(project, source, { ...source, subject: 'changed' }) ?? '',
      /locked while translation project tp-lab is in progress/,
    );
    const out = await runTranslationProject(source, project, {
      azure: azureTranslator({ endpoint, outbound: LOOPBACK, key: 'k-123' }),
      broken: azureTranslator({ endpoint, outbound: LOOPBACK, key: 'wrong' }),
    });
    assert.deepEqual(
      out.project.targets.map((x) => [x.locale, x.status]),
      [
        ['es_ES', 'ready_for_review'],
        ['fr_FR', 'ready_for_review'],
        ['de_DE', 'in_progress'],
      ],
    );
    assert.deepEqual(
      out.failures.map((f) => f.locale),
      ['de_DE'],
    );
    assert.equal(
      (out.content.locales?.['es_ES'] as { subject?: string } | undefined)?.subject,
      '{{profile.person.name.firstName}}, tu carrito te espera',
    );
    const done = startProject('tp-done', 'en_US', [], false);
    assert.equal(
      translationLockViolation(done, source, { ...source, subject: 'changed' }),
      undefined,
    );
  });

  test('project statuses: in progress -> ready for review -> reviewed -> completed; locked while in progress', () => {
    let p: TranslationProject = startProject(
      'tp-1',
      'en_US',
      [
        { locale: 'es_ES', provider: 'azure' },
        { locale: 'fr_FR', provider: 'azure' },
      ],
      true,
    );
    assert.equal(projectStatus(p), 'in_progress');
    assert.equal(isLockedForTranslation(p), true);
    const step = (locale: string, e: 'translated' | 'approved' | 'published'): void => {
      const n = advanceTarget(p, locale, e);
      if ('error' in n) assert.fail(n.error);
      p = n;
    };
    step('es_ES', 'translated');
    step('fr_FR', 'translated');
    assert.equal(projectStatus(p), 'ready_for_review');
    assert.equal(isLockedForTranslation(p), false);
    assert.deepEqual(advanceTarget(p, 'es_ES', 'published'), {
      error: 'cannot published locale es_ES while it is ready_for_review',
    });
    step('es_ES', 'approved');
    step('fr_FR', 'approved');
    assert.equal(projectStatus(p), 'reviewed');
    step('es_ES', 'published');
    step('fr_FR', 'published');
    assert.equal(projectStatus(p), 'completed');
    const auto = advanceTarget(
      startProject('tp-2', 'en_US', [{ locale: 'fr_FR', provider: 'azure' }], false),
      'fr_FR',
      'translated',
    );
    assert.ok(!('error' in auto) && projectStatus(auto) === 'completed');
  });
});
