// Every field of the designer's document model shows in the compiled HTML: block backgrounds and
// borders, hiding per device (one media query), untracked links (left alone by the click tracker),
// button target and radius, columns side by side on mobile (mj-group), column colours, the theme,
// and the canvas annotations (wm-b-<id>) only when asked for.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileMessage } from '../../src/content/index.ts';
import type { MessageContentInput } from '../../src/model/message-content.ts';
import { rewriteLinks } from '../../src/channels/tracking/index.ts';
import { emptyLibrary, input } from './helpers.ts';
import { loadLumaContent } from '../../examples/luma/content/load.ts';

const doc = (body: unknown[], more: Record<string, unknown> = {}): MessageContentInput =>
  ({ channel: 'email', subject: 's', document: { body, ...more } }) as MessageContentInput;
const one = (blocks: unknown[], more: Record<string, unknown> = {}): unknown => ({
  kind: 'structure',
  id: 's1',
  columns: [{ id: 'c1', blocks }],
  ...more,
});

async function html(content: MessageContentInput, annotate = false): Promise<string> {
  const c = await compileMessage(content, emptyLibrary, annotate ? { annotate: true } : {});
  assert.ok(c.ok, JSON.stringify(!c.ok && c.diagnostics));
  const r = c.message.render(input({ person: { name: { firstName: 'Ana' } } }));
  assert.ok(r.ok && r.channel === 'email');
  return r.html;
}

describe('document compile: styles and behaviour of the new fields', () => {
  test('an image width in % becomes the px MJML takes: of its column, less the side padding', async () => {
    const h = await html(
      doc([
        one([
          {
            kind: 'image',
            id: 'logo',
            src: 'https://luma.example/logo.png',
            alt: 'Luma',
            width: '60%',
            align: 'center',
          },
        ]),
      ]),
    );
    assert.match(h, /<img[^>]*width="330"/, '60% of 600 - 2 x 25 px');
    const half = await html(
      doc([
        {
          kind: 'structure',
          id: 's1',
          columns: [
            {
              id: 'a',
              width: '50%',
              blocks: [
                {
                  kind: 'image',
                  id: 'i',
                  src: 'https://luma.example/a.png',
                  alt: 'A',
                  width: '100%',
                  padding: '0',
                },
              ],
            },
            { id: 'b', blocks: [] },
          ],
        },
      ]),
    );
    assert.match(half, /<img[^>]*width="300"/, 'all of a 300 px column without padding');
  });

  test('block background and border, text line height and font', async () => {
    const h = await html(
      doc([
        one([
          {
            kind: 'text',
            id: 't',
            content: '<p>Hi {{profile.person.name.firstName}}</p>',
            backgroundColor: '#abcdef',
            border: '2px solid #123456',
            lineHeight: '31px',
            fontFamily: 'Georgia, serif',
          },
          {
            kind: 'image',
            id: 'i',
            src: 'https://luma.example/a.png',
            alt: 'A',
            backgroundColor: '#fedcba',
            border: '3px dashed #654321',
          },
          {
            kind: 'button',
            id: 'b',
            label: 'Go',
            href: 'https://luma.example/go',
            backgroundColor: '#ff0000',
            border: '1px solid #00ff00',
            borderRadius: '17px',
            fontSize: '19px',
            target: '_self',
          },
        ]),
      ]),
    );
    assert.match(h, /Hi Ana/);
    assert.match(h, /background:#abcdef|background-color:#abcdef/i);
    assert.match(h, /border:2px solid #123456/);
    assert.match(h, /line-height:31px/);
    assert.match(h, /font-family:Georgia, serif/);
    assert.match(h, /#fedcba/);
    assert.match(h, /border:3px dashed #654321/);
    assert.match(h, /border-radius:17px/);
    assert.match(h, /font-size:19px/);
    assert.match(
      h,
      /href="https:\/\/luma.example\/go"[^>]*target="_self"|target="_self"[^>]*href="https:\/\/luma.example\/go"/,
    );
  });

  test('hideOn: a class on the block and the media queries once in the head', async () => {
    const h = await html(
      doc([
        one([
          { kind: 'text', id: 'm', content: '<p>desktop only</p>', hideOn: 'mobile' },
          { kind: 'text', id: 'd', content: '<p>mobile only</p>', hideOn: 'desktop' },
          { kind: 'image', id: 'i', src: 'https://luma.example/a.png', hideOn: 'mobile' },
        ]),
      ]),
    );
    assert.match(h, /class="[^"]*wm-hide-mobile/);
    assert.match(h, /class="[^"]*wm-hide-desktop/);
    assert.equal(h.match(/max-width:480px\)\{\.wm-hide-mobile/g)?.length, 1);
    assert.equal(h.match(/min-width:481px\)\{\.wm-hide-desktop/g)?.length, 1);
    assert.match(
      h,
      /<!--\[if mso\]><style>\.wm-hide-desktop,/,
      'Outlook (no media queries) hides desktop-hidden blocks outright',
    );
    const plain = await html(doc([one([{ kind: 'text', id: 't', content: '<p>x</p>' }])]));
    assert.doesNotMatch(plain, /wm-hide/);
  });

  test('tracked=false: the link carries data-wm-notrack and the tracker leaves it alone; tracked links are rewritten', async () => {
    const h = await html(
      doc([
        one([
          { kind: 'button', id: 'b1', label: 'Tracked', href: 'https://luma.example/tracked' },
          {
            kind: 'button',
            id: 'b2',
            label: 'Untracked',
            href: 'https://luma.example/untracked',
            tracked: false,
          },
          {
            kind: 'image',
            id: 'i',
            src: 'https://luma.example/a.png',
            href: 'https://luma.example/img-untracked',
            tracked: false,
          },
          {
            kind: 'social',
            id: 'so',
            links: [{ network: 'facebook', href: 'https://facebook.com/luma' }],
            tracked: false,
          },
          {
            kind: 'text',
            id: 't',
            content:
              '<p><a href="https://luma.example/text-untracked" data-wm-notrack>x</a> <a href="https://luma.example/text">y</a></p>',
          },
        ]),
      ]),
    );
    assert.match(h, /href="https:\/\/luma.example\/untracked" data-wm-notrack/);
    assert.match(h, /href="https:\/\/luma.example\/img-untracked" data-wm-notrack/);
    assert.match(h, /href="https:\/\/facebook.com\/luma" data-wm-notrack/);
    assert.doesNotMatch(h, /WMNOTRACK/);
    const r = rewriteLinks(
      h,
      { messageId: 'm1', profileId: 'p1' },
      'secret-secret-secret-secret',
      'https://wm.example',
    );
    const urls = r.links.map((l) => l.url).sort();
    assert.deepEqual(urls, ['https://luma.example/text', 'https://luma.example/tracked']);
    assert.match(r.html, /href="https:\/\/luma.example\/untracked" data-wm-notrack/);
    assert.match(r.html, /href="https:\/\/luma.example\/img-untracked" data-wm-notrack/);
    assert.match(r.html, /href="https:\/\/luma.example\/text-untracked"/);
  });

  test('stackOnMobile=false wraps the columns in an mj-group; column background and vertical alignment', async () => {
    const cols = [
      {
        id: 'a',
        backgroundColor: '#111111',
        verticalAlign: 'middle',
        blocks: [{ kind: 'text', id: 't1', content: 'a' }],
      },
      { id: 'b', blocks: [{ kind: 'text', id: 't2', content: 'b' }] },
    ];
    const grouped = await html(
      doc([{ kind: 'structure', id: 's', stackOnMobile: false, columns: cols }]),
    );
    const stacked = await html(doc([{ kind: 'structure', id: 's', columns: cols }]));
    assert.match(grouped, /mj-column-per-50/);
    assert.match(grouped, /#111111/);
    assert.match(grouped, /vertical-align:middle/);
    // MJML draws a group as one outer-column div that does not stack: its class differs from the stacked form.
    assert.notEqual(grouped.replace(/\s+/g, ''), stacked.replace(/\s+/g, ''));
    assert.match(grouped, /mj-outlook-group-fix/);
  });

  test('theme: defaults for text and buttons, link and heading colours, content background; document fontFamily still works', async () => {
    const h = await html(
      doc(
        [
          one([
            {
              kind: 'text',
              id: 't',
              content: '<h2>Head</h2><p><a href="https://x.example">l</a></p>',
            },
            { kind: 'button', id: 'b', label: 'B', href: 'https://x.example/b' },
          ]),
        ],
        {
          theme: {
            fontFamily: 'Verdana, sans-serif',
            textColor: '#222223',
            fontSize: '15px',
            lineHeight: '22px',
            headingColor: '#aa0001',
            linkColor: '#0000aa',
            buttonColor: '#00aa01',
            buttonTextColor: '#fffffe',
            contentBackground: '#fafafb',
          },
        },
      ),
    );
    for (const x of [
      'Verdana, sans-serif',
      '#222223',
      'font-size:15px',
      'line-height:22px',
      'h1,h2,h3{color:#aa0001;}',
      'a{color:#0000aa;}',
      '#00aa01',
      '#fffffe',
      '#fafafb',
    ])
      assert.ok(h.includes(x), x);
    const f = await html(
      doc([one([{ kind: 'text', id: 't', content: 'x' }])], {
        fontFamily: 'Courier New, monospace',
      }),
    );
    assert.ok(f.includes('Courier New, monospace'));
  });

  test('annotate adds wm-b-<id> on sections and blocks; off by default', async () => {
    const content = doc([
      one([
        { kind: 'text', id: 'hello', content: 'x' },
        { kind: 'spacer', id: 'sp' },
      ]),
    ]);
    const a = await html(content, true);
    assert.match(a, /wm-b-s1/);
    assert.match(a, /wm-b-hello/);
    assert.match(a, /wm-b-sp/);
    assert.doesNotMatch(await html(content), /wm-b-/);
  });

  test("annotate: a fragment's blocks answer to the fragment block, hiding applies to them too", async () => {
    const { library } = loadLumaContent();
    const c = await compileMessage(
      doc([
        one([
          {
            kind: 'fragment',
            id: 'thanks',
            fragmentId: 'order-confirmation-text',
            hideOn: 'desktop',
          },
        ]),
      ]),
      library,
      { annotate: true },
    );
    assert.ok(c.ok);
    const r = c.message.render(input({ person: { name: { firstName: 'Ana' } } }));
    assert.ok(r.ok && r.channel === 'email');
    assert.match(r.html, /class="wm-hide-desktop wm-b-thanks"/);
    assert.doesNotMatch(r.html, /wm-b-oct-text/);
  });
});
