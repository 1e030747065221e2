import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileMessage,
  type CompiledMessage,
  type RenderOutcome,
} from '../../src/content/index.ts';
import type { MessageContentInput } from '../../src/model/message-content.ts';
import { emptyLibrary, input } from './helpers.ts';

async function compile(c: MessageContentInput): Promise<CompiledMessage> {
  const r = await compileMessage(c, emptyLibrary);
  if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
  return r.message;
}
function ok<C extends 'email' | 'push' | 'sms'>(
  o: RenderOutcome,
  channel: C,
): Extract<RenderOutcome, { ok: true; channel: C }> {
  if (!o.ok) assert.fail(o.message);
  assert.equal(o.channel, channel);
  return o as Extract<RenderOutcome, { ok: true; channel: C }>;
}
const profile = {
  person: { name: { firstName: 'Ana', lastName: "<O'Neil>" } },
  preferredLanguage: 'es',
};

describe('minimal email, push and SMS with the Handlebars form', () => {
  test('subject and body personalize from profile and action response, HTML-escaped', async () => {
    const m = await compile({
      channel: 'email',
      subject: '{{profile.person.name.firstName}}, your order confirmation',
      html: '<p>Hi {{profile.person.name.lastName}}</p><p>Code: {{context.journey.actions.LoyaltyService.PromoCode}}</p>',
    });
    const o = ok(
      m.render(input(profile, { actions: { LoyaltyService: { PromoCode: 'LUMA-10' } } })),
      'email',
    );
    assert.equal(o.subject, 'Ana, your order confirmation');
    assert.equal(o.html, '<p>Hi &lt;O&#x27;Neil&gt;</p><p>Code: LUMA-10</p>');
    assert.equal(o.text, "Hi <O'Neil>\n\nCode: LUMA-10");
  });

  test('subject and preheader are plain text on one line; the body is HTML', async () => {
    const m = await compile({
      channel: 'email',
      subject: 'For {{profile.n}}',
      preheader: '{{profile.n}}\nrest',
      html: '<p>{{profile.n}}</p>',
    });
    const o = ok(m.render(input({ n: 'Tom & Jerry\r\nBcc: x@y' })), 'email');
    assert.equal(o.subject, 'For Tom & Jerry Bcc: x@y');
    assert.equal(o.preheader, 'Tom & Jerry Bcc: x@y rest');
    assert.equal(o.html, '<p>Tom &amp; Jerry\r\nBcc: x@y</p>');
  });

  test('triple braces are raw', async () => {
    const m = await compile({
      channel: 'email',
      subject: 's',
      html: '{{{profile.x}}}|{{profile.x}}',
    });
    assert.equal(ok(m.render(input({ x: '<b>' })), 'email').html, '<b>|&lt;b&gt;');
  });

  test('each with a block param, @index, if / else if / else, unless, with', async () => {
    const html =
      '{{#each context.journey.events.LumaPurchaseEvent_Email.productListItems as |item|}}' +
      '{{@index}}:{{item.name}}x{{item.quantity}}{{#if item.sale}}!{{else if item.new}}*{{else}}.{{/if}}{{#unless @last}},{{/unless}}' +
      '{{/each}}{{#with profile.person.name as |n|}} {{n.firstName}}{{/with}}';
    const m = await compile({ channel: 'email', subject: 's', html });
    const items = [
      { name: 'Tee', quantity: 1, sale: true },
      { name: 'Cap', quantity: 2, new: true },
      { name: 'Bag', quantity: 3 },
    ];
    const o = ok(
      m.render(
        input(profile, { events: { LumaPurchaseEvent_Email: { productListItems: items } } }),
      ),
      'email',
    );
    assert.equal(o.html, '0:Teex1!,1:Capx2*,2:Bagx3. Ana');
  });

  test('each over nothing renders its else part', async () => {
    const m = await compile({
      channel: 'email',
      subject: 's',
      html: '{{#each profile.items as |i|}}{{i}}{{else}}none{{/each}}',
    });
    assert.equal(ok(m.render(input({})), 'email').html, 'none');
  });

  test('missing values render empty, never "undefined"', async () => {
    const m = await compile({
      channel: 'email',
      subject: 'Hi {{profile.person.name.firstName}}!',
      html: '[{{profile.a.b.c}}][{{context.journey.events.X.y}}]',
    });
    const o = ok(m.render(input(null)), 'email');
    assert.equal(o.subject, 'Hi !');
    assert.equal(o.html, '[][]');
  });

  test('prototype access is blocked at compile time and at run time', async () => {
    const bad = await compileMessage(
      { channel: 'email', subject: 's', html: '{{profile.constructor.name}}' },
      emptyLibrary,
    );
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.diagnostics[0]?.message ?? '', /constructor/);
    const viaFunction = await compileMessage(
      { channel: 'email', subject: 's', html: '{%= upperCase(profile.n.constructor) %}' },
      emptyLibrary,
    );
    assert.ok(!viaFunction.ok && viaFunction.diagnostics[0]?.code === 'forbidden_path');
    const m = await compile({
      channel: 'email',
      subject: 's',
      html: '[{{profile.toString}}][{{lookup profile "__proto__"}}][{{profile.hasOwnProperty}}]',
    });
    assert.equal(ok(m.render(input({})), 'email').html, '[][][]');
    const viaFunctions = await compile({
      channel: 'email',
      subject: 's',
      html: '[{%= get(profile, "constructor") %}][{{#with profile as |p|}}{{lookup p "toString"}}{{/with}}][{%= keys(profile.o) %}]',
    });
    assert.equal(
      ok(viaFunctions.render(input({ o: Object.create({ inherited: 1 }) })), 'email').html,
      '[][][]',
    );
  });

  test('unknown helpers and syntax errors are compile errors naming field and line', async () => {
    const r = await compileMessage(
      { channel: 'email', subject: 's', html: 'line1\n{{nope profile.x}}' },
      emptyLibrary,
    );
    assert.equal(r.ok, false);
    if (!r.ok)
      assert.deepEqual(
        [r.diagnostics[0]?.field, r.diagnostics[0]?.line, r.diagnostics[0]?.code],
        ['html', 2, 'unknown_helper'],
      );
    const s = await compileMessage(
      { channel: 'email', subject: '{{#if x}}', html: '' },
      emptyLibrary,
    );
    assert.equal(s.ok, false);
    if (!s.ok) assert.equal(s.diagnostics[0]?.field, 'subject');
  });

  test('push: iOS and Android payloads', async () => {
    const m = await compile({
      channel: 'push',
      title: 'Hey {{profile.person.name.firstName}}',
      body: 'Your cart <misses> you',
      deepLink: 'luma://cart',
      image: 'https://x/y.png',
      data: { k: 'v' },
    });
    const o = ok(m.render(input(profile)), 'push');
    assert.equal(o.title, 'Hey Ana');
    assert.equal(o.body, 'Your cart <misses> you');
    assert.deepEqual(o.ios['aps'], {
      alert: { title: 'Hey Ana', body: 'Your cart <misses> you' },
      'mutable-content': 1,
    });
    assert.equal(o.ios['uri'], 'luma://cart');
    assert.deepEqual(o.android['notification'], {
      title: 'Hey Ana',
      body: 'Your cart <misses> you',
      image: 'https://x/y.png',
    });
    assert.deepEqual(o.android['data'], { k: 'v', uri: 'luma://cart' });
  });

  test('sms: text and segment count', async () => {
    const m = await compile({ channel: 'sms', text: 'Hi {{profile.person.name.firstName}} & co' });
    const o = ok(m.render(input(profile)), 'sms');
    assert.equal(o.text, 'Hi Ana & co');
    assert.equal(o.segments, 1);
  });
});
