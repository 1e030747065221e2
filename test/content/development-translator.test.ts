// The development translator (not a real translation) and the providers read from the environment:
// recognisable output, HTML and protected template tags untouched, keys never shown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEVELOPMENT_TRANSLATOR_NAME,
  developmentTranslate,
  developmentTranslator,
} from '../../src/channels/translation/development-translator.ts';
import {
  configuredTranslator,
  translatorsFromEnv,
} from '../../src/channels/translation/configured.ts';
import { translateContent } from '../../src/content/index.ts';
import { shieldTags } from '../../src/content/translation.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';

describe('development translator', () => {
  test('named as not a real translation; common email words swapped, other sentences marked with the locale', async () => {
    const t = developmentTranslator();
    assert.equal(t.name, 'development (not a real translation)');
    assert.deepEqual(
      await t.translate({
        texts: ['Return to my cart', 'Luma Retail, San Jose', 'Your order'],
        from: 'en_US',
        to: 'es_ES',
        format: 'plain',
      }),
      ['Volver a mi carrito', '[es_ES] Luma Retail, San Jose', 'Tu pedido'],
    );
    assert.deepEqual(
      await t.translate({ texts: ['Your order'], from: 'en_US', to: 'fr_FR', format: 'plain' }),
      ['Votre commande'],
    );
    assert.deepEqual(
      await t.translate({ texts: ['Your order'], from: 'en_US', to: 'de_DE', format: 'plain' }),
      ['[de_DE] Your order'],
      'a language it has no table for: marked',
    );
  });

  test('tags, attributes and protected template tags pass through untouched', () => {
    const html = shieldTags(
      '<p class="cart">{{profile.person.name.firstName}}, your cart <a href="https://luma.example/cart?your=cart" title="cart">is waiting</a></p>{{#each items as |item|}}{{item.name}}{{/each}}',
    );
    const out = developmentTranslate(html, 'fr_FR');
    assert.equal(
      out,
      '<p class="cart"><span class="notranslate" translate="no">{{profile.person.name.firstName}}</span>, votre panier <a href="https://luma.example/cart?your=cart" title="cart">est en attente</a></p>' +
        '<span class="notranslate" translate="no">{{#each items as |item|}}</span><span class="notranslate" translate="no">{{item.name}}</span><span class="notranslate" translate="no">{{/each}}</span>',
    );
  });

  test('the cart-abandoned email through translateContent: every tag of the source is in the translation', async () => {
    const { library } = loadLumaContent();
    const t = library.contentTemplate('luma-cart-abandoned-email')!;
    assert.ok(t.content.channel === 'email');
    const source = { ...t.content, locales: undefined };
    const es = await translateContent(source, 'en_US', 'es_ES', developmentTranslator());
    const tags = (s: string): string[] => s.match(/\{\{[\s\S]*?\}\}/g) ?? [];
    assert.deepEqual(
      tags(JSON.stringify(es)),
      tags(
        JSON.stringify({
          subject: source.subject,
          preheader: source.preheader,
          document: (source as { document?: unknown }).document,
        }),
      ),
    );
    assert.equal(es['subject'], '{{profile.person.name.firstName}}, tu carrito te espera');
  });
});

describe('providers from the environment', () => {
  test('Azure and DeepL from their keys, development with --demo; the default from WAYMARK_TRANSLATOR', () => {
    assert.deepEqual(translatorsFromEnv({}, { demo: false }), { configs: [], defaultKind: null });
    assert.deepEqual(translatorsFromEnv({}, { demo: true }), {
      configs: [{ kind: 'development' }],
      defaultKind: 'development',
    });
    const all = translatorsFromEnv(
      {
        AZURE_TRANSLATOR_KEY: 'az',
        AZURE_TRANSLATOR_REGION: 'westeurope',
        DEEPL_AUTH_KEY: 'dl:fx',
        WAYMARK_TRANSLATOR: 'deepl',
      },
      { demo: true },
    );
    assert.deepEqual(
      all.configs.map((c) => c.kind),
      ['azure', 'deepl', 'development'],
    );
    assert.equal(all.defaultKind, 'deepl');
    assert.throws(
      () => translatorsFromEnv({ WAYMARK_TRANSLATOR: 'google' }, { demo: false }),
      /WAYMARK_TRANSLATOR must be azure, deepl or development, not "google"/,
    );
    assert.throws(
      () => translatorsFromEnv({ WAYMARK_TRANSLATOR: 'azure' }, { demo: false }),
      /needs AZURE_TRANSLATOR_KEY/,
    );
    assert.deepEqual(
      translatorsFromEnv({ WAYMARK_TRANSLATOR: 'development' }, { demo: false }).configs,
      [{ kind: 'development' }],
    );
  });

  test('what a provider shows holds no key or endpoint', () => {
    for (const c of [
      { kind: 'azure' as const, key: 'secret-az', endpoint: 'https://az.example' },
      { kind: 'deepl' as const, key: 'secret-dl:fx' },
      { kind: 'development' as const },
    ]) {
      const { provider: _p, ...shown } = configuredTranslator(c);
      assert.doesNotMatch(JSON.stringify(shown), /secret|example/);
    }
    assert.equal(configuredTranslator({ kind: 'development' }).name, DEVELOPMENT_TRANSLATOR_NAME);
  });
});
