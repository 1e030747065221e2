// Read-audience selection and pacing, and audience-qualification triggers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  qualificationTriggers,
  readAllowance,
  readOffsetMs,
  selectReadAudience,
} from '../../src/audience/index.ts';
import type { AudienceMember } from '../../src/audience/index.ts';
import { readAudienceOptionsSchema } from '../../src/model/audience.ts';

describe('read audience', () => {
  const members: AudienceMember[] = [
    { profileId: 'a', status: 'realized', realizedAt: 100, identities: { Email: 'a@x.io' } },
    { profileId: 'b', status: 'exited', realizedAt: 100, identities: { Email: 'b@x.io' } },
    { profileId: 'c', status: 'realized', realizedAt: 300, identities: { ECID: '123' } },
    {
      profileId: 'd',
      status: 'realized',
      realizedAt: 300,
      identities: { Email: 'd@x.io', ECID: '9' },
    },
  ];

  test('only realized members with the journey namespace; incremental takes the new ones', () => {
    assert.deepEqual(
      [...selectReadAudience(members, { namespace: 'Email' })],
      [
        { profileId: 'a', identity: 'a@x.io' },
        { profileId: 'd', identity: 'd@x.io' },
      ],
    );
    assert.deepEqual(
      [...selectReadAudience(members, { namespace: 'Email', realizedAfter: 200 })],
      [{ profileId: 'd', identity: 'd@x.io' }],
    );
    assert.deepEqual(
      [...selectReadAudience(members, { namespace: 'ECID' })].map((m) => m.profileId),
      ['c', 'd'],
    );
  });

  test('rate defaults to 5,000/s and stays within 500 to 20,000', () => {
    assert.equal(
      readAudienceOptionsSchema.parse({ audience: 'Luma - Blue Luma+ Members', namespace: 'Email' })
        .ratePerSecond,
      5000,
    );
    assert.equal(
      readAudienceOptionsSchema.safeParse({ audience: 'A', namespace: 'Email', ratePerSecond: 499 })
        .success,
      false,
    );
    assert.equal(
      readAudienceOptionsSchema.safeParse({
        audience: 'A',
        namespace: 'Email',
        ratePerSecond: 20_001,
      }).success,
      false,
    );
  });

  test('pacing: 100,000 profiles at 5,000/s take 20 s; offsets and allowance are inverse', () => {
    assert.equal(readOffsetMs(99_999, 5000), 19_999);
    assert.equal(readAllowance(19_999, 5000), 100_000);
    assert.equal(readAllowance(0, 500), 1);
    assert.equal(readAllowance(-1, 500), 0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 500, max: 20_000 }),
        (i, rate) => {
          const at = readOffsetMs(i, rate);
          assert.ok(readAllowance(at, rate) > i, 'allowed at its offset');
          assert.ok(readAllowance(at - 1, rate) <= i, 'not before');
          assert.ok(
            readAllowance(999, rate) <= rate,
            'never more than the rate in the first second',
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('audience qualification', () => {
  test('journeys on realized or on exited are triggered by matching changes', () => {
    const journeys = [
      { id: 'welcome', entry: { audience: 'Luma - Blue Luma+ Members', on: 'realized' as const } },
      { id: 'winback', entry: { audience: 'Active 7d', on: 'exited' as const } },
      { id: 'other', entry: { audience: 'Active 7d', on: 'realized' as const } },
    ];
    const t = qualificationTriggers(
      [
        { audience: 'Active 7d', status: 'exited' },
        { audience: 'Luma - Blue Luma+ Members', status: 'realized' },
      ],
      journeys,
    );
    assert.deepEqual(
      t.map((x) => x.journey.id),
      ['winback', 'welcome'],
    );
  });
});
