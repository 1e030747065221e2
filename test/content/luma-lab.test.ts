// The lab's messages, rendered as the issue's "What it must show" asks.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileMessage,
  applyContentTemplate,
  checkTemplateEdit,
  type CompiledMessage,
  type RenderOutcome,
} from '../../src/content/index.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import type { MessageContent } from '../../src/model/message-content.ts';
import { input } from './helpers.ts';

const { library, orderConfirmationEmail } = loadLumaContent();
const items = [
  { name: 'Zing Jump Rope', SKU: 'UG04', quantity: 1, priceTotal: 12 },
  { name: 'Affirm Water Bottle', SKU: 'UG06', quantity: 2, priceTotal: 14 },
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
];
const purchase = {
  LumaPurchaseEvent_Email: {
    productListItems: items,
    _aeppartner1: { identification: { core: { email: 'ana@luma.example' } } },
  },
};
const actions = {
  LoyaltyService: { PromoCode: 'LUMA-GOLD-25', LoyaltyOffer: '25% off your next purchase' },
};
const ana = {
  person: { name: { firstName: 'Ana', lastName: 'Lopez' } },
  preferredLanguage: 'en_US',
};

function email(o: RenderOutcome): Extract<RenderOutcome, { ok: true; channel: 'email' }> {
  if (!o.ok) assert.fail(o.message);
  if (o.channel !== 'email') assert.fail(`expected an email, got ${o.channel}`);
  return o;
}
async function compiled(c: MessageContent): Promise<CompiledMessage> {
  const r = await compileMessage(c, library);
  if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
  return r.message;
}
/** Balanced tags for the elements that break layouts when left open. */
function assertHtmlParses(html: string): void {
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<\/html>\s*$/);
  for (const tag of ['table', 'tr', 'td', 'div', 'p', 'a']) {
    const open = (html.match(new RegExp(`<${tag}[\\s>]`, 'g')) ?? []).length;
    const close = (html.match(new RegExp(`</${tag}>`, 'g')) ?? []).length;
    assert.equal(open, close, `<${tag}> opened ${open} times, closed ${close}`);
  }
  assert.doesNotMatch(html, /\{\{|\{%|WMPH\d|undefined/);
}

describe('Order Confirmation Email', async () => {
  const message = await compiled(orderConfirmationEmail);

  test('uses the lab fragments, each compiled at its current version', () => {
    assert.deepEqual(message.fragments.map((f) => f.id).sort(), [
      'luma-footer-fragment',
      'order-confirmation-text',
      'order-content',
      'promo-code-fragment',
    ]);
  });

  test('for a non-app user: subject, one row per item, promo code and offer, mobile-app banner, footer', () => {
    const o = email(
      message.render(
        input(ana, {
          events: purchase,
          actions,
          audiences: { 'Not Luma Mobile App Users': 'realized' },
        }),
      ),
    );
    assert.equal(o.subject, 'Ana, your order confirmation');
    assert.equal(o.preheader, 'Thank you for shopping at Luma');
    const rows = [
      ...o.html.matchAll(
        /<tr class="order-item"><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => m.slice(1));
    assert.deepEqual(rows, [
      ['Zing Jump Rope', 'UG04', '1', '$12.00'],
      ['Affirm Water Bottle', 'UG06', '2', '$14.00'],
      ['Didi Sport Watch', '24-WG02', '1', '$92.00'],
    ]);
    assert.match(o.html, /<p class="offer">25% off your next purchase<\/p>/);
    assert.match(o.html, /<strong class="promo-code">LUMA-GOLD-25<\/strong>/);
    assert.match(o.html, /luma-mobile-app\.png/);
    assert.doesNotMatch(o.html, /luma-loyalty-plus\.png/);
    assert.match(o.html, /luma-logo\.png/);
    assert.match(o.html, /class="footer"/);
    assert.deepEqual(o.variants, { 'banner-container': 'Not Mobile App Users' });
    assertHtmlParses(o.html);
    // The text part matches the HTML.
    assert.match(o.text, /Thank you for your order, Ana!/);
    assert.match(
      o.text,
      /Zing Jump Rope UG04 1 \$12\.00\nAffirm Water Bottle UG06 2 \$14\.00\nDidi Sport Watch 24-WG02 1 \$92\.00/,
    );
    assert.match(o.text, /Use the promo code LUMA-GOLD-25 at checkout\./);
    assert.match(o.text, /Get the Luma mobile app/);
    assert.match(o.text, /Unsubscribe \(https:\/\/luma\.example\/unsubscribe\)/);
  });

  test('for an app user (audience exited or absent): the Luma+ banner, the default variant', () => {
    const cases: Array<Record<string, 'realized' | 'exited'>> = [
      {},
      { 'Not Luma Mobile App Users': 'exited' },
    ];
    for (const audiences of cases) {
      const o = email(message.render(input(ana, { events: purchase, actions, audiences })));
      assert.match(o.html, /luma-loyalty-plus\.png/);
      assert.doesNotMatch(o.html, /luma-mobile-app\.png/);
      assert.deepEqual(o.variants, { 'banner-container': 'Default variant' });
      assert.match(o.text, /Join Luma\+ and earn rewards/);
    }
  });

  test('values from the event are escaped; a missing action response renders empty', () => {
    const evil = {
      LumaPurchaseEvent_Email: {
        productListItems: [{ name: '<script>x</script>', SKU: 'S', quantity: 1, priceTotal: 1 }],
      },
    };
    const o = email(message.render(input(ana, { events: evil })));
    assert.match(o.html, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.match(o.html, /<strong class="promo-code"><\/strong>/);
  });
});

describe('Abandoned cart: content templates and languages', async () => {
  const pushTemplate = library.contentTemplate('luma-abandoned-push');
  const emailTemplate = library.contentTemplate('luma-cart-abandoned-email');
  assert.ok(pushTemplate !== undefined && emailTemplate !== undefined);

  test('"Luma - Abandoned Push" applied: iOS and Android payloads', async () => {
    const m = await compiled(applyContentTemplate(pushTemplate));
    const o = m.render(input(ana));
    if (!o.ok || o.channel !== 'push') assert.fail(JSON.stringify(o));
    assert.equal(o.title, 'Ana, you left something behind');
    assert.deepEqual(o.ios['aps'], {
      alert: {
        title: 'Ana, you left something behind',
        body: 'Your Luma cart is waiting for you. Complete your order now!',
      },
      sound: 'default',
      badge: 1,
      category: 'CART',
      'mutable-content': 1,
    });
    assert.equal((o.android['android'] as Record<string, unknown>)['priority'], 'HIGH');
    assert.deepEqual(o.android['data'], { campaign: 'abandoned-cart', uri: 'luma://cart' });
  });

  test('a message that only names a content template gets its content at compile time', async () => {
    const m = await compiled({
      channel: 'push',
      title: '',
      body: '',
      template: 'luma-abandoned-push',
    });
    const o = m.render(input(ana));
    assert.ok(o.ok && o.channel === 'push' && o.title === 'Ana, you left something behind');
    const wrong = await compileMessage(
      { channel: 'sms', text: '', template: 'luma-abandoned-push' },
      library,
    );
    assert.ok(!wrong.ok && wrong.diagnostics[0]?.code === 'template_channel');
  });

  const cart = await compiled(applyContentTemplate(emailTemplate));
  test('English, Spanish and French by preferred language', () => {
    const en = email(cart.render(input({ ...ana, preferredLanguage: 'en_US' })));
    const es = email(cart.render(input({ ...ana, preferredLanguage: 'es' })));
    const fr = email(cart.render(input({ ...ana, preferredLanguage: 'fr-FR' })));
    assert.deepEqual([en.locale, es.locale, fr.locale], ['en_US', 'es_ES', 'fr_FR']);
    assert.equal(en.subject, 'Ana, your cart is waiting');
    assert.equal(es.subject, 'Ana, tu carrito te espera');
    assert.equal(fr.subject, 'Ana, votre panier vous attend');
    assert.match(es.html, /Volver a mi carrito/);
    assert.match(fr.text, /Retourner à mon panier: https:\/\/luma\.example\/cart/);
    assertHtmlParses(fr.html);
  });

  test('no matching locale and no fallback: not sent, with the reason', () => {
    const o = cart.render(input({ ...ana, preferredLanguage: 'de_DE' }));
    assert.deepEqual(o.ok ? 'sent' : [o.reason], ['no_locale']);
    const none = cart.render(input({ person: ana.person }));
    assert.equal(none.ok, false);
  });

  test('with a fallback locale, an unmatched profile gets the fallback', async () => {
    const settings = library.languageSettings('Luma_Language_Settings');
    assert.ok(settings !== undefined);
    library.settings.set('Luma_Fallback', {
      ...settings,
      id: 'Luma_Fallback',
      fallbackLocale: 'en_US',
    });
    const m = await compiled({
      ...applyContentTemplate(emailTemplate),
      languageSettings: 'Luma_Fallback',
    });
    const o = email(m.render(input({ ...ana, preferredLanguage: 'de_DE' })));
    assert.equal(o.locale, 'en_US');
    assert.equal(o.subject, 'Ana, your cart is waiting');
  });

  test('a locale without its variant yet gets the source content, with a compile warning', async () => {
    const c = applyContentTemplate(emailTemplate);
    assert.ok(c.channel === 'email');
    const m = await compiled({ ...c, locales: { es_ES: c.locales?.['es_ES'] ?? {} } });
    assert.deepEqual(
      m.warnings.map((w) => [w.field, w.code]),
      [['locales.fr_FR', 'missing_translation']],
    );
    const o = email(m.render(input({ ...ana, preferredLanguage: 'fr' })));
    assert.deepEqual([o.locale, o.subject], ['fr_FR', 'Ana, your cart is waiting']);
  });

  test('locked template areas refuse edits; editable ones accept them', () => {
    const before = applyContentTemplate(emailTemplate);
    const edit = (f: (c: MessageContent & { channel: 'email' }) => void): MessageContent => {
      const c = structuredClone(before) as MessageContent & { channel: 'email' };
      f(c);
      return c;
    };
    const doc = (c: MessageContent & { channel: 'email' }) => {
      assert.ok(c.document !== undefined);
      return c.document;
    };
    const logoEdit = edit((c) => {
      const b = doc(c).body[0]?.columns[0]?.blocks[0];
      if (b?.kind === 'image') b.alt = 'Other';
    });
    assert.deepEqual(
      checkTemplateEdit(emailTemplate, before, logoEdit).map((v) => [v.target, v.rule]),
      [['logo', 'locked']],
    );
    const footerDelete = edit((c) => {
      doc(c).body.pop();
    });
    assert.deepEqual(
      checkTemplateEdit(emailTemplate, before, footerDelete).map((v) => [v.target, v.rule]),
      [
        ['footer', 'no_delete'],
        ['footer-text', 'no_delete'],
      ],
    );
    const styleEdit = edit((c) => {
      const b = doc(c).body[1]?.columns[0]?.blocks[1];
      if (b?.kind === 'text') b.color = '#ff0000';
    });
    assert.deepEqual(
      checkTemplateEdit(emailTemplate, before, styleEdit).map((v) => [v.target, v.rule]),
      [['cart-text', 'style_locked']],
    );
    const newStructure = edit((c) => {
      doc(c).body.push({
        kind: 'structure',
        id: 'extra',
        columns: [{ id: 'x', blocks: [] }],
        variants: [],
        stackOnMobile: true,
      });
    });
    assert.deepEqual(
      checkTemplateEdit(emailTemplate, before, newStructure).map((v) => v.rule),
      ['no_addition'],
    );
    const textEdit = edit((c) => {
      const b = doc(c).body[1]?.columns[0]?.blocks[1];
      if (b?.kind === 'text') b.content = '<p>New copy</p>';
    });
    const buttonEdit = edit((c) => {
      const b = doc(c).body[1]?.columns[0]?.blocks[2];
      if (b?.kind === 'button') b.backgroundColor = '#000000';
    });
    const subjectEdit = edit((c) => {
      c.subject = 'Still thinking about it?';
    });
    assert.deepEqual(
      [
        checkTemplateEdit(emailTemplate, before, textEdit),
        checkTemplateEdit(emailTemplate, before, buttonEdit),
        checkTemplateEdit(emailTemplate, before, subjectEdit),
      ],
      [[], [], []],
    );
    const readOnly = {
      ...emailTemplate,
      governance: { ...emailTemplate.governance!, mode: 'read-only' as const },
    };
    assert.deepEqual(
      checkTemplateEdit(readOnly, before, subjectEdit).map((v) => v.rule),
      ['read_only'],
    );
  });
});

describe('publish-time checks against the journey schemas', () => {
  const scope = {
    events: {
      LumaPurchaseEvent_Email: {
        type: 'object',
        properties: {
          productListItems: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                SKU: { type: 'string' },
                quantity: { type: 'integer' },
                priceTotal: { type: 'number' },
              },
            },
          },
          _aeppartner1: {
            type: 'object',
            properties: {
              identification: {
                type: 'object',
                properties: { core: { type: 'object', properties: { email: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
    actions: {
      LoyaltyService: {
        type: 'object',
        properties: { PromoCode: { type: 'string' }, LoyaltyOffer: { type: 'string' } },
      },
    },
    profile: {
      type: 'object',
      properties: {
        person: {
          type: 'object',
          properties: {
            name: {
              type: 'object',
              properties: { firstName: { type: 'string' }, lastName: { type: 'string' } },
            },
          },
        },
        preferredLanguage: { type: 'string' },
      },
    },
  };

  test('the lab email passes; a wrong field, event or action is an error naming the block and line', async () => {
    const ok = await compileMessage(orderConfirmationEmail, library, { scope });
    assert.ok(ok.ok, JSON.stringify(ok.ok ? [] : ok.diagnostics));
    const broken = structuredClone(orderConfirmationEmail);
    assert.ok(broken.channel === 'email' && broken.document !== undefined);
    const block = broken.document.body[1]?.columns[0]?.blocks[1];
    assert.ok(block?.kind === 'text');
    block.content =
      '<p>Order</p>\n{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}{{item.nmae}}{{/each}}\n{{context.journey.actions.Loyalty.PromoCode}} {{profile.person.name.first}}';
    const r = await compileMessage(broken, library, { scope });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.block, d.line, d.code]),
      [
        ['order-details', 2, 'unknown_reference'],
        ['order-details', 3, 'unknown_reference'],
        ['order-details', 3, 'unknown_reference'],
      ],
    );
    assert.match(
      r.diagnostics[0]?.message ?? '',
      /item\.nmae" is not in the schema \(known: name, SKU, quantity, priceTotal\)/,
    );
    assert.match(r.diagnostics[1]?.message ?? '', /no action "Loyalty"/);
  });

  test('references inside function arguments are checked too, through arrays', async () => {
    const ok = await compileMessage(
      {
        channel: 'sms',
        text: '{%= sum(context.journey.events.LumaPurchaseEvent_Email.productListItems.priceTotal) %} {%= upperCase(profile.person.name.firstName) %}',
      },
      library,
      { scope },
    );
    assert.ok(ok.ok, JSON.stringify(ok.ok ? [] : ok.diagnostics));
    const bad = await compileMessage(
      {
        channel: 'sms',
        text: '{%= sum(context.journey.events.LumaPurchaseEvent_Email.productListItems.price) %}\n{%= upperCase(profile.person.name.frist) %}',
      },
      library,
      { scope },
    );
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.diagnostics.map((d) => [d.field, d.line, d.code]),
      [
        ['text', 1, 'unknown_reference'],
        ['text', 2, 'unknown_reference'],
      ],
    );
  });
});

describe('conditional content on any block', () => {
  test('a text block with variants on profile and journey context: first match in order wins, else the default', async () => {
    const doc = {
      body: [
        {
          kind: 'structure' as const,
          id: 's',
          columns: [
            {
              id: 'c',
              blocks: [
                {
                  kind: 'text' as const,
                  id: 'greeting',
                  content: '<p>Hello</p>',
                  variants: [
                    {
                      name: 'French',
                      condition: {
                        kind: 'expression' as const,
                        expression: 'profile.homeAddress.countryCode = "FR"',
                      },
                      block: {
                        kind: 'text' as const,
                        id: 'greeting-fr',
                        content: '<p>Bonjour</p>',
                      },
                    },
                    {
                      name: 'Big order',
                      condition: {
                        kind: 'expression' as const,
                        expression:
                          'sum(context.journey.events.LumaPurchaseEvent_Email.productListItems.priceTotal) > 100 or count(context.journey.events.LumaPurchaseEvent_Email.productListItems) >= 3',
                      },
                      block: {
                        kind: 'text' as const,
                        id: 'greeting-vip',
                        content: '<p>Hello, VIP</p>',
                      },
                    },
                    {
                      name: 'App users',
                      condition: { kind: 'audience' as const, audience: 'Luma - Mobile App Users' },
                      block: {
                        kind: 'text' as const,
                        id: 'greeting-app',
                        content: '<p>Hello, app user</p>',
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const m = await compiled({ channel: 'email', subject: 's', document: doc } as MessageContent);
    const show = (
      profile: unknown,
      events: Record<string, unknown>,
      audiences: Record<string, 'realized' | 'exited'>,
    ): [string, string | undefined] => {
      const o = email(m.render(input(profile, { events, audiences })));
      return [o.text, o.variants?.['greeting']];
    };
    assert.deepEqual(
      show({ homeAddress: { countryCode: 'FR' } }, purchase, {
        'Luma - Mobile App Users': 'realized',
      }),
      ['Bonjour', 'French'],
    );
    assert.deepEqual(show({}, purchase, { 'Luma - Mobile App Users': 'realized' }), [
      'Hello, VIP',
      'Big order',
    ]);
    assert.deepEqual(show({}, {}, { 'Luma - Mobile App Users': 'realized' }), [
      'Hello, app user',
      'App users',
    ]);
    assert.deepEqual(show({}, {}, {}), ['Hello', 'Default variant']);
  });

  test('inline variants with {%#if%} in text', async () => {
    const m = await compiled({
      channel: 'sms',
      text: '{%#if inAudience("Luma - Mobile App Users")%}Open the app{%else if profile.tier = "gold"%}Gold offer{%else%}Visit luma.example{%/if%}',
    });
    const t = (p: unknown, a: Record<string, 'realized' | 'exited'>): string => {
      const o = m.render(input(p, { audiences: a }));
      return o.ok && o.channel === 'sms' ? o.text : 'error';
    };
    assert.deepEqual(
      [
        t({}, { 'Luma - Mobile App Users': 'realized' }),
        t({ tier: 'gold' }, {}),
        t({}, { 'Luma - Mobile App Users': 'exited' }),
      ],
      ['Open the app', 'Gold offer', 'Visit luma.example'],
    );
  });
});
