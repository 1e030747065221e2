import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileMessage,
  renderInline,
  defaultLimits,
  isStale,
  createLibrary,
  CompileCache,
} from '../../src/content/index.ts';
import { reviseFragment } from '../../src/model/fragment.ts';
import type { MessageContentInput } from '../../src/model/message-content.ts';
import { MemoryLibrary, input } from './helpers.ts';

const lib = (): MemoryLibrary =>
  new MemoryLibrary()
    .addFragment({
      id: 'sports',
      name: 'Sports',
      status: 'live',
      content: {
        type: 'expression',
        source:
          '{{#inline "sport" name="Sport"}}sports{{/inline}}Looking for more? Don\'t miss our latest {{{sport}}} collection!',
      },
    })
    .addFragment({
      id: 'greet',
      name: 'Greeting',
      status: 'live',
      content: { type: 'expression', source: '{% let greeting = "Hi " + profile.name %}' },
    })
    .addFragment({
      id: 'outer',
      name: 'Outer',
      status: 'live',
      content: { type: 'expression', source: "[{{fragment id='ajo:sports'}}]" },
    })
    .addFragment({
      id: 'deep',
      name: 'Deep',
      status: 'live',
      content: { type: 'expression', source: "{{fragment id='ajo:outer'}}" },
    })
    .addFragment({
      id: 'draft',
      name: 'Draft one',
      status: 'draft',
      content: { type: 'expression', source: 'x' },
    });

async function html(
  l: MemoryLibrary,
  source: string,
  profile: unknown = { name: 'Ana' },
): Promise<string> {
  const r = await compileMessage({ channel: 'email', subject: 's', html: source }, l);
  if (!r.ok) assert.fail(JSON.stringify(r.diagnostics));
  const o = r.message.render(input(profile));
  if (!o.ok || o.channel !== 'email') assert.fail(JSON.stringify(o));
  return o.html;
}
async function diagnostics(l: MemoryLibrary, c: MessageContentInput): Promise<string[]> {
  const r = await compileMessage(c, l);
  assert.equal(r.ok, false);
  return r.ok ? [] : r.diagnostics.map((d) => d.code);
}

describe('fragments', () => {
  test('editable field: default, and overridden at the reference (also with personalization)', async () => {
    const l = lib();
    assert.equal(
      await html(l, "{{fragment id='ajo:sports' mode='inline'}}"),
      "Looking for more? Don't miss our latest sports collection!",
    );
    assert.equal(
      await html(l, '{{fragment id=\'ajo:sports\' sport="yoga"}}'),
      "Looking for more? Don't miss our latest yoga collection!",
    );
    assert.equal(
      await html(l, "{{fragment id='ajo:sports' sport='{{profile.name}}'}}"),
      "Looking for more? Don't miss our latest Ana collection!",
    );
  });

  test('variables flow out of a fragment; render=false computes without output', async () => {
    const l = lib();
    assert.equal(await html(l, "{{fragment id='ajo:greet' render=false}}{{greeting}}!"), 'Hi Ana!');
  });

  test('variables flow into a fragment from content before it', async () => {
    const l = lib().addFragment({
      id: 'usex',
      name: 'Uses x',
      status: 'live',
      content: { type: 'expression', source: '[{{x}}|{%= lowerCase(x) %}]' },
    });
    assert.equal(await html(l, '{% let x = "Ab" %}{{fragment id=\'ajo:usex\'}}'), '[Ab|ab]');
  });

  test('one level of nesting is allowed, two are not', async () => {
    const l = lib();
    assert.equal(
      await html(l, "{{fragment id='ajo:outer'}}"),
      "[Looking for more? Don't miss our latest sports collection!]",
    );
    assert.deepEqual(
      await diagnostics(l, { channel: 'email', subject: 's', html: "{{fragment id='ajo:deep'}}" }),
      ['fragment_nesting'],
    );
  });

  test('draft, unknown fragments and unknown fields block compilation, naming the field and line', async () => {
    const l = lib();
    const r = await compileMessage(
      { channel: 'email', subject: 's', html: "a\n{{fragment id='ajo:draft'}}" },
      l,
    );
    assert.ok(
      !r.ok &&
        r.diagnostics[0]?.code === 'fragment_draft' &&
        r.diagnostics[0].line === 2 &&
        r.diagnostics[0].field === 'html',
    );
    assert.deepEqual(
      await diagnostics(l, { channel: 'email', subject: "{{fragment id='ajo:nope'}}", html: '' }),
      ['unknown_fragment'],
    );
    assert.deepEqual(
      await diagnostics(l, {
        channel: 'email',
        subject: 's',
        html: "{{fragment id='ajo:sports' colour='red'}}",
      }),
      ['unknown_field'],
    );
  });

  test('an error inside a fragment names the fragment, its line and where it is referenced', async () => {
    const l = lib().addFragment({
      id: 'broken',
      name: 'Broken',
      status: 'live',
      content: { type: 'expression', source: 'ok\n{{nope profile.x}}' },
    });
    const r = await compileMessage(
      { channel: 'email', subject: 's', html: "a\nb\n{{fragment id='ajo:broken'}}" },
      l,
    );
    assert.ok(!r.ok);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.field, d.line, d.code]),
      [['html > fragment broken (referenced on line 3)', 2, 'unknown_helper']],
    );
  });

  test('at most 30 fragments per message', async () => {
    const l = lib();
    for (let i = 0; i < 31; i++)
      l.addFragment({
        id: `f${i}`,
        name: `F${i}`,
        status: 'live',
        content: { type: 'expression', source: `${i}` },
      });
    const src = (n: number): string =>
      Array.from({ length: n }, (_, i) => `{{fragment id='ajo:f${i}'}}`).join(',');
    assert.equal((await html(l, src(30))).split(',').length, 30);
    assert.ok(
      (await diagnostics(l, { channel: 'email', subject: 's', html: src(31) })).includes(
        'limit_fragments',
      ),
    );
  });

  test('edits propagate to references, not to pasted copies; versions are kept', async () => {
    const l = lib();
    const pasted = (l.fragment('sports')?.content as { source: string }).source;
    const revised = reviseFragment(l.fragment('sports')!, {
      type: 'expression',
      source: 'New {{#inline "sport" name="Sport"}}sports{{/inline}}{{{sport}}} drop!',
    });
    l.fragments.set('sports', revised);
    assert.equal(revised.version, 2);
    assert.equal(revised.history[0]?.version, 1);
    assert.equal(await html(l, "{{fragment id='ajo:sports'}}"), 'New sports drop!');
    assert.equal(
      await html(
        l,
        pasted
          .replace(/\{\{#inline[^}]*\}\}sports\{\{\/inline\}\}/, '')
          .replace('{{{sport}}}', 'sports'),
      ),
      "Looking for more? Don't miss our latest sports collection!",
    );
    const r = await compileMessage(
      { channel: 'email', subject: 's', html: "{{fragment id='ajo:sports'}}" },
      l,
    );
    assert.ok(r.ok);
    if (r.ok) {
      assert.deepEqual(r.message.fragments, [{ id: 'sports', version: 2 }]);
      assert.equal(isStale(r.message, l), false);
      l.fragments.set('sports', reviseFragment(revised, revised.content));
      assert.equal(isStale(r.message, l), true);
    }
  });
});

describe('library and compile cache', () => {
  test('createLibrary validates; the cache recompiles when a used fragment gets a new version', async () => {
    assert.throws(() => createLibrary({ fragments: [{ id: 'x' }] }), /fragments\[0\]/);
    const base = {
      id: 'f',
      name: 'F',
      status: 'live',
      version: 1,
      content: { type: 'expression', source: 'v1' },
    };
    let lib = createLibrary({ fragments: [base] });
    const cache = new CompileCache(2);
    const content = { channel: 'sms' as const, text: "{{fragment id='ajo:f'}}" };
    const a = await cache.compile('j1:a1', content, lib);
    assert.equal(await cache.compile('j1:a1', content, lib), a);
    lib = createLibrary({
      fragments: [{ ...base, version: 2, content: { type: 'expression', source: 'v2' } }],
    });
    const b = await cache.compile('j1:a1', content, lib);
    assert.notEqual(b, a);
    assert.ok(b.ok);
    if (b.ok) {
      const o = b.message.render(input({}));
      assert.ok(o.ok && o.channel === 'sms' && o.text === 'v2');
    }
    await cache.compile('j1:a2', content, lib);
    await cache.compile('j1:a3', content, lib);
    assert.equal(cache.size, 2);
  });
});

describe('bounds', () => {
  test('template size, nesting, loop iterations and output size have clear errors', async () => {
    const big = renderInline('x'.repeat(defaultLimits.maxTemplateChars + 1), {}, 0);
    assert.ok(
      !big.ok && big.error.code === 'limit_template_size',
      JSON.stringify(big).slice(0, 200),
    );
    const nested = renderInline('{{#if a}}'.repeat(17) + '{{/if}}'.repeat(17), {}, 0);
    assert.ok(!nested.ok && nested.error.code === 'limit_nesting', JSON.stringify(nested));
    const items = Array.from({ length: 200 }, (_, i) => i);
    const loops = renderInline(
      '{{#each profile.a}}{{#each @root.profile.a}}.{{/each}}{{/each}}',
      { profile: { a: items } },
      0,
    );
    assert.ok(
      !loops.ok &&
        loops.error.code === 'limit_exceeded' &&
        /loop iterations/.test(loops.error.message),
      JSON.stringify(loops).slice(0, 200),
    );
    const r = await compileMessage(
      { channel: 'sms', text: '{{#each profile.a}}{{@root.profile.s}}{{/each}}' },
      new MemoryLibrary(),
      { limits: { maxOutputChars: 1000 } },
    );
    assert.ok(r.ok);
    if (r.ok) {
      const o = r.message.render(input({ a: [1, 2, 3], s: 'y'.repeat(400) }));
      assert.ok(
        !o.ok &&
          o.reason === 'limit_exceeded' &&
          /(over the limit of|more than) 1000\b/.test(o.message),
        JSON.stringify(o).slice(0, 200),
      );
    }
    const plain = await compileMessage(
      { channel: 'sms', text: '{{profile.s}}{{profile.s}}{{profile.s}}' },
      new MemoryLibrary(),
      { limits: { maxOutputChars: 1000 } },
    );
    assert.ok(plain.ok);
    if (plain.ok) {
      const o = plain.message.render(input({ s: 'y'.repeat(400) }));
      assert.ok(
        !o.ok &&
          o.reason === 'limit_exceeded' &&
          /text renders 1200 characters, over the limit of 1000/.test(o.message),
        JSON.stringify(o).slice(0, 200),
      );
    }
  });

  test('a loop cannot build an output past the limit before the end of the field', async () => {
    const r = await compileMessage(
      { channel: 'sms', text: '{{#each profile.a}}{{@root.profile.s}}{{/each}}' },
      new MemoryLibrary(),
      { limits: { maxOutputChars: 10_000 } },
    );
    assert.ok(r.ok);
    if (r.ok) {
      const o = r.message.render(
        input({ a: Array.from({ length: 5000 }, (_, i) => i), s: 'y'.repeat(1000) }),
      );
      assert.ok(
        !o.ok && o.reason === 'limit_exceeded' && /loop renders more than 10000/.test(o.message),
        JSON.stringify(o).slice(0, 200),
      );
    }
  });

  test('regular expressions run in linear time (RE2): no catastrophic backtracking, no backreferences', () => {
    const evil = renderInline(
      '{%= matches(profile.s, "(a+)+$") %}',
      { profile: { s: `${'a'.repeat(5000)}!` } },
      0,
    );
    assert.deepEqual(evil, { ok: true, output: 'false', warnings: [] });
    assert.deepEqual(renderInline('{%= matches("aa", "(a)\\\\1") %}', {}, 0), {
      ok: true,
      output: 'false',
      warnings: [],
    });
    assert.deepEqual(renderInline('{%= replaceAll("a.b", "[.]", "$1") %}', {}, 0), {
      ok: true,
      output: 'a$1b',
      warnings: [],
    });
  });

  test('text shaped like the layout placeholders is refused instead of being mangled', async () => {
    const doc = {
      body: [
        {
          kind: 'structure' as const,
          id: 's',
          columns: [
            { id: 'c', blocks: [{ kind: 'text' as const, id: 't', content: 'code WMPH0X' }] },
          ],
        },
      ],
    };
    const r = await compileMessage(
      { channel: 'email', subject: 's', document: doc },
      new MemoryLibrary(),
    );
    assert.ok(!r.ok && r.diagnostics[0]?.code === 'reserved_text');
  });

  test('partials, decorators and unknown data variables are refused', () => {
    for (const [t, code] of [
      ['{{> other}}', 'partial'],
      ['{{#*inline "x"}}y{{/inline}}', 'decorator'],
      ['{{@foo}}', 'unknown_data'],
    ] as const) {
      const r = renderInline(t, {}, 0);
      assert.ok(!r.ok && r.error.code === code, `${t}: ${JSON.stringify(r)}`);
    }
  });

  test('sms segments: GSM-7 with extension characters, UCS-2 for emoji', async () => {
    const seg = async (text: string): Promise<[number, string]> => {
      const r = await compileMessage({ channel: 'sms', text }, new MemoryLibrary());
      if (!r.ok) assert.fail('compile');
      const o = r.message.render(input({}));
      if (!o.ok || o.channel !== 'sms') assert.fail('render');
      return [o.segments, o.encoding];
    };
    assert.deepEqual(await seg('a'.repeat(160)), [1, 'GSM-7']);
    assert.deepEqual(await seg('a'.repeat(161)), [2, 'GSM-7']);
    assert.deepEqual(await seg('€'.repeat(80)), [1, 'GSM-7']);
    assert.deepEqual(await seg('€'.repeat(81)), [2, 'GSM-7']);
    assert.deepEqual(await seg('😀'.repeat(35)), [1, 'UCS-2']);
    assert.deepEqual(await seg('é'.repeat(10) + 'ç'), [1, 'UCS-2']);
  });
});
