// The text form: journey expressions over profile attributes and memberships.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAudience, evaluateMemberships } from '../../src/audience/index.ts';
import type { Audience } from '../../src/model/audience.ts';
import { T0, compile, snapshot } from './fixtures.ts';

const P = '#{ExperiencePlatform.ProfileFieldGroup.profile';
const text = (name: string, t: string): Audience => ({
  name,
  origin: 'streaming',
  definition: { text: t },
});

describe('text definitions', () => {
  test('profile attributes and inAudience, evaluated like the JSON form', () => {
    const blue = compile(text('Blue', `${P}.loyalty.tier} == "blue"`));
    assert.deepEqual(blue.dependsOn, {
      attributes: true,
      attributePaths: [['loyalty']],
      eventTypes: [],
      feedback: false,
      eventHistoryMs: 0,
      feedbackHistoryMs: 0,
      audiences: [],
    });
    assert.deepEqual(blue.evaluate(snapshot({ attributes: { loyalty: { tier: 'blue' } } }), T0), {
      member: true,
      changesAt: null,
    });
    assert.equal(
      blue.evaluate(snapshot({ attributes: { loyalty: { tier: 'gold' } } }), T0).member,
      false,
    );
    assert.equal(blue.evaluate(snapshot(), T0).member, false, 'a missing field is null');

    const lower = compile(
      text('Lower', `${P}.devices.at(0).os} == "ios" or ${P}.person.name.firstName} == "Ann"`),
    );
    assert.deepEqual(
      lower.dependsOn.attributePaths,
      [['devices'], ['person']],
      'the top-level key: a field of a list is that field of every item',
    );

    const notApp = compile(text('NotApp', 'not inAudience("App")'), {
      audiences: ['App', 'NotApp'],
    });
    assert.deepEqual(notApp.dependsOn.audiences, ['App']);
    const app = compile({
      name: 'App',
      origin: 'streaming',
      definition: { kind: 'attribute', path: 'mobileApp.installed', op: 'isTrue' },
    });
    const r = evaluateMemberships(
      [notApp, app],
      snapshot({ attributes: { mobileApp: { installed: true } } }),
      T0,
    );
    assert.deepEqual(r.changes, [{ audience: 'App', status: 'realized' }]);
  });

  test('syntax and type errors carry line and column', () => {
    const r = compileAudience(text('A', `${P}.age} >`), { audiences: [] });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.issues, [
      {
        path: 'definition.text:1:54',
        message: 'Expected a value, found end of expression',
        expected: 'a value',
        received: 'end of expression',
      },
    ]);
    const typed = compileAudience(text('A', '"blue"'), { audiences: [] });
    assert.equal(typed.ok, false);
    assert.match(!typed.ok ? (typed.issues[0]?.message ?? '') : '', /boolean/);
  });

  test('unknown audiences, self reference, events, data sources and random are rejected', () => {
    const issues = (t: string, known: string[] = ['A']): string[] => {
      const r = compileAudience(text('A', t), { audiences: known });
      assert.equal(r.ok, false, t);
      return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.message}`);
    };
    assert.deepEqual(issues('inAudience("Ghost")'), [
      'definition.text:1:12 Unknown audience "Ghost"',
    ]);
    assert.deepEqual(issues('inAudience("A")'), [
      'definition.text audience "A" cannot be defined by its own membership',
    ]);
    assert.match(
      issues('@event{Purchase.total} > 1')[0] ?? '',
      /^definition\.text:1:1 an audience cannot read @event/,
    );
    assert.match(issues('#{Weather.main.temp} > 1')[0] ?? '', /not the data source "Weather.main"/);
    assert.match(issues('random() > 0.5')[0] ?? '', /random\(\) is not allowed/);
  });

  test('a cycle through text definitions is found', () => {
    const r = compileAudience(text('A', 'inAudience("B")'), {
      audiences: ['A', 'B'],
      dependencies: { B: ['A'] },
    });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.issues.map((i) => i.message), [
      'audience dependency cycle: "A" → "B" → "A"',
    ]);
  });
});
