// Time and date conditions and the wait until a fixed date (AJO's activities): which path a profile
// takes by the hour, the day of the week and the zone it is read in (the journey's, a fixed one,
// or the profile's own across a daylight-saving change), and the validation that names the activity.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileJourney, step, type CompiledJourney } from '../../src/journey/index.ts';
import {
  journeyDefinitionSchema,
  type JourneyDefinitionInput,
  type JourneyNodeInput,
} from '../../src/model/journey.ts';

const catalog = {
  events: { A: { schema: { type: 'object' }, namespace: 'Email' } },
  actions: {},
};

function compile(condition: JourneyNodeInput, timeZone?: string) {
  return compileJourney(
    'j',
    1,
    journeyDefinitionSchema.parse({
      name: 'J',
      ...(timeZone ? { timeZone } : {}),
      start: 'a',
      nodes: [
        { id: 'a', kind: 'event', event: 'A', next: ['c'] },
        condition,
        // The ends the condition's paths lead to (an unreachable one would be an issue too).
        ...['e1', 'e2', 'e3']
          .filter((e) => JSON.stringify(condition).includes(`"${e}"`))
          .map((id) => ({ id, kind: 'end' as const })),
      ],
    } satisfies JourneyDefinitionInput),
    catalog,
  );
}

function journey(condition: JourneyNodeInput, timeZone?: string): CompiledJourney {
  const r = compile(condition, timeZone);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.journey;
}

/** The outcome of the condition for a profile entering at `iso`. */
function pathAt(j: CompiledJourney, iso: string, profile: Record<string, unknown> = {}): string {
  const r = step(
    j,
    null,
    { kind: 'enter', instanceId: 'i', profileId: 'p', event: { name: 'A', payload: {} } },
    { now: Date.parse(iso), profile, audiences: {} },
  );
  return r.instance.path.find((p) => p.node === 'c')?.outcome ?? 'none';
}

const officeHours: JourneyNodeInput = {
  id: 'c',
  kind: 'condition',
  mode: 'time',
  paths: [
    { label: 'office', time: { from: '09:00', to: '17:00', days: [1, 2, 3, 4, 5] }, next: ['e1'] },
    { label: 'night', time: { from: '22:00', to: '06:00' }, next: ['e2'] },
  ],
  otherwise: { label: 'other times', next: ['e3'] },
};

describe('time condition', () => {
  test("hours and weekdays in the journey's zone; a window over midnight; other cases", () => {
    const j = journey(officeHours, 'Europe/Paris');
    // 2026-12-02 is a Wednesday; Paris is UTC+1 in winter.
    assert.equal(pathAt(j, '2026-12-02T08:30:00Z'), 'office', '09:30 in Paris');
    assert.equal(pathAt(j, '2026-12-02T07:59:00Z'), 'other times', '08:59 in Paris');
    assert.equal(pathAt(j, '2026-12-02T16:00:00Z'), 'other times', '17:00 is not included');
    assert.equal(pathAt(j, '2026-12-05T10:00:00Z'), 'other times', 'Saturday');
    assert.equal(pathAt(j, '2026-12-02T22:30:00Z'), 'night', '23:30 in Paris');
    assert.equal(pathAt(j, '2026-12-03T03:00:00Z'), 'night', '04:00 the next morning');
  });

  test("a fixed zone, or the profile's own zone across a daylight-saving change", () => {
    const fixed = journey({ ...officeHours, timeZone: 'America/New_York' } as JourneyNodeInput);
    assert.equal(pathAt(fixed, '2026-12-02T14:30:00Z'), 'office', '09:30 in New York');
    assert.equal(pathAt(fixed, '2026-12-02T13:30:00Z'), 'other times', '08:30 in New York');

    const own = journey({ ...officeHours, timeZone: 'profile' } as JourneyNodeInput, 'UTC');
    const tokyo = { timeZone: 'Asia/Tokyo' };
    assert.equal(pathAt(own, '2026-12-02T01:00:00Z', tokyo), 'office', '10:00 in Tokyo');
    assert.equal(
      pathAt(own, '2026-12-02T01:00:00Z', {}),
      'night',
      "no zone: the journey's UTC, 01:00",
    );
    // New York moves from UTC-4 to UTC-5 on 2026-11-01: 13:30 UTC is 09:30 before and 08:30 after.
    const ny = { timeZone: 'America/New_York' };
    assert.equal(pathAt(own, '2026-10-30T13:30:00Z', ny), 'office', 'Friday 09:30 EDT');
    assert.equal(pathAt(own, '2026-11-02T13:30:00Z', ny), 'other times', 'Monday 08:30 EST');
    assert.equal(pathAt(own, '2026-11-02T14:30:00Z', ny), 'office', 'Monday 09:30 EST');
  });

  test('the days of an overnight window are the days it starts', () => {
    const j = journey(
      {
        id: 'c',
        kind: 'condition',
        mode: 'time',
        paths: [
          { label: 'friday night', time: { from: '22:00', to: '04:00', days: [5] }, next: ['e1'] },
        ],
        otherwise: { next: ['e3'] },
      },
      'UTC',
    );
    assert.equal(pathAt(j, '2026-12-04T23:00:00Z'), 'friday night', 'Friday 23:00');
    assert.equal(
      pathAt(j, '2026-12-05T02:00:00Z'),
      'friday night',
      'Saturday 02:00 is still Friday night',
    );
    assert.equal(pathAt(j, '2026-12-05T23:00:00Z'), 'other cases', 'Saturday 23:00');
  });
});

describe('date condition', () => {
  test('between dates, from a date, before a date; no match without other cases exits', () => {
    const j = journey({
      id: 'c',
      kind: 'condition',
      mode: 'date',
      paths: [
        {
          label: 'black friday',
          date: { after: '2026-11-27T00:00:00Z', before: '2026-12-01T00:00:00Z' },
          next: ['e1'],
        },
        { label: 'holidays', date: { after: '2026-12-20T00:00:00Z' }, next: ['e2'] },
      ],
    });
    assert.equal(pathAt(j, '2026-11-28T12:00:00Z'), 'black friday');
    assert.equal(pathAt(j, '2026-12-01T00:00:00Z'), 'no path matched', '"before" is not included');
    assert.equal(pathAt(j, '2026-12-24T12:00:00Z'), 'holidays');
  });
});

describe('wait until a fixed date', () => {
  test('waits until the date; a profile arriving after it goes on at once', () => {
    const r = compileJourney(
      'j',
      1,
      journeyDefinitionSchema.parse({
        name: 'J',
        start: 'a',
        nodes: [
          { id: 'a', kind: 'event', event: 'A', next: ['w'] },
          { id: 'w', kind: 'wait', at: '2026-12-24T09:00:00Z', next: ['e1'] },
          { id: 'e1', kind: 'end' },
        ],
      }),
      catalog,
    );
    assert.ok(r.ok);
    const enterAt = (iso: string) =>
      step(
        r.journey,
        null,
        { kind: 'enter', instanceId: 'i', profileId: 'p', event: { name: 'A', payload: {} } },
        { now: Date.parse(iso), profile: {}, audiences: {} },
      ).instance;
    const early = enterAt('2026-12-01T00:00:00Z');
    assert.equal(
      early.waiting?.kind === 'listening' ? early.waiting.timer?.dueAt : null,
      Date.parse('2026-12-24T09:00:00Z'),
    );
    const late = enterAt('2026-12-25T00:00:00Z');
    assert.equal(
      late.waiting?.kind === 'listening' ? late.waiting.timer?.dueAt : null,
      Date.parse('2026-12-25T00:00:00Z'),
      'due at once',
    );
  });
});

describe('validation names the activity', () => {
  test('a path without hours, an unknown zone, an empty date window, a wait with two kinds', () => {
    const bad = compile({
      id: 'c',
      kind: 'condition',
      mode: 'time',
      timeZone: 'Mars/Olympus',
      paths: [
        { label: 'x', next: ['e1'] },
        { time: { from: '10:00', to: '10:00' }, next: ['e2'] },
      ],
    });
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.issues.map((i) => [i.path, i.code]),
      [
        ['nodes[1].timeZone', 'unknown_time_zone'],
        ['nodes[1].paths[0].time', 'missing_time'],
        ['nodes[1].paths[1].time', 'empty_time'],
      ],
    );
    const dates = compile({
      id: 'c',
      kind: 'condition',
      mode: 'date',
      paths: [
        { date: { after: '2026-12-02T00:00:00Z', before: '2026-12-01T00:00:00Z' }, next: ['e1'] },
        { date: {}, next: ['e2'] },
      ],
    });
    assert.ok(!dates.ok);
    assert.deepEqual(
      dates.issues.map((i) => i.code),
      ['empty_date', 'missing_date'],
    );
    assert.match(dates.issues[0]!.message, /"after" is not before "before"/);
    const wait = compileJourney(
      'j',
      1,
      journeyDefinitionSchema.parse({
        name: 'J',
        start: 'a',
        nodes: [
          { id: 'a', kind: 'event', event: 'A', next: ['w'] },
          { id: 'w', kind: 'wait', duration: 'PT1H', at: '2026-12-24T09:00:00Z', next: [] },
        ],
      }),
      catalog,
    );
    assert.ok(!wait.ok);
    assert.deepEqual(
      wait.issues.map((i) => i.code),
      ['wait_kind'],
    );
    assert.match(wait.issues[0]!.message, /exactly one of "duration", "until" or "at"/);
  });
});
