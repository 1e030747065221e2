// Pre-send checks: alt text, broken links, unresolved personalization (against the journey's
// schemas), Gmail's 102 KB clipping, the unsubscribe link of marketing mail, MJML warnings. And the
// HTML field accepts the lab's visual fragments (drawn as HTML).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadLumaContent } from '../../examples/luma/content/load.ts';
import {
  brokenLink,
  checkEmail,
  checkMessage,
  GMAIL_CLIP_BYTES,
} from '../../src/content/checks.ts';
import { compileMessage } from '../../src/content/index.ts';
import { messageContentSchema, type MessageContent } from '../../src/model/message-content.ts';
import { input } from './helpers.ts';

const { library, orderConfirmationEmail } = loadLumaContent();
const NOW = Date.UTC(2026, 10, 28);
const email = (body: unknown[], more: Record<string, unknown> = {}): MessageContent =>
  messageContentSchema.parse({ channel: 'email', subject: 's', document: { body }, ...more });
const col = (blocks: unknown[]): unknown => ({
  kind: 'structure',
  id: 's1',
  columns: [{ id: 'c1', blocks }],
});
const unsub = {
  kind: 'text',
  id: 'unsub',
  content: '<a href="https://luma.example/unsubscribe">Unsubscribe</a>',
};

describe('pre-send checks', () => {
  test('brokenLink: empty, #, javascript:, other schemes, relative and malformed URLs; personalization alone is fine', () => {
    for (const bad of [
      '',
      ' ',
      '#',
      'javascript:alert(1)',
      'ftp://x.example',
      'www.luma.example',
      '/relative',
      'https://',
      'http://exa mple.com',
      'mailto:',
    ])
      assert.ok(brokenLink(bad) !== undefined, bad);
    for (const ok of [
      'https://luma.example/a?b=1',
      'http://x.example',
      'mailto:help@luma.example',
      'tel:+33123',
      '{{profile.url}}',
      '{%= profile.url %}',
      'https://luma.example/p/{{profile.id}}',
    ])
      assert.equal(brokenLink(ok), undefined, ok);
  });

  test('missing alt text and broken links name the block and field (variants and fragments included)', () => {
    const c = email([
      col([
        { kind: 'image', id: 'logo', src: 'https://x.example/a.png', href: '#' },
        { kind: 'button', id: 'buy', label: 'Buy', href: 'javascript:void(0)' },
        {
          kind: 'text',
          id: 'txt',
          content: '<p><a href="">empty</a> <a href="https://ok.example">ok</a></p>',
        },
        {
          kind: 'image',
          id: 'v',
          src: 'https://x.example/b.png',
          alt: 'B',
          variants: [
            {
              name: 'V',
              condition: { kind: 'audience', audience: 'A' },
              block: { kind: 'image', id: 'v2', src: 'https://x.example/c.png' },
            },
          ],
        },
        unsub,
      ]),
    ]);
    const issues = checkEmail({ content: c, library, marketing: true });
    const alt = issues.filter((i) => i.code === 'missing_alt').map((i) => i.blockId);
    assert.deepEqual(alt, ['logo', 'v2'], "a variant's block is named by its own id");
    assert.ok(
      issues.some(
        (i) =>
          i.code === 'missing_alt' &&
          i.field === 'document.body[0].columns[0].blocks[3].variants[0].block.alt',
      ),
    );
    const links = issues.filter((i) => i.code === 'broken_link').map((i) => [i.blockId, i.field]);
    assert.deepEqual(links, [
      ['logo', 'document.body[0].columns[0].blocks[0].href'],
      ['buy', 'document.body[0].columns[0].blocks[1].href'],
      ['txt', 'document.body[0].columns[0].blocks[2].content'],
    ]);
    assert.ok(issues.every((i) => i.code !== 'missing_unsubscribe'));
  });

  test('marketing mail without an unsubscribe link is an error; transactional is not checked', async () => {
    const c = email([col([{ kind: 'text', id: 't', content: '<p>Hello</p>' }])]);
    assert.ok(
      (await checkMessage({ content: c, library, marketing: true, now: NOW })).issues.some(
        (i) => i.code === 'missing_unsubscribe' && i.severity === 'error',
      ),
    );
    assert.ok(
      !(await checkMessage({ content: c, library, marketing: false, now: NOW })).issues.some(
        (i) => i.code === 'missing_unsubscribe',
      ),
    );
    // The Luma footer fragment has one.
    assert.ok(
      !(
        await checkMessage({ content: orderConfirmationEmail, library, marketing: true, now: NOW })
      ).issues.some((i) => i.code === 'missing_unsubscribe'),
    );
  });

  test('unresolved personalization against the journey scope; size measured in UTF-8 bytes with the clipping warning', async () => {
    const scope = {
      profile: {
        type: 'object',
        properties: {
          person: {
            type: 'object',
            properties: { name: { type: 'object', properties: { firstName: { type: 'string' } } } },
          },
        },
      },
      events: {
        LumaPurchaseEvent_Email: {
          type: 'object',
          properties: {
            productListItems: {
              type: 'array',
              items: { type: 'object', properties: { name: { type: 'string' } } },
            },
          },
        },
      },
      actions: {},
    };
    const c = email([
      col([
        {
          kind: 'text',
          id: 'hello',
          content: '<p>Hi {{profile.person.name.firstName}} {{profile.person.nickName}} é</p>',
        },
        unsub,
      ]),
    ]);
    const r = await checkMessage({ content: c, library, scope, marketing: true, now: NOW });
    const unresolved = r.issues.filter((i) => i.code === 'unresolved_personalization');
    assert.equal(unresolved.length, 1);
    assert.equal(unresolved[0]?.blockId, 'hello');
    assert.match(unresolved[0]?.message ?? '', /nickName/);
    assert.ok(
      r.sizeBytes > 1000,
      'measured from a sample render even though the scope check failed',
    );
    const big = email([
      col([{ kind: 'text', id: 'big', content: `<p>${'é'.repeat(60_000)}</p>` }, unsub]),
    ]);
    const b = await checkMessage({ content: big, library, marketing: true, now: NOW });
    assert.ok(b.sizeBytes > GMAIL_CLIP_BYTES && b.sizeBytes > 120_000, 'é is two bytes in UTF-8');
    assert.ok(b.issues.some((i) => i.code === 'gmail_clipping'));
    assert.ok(!r.issues.some((i) => i.code === 'gmail_clipping'));
  });

  test('multilingual content: every locale is rendered, measured and searched for the unsubscribe link', async () => {
    const t = library.contentTemplate('luma-cart-abandoned-email');
    assert.ok(t !== undefined && t.content.channel === 'email');
    const r = await checkMessage({ content: t.content, library, marketing: true, now: NOW });
    assert.ok(r.sizeBytes > 1000, 'measured although the empty sample profile has no language');
    assert.deepEqual(
      r.issues.filter((i) => i.code === 'render_failed'),
      [],
    );
    assert.deepEqual(
      r.issues.filter((i) => i.code === 'missing_unsubscribe'),
      [],
      'the footer fragment is in every locale',
    );
  });

  test('MJML warnings are reported', () => {
    const issues = checkEmail({
      content: email([col([unsub])]),
      library,
      marketing: false,
      diagnostics: [
        {
          severity: 'warning',
          field: 'document',
          code: 'mjml',
          message: 'mj-text: Attribute foo is illegal',
        },
      ],
    });
    assert.deepEqual(
      issues.map((i) => [i.code, i.severity]),
      [['mjml', 'warning']],
    );
  });
});

describe('the html field takes visual fragments', () => {
  test("{{fragment id='ajo:order-confirmation-text'}} and the promo code fragment with its fields render as HTML", async () => {
    const c = await compileMessage(
      {
        channel: 'email',
        subject: 's',
        html: `<html><body>{{fragment id='ajo:order-confirmation-text'}}{{fragment id='ajo:promo-code-fragment' OfferCode="{{context.journey.actions.LoyaltyService.PromoCode}}"}}{{fragment id='ajo:luma-footer-fragment'}}</body></html>`,
      },
      library,
    );
    assert.ok(c.ok, JSON.stringify(!c.ok && c.diagnostics));
    const r = c.message.render(
      input(
        { person: { name: { firstName: 'Tom' } } },
        { actions: { LoyaltyService: { PromoCode: 'LUMA-42' } } },
      ),
    );
    assert.ok(r.ok && r.channel === 'email');
    assert.match(r.html, /<h2>Thank you for your order, Tom!<\/h2>/);
    assert.match(r.html, /<strong class="promo-code">LUMA-42<\/strong>/);
    assert.match(r.html, /10% off your next order/);
    assert.match(r.html, /<hr style="border:none;border-top:1px solid #cccccc" \/>/);
    assert.match(r.html, /Unsubscribe/);
    assert.deepEqual(c.message.fragments.map((f) => f.id).sort(), [
      'luma-footer-fragment',
      'order-confirmation-text',
      'promo-code-fragment',
    ]);
  });

  test('unknown fields and draft fragments are still refused', async () => {
    const c = await compileMessage(
      {
        channel: 'email',
        subject: 's',
        html: `{{fragment id='ajo:promo-code-fragment' Nope="x"}}`,
      },
      library,
    );
    assert.ok(!c.ok && c.diagnostics.some((d) => d.code === 'unknown_field'));
  });
});
