// The personalization editor's pure parts: the source it writes (tokens, fallbacks, the `each` loop
// the guided form builds, fragment includes) rendered by the real content engine with the demo's
// Order Content fragment; the tree's search, rows, arrays and item fields; "Use for selected image".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMessage, createLibrary, renderInline } from '../../src/content/index.ts';
import type { EmailContent } from '../../src/model/message-content.ts';
import type { PersonalizationNode } from '../../ui/src/designer/contracts.ts';
import {
  eachLoop,
  fallbackToken,
  fragmentInclude,
  helperCall,
  humanize,
  insertAt,
  isItemName,
  isRowSource,
  itemNamesRead,
  rowColumns,
  token,
} from '../../ui/src/designer/drawers/personalization-source.ts';
import {
  arrayNodes,
  filterTree,
  findByPath,
  itemFields,
  tabOf,
  visibleRows,
} from '../../ui/src/designer/drawers/tree-model.ts';
import {
  findBlock,
  isImageSelected,
  withImageAsset,
} from '../../ui/src/designer/drawers/selected-block.ts';
import { STATUS_TEXT, toListed } from '../../ui/src/designer/drawers/fragment-list.ts';
import {
  thumbnailDocument,
  withDefaults,
} from '../../ui/src/designer/drawers/fragment-thumbnail.ts';
import { REPO } from './support/server.ts';

const ITEMS = 'context.journey.events.LumaPurchaseEvent_Email.productListItems';
const fragments = JSON.parse(
  readFileSync(join(REPO, 'examples/luma/content/fragments.json'), 'utf8'),
) as Array<{ id: string; content: { type: string; source?: string } }>;
const orderContent = fragments.find((f) => f.id === 'order-content')!;
const items = [
  { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
  { name: 'Yoga Strap', SKU: '24-WG03', quantity: 2, priceTotal: 28.5 },
];
const context = {
  journey: {
    events: { LumaPurchaseEvent_Email: { productListItems: items } },
    actions: {},
    technicalProperties: {},
  },
};

describe('personalization source', () => {
  test('tokens and fallbacks render as the engine reads them', () => {
    assert.equal(token('profile.person.name.firstName'), '{{profile.person.name.firstName}}');
    const fb = fallbackToken('profile.person.name.firstName', 'there "friend"');
    assert.equal(fb, '{%= profile.person.name.firstName ?: "there \\"friend\\"" %}');
    const a = renderInline(`Hi ${fb}`, { profile: { person: { name: { firstName: 'Jean' } } } }, 0);
    const b = renderInline(`Hi ${fb}`, { profile: { person: { name: {} } } }, 0);
    assert.deepEqual(
      [a.ok && a.output, b.ok && b.output],
      ['Hi Jean', 'Hi there &quot;friend&quot;'],
    );
    assert.equal(fragmentInclude('order-content'), "{{fragment id='ajo:order-content'}}");
    assert.equal(
      fragmentInclude('order-content', true),
      "{{fragment id='ajo:order-content' mode='inline'}}",
    );
  });

  test('the each form over item fields: a line per item', () => {
    const src = eachLoop({
      array: ITEMS,
      item: 'item',
      body: { kind: 'fields', fields: ['name', 'quantity'] },
    });
    assert.equal(
      src,
      `{{#each ${ITEMS} as |item|}}<p>{{item.name}} · {{item.quantity}}</p>{{/each}}`,
    );
    const r = renderInline(src, { context }, 0);
    assert.ok(r.ok);
    assert.equal(r.output, '<p>Didi Sport Watch · 1</p><p>Yoga Strap · 2</p>');
  });

  test('the each form with the Order Content fragment: a table with a header row, rendered with the fragment', async () => {
    const source = orderContent.content.source!;
    assert.ok(isRowSource(source));
    assert.deepEqual(itemNamesRead(source), ['item']);
    assert.deepEqual(rowColumns(source, 'item'), ['Item', 'SKU', 'Quantity', 'Price total']);
    const src = eachLoop({
      array: ITEMS,
      item: 'item',
      body: { kind: 'fragment', id: 'order-content', source },
    });
    assert.equal(
      src,
      `<table class="order" width="100%"><tr><th align="left">Item</th><th align="left">SKU</th><th align="left">Quantity</th><th align="left">Price total</th></tr>{{#each ${ITEMS} as |item|}}{{fragment id='ajo:order-content' mode='inline'}}{{/each}}</table>`,
    );
    const library = createLibrary({ fragments });
    const c = await compileMessage({ channel: 'email', subject: 'Order', html: src }, library);
    assert.ok(c.ok, JSON.stringify(!c.ok && c.diagnostics));
    const out = c.message.render({ profile: {}, context, audiences: {}, now: 0 });
    assert.ok(out.ok && out.channel === 'email');
    assert.match(out.html, /<th align="left">Item<\/th>/);
    assert.match(
      out.html,
      /<td>Didi Sport Watch<\/td><td>24-WG02<\/td><td>1<\/td><td>\$92.00<\/td>/,
    );
    assert.match(out.html, /<td>Yoga Strap<\/td>.*<td>\$28.50<\/td>/);
  });

  test('a fragment that is not rows is included as is; names, words and insertion', () => {
    assert.equal(
      eachLoop({
        array: 'x.list',
        item: 'p',
        body: { kind: 'fragment', id: 'f', source: '<p>{{p.name}}</p>' },
      }),
      "{{#each x.list as |p|}}{{fragment id='ajo:f' mode='inline'}}{{/each}}",
    );
    assert.deepEqual(
      [isItemName('item'), isItemName('_a1'), isItemName('1a'), isItemName('a b'), isItemName('')],
      [true, true, false, false, false],
    );
    assert.deepEqual(
      [humanize('priceTotal'), humanize('SKU'), humanize('product_name')],
      ['Price total', 'SKU', 'Product name'],
    );
    assert.deepEqual(insertAt('Hello !', 6, 6, '{{x}}'), { source: 'Hello {{x}}!', caret: 11 });
    assert.deepEqual(insertAt('Hello old!', 6, 9, 'new'), { source: 'Hello new!', caret: 9 });
    assert.equal(
      helperCall({ name: 'upperCase', example: '{{upperCase profile.x}}' }),
      '{{upperCase profile.x}}',
    );
    assert.equal(helperCall({ name: 'each', block: true }), '{{#each }}{{/each}}');
  });
});

const TREE: PersonalizationNode[] = [
  {
    label: 'Profile attributes',
    children: [
      {
        label: 'Person',
        children: [
          {
            label: 'Name',
            children: [
              { label: 'First name', path: 'profile.person.name.firstName', type: 'string' },
            ],
          },
        ],
      },
    ],
  },
  {
    label: 'Audiences',
    children: [
      {
        label: 'Luma Mobile App Users',
        path: 'inAudience("Luma Mobile App Users")',
        type: 'boolean',
      },
    ],
  },
  {
    label: 'Contextual attributes',
    children: [
      {
        label: 'Journey Orchestration',
        children: [
          {
            label: 'Events',
            children: [
              {
                label: 'LumaPurchaseEvent_Email',
                children: [
                  {
                    label: 'productListItems',
                    path: ITEMS,
                    type: 'array',
                    children: [
                      { label: 'name', path: `${ITEMS}.name`, type: 'string' },
                      {
                        label: 'price',
                        children: [
                          { label: 'total', path: `${ITEMS}.price.total`, type: 'number' },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
          {
            label: 'Actions',
            children: [
              {
                label: 'Loyalty Service',
                children: [
                  {
                    label: 'PromoCode',
                    path: 'context.journey.actions.LoyaltyService.PromoCode',
                    type: 'string',
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
];

describe('personalization tree', () => {
  test('search keeps matches with their ancestors; rows follow what is expanded', () => {
    const f = filterTree(TREE, 'promo');
    assert.equal(f.length, 1);
    const rows = visibleRows(f, new Set(), true);
    assert.deepEqual(
      rows.map((r) => r.node.label),
      ['Contextual attributes', 'Journey Orchestration', 'Actions', 'Loyalty Service', 'PromoCode'],
    );
    const closed = visibleRows(TREE, new Set());
    assert.deepEqual(
      closed.map((r) => r.node.label),
      ['Profile attributes', 'Audiences', 'Contextual attributes'],
    );
    const open = visibleRows(TREE, new Set([closed[0]!.id]));
    assert.deepEqual(
      open.map((r) => [r.node.label, r.depth]),
      [
        ['Profile attributes', 0],
        ['Person', 1],
        ['Audiences', 0],
        ['Contextual attributes', 0],
      ],
    );
    assert.deepEqual(TREE.map(tabOf), ['profile', 'audiences', 'context']);
  });

  test('arrays and the fields of their items', () => {
    const arrays = arrayNodes(TREE);
    assert.deepEqual(
      arrays.map((a) => a.path),
      [ITEMS],
    );
    assert.deepEqual(itemFields(arrays[0]!), ['name', 'price.total']);
    assert.deepEqual(
      itemFields({
        label: 'list',
        path: 'a.list',
        type: 'array',
        children: [{ label: 'item', children: [{ label: 'sku', path: 'a.list[].sku' }] }],
      }),
      ['sku'],
    );
    assert.equal(
      findByPath(TREE, 'context.journey.actions.LoyaltyService.PromoCode')?.label,
      'PromoCode',
    );
  });
});

describe('use an asset for the selected image', () => {
  const content: EmailContent = {
    channel: 'email',
    subject: 's',
    html: '',
    document: {
      version: 1,
      width: '600px',
      body: [
        {
          kind: 'structure',
          id: 's1',
          stackOnMobile: true,
          variants: [],
          columns: [
            {
              id: 'c1',
              blocks: [
                {
                  kind: 'image',
                  id: 'img1',
                  src: 'https://x/y.png',
                  alt: '',
                  tracked: true,
                  variants: [],
                },
                {
                  kind: 'container',
                  id: 'box',
                  defaultName: 'Default variant',
                  variants: [],
                  blocks: [{ kind: 'image', id: 'img2', alt: 'Kept', tracked: true, variants: [] }],
                },
                { kind: 'text', id: 't1', content: 'hi', variants: [] },
              ],
            },
          ],
        },
      ],
    },
  };
  test('replaces the asset of an image at any depth, leaves other blocks', () => {
    assert.ok(isImageSelected(content.document, 'img2'));
    assert.ok(!isImageSelected(content.document, 't1'));
    const a = withImageAsset(content, null, 'img1', 'luma-logo', { width: 600 }, 'Luma');
    assert.deepEqual(findBlock(a.document, 'img1'), {
      kind: 'image',
      id: 'img1',
      alt: 'Luma',
      tracked: true,
      variants: [],
      assetId: 'luma-logo',
      rendition: { width: 600 },
    });
    const b = withImageAsset(content, null, 'img2', 'luma-loyalty-plus', undefined, 'Banner');
    assert.equal(findBlock(b.document, 'img2')?.['assetId'], 'luma-loyalty-plus');
    assert.equal(findBlock(b.document, 'img2')?.['alt'], 'Kept');
    assert.equal(withImageAsset(content, null, 't1', 'x'), content);
  });
});

describe('fragment drawer list and thumbnails', () => {
  test('stored fragments as listed: email only, kind, status marks', () => {
    assert.deepEqual(
      toListed({
        key: 'order-content',
        spec: fragments.find((f) => f.id === 'order-content')! as unknown as Record<
          string,
          unknown
        >,
      }),
      {
        id: 'order-content',
        name: 'Order Content',
        status: 'live',
        kind: 'expression',
        blocks: [],
        source: orderContent.content.source,
      },
    );
    assert.equal(
      toListed({
        key: 'p',
        spec: {
          id: 'p',
          name: 'Push only',
          status: 'live',
          channels: ['push'],
          content: { type: 'expression', source: 'x' },
        },
      }),
      null,
    );
    assert.equal(
      toListed({
        key: 'd',
        spec: { id: 'd', name: 'D', status: 'draft', content: { type: 'visual', blocks: [] } },
      })?.status,
      'draft',
    );
    assert.equal(
      toListed({
        key: 'a',
        archived: true,
        spec: { id: 'a', name: 'A', status: 'live', content: { type: 'visual', blocks: [] } },
      })?.status,
      'archived',
    );
    assert.equal(STATUS_TEXT.draft, 'Draft: blocks publication');
  });

  test('a thumbnail shows editable fields at their defaults, images as boxes, no script runs (sandboxed iframe)', () => {
    const promo = fragments.find((f) => f.id === 'promo-code-fragment')! as unknown as {
      content: { blocks: Array<{ content: string }> };
    };
    assert.equal(
      withDefaults(promo.content.blocks[0]!.content),
      '<p class="offer">10% off your next order</p><p>Use the promo code <strong class="promo-code">LUMA10</strong> at checkout.</p>',
    );
    const doc = thumbnailDocument([
      { kind: 'image', alt: 'Luma <logo>' },
      { kind: 'divider' },
      { kind: 'button', label: 'Shop' },
    ]);
    assert.match(
      doc,
      /<div class="img">Luma &lt;logo&gt;<\/div><hr><div><span class="btn">Shop<\/span><\/div>/,
    );
  });
});
