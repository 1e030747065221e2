// The pure parts of the personalization editor: the upstream walk over a journey graph, the tree
// built from schemas, readable action labels, and completions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upstreamOf } from '../../src/journey/upstream.ts';
import { personalizationTree, readableName } from '../../src/content/personalization-tree.ts';
import { completePersonalization } from '../../src/content/personalization-check.ts';
import { journeyDefinitionSchema } from '../../src/model/journey.ts';

const def = journeyDefinitionSchema.parse({
  name: 'J',
  start: 'a',
  nodes: [
    {
      id: 'a',
      kind: 'event',
      event: 'A',
      next: ['act'],
      timeout: { duration: 'PT1M', next: ['late'] },
    },
    {
      id: 'act',
      kind: 'action',
      action: 'Lookup',
      next: ['mail'],
      errorPath: { next: ['failed'] },
    },
    {
      id: 'mail',
      kind: 'email',
      configuration: 'c',
      content: { subject: 's', html: 'h' },
      next: ['b'],
    },
    { id: 'b', kind: 'event', event: 'B', next: ['act'] },
    {
      id: 'late',
      kind: 'email',
      configuration: 'c',
      content: { subject: 's', html: 'h' },
      next: [],
    },
    {
      id: 'failed',
      kind: 'email',
      configuration: 'c',
      content: { subject: 's', html: 'h' },
      next: [],
    },
  ],
});

test('upstream: events before the node, actions whose success path leads to it, not a timed-out event nor a failed action', () => {
  assert.deepEqual(upstreamOf(def, 'mail'), {
    events: ['A', 'B'],
    actions: ['Lookup'],
    nodes: ['a', 'act', 'mail', 'b'],
  });
  assert.deepEqual(upstreamOf(def, 'late')?.events, []);
  assert.deepEqual(
    upstreamOf(def, 'failed'),
    { events: ['A', 'B'], actions: ['Lookup'], nodes: ['a', 'act', 'mail', 'b'] },
    'the loop brings a successful Lookup back before the failed one',
  );
  assert.deepEqual(upstreamOf(def, 'a'), { events: [], actions: [], nodes: [] });
  assert.equal(upstreamOf(def, 'zzz'), null);
});

test('the tree nests object fields, types arrays with their item fields, backticks odd names and labels actions readably', () => {
  const nodes = personalizationTree({
    profile: {
      type: 'object',
      properties: {
        person: {
          type: 'object',
          properties: { name: { type: 'string', title: 'Full name', description: 'As typed' } },
        },
      },
    },
    audiences: [{ name: 'VIP "gold"' }],
    journey: {
      events: {
        '1697323153': {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: { type: 'object', properties: { sku: { type: 'string' } } },
            },
          },
        },
      },
      actions: { LoyaltyService: {} },
    },
  });
  assert.deepEqual(nodes[0]!.children, [
    {
      label: 'person',
      path: 'profile.person',
      type: 'object',
      children: [
        { label: 'Full name', path: 'profile.person.name', type: 'string', help: 'As typed' },
      ],
    },
  ]);
  assert.equal(nodes[1]!.children?.[0]?.path, 'inAudience("VIP \\"gold\\"")');
  const journey = nodes[2]!.children![0]!.children!;
  const event = journey[0]!.children![0]!;
  assert.equal(event.path, 'context.journey.events.`1697323153`');
  assert.deepEqual(event.children?.[0]?.children, [
    { label: 'sku', path: 'context.journey.events.`1697323153`.items.sku', type: 'string' },
  ]);
  assert.equal(event.children?.[0]?.type, 'array');
  assert.deepEqual(journey[1]!.children, [
    {
      label: 'Loyalty Service',
      path: 'context.journey.actions.LoyaltyService',
      type: 'object',
      help: 'The response of the custom action "LoyaltyService".',
      children: [],
    },
  ]);
  assert.deepEqual(['LoyaltyService', 'sendSMS_v2', 'crm-lookup', 'X'].map(readableName), [
    'Loyalty Service',
    'Send SMS v2',
    'Crm lookup',
    'X',
  ]);
});

test('completions: next segment of a path inside a tag, helpers by prefix, nothing outside tags', () => {
  const tree = personalizationTree({
    profile: {
      type: 'object',
      properties: {
        person: {
          type: 'object',
          properties: { firstName: { type: 'string' }, lastName: { type: 'string' } },
        },
      },
    },
    audiences: [],
  });
  const at = (s: string) => completePersonalization(s, s.length, tree);
  assert.deepEqual(at('Hi {{profile.person.f').completions, [
    { label: 'firstName', insert: 'profile.person.firstName', detail: 'string' },
  ]);
  assert.deepEqual(
    at('{{pro').completions.map((c) => c.label),
    ['profile'],
  );
  assert.ok(at('{%= upp').completions.some((c) => c.label === 'upperCase'));
  assert.deepEqual(at('{{profile.person.firstName}} profile.').completions, []);
  assert.equal(at('{{profile.person.f').from, 2);
});

test("completions: a block param of an open #each completes with the list's item fields", () => {
  const tree = personalizationTree({
    audiences: [],
    journey: {
      events: {
        Buy: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: { name: { type: 'string' }, price: { type: 'number' } },
              },
            },
          },
        },
      },
      actions: {},
    },
  });
  const src = '{{#each context.journey.events.Buy.items as |product|}}{{product.n';
  assert.deepEqual(completePersonalization(src, src.length, tree).completions, [
    { label: 'name', insert: 'product.name', detail: 'string' },
  ]);
  const closed = '{{#each context.journey.events.Buy.items as |product|}}{{/each}}{{product.';
  assert.deepEqual(completePersonalization(closed, closed.length, tree).completions, []);
});
