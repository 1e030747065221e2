// The simulator runs the new activities with the same engine: a scripted open takes Sarah down the
// reaction's "opened" path, Tom times out; a jump and an update profile show in the paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSimulation, parseTimeline, simulate } from '../../src/runtime/simulate.ts';

const pkg = {
  format: 'waymark.package/v1',
  name: 'Reactions',
  objects: [
    {
      kind: 'profileSchema',
      spec: {
        name: 'profile',
        schema: {
          type: 'object',
          properties: { loyalty: { type: 'object', properties: { tier: { type: 'string' } } } },
        },
      },
    },
    {
      kind: 'eventType',
      spec: {
        name: 'Signup',
        identity: { path: 'email', namespace: 'Email' },
        schema: { type: 'object', required: ['email'], properties: { email: { type: 'string' } } },
      },
    },
    {
      kind: 'channelConfiguration',
      spec: {
        channel: 'email',
        name: 'Mail',
        fromAddress: 'news@luma.example',
        smtp: { host: '127.0.0.1', port: 2525, secure: 'none' },
      },
    },
    {
      kind: 'journey',
      id: 'welcome',
      publish: true,
      spec: {
        name: 'Welcome',
        start: 'in',
        nodes: [
          { id: 'in', kind: 'event', event: 'Signup', next: ['mail'] },
          {
            id: 'mail',
            kind: 'email',
            configuration: 'Mail',
            category: 'transactional',
            content: { subject: 'Welcome', html: '<p>Hi</p>' },
            next: ['open'],
          },
          {
            id: 'open',
            kind: 'reaction',
            message: 'mail',
            reaction: 'opened',
            next: ['vip'],
            timeout: { duration: 'P1D', next: ['bye'] },
          },
          {
            id: 'vip',
            kind: 'updateProfile',
            attribute: 'loyalty.tier',
            value: '"engaged"',
            next: [],
          },
          { id: 'bye', kind: 'end' },
        ],
      },
    },
  ],
};

test('the simulator scripts an open: Sarah reacts and is updated, Tom times out', async () => {
  const timeline = parseTimeline(
    [
      '{"at":"PT0S","event":{"type":"Signup","payload":{"email":"sarah@luma.example"}}}',
      '{"at":"PT0S","event":{"type":"Signup","payload":{"email":"tom@luma.example"}}}',
      '{"at":"PT2H","feedback":{"identity":"Email:sarah@luma.example","activity":"mail","kind":"opened"}}',
    ].join('\n'),
  );
  const r = await simulate(pkg, timeline, { horizon: 'P2D' });
  const text = formatSimulation(r);
  const sarah = r.profiles.find((p) => p.identities.includes('Email:sarah@luma.example'))!;
  const tom = r.profiles.find((p) => p.identities.includes('Email:tom@luma.example'))!;
  assert.deepEqual(
    sarah.instances[0]!.path.map((s) => `${s.node}:${s.outcome}`),
    ['in:Signup', 'mail:sent', 'open:opened', 'vip:updated'],
    text,
  );
  assert.deepEqual(
    tom.instances[0]!.path.map((s) => `${s.node}:${s.outcome}`),
    ['in:Signup', 'mail:sent', 'open:timeout', 'bye:end'],
    text,
  );
  assert.throws(
    () => parseTimeline('{"at":"PT0S","feedback":{"identity":"sarah","activity":"mail"}}'),
    /"feedback" must be/,
  );
});
