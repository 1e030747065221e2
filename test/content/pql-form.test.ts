// The {% %} form: translation to Handlebars, and its errors with field, line and column.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { renderInline } from '../../src/content/index.ts';
import { translatePql } from '../../src/content/pql/translate.ts';

const out = (t: string, data: unknown = {}): string => {
  const r = renderInline(t, data, 0);
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.output;
};
const err = (t: string): { code: string; message: string; line?: number; column?: number } => {
  const r = renderInline(t, {}, 0);
  if (r.ok) assert.fail(`expected an error for ${t}`);
  return {
    code: r.error.code,
    message: r.error.message,
    ...(r.error.line === undefined ? {} : { line: r.error.line }),
    ...(r.error.column === undefined ? {} : { column: r.error.column }),
  };
};

describe('{% %} form', () => {
  test('translation keeps lines and reads let variables from the root', () => {
    const r = translatePql(
      'a\n{% let n = profile.x + 1 %}\n{{#each profile.l as |i|}}{%= n * i %}{{/each}}',
      { field: 't' },
    );
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(
        r.source,
        'a\n{{__let "n" (__add profile.x 1)}}\n{{#each profile.l as |i|}}{{__mul @root.n i}}{{/each}}',
      );
      assert.deepEqual(r.lets, ['n']);
    }
  });

  test('operators, precedence and literals', () => {
    assert.equal(out('{%= 1 + 2 * 3 %}|{%= (1 + 2) * 3 %}|{%= 7 % 4 %}|{%= -2 - -3 %}'), '7|9|3|1');
    assert.equal(out('{%= "a" + 1 %}|{%= 1 + "2" %}|{%= profile.missing + 1 %}', {}), 'a1|3|1');
    assert.equal(
      out('{%= 1 < 2 and not (2 <= 1) or false %}|{%= "b" > "a" %}|{%= 2 == 2 %}|{%= 2 != 2 %}'),
      'true|true|true|false',
    );
    assert.equal(out('{%= profile.a ?: profile.b ?: "c" %}', { profile: { b: '' } }), 'c');
    assert.equal(
      out('{%= true %}|{%= null ?: "n" %}|{%= [1, "x"] %}|{%= 2.50 %}'),
      'true|n|1,x|2.5',
    );
  });

  test('if / else if / else, unless, each and with blocks', () => {
    const t = '{%#if profile.n > 10%}big{%else if profile.n > 5%}mid{%else%}small{%/if%}';
    assert.deepEqual(
      [11, 6, 1].map((n) => out(t, { profile: { n } })),
      ['big', 'mid', 'small'],
    );
    assert.equal(
      out('{%#unless profile.vip%}join{%else%}welcome back{%/unless%}', { profile: { vip: true } }),
      'welcome back',
    );
    assert.equal(
      out('{%#each profile.l as |x i|%}{{i}}={{x}} {%/each%}', { profile: { l: ['a', 'b'] } }),
      '0=a 1=b ',
    );
    assert.equal(
      out('{%#with profile.p as |p|%}{{p.n}}{%/with%}', { profile: { p: { n: 'N' } } }),
      'N',
    );
  });

  test("the block form of Adobe's recipes: if, elseif, else, endif", () => {
    const t =
      '{% if profile.tier = "gold" %}Gold{% elseif profile.tier = "silver" %}Silver{% else if profile.points > 100 %}Points{% else %}Welcome{% endif %}';
    assert.deepEqual(
      [{ tier: 'gold' }, { tier: 'silver' }, { points: 500 }, {}].map((profile) =>
        out(t, { profile }),
      ),
      ['Gold', 'Silver', 'Points', 'Welcome'],
    );
    // Nested, and mixed with the Handlebars-like form.
    assert.equal(
      out('{% if profile.a %}{%#if profile.b%}ab{%/if%}{% endif %}', { profile: { a: 1, b: 1 } }),
      'ab',
    );
    // An `if` left open is an error, not a silent drop of the text after it.
    assert.equal(err('{% if profile.a %}x').code, 'syntax');
    assert.equal(err('{% endiff %}').code, 'syntax');
  });

  test('comments render nothing', () => {
    assert.equal(out('a{%-- a note --%}b'), 'ab');
  });

  test('syntax errors name the line and column', () => {
    assert.deepEqual(err('ok\n  {%= 1 + %}'), {
      code: 'syntax',
      message: '{%= 1 +%}: expression ends too early',
      line: 2,
      column: 10,
    });
    assert.deepEqual(err('{%= upperCase(1, 2) %}'), {
      code: 'syntax',
      message: '{%= upperCase(1, 2)%}: upperCase takes 1 argument, got 2',
      line: 1,
      column: 5,
    });
    assert.deepEqual(err('{%= nope(1) %}'), {
      code: 'syntax',
      message: '{%= nope(1)%}: unknown function "nope"',
      line: 1,
      column: 5,
    });
    assert.deepEqual(err('{% let profile = 1 %}'), {
      code: 'reserved_name',
      message: '"profile" cannot be a variable name',
    });
    assert.deepEqual(err('a {%= 1'), {
      code: 'syntax',
      message: 'unclosed {% tag',
      line: 1,
      column: 3,
    });
    assert.equal(err('{%#if 1%}x').code, 'syntax');
    assert.deepEqual(err('{% frobnicate %}'), {
      code: 'syntax',
      message: '{%frobnicate%}: unknown tag',
      line: 1,
      column: 4,
    });
  });
});
