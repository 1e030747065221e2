// The email designer's properties panel, pure parts: the rich text tokenizer (source -> editor HTML
// with chips -> source is exact for every demo text), chip labels, the unsafe-HTML check, columns and
// ratios, fragment fields and "break inheritance", variants and template locks.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chipLabel,
  fromEditorHtml,
  toEditorHtml,
  tokenize,
  unsafeReason,
} from '../../ui/src/designer/properties/rich-text-model.ts';
import {
  addColumn,
  applyFields,
  blockSources,
  breakInheritance,
  columnShares,
  findNode,
  fragmentFields,
  lockOf,
  moveItem,
  parseRatios,
  removeColumn,
  replaceNode,
  validVariantName,
  withDoc,
} from '../../ui/src/designer/properties/doc-edit.ts';
import {
  emailContentSchema,
  emailDocumentSchema,
  leafBlockSchema,
  structureSchema,
} from '../../src/model/message-content.ts';
import type { EmailContent, LeafBlock } from '../../src/model/message-content.ts';
import { governanceSchema } from '../../src/model/content-template.ts';

const CONTENT = join(import.meta.dirname, '../../examples/luma/content');

/** Every text and html block's source in the demo's content and fragments. */
function demoTexts(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o['kind'] === 'text' || o['kind'] === 'html') && typeof o['content'] === 'string')
      out.push(o['content']);
    if (o['type'] === 'expression' && typeof o['source'] === 'string') out.push(o['source']);
    Object.values(o).forEach(walk);
  };
  for (const f of readdirSync(CONTENT).filter((n) => n.endsWith('.json')))
    walk(JSON.parse(readFileSync(join(CONTENT, f), 'utf8')));
  return out;
}

describe('rich text: source <-> editor HTML', () => {
  test('every demo text round-trips exactly', () => {
    const texts = demoTexts();
    assert.ok(texts.length >= 5, `found ${texts.length} texts`);
    for (const t of texts) assert.equal(fromEditorHtml(toEditorHtml(t)), t);
  });
  test('tokens become chips; tokens in attributes stay put; blocks are one chip', () => {
    const s =
      '<p>Hi {%= profile.person.name.firstName ?: "there" %}, <a href="https://x.example/{{profile.id}}">go</a></p>{{#each items as |i|}}<b>{{i.name}}</b>{{/each}}';
    const segs = tokenize(s);
    assert.deepEqual(
      segs.filter((x) => x.kind === 'token').map((x) => x.source),
      [
        '{%= profile.person.name.firstName ?: "there" %}',
        '{{#each items as |i|}}<b>{{i.name}}</b>{{/each}}',
      ],
    );
    const html = toEditorHtml(s);
    assert.match(html, /href="https:\/\/x\.example\/\{\{profile\.id\}\}"/);
    assert.equal((html.match(/wm-chip/g) ?? []).length, 2);
    assert.equal(fromEditorHtml(html), s);
  });
  test('nested blocks, {% %} blocks, triple braces, comments and unclosed tags', () => {
    const s =
      '{%#if profile.a = "x"%}A{%#if b%}B{%/if%}{%/if%} {{{raw}}} {{!-- note }} --}} {{ open';
    const toks = tokenize(s)
      .filter((x) => x.kind === 'token')
      .map((x) => x.source);
    assert.deepEqual(toks, [
      '{%#if profile.a = "x"%}A{%#if b%}B{%/if%}{%/if%}',
      '{{{raw}}}',
      '{{!-- note }} --}}',
    ]);
    assert.equal(fromEditorHtml(toEditorHtml(s)), s);
  });
  test('chip labels show the path and the fallback', () => {
    assert.equal(chipLabel('{%= profile.person.name.firstName ?: "there" %}'), 'firstName · there');
    assert.equal(chipLabel('{{profile.person.name.firstName}}'), 'firstName');
    assert.equal(chipLabel('{{{OfferCode}}}'), 'OfferCode');
    assert.equal(
      chipLabel('{{#each context.journey.events.E.productListItems as |item|}}x{{/each}}'),
      'each · productListItems',
    );
    assert.equal(
      chipLabel("{{fragment id='ajo:order-content' mode='inline'}}"),
      'fragment · order-content',
    );
    assert.equal(
      chipLabel('{{#inline "OfferCode" name="Offer code"}}LUMA10{{/inline}}'),
      'field · Offer code',
    );
    assert.equal(chipLabel('{{toPrecision item.priceTotal 2}}'), 'toPrecision · priceTotal');
  });
  test('unsafe HTML is recognised', () => {
    assert.ok(unsafeReason('<p>x</p><script>alert(1)</script>'));
    assert.ok(unsafeReason('<img src="x" onerror="alert(1)">'));
    assert.ok(unsafeReason('<a href="javascript:alert(1)">x</a>'));
    assert.ok(unsafeReason('<iframe src="https://x"></iframe>'));
    assert.equal(
      unsafeReason('<p class="x"><a href="https://luma.example" data-wm-notrack>one</a></p>'),
      null,
    );
    for (const t of demoTexts()) assert.equal(unsafeReason(t), null, t);
  });
});

const order = JSON.parse(
  readFileSync(join(CONTENT, 'order-confirmation-email.json'), 'utf8'),
) as unknown;
const content = (): EmailContent => emailContentSchema.parse(order);

describe('document edits', () => {
  test('find structures, columns, blocks, container and variant blocks', () => {
    const doc = content().document!;
    assert.equal(findNode(doc, 'order')?.type, 'structure');
    assert.equal(findNode(doc, 'order-col')?.type, 'column');
    const app = findNode(doc, 'app-banner');
    assert.ok(app?.type === 'block' && app.container?.id === 'banner-container');
    assert.equal(findNode(doc, 'nope'), null);
  });
  test('replace a block in place, or by several', () => {
    const doc = content().document!;
    const d2 = replaceNode(doc, 'logo', (b) => ({ ...(b as LeafBlock), alt: 'Luma logo' }));
    const f = findNode(d2, 'logo');
    assert.ok(f?.type === 'block' && f.block.kind === 'image' && f.block.alt === 'Luma logo');
    assert.notEqual(d2, doc);
    const d3 = replaceNode(doc, 'app-banner', (b) => [
      b,
      { ...(b as LeafBlock), id: 'app-banner-2' },
    ]);
    assert.equal(findNode(d3, 'app-banner-2')?.type, 'block');
  });
  test('withDoc edits the open locale document when it has one', () => {
    const c = content();
    const loc: EmailContent = { ...c, locales: { fr: { document: c.document! } } };
    const out = withDoc(loc, 'fr', (d) => ({ ...d, title: 'FR' }));
    assert.equal(out.locales?.['fr']?.document?.title, 'FR');
    assert.equal(out.document?.title, c.document?.title);
    assert.equal(withDoc(c, null, (d) => ({ ...d, title: 'X' })).document?.title, 'X');
  });
  test('columns: ratios at least 10% each; add; only empty columns are removed', () => {
    assert.deepEqual(parseRatios('1:2', 2), { ok: true, shares: [33.33, 66.67] });
    assert.deepEqual(parseRatios('50:50', 2), { ok: true, shares: [50, 50] });
    assert.equal(parseRatios('95:5', 2).ok, false);
    assert.equal(parseRatios('1:1', 3).ok, false);
    const s = structureSchema.parse({
      kind: 'structure',
      id: 's',
      columns: [{ id: 'a', blocks: [{ kind: 'spacer', id: 'sp' }] }],
    });
    const two = addColumn(s);
    assert.equal(two.columns.length, 2);
    assert.deepEqual(columnShares(two.columns), [50, 50]);
    assert.equal(removeColumn(two, 'a').columns.length, 2, 'a column with blocks stays');
    const one = removeColumn(two, two.columns[1]!.id);
    assert.equal(one.columns.length, 1);
    assert.deepEqual(columnShares(one.columns), [100]);
  });
  test('variant names', () => {
    assert.equal(validVariantName('Not Mobile App Users'), null);
    assert.ok(validVariantName('Not-app!'));
    assert.ok(validVariantName('  '));
    assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 0), ['c', 'a', 'b']);
    assert.deepEqual(moveItem(['a', 'b'], 0, -1), ['a', 'b']);
  });
  test("locks: own lock, else the structure's; read-only locks all; only when locks apply", () => {
    const g = governanceSchema.parse({
      mode: 'content-locking',
      locks: { header: 'locked', promo: 'editable-content-only', logo: 'editable' },
    });
    assert.equal(lockOf(g, true, 'logo', 'header'), 'editable');
    assert.equal(lockOf(g, true, 'header-col', 'header'), 'locked');
    assert.equal(lockOf(g, true, 'promo-code', 'promo'), 'editable-content-only');
    assert.equal(lockOf(g, false, 'header', 'header'), 'editable');
    assert.equal(
      lockOf(governanceSchema.parse({ mode: 'read-only' }), true, 'x', undefined),
      'locked',
    );
  });
});

describe('fragments', () => {
  const fragments = JSON.parse(readFileSync(join(CONTENT, 'fragments.json'), 'utf8')) as Array<{
    id: string;
    content: { type: string; blocks?: unknown[] };
  }>;
  const promo = fragments.find((f) => f.id === 'promo-code-fragment')!;
  const blocks = (promo.content.blocks ?? []).map((b) => leafBlockSchema.parse(b));
  test('editable fields come from {{#inline}} declarations', () => {
    assert.deepEqual(fragmentFields(blockSources(blocks)), [
      { id: 'LoyaltyOffer', label: 'Loyalty offer', defaultValue: '10% off your next order' },
      { id: 'OfferCode', label: 'Offer code', defaultValue: 'LUMA10' },
    ]);
  });
  test('break inheritance: copies with fresh ids and the values applied', () => {
    const values = { OfferCode: '{{context.journey.actions.LoyaltyService.PromoCode}}' };
    const copies = breakInheritance(blocks, values);
    assert.equal(copies.length, 1);
    assert.notEqual(copies[0]!.id, blocks[0]!.id);
    const text = copies[0]!.kind === 'text' ? copies[0]!.content : '';
    assert.match(
      text,
      /\{\{#inline "OfferCode" name="Offer code"\}\}\{\{context\.journey\.actions\.LoyaltyService\.PromoCode\}\}\{\{\/inline\}\}/,
    );
    assert.match(
      text,
      /\{\{#inline "LoyaltyOffer" name="Loyalty offer"\}\}10% off your next order\{\{\/inline\}\}/,
    );
    assert.equal(applyFields('{{#inline "a"}}x{{/inline}}', {}), '{{#inline "a"}}x{{/inline}}');
  });
});

describe('variant blocks', () => {
  test("a block variant's replacement block is found and edited by its id", () => {
    const c = content();
    const doc = replaceNode(c.document!, 'logo', (b) => ({
      ...(b as LeafBlock),
      variants: [
        {
          name: 'V',
          condition: { kind: 'audience', audience: 'A', status: 'realized' },
          block: { kind: 'image', id: 'logo-v', assetId: 'luma-logo', alt: '', tracked: true },
        },
      ],
    }));
    const f = findNode(doc, 'logo-v');
    assert.ok(f?.type === 'block' && f.owner?.block.id === 'logo' && f.owner.index === 0);
    const d2 = replaceNode(doc, 'logo-v', (b) => ({
      ...(b as LeafBlock),
      assetId: 'luma-mobile-app',
    }));
    const logo = findNode(d2, 'logo');
    assert.ok(logo?.type === 'block' && logo.block.kind === 'image');
    const v = logo.block.kind === 'image' ? logo.block.variants[0]!.block : null;
    assert.ok(v?.kind === 'image' && v.assetId === 'luma-mobile-app' && !('variants' in v));
  });
});

describe('fresh ids', () => {
  test('copies keep their original id as a prefix, and copies of copies do not grow', async () => {
    const { withFreshIds } = await import('../../ui/src/designer/properties/doc-edit.ts');
    const b = leafBlockSchema.parse({ kind: 'image', id: 'loyalty-banner', alt: '' });
    const c1 = withFreshIds(b);
    assert.match(c1.id, /^loyalty-banner_[a-z0-9]{4,9}$/);
    const c2 = withFreshIds(c1);
    assert.match(c2.id, /^loyalty-banner_[a-z0-9]{4,9}$/);
    assert.notEqual(c1.id, c2.id);
  });
});

describe('structure variants', () => {
  /** Every id in a document: structures, columns (variants' too), blocks, container and block variants. */
  const allIds = (v: unknown, out: string[] = []): string[] => {
    if (Array.isArray(v)) {
      v.forEach((x) => allIds(x, out));
      return out;
    }
    if (typeof v !== 'object' || v === null) return out;
    const o = v as Record<string, unknown>;
    if (typeof o['id'] === 'string') out.push(o['id']);
    for (const k of ['body', 'columns', 'blocks', 'variants', 'block'])
      if (k in o) allIds(o[k], out);
    return out;
  };
  const strip = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'id' ? undefined : x)));

  test('a new variant copies the columns (containers and their variants too) with ids unique in the document', async () => {
    const { newStructureVariant, variantOfColumn } =
      await import('../../ui/src/designer/properties/doc-edit.ts');
    const doc = content().document!;
    const banner = doc.body.find((s) => s.id === 'banner')!;
    assert.ok(
      banner.columns[0]!.blocks.some((b) => b.kind === 'container' && b.variants.length > 0),
      'the demo banner holds a container with variants',
    );
    const v = newStructureVariant(banner, 'Members', {
      kind: 'audience',
      audience: 'Luma Blue Members',
      status: 'realized',
    });
    assert.deepEqual(strip(v.columns), strip(banner.columns), 'the same content');
    const next = replaceNode(doc, 'banner', (s) => ({ ...(s as typeof banner), variants: [v] }));
    const ids = allIds(next.body);
    assert.equal(
      new Set(ids).size,
      ids.length,
      `ids used twice: ${ids.filter((x, i) => ids.indexOf(x) !== i).join(', ')}`,
    );
    assert.ok(emailDocumentSchema.safeParse(next).success);
    assert.ok(structureSchema.safeParse(next.body.find((s) => s.id === 'banner')).success);
    // A second variant copied from the same default gets other ids again.
    const v2 = newStructureVariant(banner, 'Other', { kind: 'expression', expression: 'true' });
    const both = replaceNode(doc, 'banner', (s) => ({
      ...(s as typeof banner),
      variants: [v, v2],
    }));
    const ids2 = allIds(both.body);
    assert.equal(new Set(ids2).size, ids2.length);
    // The variant's column and blocks are found, edited and named by the variant.
    const col = v.columns[0]!;
    const found = findNode(next, col.id);
    assert.ok(found?.type === 'column' && found.structure.id === 'banner');
    assert.deepEqual(variantOfColumn(found.structure, col.id), { index: 0, name: 'Members' });
    assert.equal(variantOfColumn(found.structure, banner.columns[0]!.id), null);
    const edited = replaceNode(next, col.id, (c) => ({
      ...(c as typeof col),
      backgroundColor: '#eeeeee',
    }));
    const s = edited.body.find((x) => x.id === 'banner')!;
    assert.equal(s.variants[0]!.columns[0]!.backgroundColor, '#eeeeee');
    assert.equal(
      s.columns[0]!.backgroundColor,
      banner.columns[0]!.backgroundColor,
      'the default columns are untouched',
    );
    const firstBlock = col.blocks[0]!;
    assert.equal(findNode(next, firstBlock.id)?.type, 'block');
  });

  test('moving and removing variants keeps the others', () => {
    const list = ['A', 'B', 'C'];
    assert.deepEqual(moveItem(list, 2, 0), ['C', 'A', 'B']);
    assert.deepEqual(moveItem(list, 0, 5), list);
  });
});

describe('image renditions', () => {
  test("the library's choices without thumbnails, the usual three when it lists none", async () => {
    const { FALLBACK_RENDITIONS, describeRendition, pickedOption, renditionFor, renditionOptions } =
      await import('../../ui/src/designer/properties/renditions.ts');
    const server = [
      { label: 'Original', spec: {}, url: 'u', previewUrl: 'p' },
      { label: 'Email 600 px', spec: { width: 640 }, url: 'u', previewUrl: 'p' },
      { label: 'Retina 1200 px', spec: { width: 1280 }, url: 'u', previewUrl: 'p' },
      {
        label: 'Thumbnail',
        spec: { width: 200, format: 'webp' as const },
        url: 'u',
        previewUrl: 'p',
      },
    ];
    const opts = renditionOptions(server);
    assert.deepEqual(
      opts.map((o) => o.label),
      ['Original', 'Email 600 px', 'Retina 1200 px'],
    );
    assert.deepEqual(opts[1]!.spec, { width: 640 }, "the server's snapped size is kept");
    assert.deepEqual(renditionOptions(null), FALLBACK_RENDITIONS);
    assert.deepEqual(
      renditionOptions([]).map((o) => [o.label, o.spec]),
      [
        ['Original', {}],
        ['Email 600 px', { width: 600 }],
        ['Retina 1200 px', { width: 1200 }],
      ],
    );
    // The block's rendition: Original removes it; others set the spec.
    assert.equal(renditionFor({}), undefined);
    assert.deepEqual(renditionFor({ width: 1200 }), { width: 1200 });
    assert.equal(pickedOption(FALLBACK_RENDITIONS, undefined)?.label, 'Original');
    assert.equal(pickedOption(FALLBACK_RENDITIONS, { width: 600 })?.label, 'Email 600 px');
    assert.equal(pickedOption(FALLBACK_RENDITIONS, { width: 600, format: 'webp' }), null);
    assert.equal(describeRendition({ width: 600, format: 'webp' }), '600 px wide, webp');
    // The patch the select makes is a valid image block either way.
    const img = leafBlockSchema.parse({ kind: 'image', id: 'i', assetId: 'luma-logo', alt: '' });
    assert.ok(
      leafBlockSchema.safeParse({ ...img, rendition: renditionFor({ width: 1200 }) }).success,
    );
  });
});
