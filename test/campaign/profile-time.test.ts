// "Use profile time zone": which zone a profile's message is timed in, and the instant its wall
// clock shows the run's time, across daylight saving (gaps move forward, repeated hours take the
// first), fixed offsets, and the 26-hour window a run's sends fall in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  profileZone,
  runWindow,
  sendInstant,
  sendInstants,
  throttledInstant,
  zoneOfProfile,
} from '../../src/campaign/profile-time.ts';

const at = (s: string): number => Date.parse(s);
const iso = (t: number): string => new Date(t).toISOString();

describe('profile time zones', () => {
  test("a profile's zone: an IANA name or a UTC offset, else the campaign's", () => {
    assert.equal(profileZone('Asia/Tokyo', 'Europe/Paris'), 'Asia/Tokyo');
    assert.equal(profileZone('+05:30', 'Europe/Paris'), '+05:30');
    assert.equal(profileZone('+0530', 'Europe/Paris'), '+05:30');
    assert.equal(profileZone('-03', 'Europe/Paris'), '-03:00');
    assert.equal(profileZone('UTC+14:00', 'Europe/Paris'), '+14:00');
    assert.equal(
      profileZone('-13:00', 'Europe/Paris'),
      'Europe/Paris',
      'no zone is 13 hours behind',
    );
    assert.equal(profileZone('+05:75', 'Europe/Paris'), 'Europe/Paris');
    assert.equal(profileZone('Mars/Olympus_Mons', 'Europe/Paris'), 'Europe/Paris');
    assert.equal(profileZone('', 'Europe/Paris'), 'Europe/Paris');
    assert.equal(profileZone(undefined, 'Europe/Paris'), 'Europe/Paris');
    assert.equal(profileZone(540, 'Europe/Paris'), 'Europe/Paris');
    assert.equal(zoneOfProfile({ timeZone: 'America/Los_Angeles' }, 'UTC'), 'America/Los_Angeles');
    assert.equal(zoneOfProfile({ person: {} }, 'UTC'), 'UTC');
    assert.equal(zoneOfProfile(null, 'UTC'), 'UTC');
  });

  test('09:00 in Paris becomes 09:00 in each zone', () => {
    const run = at('2026-12-04T08:00:00Z'); // 09:00 in Paris (CET)
    assert.equal(iso(sendInstant(run, 'Europe/Paris', 'Europe/Paris')), '2026-12-04T08:00:00.000Z');
    assert.equal(iso(sendInstant(run, 'Europe/Paris', 'Asia/Tokyo')), '2026-12-04T00:00:00.000Z');
    assert.equal(
      iso(sendInstant(run, 'Europe/Paris', 'America/Los_Angeles')),
      '2026-12-04T17:00:00.000Z',
    );
    assert.equal(iso(sendInstant(run, 'Europe/Paris', '+05:30')), '2026-12-04T03:30:00.000Z');
    assert.equal(iso(sendInstant(run, 'Europe/Paris', '-12:00')), '2026-12-04T21:00:00.000Z');
  });

  test("one run's instants per profile, by the profile's attributes", () => {
    const run = at('2026-12-04T08:00:00Z');
    const due = sendInstants(run, 'Europe/Paris');
    assert.equal(iso(due({ timeZone: 'Asia/Tokyo' })), '2026-12-04T00:00:00.000Z');
    assert.equal(iso(due({ timeZone: 'Asia/Tokyo' })), '2026-12-04T00:00:00.000Z');
    assert.equal(iso(due({ timeZone: '+05:30' })), '2026-12-04T03:30:00.000Z');
    assert.equal(iso(due({})), '2026-12-04T08:00:00.000Z', "no zone: the campaign's");
    assert.equal(iso(due({ timeZone: 'Nowhere/Atlantis' })), '2026-12-04T08:00:00.000Z');
  });

  test('a time in a spring-forward gap is sent just after it, east and west of Greenwich', () => {
    // 02:30 does not exist on these nights: 03:30 summer time instead.
    assert.equal(
      iso(sendInstant(at('2026-03-08T02:30:00Z'), 'UTC', 'America/Los_Angeles')),
      '2026-03-08T10:30:00.000Z',
    );
    assert.equal(
      iso(sendInstant(at('2026-03-29T02:30:00Z'), 'UTC', 'Europe/Paris')),
      '2026-03-29T01:30:00.000Z',
    );
  });

  test('a time in a fall-back repeated hour is sent at its first occurrence', () => {
    assert.equal(
      iso(sendInstant(at('2026-11-01T01:30:00Z'), 'UTC', 'America/Los_Angeles')),
      '2026-11-01T08:30:00.000Z',
    );
    assert.equal(
      iso(sendInstant(at('2026-10-25T02:30:00Z'), 'UTC', 'Europe/Paris')),
      '2026-10-25T00:30:00.000Z',
    );
  });

  test("the campaign's wall clock is read on its own side of a change of hour", () => {
    // 09:00 on the Sunday Paris moves to summer time is 07:00 UTC; Tokyo gets 09:00 Tokyo time.
    const run = at('2026-03-29T07:00:00Z');
    assert.equal(iso(sendInstant(run, 'Europe/Paris', 'Asia/Tokyo')), '2026-03-29T00:00:00.000Z');
    assert.equal(
      iso(sendInstant(run, 'Europe/Paris', 'America/New_York')),
      '2026-03-29T13:00:00.000Z',
      'New York moved three weeks earlier: 09:00 EDT',
    );
  });

  test("a run's sends fall between UTC+14:00 and UTC-12:00: a 26-hour window", () => {
    const w = runWindow(at('2026-12-04T08:00:00Z'), 'Europe/Paris');
    assert.equal(iso(w.from), '2026-12-03T19:00:00.000Z');
    assert.equal(iso(w.to), '2026-12-04T21:00:00.000Z');
    for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kolkata', 'America/St_Johns']) {
      const t = sendInstant(at('2026-12-04T08:00:00Z'), 'Europe/Paris', zone);
      assert.ok(t >= w.from && t <= w.to, zone);
    }
  });

  test('profiles due at the same instant go out at the throttle rate', () => {
    const t = at('2026-12-04T08:00:00Z');
    assert.deepEqual(
      [0, 1, 2, 500, 1000].map((k) => throttledInstant(t, k, 500) - t),
      [0, 2, 4, 1000, 2000],
    );
  });
});
