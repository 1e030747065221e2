// Validation of the reaction, update-profile, profile-cap and jump activities: each problem names
// the activity and what is wrong.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateJourney, type JourneyCatalog } from '../../src/journey/index.ts';
import { journeyDefinitionSchema, type JourneyNodeInput } from '../../src/model/journey.ts';

const catalog: JourneyCatalog = {
  events: { A: { schema: { type: 'object' }, namespace: 'Email' } },
  actions: {},
  configurations: { Mail: 'email', Texts: 'sms' },
  namespaces: ['Email', 'Phone'],
  profileSchema: {
    type: 'object',
    properties: {
      loyalty: { type: 'object', properties: { tier: { type: 'string' } } },
      personalEmail: { type: 'object', properties: { address: { type: 'string' } } },
    },
  },
  journeys: {
    b: { name: 'B', entry: 'event', live: true, jumps: ['c'] },
    c: { name: 'C', entry: 'event', live: true, jumps: ['a'] },
    aud: { name: 'Audience one', entry: 'audience', live: true, jumps: [] },
  },
};

function problems(nodes: JourneyNodeInput[], self?: string): string[] {
  const def = journeyDefinitionSchema.parse({
    name: 'J',
    start: 's',
    nodes: [{ id: 's', kind: 'event', event: 'A', next: [nodes[0]!.id] }, ...nodes],
  });
  return validateJourney(def, catalog, self).issues.map((i) => `${i.code}: ${i.message}`);
}

const mail = (id: string, kind: 'email' | 'sms', next: string[]): JourneyNodeInput => ({
  id,
  kind,
  configuration: kind === 'email' ? 'Mail' : 'Texts',
  content: {},
  next,
});

describe('activity validation', () => {
  test('a reaction follows its message activity and fits the channel', () => {
    assert.deepEqual(
      problems([
        mail('m', 'email', ['r']),
        { id: 'r', kind: 'reaction', message: 'm', reaction: 'clicked', next: [] },
      ]),
      [],
    );
    assert.deepEqual(
      problems([
        mail('m', 'sms', ['r']),
        { id: 'r', kind: 'reaction', message: 'm', reaction: 'opened', next: [] },
      ]),
      [
        'reaction_channel: reaction activity "r" (id r): "opened" does not exist for a sms message; it can react to sent, clicked',
      ],
    );
    const [notAfter] = problems([
      mail('m', 'email', ['w']),
      { id: 'w', kind: 'wait', duration: 'PT1M', next: ['r'] },
      { id: 'r', kind: 'reaction', message: 'm', reaction: 'opened', next: [] },
    ]);
    assert.match(notAfter!, /^reaction_not_after_message: reaction activity "r".*right after/);
    const [noMessage] = problems([
      { id: 'w', kind: 'wait', duration: 'PT1M', next: ['r'] },
      { id: 'r', kind: 'reaction', message: 'w', reaction: 'opened', next: [] },
    ]);
    assert.match(noMessage!, /^reaction_without_message: .*must follow a message activity.*wait/);
  });

  test('a reaction to opens or clicks the configuration does not track is refused', () => {
    const untracked = {
      ...catalog,
      untracked: { Mail: ['opened' as const], Texts: ['clicked' as const] },
    };
    const check = (kind: 'email' | 'sms', reaction: 'opened' | 'clicked'): string[] =>
      validateJourney(
        journeyDefinitionSchema.parse({
          name: 'J',
          start: 's',
          nodes: [
            { id: 's', kind: 'event', event: 'A', next: ['m'] },
            mail('m', kind, ['r']),
            { id: 'r', kind: 'reaction', message: 'm', reaction, next: [] },
          ],
        }),
        untracked,
      ).issues.map((i) => `${i.code}: ${i.message}`);
    assert.deepEqual(check('email', 'opened'), [
      'reaction_untracked: reaction activity "r" (id r): the channel configuration "Mail" does not track opens, so no profile could take this path: turn on "Track opens" in its Tracking settings',
    ]);
    assert.deepEqual(check('email', 'clicked'), []);
    assert.deepEqual(check('sms', 'clicked'), [
      'reaction_untracked: reaction activity "r" (id r): the channel configuration "Texts" does not track link clicks, so no profile could take this path: turn on "Track link clicks" in its Tracking settings',
    ]);
  });

  test('update profile: a field of the profile schema, one value, never an identity', () => {
    const up = (attribute: string): JourneyNodeInput => ({
      id: 'u',
      kind: 'updateProfile',
      attribute,
      value: '"gold"',
      next: [],
    });
    assert.deepEqual(problems([up('loyalty.tier')]), []);
    assert.match(
      problems([up('loyalty.level')])[0]!,
      /^unknown_attribute: .*no field "loyalty.level"/,
    );
    assert.match(problems([up('loyalty')])[0]!, /^attribute_not_value: .*"loyalty" is an object/);
    assert.match(problems([up('personalEmail.address')])[0]!, /^identity_attribute: /);
    assert.match(problems([up('email.x')])[0]!, /^identity_attribute: /);
  });

  test('profile cap: a cap, one path and the other cases', () => {
    assert.deepEqual(
      problems([
        {
          id: 'c',
          kind: 'condition',
          mode: 'profileCap',
          cap: 5,
          paths: [{ next: ['e'] }],
          otherwise: { next: ['e'] },
        },
        { id: 'e', kind: 'end' },
      ]),
      [],
    );
    assert.deepEqual(
      problems([
        {
          id: 'c',
          kind: 'condition',
          mode: 'profileCap',
          paths: [{ next: ['e'] }, { next: ['e'] }],
        },
        { id: 'e', kind: 'end' },
      ]).map((p) => p.split(':')[0]),
      ['missing_cap', 'profile_cap_paths', 'profile_cap_otherwise'],
    );
  });

  test('jump: an event journey that is live, not a cycle', () => {
    const jump = (journey: string): JourneyNodeInput => ({
      id: 'j',
      kind: 'jump',
      journey,
      next: [],
    });
    assert.deepEqual(problems([jump('b')], 'x'), []);
    assert.match(problems([jump('b')], 'a')[0]!, /^jump_cycle: .*\(a → b → c → a\)/);
    assert.match(problems([jump('aud')], 'x')[0]!, /^jump_target_entry: /);
    assert.match(problems([jump('nope')], 'x')[0]!, /^unknown_journey: /);
    assert.match(problems([jump('x')], 'x')[0]!, /^jump_to_self: /);
  });
});
