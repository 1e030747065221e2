// Scenarios as the runtime will drive them: inputs arrive over time, the profile is re-evaluated on
// each input and at nextCheckAt (the scheduler's timer), and every membership change is recorded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMemberships, qualificationTriggers } from '../../src/audience/index.ts';
import type { CompiledAudience, ProfileSnapshot } from '../../src/audience/index.ts';
import { DAY, T0, rule, snapshot } from './fixtures.ts';

type Input = {
  at: number;
  event?: { type: string; payload?: unknown };
  attributes?: Record<string, unknown>;
};

/** Runs inputs in time order, firing the membership timer in between; returns "day: audience status" lines. */
function simulate(
  audiences: readonly CompiledAudience[],
  inputs: readonly Input[],
  until: number,
): string[] {
  let p: ProfileSnapshot = snapshot();
  let timer: number | null = null;
  const log: string[] = [];
  const evaluate = (now: number, why: string): void => {
    const r = evaluateMemberships(audiences, p, now);
    p = { ...p, memberships: r.memberships };
    timer = r.nextCheckAt;
    for (const c of r.changes)
      log.push(`${((now - T0) / DAY).toFixed(2)} ${why}: ${c.audience} ${c.status}`);
  };
  for (const input of [...inputs, { at: until }]) {
    while (timer !== null && timer <= input.at) evaluate(timer, 'timer');
    if (input.at === until) break;
    if (input.event)
      p = {
        ...p,
        events: [
          ...p.events,
          { type: input.event.type, at: input.at, payload: input.event.payload ?? {} },
        ],
      };
    if (input.attributes) p = { ...p, attributes: { ...p.attributes, ...input.attributes } };
    evaluate(input.at, input.event ? input.event.type : 'update');
  }
  return log;
}

describe('membership over time', () => {
  const names = ['Active 7d', 'Buyer 30d', 'Lapsed buyer', 'Blue'];
  const known = { audiences: names };
  const active = rule(
    {
      kind: 'event',
      eventType: 'AppOpen',
      count: { op: 'atLeast', value: 1 },
      within: { amount: 7, unit: 'days' },
    },
    known,
    'Active 7d',
  );
  const buyer = rule(
    {
      kind: 'event',
      eventType: 'Purchase',
      count: { op: 'atLeast', value: 2 },
      within: { amount: 30, unit: 'days' },
    },
    known,
    'Buyer 30d',
  );
  const lapsed = rule(
    {
      kind: 'and',
      rules: [
        { kind: 'audience', name: 'Buyer 30d', status: 'exited' },
        { kind: 'not', rule: { kind: 'audience', name: 'Active 7d' } },
      ],
    },
    known,
    'Lapsed buyer',
  );
  const blue = rule(
    { kind: 'attribute', path: 'loyalty.tier', op: 'equals', value: 'blue' },
    known,
    'Blue',
  );
  const audiences = [lapsed, blue, buyer, active];

  test('qualifying, expiring with no new input, and audiences of audiences following', () => {
    const log = simulate(
      audiences,
      [
        { at: T0, event: { type: 'AppOpen' } },
        { at: T0 + 2 * DAY, event: { type: 'Purchase' } },
        { at: T0 + 3 * DAY, attributes: { loyalty: { tier: 'blue' } } },
        { at: T0 + 5 * DAY, event: { type: 'Purchase' } },
        { at: T0 + 6 * DAY, event: { type: 'AppOpen' } },
        { at: T0 + 40 * DAY, attributes: { loyalty: { tier: 'gold' } } },
      ],
      T0 + 60 * DAY,
    );
    assert.deepEqual(log, [
      '0.00 AppOpen: Active 7d realized',
      '3.00 update: Blue realized',
      '5.00 Purchase: Buyer 30d realized',
      '13.00 timer: Active 7d exited', // 7 days after the last open, with no new event
      '32.00 timer: Buyer 30d exited', // the first purchase left the 30-day window
      '32.00 timer: Lapsed buyer realized', // exited buyer and not active: in the same pass
      '40.00 update: Blue exited',
    ]);
  });

  test('an audience-qualification journey is entered once per qualification', () => {
    const journeys = [
      { id: 'welcome-active', entry: { audience: 'Active 7d', on: 'realized' as const } },
      { id: 'we-miss-you', entry: { audience: 'Active 7d', on: 'exited' as const } },
    ];
    let p: ProfileSnapshot = snapshot();
    const entered: string[] = [];
    const at = (now: number, event?: string): void => {
      if (event !== undefined)
        p = { ...p, events: [...p.events, { type: event, at: now, payload: {} }] };
      const r = evaluateMemberships([active], p, now);
      p = { ...p, memberships: r.memberships };
      for (const t of qualificationTriggers(r.changes, journeys))
        entered.push(`${(now - T0) / DAY}:${t.journey.id}`);
    };
    at(T0, 'AppOpen');
    at(T0 + DAY, 'AppOpen'); // still qualified: no second entry
    at(T0 + 2 * DAY, 'AppOpen');
    at(T0 + 9 * DAY + 1); // the window passed
    at(T0 + 10 * DAY); // still out: no second exit
    at(T0 + 11 * DAY, 'AppOpen'); // qualifies again: a new entry
    assert.deepEqual(entered, [
      '0:welcome-active',
      `${(9 * DAY + 1) / DAY}:we-miss-you`,
      '11:welcome-active',
    ]);
  });
});
