// The code view: documentToMjml -> mjmlToDocument is the identity on anything the designer can make
// (generated documents, the Luma emails); hand-written MJML and imported HTML keep what the document
// cannot represent as html blocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import { documentToMjml } from '../../src/content/document/to-mjml.ts';
import { htmlToDocument, mjmlToDocument } from '../../src/content/document/from-code.ts';
import { emailDocumentSchema, type EmailDocument } from '../../src/model/message-content.ts';
import { compileMessage } from '../../src/content/index.ts';

const color = fc.constantFrom('#ffffff', '#123', 'red', 'rgb(1, 2, 3)', '#00aa00ff');
const css = fc.constantFrom('10px', '10px 25px', '50%', '0', '1px solid #cccccc', '33.33%');
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '{{profile.person.name.firstName}}',
    '{%= upperCase(profile.x) %}',
    '<p>a &amp; "b" \'c\'</p>',
    '</mj-text>',
    '</mj-button>',
    '-- -->',
    '<!-- wm:{"kind":"x"} -->',
    '&#39;&quot;',
    'x\ny',
    '</mj-raw>',
    '</mj-social-element>',
    '</mj-title>',
  ),
);
const id = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/),
  fc.constantFrom('a b', 'x"y', 'é--'),
);
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(a, { nil: undefined });
const base = {
  id,
  padding: opt(css),
  backgroundColor: opt(color),
  border: opt(css),
  hideOn: opt(fc.constantFrom('mobile' as const, 'desktop' as const)),
};
const align = opt(fc.constantFrom('left' as const, 'center' as const, 'right' as const));
const condition = fc.oneof(
  fc.record({
    kind: fc.constant('audience' as const),
    audience: fc.constantFrom('Luma - Mobile App Users', 'A "q" -- b'),
    status: fc.constantFrom('realized' as const, 'exited' as const),
  }),
  fc.record({
    kind: fc.constant('expression' as const),
    expression: fc.constantFrom('profile.x = "y"', 'inAudience("A")'),
  }),
);
const plain = fc.oneof(
  fc.record(
    {
      kind: fc.constant('text' as const),
      ...base,
      content: text,
      align,
      color: opt(color),
      fontSize: opt(css),
      lineHeight: opt(css),
      fontFamily: opt(fc.constantFrom('Georgia, serif', 'Arial')),
    },
    { requiredKeys: ['kind', 'id', 'content'] },
  ),
  fc.record(
    {
      kind: fc.constant('image' as const),
      ...base,
      src: opt(text),
      assetId: opt(fc.constantFrom('luma-logo', 'nope')),
      rendition: opt(
        fc.record(
          {
            width: opt(fc.integer({ min: 1, max: 4096 })),
            format: opt(fc.constantFrom('png' as const, 'webp' as const)),
          },
          { requiredKeys: [] },
        ),
      ),
      alt: text,
      href: opt(text),
      tracked: fc.boolean(),
      title: opt(text),
      width: opt(css),
      align,
    },
    { requiredKeys: ['kind', 'id', 'alt', 'tracked'] },
  ),
  fc.record(
    {
      kind: fc.constant('button' as const),
      ...base,
      label: text,
      href: text,
      tracked: fc.boolean(),
      target: opt(fc.constantFrom('_blank' as const, '_self' as const)),
      color: opt(color),
      borderRadius: opt(css),
      fontSize: opt(css),
      align,
    },
    { requiredKeys: ['kind', 'id', 'label', 'href', 'tracked'] },
  ),
  fc.record(
    {
      kind: fc.constant('divider' as const),
      ...base,
      color: opt(color),
      width: opt(css),
      style: opt(fc.constantFrom('solid' as const, 'dashed' as const)),
    },
    { requiredKeys: ['kind', 'id'] },
  ),
  fc.record(
    { kind: fc.constant('spacer' as const), ...base, height: css },
    { requiredKeys: ['kind', 'id', 'height'] },
  ),
  fc.record(
    {
      kind: fc.constant('social' as const),
      ...base,
      align,
      iconSize: css,
      tracked: fc.boolean(),
      links: fc.array(
        fc.record(
          {
            network: fc.constantFrom(
              'facebook' as const,
              'x' as const,
              'web' as const,
              'tiktok' as const,
            ),
            href: fc.string({ minLength: 1, maxLength: 20 }),
            label: opt(text),
          },
          { requiredKeys: ['network', 'href'] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['kind', 'id', 'iconSize', 'tracked', 'links'] },
  ),
  fc.record(
    { kind: fc.constant('html' as const), ...base, content: text },
    { requiredKeys: ['kind', 'id', 'content'] },
  ),
  fc.record(
    {
      kind: fc.constant('fragment' as const),
      ...base,
      fragmentId: fc.constantFrom('promo-code-fragment', 'x'),
      fields: fc.dictionary(fc.constantFrom('LoyaltyOffer', 'OfferCode', 'a b'), text, {
        maxKeys: 2,
      }),
    },
    { requiredKeys: ['kind', 'id', 'fragmentId', 'fields'] },
  ),
);
const leaf = fc
  .tuple(
    plain,
    fc.array(fc.record({ name: fc.constantFrom('V1', 'Not app users'), condition, block: plain }), {
      maxLength: 2,
    }),
  )
  .map(([b, variants]) => ({ ...b, variants }));
const component = fc.oneof(
  { weight: 4, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant('container' as const),
        ...base,
        defaultName: fc.constantFrom('Default variant', 'Others'),
        blocks: fc.array(leaf, { maxLength: 2 }),
        variants: fc.array(
          fc.record({
            name: fc.constant('V'),
            condition,
            blocks: fc.array(leaf, { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['kind', 'id', 'defaultName', 'blocks', 'variants'] },
    ),
  },
);
const column = fc.record(
  {
    id,
    width: opt(css),
    backgroundColor: opt(color),
    verticalAlign: opt(fc.constantFrom('top' as const, 'middle' as const)),
    blocks: fc.array(component, { maxLength: 3 }),
  },
  { requiredKeys: ['id', 'blocks'] },
);
const structure = fc.record(
  {
    kind: fc.constant('structure' as const),
    ...base,
    columns: fc.array(column, { minLength: 1, maxLength: 3 }),
    stackOnMobile: fc.boolean(),
    variants: fc.array(
      fc.record({
        name: fc.constant('S'),
        condition,
        columns: fc.array(column, { minLength: 1, maxLength: 2 }),
      }),
      { maxLength: 1 },
    ),
  },
  { requiredKeys: ['kind', 'id', 'columns', 'stackOnMobile', 'variants'] },
);
/** Ids name one structure, column or block in a document (the schema refuses a second use): suffixed in visiting order. */
function uniqueIds<T>(doc: T): T {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    if (typeof o['id'] === 'string' && ('kind' in o || 'blocks' in o))
      o['id'] = `${o['id']}~${n++}`;
    return o;
  };
  return walk(doc) as T;
}
const documentArb = fc
  .record(
    {
      width: css,
      backgroundColor: opt(color),
      fontFamily: opt(fc.constantFrom('Helvetica, Arial', 'Georgia')),
      title: opt(text),
      theme: opt(
        fc.record(
          {
            fontFamily: opt(fc.constantFrom('Verdana')),
            textColor: opt(color),
            linkColor: opt(color),
            buttonColor: opt(color),
            contentBackground: opt(color),
            palette: fc.array(color, { maxLength: 3 }),
          },
          { requiredKeys: ['palette'] },
        ),
      ),
      body: fc.array(structure, { maxLength: 3 }),
    },
    { requiredKeys: ['width', 'body'] },
  )
  .map((d) => emailDocumentSchema.parse(uniqueIds(d)));

const { library, orderConfirmationEmail } = loadLumaContent();
/** Absent and undefined are the same value in JSON (what the API exchanges). */
const norm = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const roundTrip = (doc: EmailDocument): ReturnType<typeof mjmlToDocument> =>
  mjmlToDocument(documentToMjml(doc, library));

describe('code view: MJML round trip', () => {
  test('documentToMjml -> mjmlToDocument is the identity on generated documents', () => {
    fc.assert(
      fc.property(documentArb, (doc) => {
        const back = roundTrip(doc);
        assert.deepEqual(norm(back.document), norm(doc));
        assert.deepEqual(back.notes, []);
      }),
      { numRuns: 300 },
    );
  });

  test('the Luma order confirmation and the cart-abandoned email (every locale) come back unchanged', () => {
    assert.ok(
      orderConfirmationEmail.channel === 'email' && orderConfirmationEmail.document !== undefined,
    );
    assert.deepEqual(
      roundTrip(orderConfirmationEmail.document).document,
      orderConfirmationEmail.document,
    );
    const cart = library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(cart !== undefined && cart.content.channel === 'email');
    const docs = [
      cart.content.document,
      ...Object.values(cart.content.locales ?? {}).map((l) => l.document),
    ].filter((d): d is EmailDocument => d !== undefined);
    assert.ok(docs.length >= 1);
    for (const d of docs) assert.deepEqual(roundTrip(d).document, d);
  });

  test('the MJML shows personalization as written, classes wm-b-<id>, and compiles with MJML', async () => {
    assert.ok(
      orderConfirmationEmail.channel === 'email' && orderConfirmationEmail.document !== undefined,
    );
    const m = documentToMjml(orderConfirmationEmail.document, library);
    assert.ok(
      m.includes(
        '{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}',
      ),
    );
    assert.ok(
      m.includes(
        `{{fragment id='ajo:promo-code-fragment' LoyaltyOffer="{{context.journey.actions.LoyaltyService.LoyaltyOffer}}"`,
      ),
    );
    assert.match(m, /css-class="wm-b-logo"/);
    const mjml = (await import('mjml')).default;
    const out = await mjml(m, { validationLevel: 'soft' });
    assert.match(out.html, /assets\.luma\.example\/luma-logo\.png/);
  });

  test('edits in the code win: a changed text, colour and fragment field', () => {
    assert.ok(
      orderConfirmationEmail.channel === 'email' && orderConfirmationEmail.document !== undefined,
    );
    const m = documentToMjml(orderConfirmationEmail.document, library)
      .replace('<p>Here are the details of your order</p>', '<p>Your order</p>')
      .replace(
        'css-class="wm-b-promo" background-color="#fff8e6"',
        'css-class="wm-b-promo" background-color="#000000"',
      )
      .replace(
        'OfferCode="{{context.journey.actions.LoyaltyService.PromoCode}}"',
        'OfferCode="SUMMER"',
      );
    const d = mjmlToDocument(m).document;
    const order = d.body[1]?.columns[0]?.blocks[1];
    assert.ok(order?.kind === 'text' && order.content.startsWith('<p>Your order</p>'));
    assert.equal(d.body[2]?.backgroundColor, '#000000');
    const promo = d.body[2]?.columns[0]?.blocks[0];
    assert.ok(promo?.kind === 'fragment');
    assert.deepEqual(promo.fields, {
      LoyaltyOffer: '{{context.journey.actions.LoyaltyService.LoyaltyOffer}}',
      OfferCode: 'SUMMER',
    });
  });

  test('hand-written MJML: known components become blocks, the rest html blocks holding their source', () => {
    const src = `<mjml><mj-head><mj-title>Hi</mj-title></mj-head><mj-body width="500px">
      <mj-section><mj-group><mj-column width="40%"><mj-text color="#111111">Hello {{profile.person.name.firstName}}</mj-text><mj-image src="https://x.example/a.png" alt="A" /></mj-column>
      <mj-column><mj-button href="https://x.example">Go</mj-button><mj-navbar><mj-navbar-link href="/a">A</mj-navbar-link></mj-navbar><mj-social><mj-social-element name="twitter-noshare" href="https://x.com/luma">X</mj-social-element></mj-social></mj-column></mj-group></mj-section>
      <mj-hero background-url="https://x.example/h.png"><mj-text>Hero</mj-text></mj-hero>
      <mj-raw>{{fragment id='ajo:order-confirmation-text'}}</mj-raw>
    </mj-body></mjml>`;
    const { document: d, notes } = mjmlToDocument(src);
    assert.equal(d.title, 'Hi');
    assert.equal(d.width, '500px');
    const s = d.body[0];
    assert.ok(s !== undefined && s.stackOnMobile === false);
    assert.deepEqual(
      s.columns[0]?.blocks.map((b) => b.kind),
      ['text', 'image'],
    );
    assert.deepEqual(
      s.columns[1]?.blocks.map((b) => b.kind),
      ['button', 'html', 'social'],
    );
    const nav = s.columns[1]?.blocks[1];
    assert.ok(
      nav?.kind === 'html' &&
        nav.content.startsWith('<mj-navbar>') &&
        nav.content.includes('</mj-navbar>'),
    );
    const social = s.columns[1]?.blocks[2];
    assert.ok(social?.kind === 'social' && social.links[0]?.network === 'x');
    const hero = d.body[1]?.columns[0]?.blocks[0];
    assert.ok(hero?.kind === 'html' && hero.content.includes('background-url'));
    const frag = d.body[2]?.columns[0]?.blocks[0];
    assert.ok(frag?.kind === 'fragment' && frag.fragmentId === 'order-confirmation-text');
    assert.ok(
      notes.some((n) => n.includes('<mj-navbar>')) && notes.some((n) => n.includes('<mj-hero>')),
    );
    const ids = new Set<string>();
    for (const st of d.body) {
      ids.add(st.id);
      for (const c of st.columns) {
        ids.add(c.id);
        for (const b of c.blocks) ids.add(b.id);
      }
    }
    assert.equal(
      ids.size,
      3 + 4 + 7,
      'every structure (3), column (4) and block (7) gets its own id',
    );
  });

  test('a block copied in the code with its comment gets a new id', () => {
    const block = '<!-- wm:{"kind":"text","id":"hello","variants":[]} --><mj-text>Hi</mj-text>';
    const { document: d, notes } = mjmlToDocument(
      `<mjml><mj-body><mj-section><mj-column>${block}${block}</mj-column></mj-section></mj-body></mjml>`,
    );
    assert.deepEqual(
      d.body[0]?.columns[0]?.blocks.map((b) => b.id),
      ['hello', 'hello-2'],
    );
    assert.match(notes[0] ?? '', /used twice/);
  });

  test('broken MJML is read tolerantly: unclosed elements and invalid values are noted, nothing thrown', () => {
    const { document: d, notes } = mjmlToDocument(
      '<mjml><mj-body><mj-section><mj-column><mj-text color="not a colour;">x</mj-text><mj-image src="a.png"',
    );
    assert.equal(d.body.length, 1);
    assert.ok(notes.some((n) => n.includes('color')));
  });
});

describe('code view: HTML import', () => {
  test('simple HTML becomes text, image, button and divider blocks; the rest html blocks', async () => {
    const html = `<html><head><title>t</title></head><body>
      <h1>Welcome {{profile.person.name.firstName}}</h1><p>First</p><p>Second</p>
      <img src="https://x.example/a.png" alt="A" width="300">
      <a href="https://x.example/shop">Shop now</a>
      <hr>
      <table><tr><td>Layout</td></tr></table>
      <a href="https://x.example"><img src="https://x.example/b.png" alt="B"></a>
    </body></html>`;
    const { document: d, notes } = htmlToDocument(html);
    const blocks = d.body[0]?.columns[0]?.blocks ?? [];
    assert.deepEqual(
      blocks.map((b) => b.kind),
      ['text', 'image', 'button', 'divider', 'html', 'image'],
    );
    assert.ok(
      blocks[0]?.kind === 'text' &&
        blocks[0].content ===
          '<h1>Welcome {{profile.person.name.firstName}}</h1><p>First</p><p>Second</p>',
    );
    assert.ok(blocks[1]?.kind === 'image' && blocks[1].width === '300px' && blocks[1].alt === 'A');
    assert.ok(
      blocks[2]?.kind === 'button' &&
        blocks[2].label === 'Shop now' &&
        blocks[2].href === 'https://x.example/shop',
    );
    assert.ok(
      blocks[4]?.kind === 'html' && blocks[4].content === '<table><tr><td>Layout</td></tr></table>',
    );
    assert.ok(blocks[5]?.kind === 'image' && blocks[5].href === 'https://x.example');
    assert.ok(notes.some((n) => n.includes('<table>')));
    const c = await compileMessage({ channel: 'email', subject: 's', document: d }, library);
    assert.ok(c.ok);
  });

  test('laid-out or styled HTML stays one html block (compatibility mode), nothing lost', () => {
    const table = '<table width="600"><tr><td><p>Hi {{profile.x}}</p></td></tr></table>';
    const a = htmlToDocument(`<!doctype html><html><body>${table}</body></html>`);
    const only = a.document.body[0]?.columns[0]?.blocks;
    assert.equal(only?.length, 1);
    assert.ok(only?.[0]?.kind === 'html' && only[0].content === table);
    const b = htmlToDocument(
      '<html><head><style>.x{color:red}</style></head><body><p class="x">Styled</p></body></html>',
    );
    const blk = b.document.body[0]?.columns[0]?.blocks[0];
    assert.ok(
      blk?.kind === 'html' &&
        blk.content.includes('<style>.x{color:red}</style>') &&
        blk.content.includes('<p class="x">Styled</p>'),
    );
    assert.match(b.notes[0] ?? '', /compatibility/);
  });
});
