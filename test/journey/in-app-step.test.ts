// In-app and code-based activities in the pure core: the step asks for a send on the "inApp" or
// "code" channel, a profile leaving a journey with an in-app or code-based activity asks for what
// it delivered to be withdrawn (a journey without one asks nothing), and the SDK's matching rules (trigger,
// page glob, frequency) and the content's rendering (personalization, offers' absence, JSON checked).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileJourney, step, type CompiledJourney } from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';
import { mayDisplay, pageMatches, triggerMatches } from '../../src/runtime/in-app.ts';
import { compileMessage } from '../../src/content/index.ts';

const schema = { type: 'object', properties: { email: { type: 'string' } } };

function journey(def: Omit<JourneyDefinitionInput, 'name'>): CompiledJourney {
  const r = compileJourney('j', 1, journeyDefinitionSchema.parse({ name: 'J', ...def }), {
    events: { A: { schema, namespace: 'Email' } },
    actions: {},
    configurations: { LumaWeb: 'inApp', LumaWebCode: 'code' },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.journey;
}

const enter = (j: CompiledJourney) =>
  step(
    j,
    null,
    { kind: 'enter', instanceId: 'i1', profileId: 'p1', event: { name: 'A', payload: {} } },
    { now: 0, profile: {}, audiences: {} },
  );

describe('in-app and code-based activities', () => {
  test('the step sends on the inApp and code channels and withdraws what they delivered at exit', () => {
    const j = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['m'] },
        { id: 'm', kind: 'inApp', configuration: 'LumaWeb', content: {}, next: ['c'] },
        { id: 'c', kind: 'codeBased', configuration: 'LumaWebCode', content: {}, next: [] },
      ],
    });
    const r = enter(j);
    const sends = r.effects.filter((e) => e.kind === 'sendMessage');
    assert.deepEqual(
      sends.map((e) => [e.node, e.channel]),
      [
        ['m', 'inApp'],
        ['c', 'code'],
      ],
    );
    assert.equal(r.instance.status, 'exited');
    assert.deepEqual(
      r.effects.filter((e) => e.kind === 'withdrawInApp'),
      [{ kind: 'withdrawInApp', instanceId: 'i1' }],
    );
    const codeOnly = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['c'] },
        { id: 'c', kind: 'codeBased', configuration: 'LumaWebCode', content: {}, next: [] },
      ],
    });
    assert.deepEqual(
      enter(codeOnly).effects.filter((e) => e.kind === 'withdrawInApp'),
      [{ kind: 'withdrawInApp', instanceId: 'i1' }],
      'a code-based experience is withdrawn too',
    );
    const neither = journey({
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['w'] },
        { id: 'w', kind: 'wait', duration: 'PT1M', next: [] },
      ],
    });
    const entered = enter(neither);
    const left = step(
      neither,
      entered.instance,
      { kind: 'stop' },
      { now: 1, profile: {}, audiences: {} },
    );
    assert.equal(left.instance.status, 'exited');
    assert.ok(!left.effects.some((e) => e.kind === 'withdrawInApp'), 'nothing to withdraw');
  });

  test('a configuration of another channel is refused, naming the activity', () => {
    const r = compileJourney(
      'j',
      1,
      journeyDefinitionSchema.parse({
        name: 'J',
        start: 'a',
        nodes: [
          { id: 'a', kind: 'event', event: 'A', next: ['c'] },
          {
            id: 'c',
            kind: 'codeBased',
            label: 'Hero',
            configuration: 'LumaWeb',
            content: {},
            next: [],
          },
        ],
      }),
      {
        events: { A: { schema, namespace: 'Email' } },
        actions: {},
        configurations: { LumaWeb: 'inApp' },
      },
    );
    assert.ok(!r.ok);
    assert.match(r.issues.map((i) => i.message).join('\n'), /Hero.*inApp configuration, not code/);
  });

  test('triggers, page globs and frequencies', () => {
    assert.ok(pageMatches('/demo/luma/*', '/demo/luma/cart'));
    assert.ok(pageMatches('/demo/luma/*', '/demo/luma/'));
    assert.ok(!pageMatches('/demo/luma/*', '/demo/lumax'));
    assert.ok(pageMatches('/a.b?c', '/a.b?c'), 'only * is special');
    assert.ok(!pageMatches('/a.b', '/axb'));
    const page = { kind: 'pageView', page: '/demo/*' } as const;
    assert.ok(triggerMatches(page, { kind: 'pageView', page: '/demo/x' }));
    assert.ok(triggerMatches(page, { kind: 'pageView', page: 'https://luma.example/demo/x' }));
    assert.ok(!triggerMatches(page, { kind: 'pageView', page: 'https://luma.example/shop/x' }));
    assert.ok(!triggerMatches(page, { kind: 'appLaunch' }));
    assert.ok(triggerMatches({ kind: 'appLaunch' }, { kind: 'appLaunch' }));
    const ev = { kind: 'event', eventType: 'LumaProductView' } as const;
    assert.ok(triggerMatches(ev, { kind: 'event', eventType: 'LumaProductView' }));
    assert.ok(!triggerMatches(ev, { kind: 'event', eventType: 'Other' }));
    assert.ok(mayDisplay({ kind: 'once' }, 0));
    assert.ok(!mayDisplay({ kind: 'once' }, 1));
    assert.ok(mayDisplay({ kind: 'everyTime' }, 99));
    assert.ok(mayDisplay({ kind: 'times', count: 3 }, 2));
    assert.ok(!mayDisplay({ kind: 'times', count: 3 }, 3));
  });

  test('in-app content renders as plain text; code-based JSON must be JSON, HTML is escaped', async () => {
    const library = {
      fragment: () => undefined,
      contentTemplate: () => undefined,
      languageSettings: () => undefined,
      asset: () => undefined,
    };
    const input = {
      profile: { person: { name: { firstName: 'Tom <3' } } },
      context: { journey: { events: {}, actions: {}, technicalProperties: {} } },
      audiences: {},
      now: 0,
    };
    const inApp = await compileMessage(
      {
        channel: 'inApp',
        title: 'Hi {{profile.person.name.firstName}}',
        body: 'Line one\nLine two',
        buttons: [
          { id: 'go', label: 'Go', action: 'url', url: '/p/{{profile.person.name.firstName}}' },
        ],
      },
      library,
    );
    assert.ok(inApp.ok);
    const r = inApp.message.render(input);
    assert.ok(r.ok && r.channel === 'inApp');
    assert.equal(r.title, 'Hi Tom <3');
    assert.equal(r.body, 'Line one\nLine two');
    assert.equal(r.buttons[0]?.url, '/p/Tom <3');
    assert.deepEqual(r.trigger, { kind: 'appLaunch' }, 'defaults');
    assert.deepEqual(r.frequency, { kind: 'once' });
    assert.equal(r.expiresAfterHours, 168);

    const html = await compileMessage(
      {
        channel: 'code',
        surface: 'web://luma.example/#hero',
        payload: '<b>{{profile.person.name.firstName}}</b>',
      },
      library,
    );
    assert.ok(html.ok);
    const h = html.message.render(input);
    assert.ok(h.ok && h.channel === 'code');
    assert.equal(h.content, '<b>Tom &lt;3</b>');

    const bad = await compileMessage(
      {
        channel: 'code',
        surface: 'web://luma.example/#hero',
        format: 'json',
        payload: '{"a": {{profile.person.name.firstName}} }',
      },
      library,
    );
    assert.ok(bad.ok);
    const b = bad.message.render(input);
    assert.ok(!b.ok);
    assert.equal(b.reason, 'render_error');
    assert.match(b.message, /does not render to valid JSON/);
  });
});
