// The designer's personalization editor on the demo's Purchase Journey: the tree of what the order
// confirmation email can use (events upstream, the LoyaltyService response as in the lab), what an
// activity before the action cannot see, validation as publication checks, completions and helpers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiWorld, type ApiWorld } from '../support/server.ts';

interface Node {
  label: string;
  path?: string;
  type?: string;
  help?: string;
  children?: Node[];
}

const flatten = (nodes: readonly Node[]): Node[] =>
  nodes.flatMap((n) => [n, ...flatten(n.children ?? [])]);
const byLabels = (nodes: readonly Node[], labels: readonly string[]): Node | undefined => {
  let cur: Node | undefined;
  let level = nodes;
  for (const l of labels) {
    cur = level.find((n) => n.label === l);
    if (!cur) return undefined;
    level = cur.children ?? [];
  }
  return cur;
};
const tree = async (w: ApiWorld, query: string): Promise<Node[]> => {
  const r = await w.request('GET', `/v1/personalization/tree${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.nodes as Node[];
};
const validate = async (
  w: ApiWorld,
  body: Record<string, unknown>,
): Promise<{
  valid: boolean;
  diagnostics: Array<{ severity: string; code: string; message: string; line?: number }>;
}> => {
  const r = await w.request('POST', '/v1/personalization/validate', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
};
const place = { journeyId: 'purchase-journey', nodeId: 'confirmation' };

test("the order confirmation email sees the purchase event's order items and the LoyaltyService response, as the lab maps them", async () => {
  const w = await apiWorld();
  try {
    const nodes = await tree(w, '?journeyId=purchase-journey&nodeId=confirmation');
    assert.deepEqual(
      nodes.map((n) => n.label),
      ['Profile attributes', 'Audiences', 'Contextual attributes'],
    );
    const all = flatten(nodes);
    const items = all.find(
      (n) => n.path === 'context.journey.events.LumaPurchaseEvent_Email.productListItems',
    );
    assert.equal(items?.type, 'array');
    assert.deepEqual(
      items?.children?.map((c) => c.path).slice(0, 4),
      ['name', 'SKU', 'quantity', 'priceTotal'].map(
        (f) => `context.journey.events.LumaPurchaseEvent_Email.productListItems.${f}`,
      ),
    );

    // Contextual Attributes > Journey Orchestration > Actions > Loyalty Service > PromoCode
    const promo = byLabels(nodes, [
      'Contextual attributes',
      'Journey Orchestration',
      'Actions',
      'Loyalty Service',
      'PromoCode',
    ]);
    assert.deepEqual(promo, {
      label: 'PromoCode',
      path: 'context.journey.actions.LoyaltyService.PromoCode',
      type: 'string',
    });
    assert.ok(all.some((n) => n.path === 'context.journey.actions.LoyaltyService.LoyaltyOffer'));
    assert.ok(all.some((n) => n.path === 'context.journey.technicalProperties.journeyUID'));

    assert.equal(all.find((n) => n.path === 'profile.person.name.firstName')?.type, 'string');
    const app = byLabels(nodes, ['Audiences', 'Luma - Mobile App Users']);
    assert.equal(app?.path, 'inAudience("Luma - Mobile App Users")');
    assert.match(app?.help ?? '', /^true when the profile is in the audience/);
  } finally {
    await w.close();
  }
});

test('an activity before the action does not see its response; without a journey only profile and audiences', async () => {
  const w = await apiWorld();
  try {
    // abandoned-email follows the purchase event's timeout: neither the purchase nor the LoyaltyService response happened.
    const before = flatten(await tree(w, '?journeyId=purchase-journey&nodeId=abandoned-email')).map(
      (n) => n.path,
    );
    assert.ok(!before.some((p) => p?.startsWith('context.journey.actions.LoyaltyService')));
    assert.ok(!before.includes('context.journey.events.LumaPurchaseEvent_Email'));
    assert.ok(before.includes('context.journey.events.LumaCheckoutEvent_Email.productListItems'));
    const loyalty = flatten(await tree(w, '?journeyId=purchase-journey&nodeId=loyalty')).map(
      (n) => n.path,
    );
    assert.ok(
      !loyalty.includes('context.journey.actions.LoyaltyService'),
      'an action does not see its own response',
    );
    assert.ok(loyalty.includes('context.journey.events.LumaPurchaseEvent_Email'));

    const bare = await tree(w, '');
    assert.deepEqual(
      bare.map((n) => n.label),
      ['Profile attributes', 'Audiences'],
    );

    const noJourney = await w.request('GET', '/v1/personalization/tree?journeyId=nope');
    assert.equal(noJourney.status, 404);
    const noNode = await w.request(
      'GET',
      '/v1/personalization/tree?journeyId=purchase-journey&nodeId=nope',
    );
    assert.equal(noNode.status, 404);
    assert.match(noNode.body.error.message, /no activity "nope"/);
    const nodeOnly = await w.request('GET', '/v1/personalization/tree?nodeId=confirmation');
    assert.equal(nodeOnly.status, 400);
    assert.equal(nodeOnly.body.error.issues[0].path, 'journeyId');
  } finally {
    await w.close();
  }
});

test("validate flags a wrong path, a type mismatch, an action not upstream and bad syntax; the demo email's own fields pass", async () => {
  const w = await apiWorld();
  try {
    const ok = await validate(w, {
      ...place,
      source:
        'Hi {{profile.person.name.firstName}}, code {{context.journey.actions.LoyaltyService.PromoCode}}\n{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |p|}}{{p.name}} {%= formatCurrency(p.priceTotal, "en_US") %}{{/each}}',
    });
    assert.deepEqual(ok, { valid: true, diagnostics: [] });

    const wrong = await validate(w, {
      ...place,
      source: 'Hello\n{{profile.person.name.fristName}}',
    });
    assert.equal(wrong.valid, false);
    assert.equal(wrong.diagnostics[0]?.code, 'unknown_reference');
    assert.match(
      wrong.diagnostics[0]!.message,
      /^Path "profile\.person\.name\.fristName" not found/,
    );
    assert.equal(wrong.diagnostics[0]?.line, 2);

    const item = await validate(w, {
      ...place,
      source:
        '{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |p|}}{{p.nmae}}{{/each}}',
    });
    assert.match(item.diagnostics[0]!.message, /^Path "p\.nmae" not found/);

    const mismatch = await validate(w, {
      ...place,
      source: '{{#each profile.person.name.firstName as |x|}}{{x}}{{/each}}',
    });
    assert.equal(mismatch.valid, false);
    assert.deepEqual(
      mismatch.diagnostics.map((d) => [d.code, d.message]),
      [
        [
          'type_mismatch',
          'Type mismatch for "profile.person.name.firstName". Expected array. Found string.',
        ],
      ],
    );

    const notUpstream = await validate(w, {
      journeyId: 'purchase-journey',
      nodeId: 'abandoned-email',
      source: 'Code: {{context.journey.actions.LoyaltyService.PromoCode}}',
    });
    assert.equal(notUpstream.valid, false);
    assert.match(
      notUpstream.diagnostics[0]!.message,
      /^Path "context\.journey\.actions\.LoyaltyService\.PromoCode" not found: the action "LoyaltyService" is not upstream of this activity/,
    );

    const syntax = await validate(w, { source: 'Hi {{#if profile.person}}open' });
    assert.equal(syntax.valid, false);
    assert.match(syntax.diagnostics[0]!.message, /^Invalid handlebars syntax/);

    // Conditional content checks its rule as an {%#if%} condition (the designer's variants).
    assert.equal(
      (
        await validate(w, {
          ...place,
          source:
            '{%#if inAudience("Luma - Mobile App Users") and context.journey.actions.LoyaltyService.PromoCode != "" %}x{%/if%}',
        })
      ).valid,
      true,
    );
    // Without a journey, event and action paths cannot be checked yet (a template, a fragment): accepted.
    assert.equal(
      (await validate(w, { source: '{{context.journey.actions.LoyaltyService.PromoCode}}' })).valid,
      true,
    );
    // The fragment the lab maps, with its field set to the action's response.
    assert.equal(
      (
        await validate(w, {
          ...place,
          source:
            "{{fragment id='ajo:promo-code-fragment' OfferCode=context.journey.actions.LoyaltyService.PromoCode}}",
        })
      ).valid,
      true,
    );

    const bad = await w.request('POST', '/v1/personalization/validate', { source: 42 });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.issues[0], {
      path: 'body.source',
      message: bad.body.error.issues[0].message,
      expected: 'string',
      received: '42',
    });
    assert.equal((await w.request('POST', '/v1/personalization/validate', '[1]')).status, 400);
    assert.equal(
      (await w.request('POST', '/v1/personalization/validate', { source: '', journeyId: 'nope' }))
        .status,
      404,
    );
  } finally {
    await w.close();
  }
});

test('completions offer the next path segment after {{ and {%=, helper names, and block helpers after {{#', async () => {
  const w = await apiWorld();
  try {
    const complete = async (
      source: string,
      extra: Record<string, unknown> = place,
    ): Promise<{
      from: number;
      completions: Array<{ label: string; insert: string; detail: string }>;
    }> => {
      const r = await w.request('POST', '/v1/personalization/complete', {
        ...extra,
        source,
        cursor: source.length,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body;
    };
    const actions = await complete('Code: {{context.journey.actions.Loy');
    assert.deepEqual(
      actions.completions.map((c) => c.insert),
      ['context.journey.actions.LoyaltyService'],
    );
    assert.equal(actions.from, 'Code: {{'.length);
    const fields = await complete('{%= context.journey.actions.LoyaltyService.');
    assert.deepEqual(
      fields.completions.map((c) => c.label),
      ['LoyaltyOffer', 'PromoCode'],
    );
    assert.match(fields.completions[1]!.detail, /^string/);
    const helpers = await complete('{%= formatD');
    assert.deepEqual(
      helpers.completions.map((c) => c.label),
      ['formatDate'],
    );
    assert.match(helpers.completions[0]!.detail, /^formatDate\(date: dateTime, pattern: string/);
    assert.deepEqual(
      (await complete('{{#e')).completions.map((c) => c.label),
      ['each'],
    );
    assert.deepEqual((await complete('plain text outside tags prof')).completions, []);
    assert.deepEqual(
      (
        await complete('{{context.journey.actions.', {
          journeyId: 'purchase-journey',
          nodeId: 'abandoned-email',
        })
      ).completions,
      [],
    );

    const bad = await w.request('POST', '/v1/personalization/complete', {
      source: 'abc',
      cursor: 9,
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.issues[0].path, 'body.cursor');
    assert.equal(bad.body.error.issues[0].received, '9');
  } finally {
    await w.close();
  }
});

test('the helpers catalog lists every function with its signature, and the block helpers', async () => {
  const w = await apiWorld();
  try {
    const r = await w.request('GET', '/v1/personalization/helpers');
    assert.equal(r.status, 200);
    const items = r.body.items as Array<{
      name: string;
      category: string;
      signature: string;
      help: string;
      example: string;
      block?: boolean;
    }>;
    const by = Object.fromEntries(items.map((i) => [i.name, i]));
    assert.deepEqual([by['each']?.block, by['each']?.category], [true, 'block']);
    for (const b of ['if', 'unless', 'with']) assert.equal(by[b]?.block, true, b);
    assert.equal(
      by['formatDate']?.signature,
      'formatDate(date: dateTime, pattern: string, locale?: string): string',
    );
    assert.equal(by['formatDate']?.category, 'date');
    for (const n of [
      'upperCase',
      'formatCurrency',
      'sum',
      'get',
      'isNull',
      'inAudience',
      'fragment',
    ])
      assert.ok(by[n], n);
    assert.ok(items.length > 120);
  } finally {
    await w.close();
  }
});
