// When a campaign's runs start: wall-clock times in the campaign's time zone, across daylight
// saving, for daily, weekly, monthly and cron recurrences between a start and an end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCron, recurrenceTimes, runTimes } from '../../src/campaign/schedule.ts';

const iso = (ms: number[]): string[] => ms.map((t) => new Date(t).toISOString());
const at = (s: string): number => Date.parse(s);

describe('campaign schedules', () => {
  test('now and at: one run, never before activation', () => {
    const now = at('2026-11-02T09:00:00Z');
    assert.deepEqual(runTimes({ kind: 'now' }, 'UTC', now), [now]);
    assert.deepEqual(iso(runTimes({ kind: 'at', at: '2026-11-03T08:00:00Z' }, 'UTC', now)), [
      '2026-11-03T08:00:00.000Z',
    ]);
    assert.deepEqual(runTimes({ kind: 'at', at: '2026-11-01T08:00:00Z' }, 'UTC', now), [now]);
  });

  test('daily at 09:00 in Paris keeps 09:00 across the change of hour', () => {
    const r = recurrenceTimes(
      { frequency: 'daily', every: 1, time: '09:00' },
      'Europe/Paris',
      at('2026-03-27T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
    );
    assert.deepEqual(iso(r), [
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  test('every other week on Monday and Friday; monthly on the 31st runs on the last day', () => {
    const weekly = recurrenceTimes(
      { frequency: 'weekly', every: 2, weekdays: [1, 5], time: '10:30' },
      'UTC',
      at('2026-11-01T00:00:00Z'), // a Sunday
      at('2026-11-30T00:00:00Z'),
    );
    assert.deepEqual(iso(weekly), [
      '2026-11-02T10:30:00.000Z',
      '2026-11-06T10:30:00.000Z',
      '2026-11-16T10:30:00.000Z',
      '2026-11-20T10:30:00.000Z',
    ]);
    const monthly = recurrenceTimes(
      { frequency: 'monthly', every: 1, dayOfMonth: 31, time: '08:00' },
      'UTC',
      at('2027-01-01T00:00:00Z'),
      at('2027-04-30T23:00:00Z'),
    );
    assert.deepEqual(iso(monthly), [
      '2027-01-31T08:00:00.000Z',
      '2027-02-28T08:00:00.000Z',
      '2027-03-31T08:00:00.000Z',
      '2027-04-30T08:00:00.000Z',
    ]);
  });

  test('cron: weekdays at 08:00 and 08:30 in New York; bad fields are named', () => {
    const r = recurrenceTimes(
      { frequency: 'cron', expression: '0,30 8 * * 1-5' },
      'America/New_York',
      at('2026-11-06T00:00:00Z'), // a Friday
      at('2026-11-10T00:00:00Z'),
    );
    assert.deepEqual(iso(r), [
      '2026-11-06T13:00:00.000Z',
      '2026-11-06T13:30:00.000Z',
      '2026-11-09T13:00:00.000Z',
      '2026-11-09T13:30:00.000Z',
    ]);
    assert.throws(() => parseCron('61 * * * *'), /minute field "61" is outside 0-59/);
    assert.throws(() => parseCron('* * *'), /five fields/);
  });
});
