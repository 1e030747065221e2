// The designer's content tools through the API: preview with a stored profile's audiences and
// sample order items and promo code, pre-send checks, the code view both ways, the canvas's
// compiled HTML; bad input answered 400 naming path, expected and received.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiWorld, type ApiWorld } from '../support/server.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';

let w: ApiWorld;
let confirmation: Record<string, unknown>;
before(async () => {
  w = await apiWorld();
  const node = (
    await w.request('GET', '/v1/journeys/purchase-journey')
  ).body.latest.definition.nodes.find((n: { id: string }) => n.id === 'confirmation');
  confirmation = { channel: 'email', ...node.content };
});
after(async () => {
  await w.close();
});

const items = [
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
  { name: 'Affirm Water Bottle', SKU: '24-UG06', quantity: 2, priceTotal: 14 },
];
const context = {
  journey: {
    events: { LumaPurchaseEvent_Email: { productListItems: items } },
    actions: {
      LoyaltyService: { LoyaltyOffer: '15% off for Luma+ members', PromoCode: 'LUMA15-TEST' },
    },
  },
};
const APP_BANNER = 'Get the Luma mobile app';
const LUMA_PLUS = 'Join Luma+ and earn rewards';

describe("POST /v1/render: preview with the profile's audiences", () => {
  test('Jean (no app) by identity: the mobile-app banner, order items and promo code; usedAudiences and variants answered', async () => {
    const r = await w.request('POST', '/v1/render', {
      content: confirmation,
      profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
      context,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.ok, true);
    assert.ok(r.body.html.includes(APP_BANNER) && !r.body.html.includes(LUMA_PLUS));
    assert.deepEqual(r.body.usedAudiences, ['Not Luma Mobile App Users']);
    assert.deepEqual(r.body.variants, { 'banner-container': 'Not Mobile App Users' });
    const rows = [
      ...r.body.html.matchAll(
        /<tr class="order-item"><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g,
      ),
    ].map((m: RegExpMatchArray) => m.slice(1));
    assert.deepEqual(rows, [
      ['Didi Sport Watch', '24-WG02', '1', '$92.00'],
      ['Affirm Water Bottle', '24-UG06', '2', '$14.00'],
    ]);
    assert.match(r.body.html, /<strong class="promo-code">LUMA15-TEST<\/strong>/);
    assert.match(r.body.html, /15% off for Luma\+ members/);
    assert.match(r.body.subject, /^Jean, your order confirmation$/);
  });

  test('Tom, once an app user (the demo profile has no app), by profile id: the Luma+ banner', async () => {
    const before = await w.request('POST', '/v1/render', {
      content: confirmation,
      profileId: { namespace: 'Email', id: 'tom.baker@luma.example' },
      context,
    });
    assert.ok(before.body.html.includes(APP_BANNER), 'as shipped, Tom has no app');
    const put = await w.request('PUT', '/v1/profiles/Email/tom.baker@luma.example', {
      attributes: { mobileApp: { installed: true } },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const tom = (await w.request('GET', '/v1/profiles/Email/tom.baker@luma.example')).body;
    const r = await w.request('POST', '/v1/render', {
      content: confirmation,
      profileId: tom.id,
      context,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.html.includes(LUMA_PLUS) && !r.body.html.includes(APP_BANNER));
    assert.deepEqual(r.body.usedAudiences, ['Luma - Mobile App Users']);
    assert.deepEqual(r.body.variants, { 'banner-container': 'Default variant' });
    assert.match(r.body.html, /LUMA15-TEST/);
  });

  test('audiences in the body win over the stored ones; unknown identities are 404; a bad profileId is 400', async () => {
    const r = await w.request('POST', '/v1/render', {
      content: confirmation,
      profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
      audiences: {},
      context,
    });
    assert.ok(r.body.html.includes(LUMA_PLUS));
    assert.deepEqual(r.body.usedAudiences, []);
    assert.equal(
      (
        await w.request('POST', '/v1/render', {
          content: confirmation,
          profileId: { namespace: 'Email', id: 'nobody@luma.example' },
        })
      ).status,
      404,
    );
    const bad = await w.request('POST', '/v1/render', { content: confirmation, profileId: 42 });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.issues[0].path, 'body.profileId');
    assert.ok(bad.body.error.issues[0].expected && bad.body.error.issues[0].received === 'number');
  });
});

describe('POST /v1/content/check', () => {
  test('the order confirmation in its journey activity: measured, no errors', async () => {
    const r = await w.request('POST', '/v1/content/check', {
      content: confirmation,
      journeyId: 'purchase-journey',
      nodeId: 'confirmation',
      profileId: { namespace: 'Email', id: 'jean.dupont@luma.example' },
      context,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.sizeBytes > 5000 && r.body.sizeBytes < 102 * 1024);
    assert.deepEqual(
      r.body.issues.filter((i: { severity: string }) => i.severity === 'error'),
      [],
    );
  });

  test('alt text, broken links, unresolved personalization against the journey, unsubscribe for marketing', async () => {
    const content = {
      channel: 'email',
      subject: 'Hi',
      document: {
        body: [
          {
            kind: 'structure',
            id: 's',
            columns: [
              {
                id: 'c',
                blocks: [
                  {
                    kind: 'image',
                    id: 'img',
                    src: 'https://luma.example/a.png',
                    href: 'javascript:alert(1)',
                  },
                  {
                    kind: 'text',
                    id: 't',
                    content: '<p>{{context.journey.events.LumaPurchaseEvent_Email.nope}}</p>',
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const r = await w.request('POST', '/v1/content/check', {
      content,
      journeyId: 'purchase-journey',
      nodeId: 'confirmation',
      marketing: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const codes = r.body.issues
      .map((i: { code: string; blockId?: string }) => `${i.code}:${i.blockId ?? ''}`)
      .sort();
    assert.deepEqual(codes, [
      'broken_link:img',
      'missing_alt:img',
      'missing_unsubscribe:',
      'unresolved_personalization:t',
    ]);
  });

  test('bad input: 400 naming the path, expected and received', async () => {
    const r = await w.request('POST', '/v1/content/check', {
      content: { channel: 'email', subject: 3 },
    });
    assert.equal(r.status, 400);
    const issue = r.body.error.issues.find(
      (i: { path: string }) => i.path === 'body.content.subject',
    );
    assert.ok(issue, JSON.stringify(r.body));
    assert.equal(issue.expected, 'string');
    assert.equal(issue.received, '3');
    assert.equal(
      (
        await w.request('POST', '/v1/content/check', {
          content: confirmation,
          journeyId: 'purchase-journey',
          nodeId: 'nope',
        })
      ).status,
      404,
    );
  });
});

describe('code view and canvas HTML', () => {
  test('to-code mjml then from-code gives the document back; html keeps personalization as written', async () => {
    const doc = confirmation['document'];
    const m = await w.request('POST', '/v1/content/to-code', { document: doc, format: 'mjml' });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    assert.match(m.body.code, /^<mjml>/);
    const back = await w.request('POST', '/v1/content/from-code', {
      code: m.body.code,
      format: 'mjml',
    });
    assert.equal(back.status, 200);
    assert.deepEqual(back.body.notes, []);
    const again = await w.request('POST', '/v1/content/to-code', {
      document: back.body.document,
      format: 'mjml',
    });
    assert.equal(again.body.code, m.body.code);
    const h = await w.request('POST', '/v1/content/to-code', { document: doc, format: 'html' });
    assert.equal(h.status, 200);
    assert.ok(h.body.code.includes('{{profile.person.name.firstName}}'));
    assert.ok(
      h.body.code.includes(
        '{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}',
      ),
    );
    assert.doesNotMatch(h.body.code, /WMPH\d+X/);
  });

  test('from-code html imports; compile-preview annotates blocks, personalization not rendered', async () => {
    const r = await w.request('POST', '/v1/content/from-code', {
      code: '<h1>Hello {{profile.person.name.firstName}}</h1><img src="https://x.example/a.png" alt="a"><table><tr><td>x</td></tr></table>',
      format: 'html',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.document.body[0].columns[0].blocks.map((b: { kind: string }) => b.kind),
      ['text', 'image', 'html'],
    );
    const p = await w.request('POST', '/v1/content/compile-preview', {
      content: confirmation,
      annotate: true,
    });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    assert.match(p.body.html, /wm-b-logo/);
    assert.match(p.body.html, /wm-b-banner-container|wm-b-loyalty-banner/);
    assert.ok(p.body.html.includes('{{profile.person.name.firstName}}'));
    assert.ok(Array.isArray(p.body.diagnostics) && typeof p.body.text === 'string');
    const cart = loadLumaContent().library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(cart?.content.channel === 'email' && cart.content.locales?.['fr_FR'] !== undefined);
    const fr = await w.request('POST', '/v1/content/compile-preview', {
      content: cart.content,
      locale: 'fr_FR',
    });
    assert.equal(fr.status, 200, JSON.stringify(fr.body));
    assert.notEqual(
      fr.body.html,
      (await w.request('POST', '/v1/content/compile-preview', { content: cart.content })).body.html,
      'the French variant',
    );
    const plain = await w.request('POST', '/v1/content/compile-preview', { content: confirmation });
    assert.doesNotMatch(plain.body.html, /wm-b-/);
  });

  test('bad input and authentication', async () => {
    const f = await w.request('POST', '/v1/content/to-code', {
      document: { body: [] },
      format: 'pdf',
    });
    assert.equal(f.status, 400);
    assert.deepEqual(
      f.body.error.issues.map((i: { path: string; expected: string; received: string }) => [
        i.path,
        i.expected,
        i.received,
      ]),
      [['body.format', '"mjml" | "html"', '"pdf"']],
    );
    const nb = await w.request('POST', '/v1/content/from-code', [1]);
    assert.equal(nb.status, 400);
    assert.equal(nb.body.error.issues[0].path, 'body');
    const push = await w.request('POST', '/v1/content/compile-preview', {
      content: { channel: 'push', title: 't', body: 'b' },
    });
    assert.equal(push.status, 400);
    const broken = await w.request('POST', '/v1/content/to-code', {
      document: {
        body: [
          {
            kind: 'structure',
            id: 's',
            columns: [{ id: 'c', blocks: [{ kind: 'fragment', id: 'f', fragmentId: 'missing' }] }],
          },
        ],
      },
      format: 'html',
    });
    assert.equal(broken.status, 422);
    assert.equal(broken.body.error.code, 'invalid_content');
    const anon = await w.server.inject({
      method: 'POST',
      url: '/v1/content/check',
      payload: { content: confirmation },
    });
    assert.equal(anon.statusCode, 401);
  });

  test('the routes are in the OpenAPI document with body properties', async () => {
    const doc = (await w.server.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<
        string,
        {
          post?: {
            requestBody?: {
              content: Record<string, { schema: { properties?: Record<string, unknown> } }>;
            };
          };
        }
      >;
    };
    for (const [path, prop] of [
      ['/v1/content/check', 'content'],
      ['/v1/content/to-code', 'format'],
      ['/v1/content/from-code', 'code'],
      ['/v1/content/compile-preview', 'annotate'],
      ['/v1/render', 'profileId'],
      ['/v1/translation-projects', 'source'],
      ['/v1/allowed-hosts', 'host'],
      ['/v1/journeys/{id}/test-runs/events', 'type'],
    ] as const) {
      const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema;
      assert.ok(schema?.properties?.[prop] !== undefined, `${path} documents ${prop}`);
    }
    for (const path of ['/v1/packages/apply', '/v1/packages/plan']) {
      const schema = doc.paths[path]?.post?.requestBody?.content['application/json']?.schema as
        { anyOf?: Array<{ properties?: Record<string, unknown> }> } | undefined;
      assert.ok(
        schema?.anyOf?.some((s) => s.properties?.['conflicts'] !== undefined),
        `${path} documents the package with its conflict choices`,
      );
    }
  });
});
