// Time windows: memberships that change with no new input, and the changesAt that says when.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMemberships } from '../../src/audience/index.ts';
import type { ProfileEvent, ProfileSnapshot } from '../../src/audience/index.ts';
import { DAY, T0, rule, snapshot } from './fixtures.ts';

const ev = (type: string, at: number, payload: unknown = {}): ProfileEvent => ({
  type,
  at,
  payload,
});

describe('event windows', () => {
  test('a profile leaves "active in the last 7 days" when the 7 days pass, with no new event', () => {
    const active = rule(
      {
        kind: 'event',
        eventType: 'AppOpen',
        count: { op: 'atLeast', value: 1 },
        within: { amount: 7, unit: 'days' },
      },
      {},
      'Active 7d',
    );
    const audiences = [active];
    let p: ProfileSnapshot = snapshot();
    assert.deepEqual(evaluateMemberships(audiences, p, T0), {
      changes: [],
      memberships: {},
      nextCheckAt: null,
    });

    // Day 0: an app open realizes the membership; look again when it falls out of the window.
    p = { ...p, events: [ev('AppOpen', T0)] };
    let r = evaluateMemberships(audiences, p, T0);
    assert.deepEqual(r.changes, [{ audience: 'Active 7d', status: 'realized' }]);
    assert.equal(r.nextCheckAt, T0 + 7 * DAY + 1);
    p = { ...p, memberships: r.memberships };

    // Day 3: another open pushes the expiry to day 10.
    p = { ...p, events: [...p.events, ev('AppOpen', T0 + 3 * DAY)] };
    r = evaluateMemberships(audiences, p, T0 + 3 * DAY);
    assert.deepEqual(r.changes, []);
    assert.equal(r.nextCheckAt, T0 + 10 * DAY + 1);

    // Exactly 7 days after the last open it still counts (inclusive, like inLastDays)…
    r = evaluateMemberships(audiences, p, T0 + 10 * DAY);
    assert.deepEqual(r.changes, []);
    // …and at nextCheckAt, with nothing new, the profile exits.
    r = evaluateMemberships(audiences, p, T0 + 10 * DAY + 1);
    assert.deepEqual(r.changes, [{ audience: 'Active 7d', status: 'exited' }]);
    assert.deepEqual(r.memberships, { 'Active 7d': 'exited' });
    assert.equal(r.nextCheckAt, null);
  });

  test('"purchased at least twice in the last 30 days", with a where on the payload', () => {
    const a = rule({
      kind: 'event',
      eventType: 'Purchase',
      where: [{ kind: 'attribute', path: 'order.total', op: 'gte', value: 50 }],
      count: { op: 'atLeast', value: 2 },
      within: { amount: 30, unit: 'days' },
    });
    const events = [
      ev('Purchase', T0, { order: { total: 80 } }),
      ev('Purchase', T0 + 1 * DAY, { order: { total: 10 } }), // too small
      ev('PageView', T0 + 2 * DAY, { order: { total: 999 } }), // other type
      ev('Purchase', T0 + 5 * DAY, { order: { total: 50 } }),
      ev('Purchase', T0 + 20 * DAY, { order: { total: 120 } }),
    ];
    const p = snapshot({ events });
    assert.deepEqual(a.evaluate({ ...p, events: events.slice(0, 3) }, T0 + 3 * DAY), {
      member: false,
      changesAt: null,
    });
    assert.deepEqual(
      a.evaluate(p, T0 + 20 * DAY),
      { member: true, changesAt: T0 + 35 * DAY + 1 },
      'three in window: the second to leave ends it',
    );
    assert.deepEqual(a.evaluate(p, T0 + 30 * DAY + 1), {
      member: true,
      changesAt: T0 + 35 * DAY + 1,
    });
    assert.deepEqual(
      a.evaluate(p, T0 + 35 * DAY + 1),
      { member: false, changesAt: null },
      'one left: no event can come back',
    );
  });

  test('atMost and exactly turn true when events leave the window', () => {
    const events = [ev('Complaint', T0), ev('Complaint', T0 + DAY), ev('Complaint', T0 + 2 * DAY)];
    const atMost1 = rule({
      kind: 'event',
      eventType: 'Complaint',
      count: { op: 'atMost', value: 1 },
      within: { amount: 10, unit: 'days' },
    });
    assert.deepEqual(atMost1.evaluate(snapshot({ events }), T0 + 2 * DAY), {
      member: false,
      changesAt: T0 + 11 * DAY + 1,
    });
    assert.deepEqual(
      atMost1.evaluate(snapshot({ events }), T0 + 11 * DAY + 1),
      { member: true, changesAt: null },
      'stays true: at most one, then zero',
    );
    const exactly1 = rule({
      kind: 'event',
      eventType: 'Complaint',
      count: { op: 'exactly', value: 1 },
      within: { amount: 10, unit: 'days' },
    });
    assert.deepEqual(exactly1.evaluate(snapshot({ events }), T0 + 11 * DAY + 1), {
      member: true,
      changesAt: T0 + 12 * DAY + 1,
    });
  });

  test('an event dated in the future counts from its instant', () => {
    const a = rule({
      kind: 'event',
      eventType: 'X',
      count: { op: 'atLeast', value: 1 },
      within: { amount: 1, unit: 'hours' },
    });
    const p = snapshot({ events: [ev('X', T0 + 60_000)] });
    assert.deepEqual(a.evaluate(p, T0), { member: false, changesAt: T0 + 60_000 });
    assert.deepEqual(a.evaluate(p, T0 + 60_000), {
      member: true,
      changesAt: T0 + 60_000 + 3_600_000 + 1,
    });
  });

  test('without a window every past event counts, for good', () => {
    const a = rule({ kind: 'event', eventType: 'X', count: { op: 'atLeast', value: 2 } });
    assert.deepEqual(a.evaluate(snapshot({ events: [ev('X', T0 - 400 * DAY), ev('X', T0)] }), T0), {
      member: true,
      changesAt: null,
    });
  });
});

describe('feedback rules', () => {
  const fb = [
    {
      action: 'opened' as const,
      at: T0,
      messageId: 'order-confirmation',
      journeyId: 'luma',
      node: 'email1',
    },
    {
      action: 'clicked' as const,
      at: T0 + 1000,
      messageId: 'order-confirmation',
      journeyId: 'luma',
      node: 'email1',
      link: 'https://luma.example/app',
    },
  ];

  test('clicked a given link of a given message', () => {
    const a = rule({
      kind: 'feedback',
      action: 'clicked',
      messageId: 'order-confirmation',
      link: 'https://luma.example/app',
    });
    assert.deepEqual(a.evaluate(snapshot({ feedback: fb }), T0 + 2000), {
      member: true,
      changesAt: null,
    });
    const other = rule({ kind: 'feedback', action: 'clicked', link: 'https://luma.example/other' });
    assert.equal(other.evaluate(snapshot({ feedback: fb }), T0 + 2000).member, false);
    const wrongNode = rule({
      kind: 'feedback',
      action: 'opened',
      journeyId: 'luma',
      node: 'email2',
    });
    assert.equal(wrongNode.evaluate(snapshot({ feedback: fb }), T0 + 2000).member, false);
  });

  test('opened in the last 2 days expires', () => {
    const a = rule({ kind: 'feedback', action: 'opened', within: { amount: 2, unit: 'days' } });
    assert.deepEqual(a.evaluate(snapshot({ feedback: fb }), T0 + DAY), {
      member: true,
      changesAt: T0 + 2 * DAY + 1,
    });
    assert.deepEqual(a.evaluate(snapshot({ feedback: fb }), T0 + 2 * DAY + 1), {
      member: false,
      changesAt: null,
    });
  });
});

describe('combined bounds', () => {
  const recent = {
    kind: 'event' as const,
    eventType: 'Visit',
    count: { op: 'atLeast' as const, value: 1 },
    within: { amount: 1, unit: 'days' as const },
  };
  const p = snapshot({
    attributes: { vip: true },
    events: [{ type: 'Visit', at: T0, payload: {} }],
  });

  test('and: a false attribute makes it false for good; a true one keeps the window bound', () => {
    assert.deepEqual(
      rule({
        kind: 'and',
        rules: [recent, { kind: 'attribute', path: 'vip', op: 'isFalse' }],
      }).evaluate(p, T0),
      { member: false, changesAt: null },
    );
    assert.deepEqual(
      rule({
        kind: 'and',
        rules: [recent, { kind: 'attribute', path: 'vip', op: 'isTrue' }],
      }).evaluate(p, T0),
      { member: true, changesAt: T0 + DAY + 1 },
    );
  });

  test('or: a true attribute makes it true for good; not flips the answer but keeps the instant', () => {
    assert.deepEqual(
      rule({
        kind: 'or',
        rules: [recent, { kind: 'attribute', path: 'vip', op: 'isTrue' }],
      }).evaluate(p, T0),
      { member: true, changesAt: null },
    );
    assert.deepEqual(rule({ kind: 'not', rule: recent }).evaluate(p, T0), {
      member: false,
      changesAt: T0 + DAY + 1,
    });
  });

  test('evaluateMemberships looks again at the earliest bound of all audiences', () => {
    const a = rule(recent, {}, 'A');
    const b = rule({ ...recent, within: { amount: 2, unit: 'hours' } }, {}, 'B');
    const r = evaluateMemberships([a, b], p, T0);
    assert.equal(r.nextCheckAt, T0 + 2 * 3_600_000 + 1);
  });
});

test('a late event appended after newer ones still counts', () => {
  const a = rule({
    kind: 'event',
    eventType: 'X',
    count: { op: 'atLeast', value: 2 },
    within: { amount: 1, unit: 'days' },
  });
  const p = snapshot({
    events: [
      ev('X', T0 - 10 * DAY),
      ev('X', T0 - 1000),
      ev('X', T0 - 20 * DAY),
      ev('X', T0 - 2000),
    ],
  });
  assert.deepEqual(a.evaluate(p, T0), { member: true, changesAt: T0 - 2000 + DAY + 1 });
});
