// Every validation rule rejects a broken journey with a message naming the activity.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileJourney, type JourneyCatalog } from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyDefinitionInput } from '../../src/model/journey.ts';

const eventSchema = {
  type: 'object',
  properties: {
    email: { type: 'string' },
    total: { type: 'number' },
    items: { type: 'array', items: { type: 'object', properties: { price: { type: 'number' } } } },
  },
};
const catalog: JourneyCatalog = {
  events: {
    Checkout: { schema: eventSchema, namespace: 'Email' },
    Purchase: { schema: eventSchema, namespace: 'Email' },
    AppOpen: { schema: eventSchema, namespace: 'ECID' },
  },
  actions: {
    Loyalty: {
      parameters: ['loyaltyId', 'orderValue', '$path'],
      requiredParameters: ['loyaltyId'],
      responseSchema: { type: 'object', properties: { code: { type: 'string' } } },
    },
  },
  configurations: { Mail: 'email', App: 'push' },
  ruleSets: ['Weekly'],
};

function issuesOf(
  patch: (d: JourneyDefinitionInput) => void,
): Array<{ node: string | null; code: string; message: string }> {
  const def: JourneyDefinitionInput = {
    name: 'J',
    start: 'a',
    nodes: [
      { id: 'a', kind: 'event', label: 'Checkout', event: 'Checkout', next: ['b'] },
      {
        id: 'b',
        kind: 'event',
        label: 'Purchase',
        event: 'Purchase',
        next: ['c'],
        timeout: { duration: 'PT1M', next: ['d'] },
      },
      {
        id: 'c',
        kind: 'action',
        label: 'Call loyalty',
        action: 'Loyalty',
        parameters: { loyaltyId: '@event{Purchase.email}' },
        next: ['e'],
      },
      {
        id: 'd',
        kind: 'condition',
        label: 'Big cart',
        paths: [{ label: 'big', expression: '@event{Checkout.total} > 100', next: ['e'] }],
        otherwise: { next: [] },
      },
      {
        id: 'e',
        kind: 'email',
        label: 'Thanks',
        configuration: 'Mail',
        content: { subject: 'hi', html: '<p>hi</p>' },
        next: [],
      },
    ],
  };
  patch(def);
  const r = compileJourney('j', 1, journeyDefinitionSchema.parse(def), catalog);
  return r.ok ? [] : r.issues.map((i) => ({ node: i.node, code: i.code, message: i.message }));
}

const nodeOf = (d: JourneyDefinitionInput, id: string) =>
  d.nodes.find((n) => n.id === id)! as Record<string, unknown>;

describe('journey validation', () => {
  test('a correct journey compiles', () =>
    assert.deepEqual(
      issuesOf(() => undefined),
      [],
    ));

  const cases: Array<[string, (d: JourneyDefinitionInput) => void, string, string | null, RegExp]> =
    [
      [
        'more than 50 activities',
        (d) => {
          for (let i = 0; i < 50; i++)
            d.nodes.push({
              id: `w${i}`,
              kind: 'wait',
              duration: 60,
              next: i < 49 ? [`w${i + 1}`] : [],
            });
          nodeOf(d, 'e').next = ['w0'];
        },
        'too_many_activities',
        null,
        /at most 50 activities; this one has 55/,
      ],
      [
        'the first event has a timeout',
        (d) => {
          nodeOf(d, 'a').timeout = { duration: 'PT1M' };
        },
        'start_timeout',
        'a',
        /event activity "Checkout" \(id a\): the initial event of a journey cannot have a timeout/,
      ],
      [
        'the start is not an event',
        (d) => {
          d.start = 'd';
          nodeOf(d, 'a').next = [];
        },
        'start_not_event',
        'd',
        /condition activity "Big cart".*must be an event/,
      ],
      [
        'a timeout longer than 90 days',
        (d) => {
          nodeOf(d, 'b').timeout = { duration: 'P91D', next: ['d'] };
        },
        'timeout_too_long',
        'b',
        /"Purchase".*exceeds the maximum of 90 days/,
      ],
      [
        'a wait longer than 90 days',
        (d) => {
          d.nodes.push({ id: 'w', kind: 'wait', label: 'Long wait', duration: 'P100D', next: [] });
          nodeOf(d, 'e').next = ['w'];
        },
        'wait_too_long',
        'w',
        /wait activity "Long wait".*90 days/,
      ],
      [
        'a dangling path',
        (d) => {
          nodeOf(d, 'c').next = ['nowhere'];
        },
        'dangling_path',
        'c',
        /action activity "Call loyalty".*leads to "nowhere", which does not exist/,
      ],
      [
        'an activity no path reaches',
        (d) => {
          d.nodes.push({ id: 'x', kind: 'end', label: 'Orphan' });
        },
        'unreachable',
        'x',
        /end activity "Orphan".*no path leads to it/,
      ],
      [
        'an unknown event type',
        (d) => {
          nodeOf(d, 'b').event = 'Refund';
        },
        'unknown_event',
        'b',
        /"Purchase".*the event type "Refund" does not exist/,
      ],
      [
        'an unknown custom action',
        (d) => {
          nodeOf(d, 'c').action = 'Crm';
        },
        'unknown_action',
        'c',
        /"Call loyalty".*the custom action "Crm" does not exist/,
      ],
      [
        'a missing required action parameter',
        (d) => {
          nodeOf(d, 'c').parameters = {};
        },
        'missing_parameter',
        'c',
        /the parameter "loyaltyId" of Loyalty is required/,
      ],
      [
        'a type error in a condition',
        (d) => {
          (nodeOf(d, 'd').paths as Array<Record<string, unknown>>)[0]!.expression =
            '@event{Checkout.total} + 1';
        },
        'expression',
        'd',
        /"Big cart".*line 1/,
      ],
      [
        'an unknown field in an expression',
        (d) => {
          (nodeOf(d, 'c').parameters as Record<string, string>).loyaltyId = '@event{Purchase.mail}';
        },
        'expression',
        'c',
        /"Call loyalty".*mail/,
      ],
      [
        'a non-event in parallel',
        (d) => {
          nodeOf(d, 'a').next = ['b', 'd'];
        },
        'parallel_not_event',
        'a',
        /only events and waits may stand in parallel/,
      ],
      [
        'two timeouts among parallel events',
        (d) => {
          d.nodes.push({
            id: 'b2',
            kind: 'event',
            label: 'Purchase again',
            event: 'Purchase',
            next: ['c'],
            timeout: { duration: 'PT2M', next: ['d'] },
          });
          nodeOf(d, 'a').next = ['b', 'b2'];
        },
        'parallel_timeouts',
        'a',
        /share one timeout/,
      ],
      [
        'an unknown channel configuration',
        (d) => {
          nodeOf(d, 'e').configuration = 'Nope';
        },
        'unknown_configuration',
        'e',
        /email activity "Thanks".*"Nope" does not exist/,
      ],
      [
        'a configuration of another channel',
        (d) => {
          nodeOf(d, 'e').configuration = 'App';
        },
        'configuration_channel',
        'e',
        /"App" is a push configuration, not email/,
      ],
      [
        'an unknown rule set',
        (d) => {
          nodeOf(d, 'e').ruleSet = 'Daily';
        },
        'unknown_rule_set',
        'e',
        /rule set "Daily" does not exist/,
      ],
      [
        'events of two namespaces',
        (d) => {
          nodeOf(d, 'b').event = 'AppOpen';
        },
        'mixed_namespaces',
        null,
        /share one identity namespace/,
      ],
      [
        'split percentages that do not add up',
        (d) => {
          Object.assign(nodeOf(d, 'd'), {
            mode: 'split',
            otherwise: undefined,
            paths: [
              { percent: 30, next: ['e'] },
              { percent: 30, next: [] },
            ],
          });
        },
        'split_total',
        'd',
        /add up to 100, not 60/,
      ],
      [
        'a loop that never rests',
        (d) => {
          nodeOf(d, 'e').next = ['d'];
        },
        'cycle_without_wait',
        'e',
        /loop with no event or wait/,
      ],
      [
        'a duplicate id',
        (d) => {
          d.nodes.push({ id: 'e', kind: 'end' });
        },
        'duplicate_id',
        'e',
        /used by more than one activity/,
      ],
    ];
  for (const [name, patch, code, node, message] of cases) {
    test(`rejects ${name}`, () => {
      const issue = issuesOf(patch).find((i) => i.code === code);
      assert.ok(issue, `expected an issue ${code}, got ${JSON.stringify(issuesOf(patch))}`);
      assert.equal(issue.node, node);
      assert.match(issue.message, message);
    });
  }
});
