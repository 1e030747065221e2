// The email designer's pure parts: document operations (insert a dropped payload, move, duplicate with
// fresh ids, delete, keyboard moves across structures), template locks, the undo history with
// coalesced typing, and that every result is still a valid document.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { emailContentSchema, emailDocumentSchema } from '../../src/model/message-content.ts';
import type { EmailContent, EmailDocument } from '../../src/model/message-content.ts';
import { governanceSchema } from '../../src/model/content-template.ts';
import {
  allIds,
  canInsert,
  canMove,
  canRemove,
  docOf,
  duplicate,
  fragmentBlocks,
  fragmentDocument,
  insertPayload,
  locate,
  lockOf,
  moveBy,
  moveNode,
  newStructure,
  parseRatios,
  remove,
  updateBlock,
  withDoc,
  EMPTY_DOCUMENT,
  idMaker,
} from '../../ui/src/designer/doc-ops.ts';
import {
  initialState,
  isDirty,
  redoLabel,
  reduce,
  undoLabel,
  COALESCE_MS,
} from '../../ui/src/designer/state.ts';
import { tokenInfo, applyFragmentFields, textOf } from '../../ui/src/designer/canvas-html.ts';

const order = emailContentSchema.parse(
  JSON.parse(
    readFileSync(
      new URL('../../examples/luma/content/order-confirmation-email.json', import.meta.url),
      'utf8',
    ),
  ),
);
// The demo's footer structure and its fragment block share the id "footer"; ids are unique here.
const orderDoc: EmailDocument = JSON.parse(
  JSON.stringify(order.document!).replace(
    '"id":"footer","fragmentId"',
    '"id":"footer-fragment","fragmentId"',
  ),
) as EmailDocument;
const valid = (d: EmailDocument) => {
  emailDocumentSchema.parse(d);
  const ids = [...allIds(d)];
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  return d;
};

describe('designer document operations', () => {
  test('a structure and components dropped on an empty document', () => {
    const s = insertPayload(
      EMPTY_DOCUMENT,
      { type: 'structure', ratios: [1] },
      { kind: 'body', index: 0 },
    )!;
    assert.equal(s.doc.body.length, 1);
    assert.equal(s.label, 'Add 1-column structure');
    const col = s.doc.body[0]!.columns[0]!.id;
    const t = insertPayload(
      s.doc,
      { type: 'component', kind: 'text' },
      { kind: 'list', list: { column: col }, index: 0 },
    )!;
    const i = insertPayload(
      t.doc,
      { type: 'component', kind: 'image' },
      { kind: 'list', list: { column: col }, index: 0 },
    )!;
    valid(i.doc);
    assert.deepEqual(
      i.doc.body[0]!.columns[0]!.blocks.map((b) => b.kind),
      ['image', 'text'],
    );
    assert.equal(i.selected, i.doc.body[0]!.columns[0]!.blocks[0]!.id);
  });

  test('a component dropped between structures gets its own one-column structure', () => {
    const r = insertPayload(
      orderDoc,
      { type: 'component', kind: 'button' },
      { kind: 'body', index: 1 },
    )!;
    valid(r.doc);
    assert.equal(r.doc.body.length, orderDoc.body.length + 1);
    assert.equal(r.doc.body[1]!.columns.length, 1);
    assert.equal(r.doc.body[1]!.columns[0]!.blocks[0]!.kind, 'button');
  });

  test('custom ratios: widths in percent, each column at least 10%', () => {
    assert.deepEqual(parseRatios('1:1:2'), [1, 1, 2]);
    assert.match(String(parseRatios('1:20')), /10%/);
    assert.match(String(parseRatios('a:b')), /positive/);
    const s = newStructure([1, 1, 2], idMaker(new Set()));
    assert.deepEqual(
      s.columns.map((c) => c.width),
      ['25%', '25%', '50%'],
    );
    assert.deepEqual(
      newStructure([1, 1], idMaker(new Set())).columns.map((c) => c.width),
      [undefined, undefined],
    );
  });

  test('assets become images with the asset alt, or replace an image dropped onto', () => {
    const ctx = { assetAlt: (id: string) => (id === 'luma-logo' ? 'Luma' : undefined) };
    const r = insertPayload(
      orderDoc,
      { type: 'asset', assetId: 'luma-logo' },
      { kind: 'list', list: { column: 'order-col' }, index: 0 },
      ctx,
    )!;
    const img = locate(r.doc, r.selected!);
    assert.ok(
      img?.kind === 'block' &&
        img.block.kind === 'image' &&
        img.block.assetId === 'luma-logo' &&
        img.block.alt === 'Luma',
    );
    const onto = insertPayload(
      orderDoc,
      { type: 'asset', assetId: 'luma-mobile-app' },
      { kind: 'onto', id: 'logo' },
      ctx,
    )!;
    const logo = locate(onto.doc, 'logo');
    assert.ok(
      logo?.kind === 'block' &&
        logo.block.kind === 'image' &&
        logo.block.assetId === 'luma-mobile-app',
    );
    assert.equal(onto.label, 'Replace image');
    assert.equal(onto.doc.body.length, orderDoc.body.length);
  });

  test('fragments are references; a container in a container goes after it', () => {
    const f = insertPayload(
      orderDoc,
      { type: 'fragment', fragmentId: 'luma-footer-fragment' },
      { kind: 'list', list: { container: 'banner-container', variant: 0 }, index: 1 },
    )!;
    valid(f.doc);
    const at = locate(f.doc, f.selected!);
    assert.ok(
      at?.kind === 'block' &&
        at.block.kind === 'fragment' &&
        'container' in at.list &&
        at.list.variant === 0,
    );
    const c = insertPayload(
      orderDoc,
      { type: 'component', kind: 'container' },
      { kind: 'list', list: { container: 'banner-container', variant: null }, index: 0 },
    )!;
    valid(c.doc);
    const placed = locate(c.doc, c.selected!);
    assert.ok(
      placed?.kind === 'block' &&
        'column' in placed.list &&
        placed.list.column === 'banner-col' &&
        placed.index === 1,
    );
  });

  test('move within a list, across columns, and structures among structures', () => {
    const a = moveNode(orderDoc, 'order-details', {
      kind: 'list',
      list: { column: 'order-col' },
      index: 0,
    })!;
    assert.deepEqual(
      a.doc.body[1]!.columns[0]!.blocks.map((b) => b.id),
      ['order-details', 'order-confirmation-text'],
    );
    assert.equal(
      moveNode(orderDoc, 'order-details', {
        kind: 'list',
        list: { column: 'order-col' },
        index: 2,
      }),
      null,
      'already there',
    );
    const b = moveNode(orderDoc, 'logo', {
      kind: 'list',
      list: { column: 'footer-col' },
      index: 1,
    })!;
    valid(b.doc);
    assert.deepEqual(b.doc.body[0]!.columns[0]!.blocks, []);
    assert.deepEqual(
      b.doc.body.at(-1)!.columns[0]!.blocks.map((x) => x.id),
      ['footer-fragment', 'logo'],
    );
    const own = moveNode(orderDoc, 'footer-fragment', { kind: 'body', index: 0 })!;
    assert.equal(
      own.doc.body.length,
      orderDoc.body.length + 1,
      'a block moved between structures gets its own structure',
    );
    assert.deepEqual(
      own.doc.body[0]!.columns[0]!.blocks.map((x) => x.id),
      ['footer-fragment'],
    );
    const st = moveNode(orderDoc, 'promo', { kind: 'body', index: 0 })!;
    assert.deepEqual(
      st.doc.body.map((x) => x.id),
      ['promo', 'header', 'order', 'banner', 'footer'],
    );
  });

  test('keyboard moves: up and down in the list, then into the neighbouring structure', () => {
    const down = moveBy(orderDoc, 'order-confirmation-text', 1)!;
    assert.deepEqual(
      down.doc.body[1]!.columns[0]!.blocks.map((b) => b.id),
      ['order-details', 'order-confirmation-text'],
    );
    const up = moveBy(orderDoc, 'order-confirmation-text', -1)!;
    valid(up.doc);
    assert.deepEqual(
      up.doc.body[0]!.columns[0]!.blocks.map((b) => b.id),
      ['logo', 'order-confirmation-text'],
    );
    assert.equal(moveBy(orderDoc, 'logo', -1), null, 'nothing above the first structure');
    const s = moveBy(orderDoc, 'header', 1)!;
    assert.deepEqual(
      s.doc.body.slice(0, 2).map((x) => x.id),
      ['order', 'header'],
    );
  });

  test('duplicate gives fresh ids to everything inside', () => {
    const d = duplicate(orderDoc, 'banner')!;
    valid(d.doc);
    assert.equal(d.doc.body.length, orderDoc.body.length + 1);
    assert.notEqual(d.selected, 'banner');
    const copy = d.doc.body[4]!;
    assert.equal(copy.id, d.selected);
    const b = duplicate(orderDoc, 'order-details')!;
    assert.deepEqual(
      b.doc.body[1]!.columns[0]!.blocks.map((x) => x.kind),
      ['fragment', 'text', 'text'],
    );
    valid(b.doc);
  });

  test('delete selects a neighbour; a structure keeps one column', () => {
    const r = remove(orderDoc, 'order-confirmation-text')!;
    assert.equal(r.selected, 'order-details');
    assert.equal(r.label, 'Delete fragment');
    assert.equal(remove(orderDoc, 'header-col'), null);
    const s = remove(orderDoc, 'header')!;
    assert.equal(s.selected, 'order');
    assert.equal(s.doc.body.length, 4);
  });

  test('update a block, locale documents, fragment documents', () => {
    const u = updateBlock(orderDoc, 'order-details', (b) =>
      b.kind === 'text' ? { ...b, content: '<p>Hi</p>' } : b,
    );
    assert.equal(
      (locate(u, 'order-details') as { block: { content: string } }).block.content,
      '<p>Hi</p>',
    );
    assert.equal(locate(u, 'logo')?.kind, 'block');
    assert.equal(
      u.body[0],
      orderDoc.body[0],
      'untouched structures are shared (the canvas memoizes on them)',
    );
    const base = { ...order, document: orderDoc };
    const fr = withDoc(base, 'fr-FR', u);
    assert.equal(docOf(fr, 'fr-FR'), u);
    assert.equal(docOf(fr, null), orderDoc);
    assert.equal(
      docOf(base, 'es-ES'),
      orderDoc,
      'a locale without its own document shows the default one',
    );
    const blocks = fragmentBlocks(
      fragmentDocument([{ kind: 'text', id: 't', content: 'x', variants: [] }]),
    );
    assert.deepEqual(
      blocks.map((b) => b.id),
      ['t'],
    );
  });
});

describe('template locks', () => {
  const gov = governanceSchema.parse({
    mode: 'content-locking',
    addition: 'content-only',
    locks: { header: 'locked', 'order-details': 'editable-content-only' },
    allowDelete: ['header'],
  });
  test('a structure lock applies to its blocks; own locks win', () => {
    assert.equal(lockOf(orderDoc, gov, 'logo'), 'locked');
    assert.equal(lockOf(orderDoc, gov, 'header-col'), 'locked');
    assert.equal(lockOf(orderDoc, gov, 'order-details'), 'editable-content-only');
    assert.equal(lockOf(orderDoc, gov, 'promo-code'), 'editable');
    assert.equal(lockOf(orderDoc, undefined, 'logo'), 'editable');
  });
  test('locked parts are neither moved nor deleted (unless allowed); additions follow governance', () => {
    assert.equal(canMove(orderDoc, gov, 'logo'), false);
    assert.equal(canRemove(orderDoc, gov, 'logo'), false);
    assert.equal(canRemove(orderDoc, gov, 'header'), true, 'allowDelete');
    assert.equal(canRemove(orderDoc, gov, 'order-details'), false);
    assert.equal(canRemove(orderDoc, gov, 'promo-code'), true);
    assert.equal(
      canInsert(
        orderDoc,
        gov,
        { type: 'component', kind: 'text' },
        { kind: 'list', list: { column: 'promo-col' }, index: 0 },
      ),
      true,
    );
    assert.equal(
      canInsert(
        orderDoc,
        gov,
        { type: 'component', kind: 'text' },
        { kind: 'list', list: { column: 'header-col' }, index: 0 },
      ),
      false,
    );
    assert.equal(
      canInsert(orderDoc, gov, { type: 'structure', ratios: [1] }, { kind: 'body', index: 0 }),
      false,
    );
    assert.equal(
      canInsert(
        orderDoc,
        gov,
        { type: 'move', id: 'promo-code' },
        { kind: 'list', list: { column: 'header-col' }, index: 0 },
      ),
      false,
    );
    assert.equal(
      canInsert(
        orderDoc,
        { ...gov, mode: 'read-only' },
        { type: 'component', kind: 'text' },
        { kind: 'list', list: { column: 'promo-col' }, index: 0 },
      ),
      false,
    );
  });
});

describe('undo history', () => {
  const content: EmailContent = { ...order };
  const setSubject = (v: string) => (c: EmailContent) => ({ ...c, subject: v });
  test('undo and redo restore snapshots with their labels', () => {
    let s = initialState(content);
    assert.equal(isDirty(s), false);
    s = reduce(s, {
      type: 'apply',
      next: (c) =>
        withDoc(
          c,
          null,
          insertPayload(
            docOf(c, null),
            { type: 'structure', ratios: [1, 2] },
            { kind: 'body', index: 0 },
          )!.doc,
        ),
      label: 'Add 2-column structure',
      at: 0,
    });
    s = reduce(s, { type: 'apply', next: setSubject('A'), label: 'Edit subject', at: 5000 });
    assert.equal(undoLabel(s), 'Edit subject');
    assert.equal(isDirty(s), true);
    s = reduce(s, { type: 'undo' });
    assert.equal(s.content.subject, order.subject);
    assert.equal(redoLabel(s), 'Edit subject');
    s = reduce(s, { type: 'undo' });
    assert.equal(s.content, content);
    assert.equal(isDirty(s), false);
    s = reduce(s, { type: 'redo' });
    assert.equal(docOf(s.content, null).body.length, orderDoc.body.length + 1);
    s = reduce(s, { type: 'apply', next: setSubject('B'), label: 'Edit subject', at: 9000 });
    assert.equal(redoLabel(s), null, 'a new step drops the redo stack');
    emailContentSchema.parse(s.content);
  });
  test('rapid typing is one step; adds are never merged', () => {
    let s = initialState(content);
    for (let i = 1; i <= 5; i++)
      s = reduce(s, {
        type: 'apply',
        next: setSubject('x'.repeat(i)),
        label: 'Edit text',
        at: i * 100,
      });
    assert.equal(s.past.length, 1);
    s = reduce(s, {
      type: 'apply',
      next: setSubject('later'),
      label: 'Edit text',
      at: 500 + COALESCE_MS + 1,
    });
    assert.equal(s.past.length, 2);
    s = reduce(s, { type: 'undo' });
    assert.equal(s.content.subject, 'xxxxx');
    let t = initialState(content);
    t = reduce(t, { type: 'apply', next: setSubject('1'), label: 'Add text', at: 0 });
    t = reduce(t, { type: 'apply', next: setSubject('2'), label: 'Add text', at: 10 });
    assert.equal(t.past.length, 2);
  });
  test("governance is part of the history (a template's locks)", () => {
    let s = initialState(content, undefined);
    s = reduce(s, {
      type: 'governance',
      label: 'Lock',
      at: 0,
      next: () => governanceSchema.parse({ mode: 'content-locking', locks: { header: 'locked' } }),
    });
    assert.equal(s.governance?.locks['header'], 'locked');
    assert.equal(isDirty(s), true);
    s = reduce(s, { type: 'undo' });
    assert.equal(s.governance, undefined);
  });
});

describe('canvas text', () => {
  test('tokens show their path and fallback', () => {
    assert.deepEqual(tokenInfo('{{profile.person.name.firstName}}'), {
      path: 'profile.person.name.firstName',
      block: false,
    });
    assert.deepEqual(tokenInfo('{%= profile.person.name.firstName ?: "there" %}'), {
      path: 'profile.person.name.firstName',
      fallback: 'there',
      block: false,
    });
    assert.equal(tokenInfo('{{#each context.journey.events.x.items as |item|}}').block, true);
  });
  test('fragment fields replace the inline defaults', () => {
    const src = '{{#inline "OfferCode" name="Offer code"}}LUMA10{{/inline}}<p>{{{OfferCode}}}</p>';
    assert.equal(applyFragmentFields(src, {}), '<p>LUMA10</p>');
    assert.equal(
      applyFragmentFields(src, {
        OfferCode: '{{context.journey.actions.LoyaltyService.PromoCode}}',
      }),
      '<p>{{context.journey.actions.LoyaltyService.PromoCode}}</p>',
    );
  });
  test('accessible names from text', () => {
    assert.equal(
      textOf('<p>Here are the details of your order</p><table></table>'),
      'Here are the details of your order',
    );
  });
});
