// The lab's three audiences, compiled from examples/luma/audiences and evaluated as the runtime will.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAudience, evaluateMemberships } from '../../src/audience/index.ts';
import type { CompiledAudience, ProfileSnapshot } from '../../src/audience/index.ts';
import { T0, lumaAudiences, snapshot } from './fixtures.ts';

function compileAll(): CompiledAudience[] {
  const audiences = lumaAudiences();
  const names = audiences.map((a) => a.name);
  return audiences.map((a) => {
    const r = compileAudience(a, { audiences: names });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.issues));
    return r.audience;
  });
}

describe('Luma audiences', () => {
  test('the examples hold the three audiences of the lab', () => {
    assert.deepEqual(
      lumaAudiences()
        .map((a) => a.name)
        .sort(),
      ['Luma - Blue Luma+ Members', 'Luma - Mobile App Users', 'Not Luma Mobile App Users'],
    );
  });

  test('an app user who is a blue member realizes both, and is not in the complement', () => {
    const audiences = compileAll();
    const p = snapshot({
      attributes: { mobileApp: { installed: true }, loyalty: { tier: 'Blue' } },
    });
    const r = evaluateMemberships(audiences, p, T0);
    assert.deepEqual(r.changes, [
      { audience: 'Luma - Blue Luma+ Members', status: 'realized' },
      { audience: 'Luma - Mobile App Users', status: 'realized' },
    ]);
    assert.deepEqual(r.memberships, {
      'Luma - Blue Luma+ Members': 'realized',
      'Luma - Mobile App Users': 'realized',
    });
    assert.equal(r.nextCheckAt, null);
  });

  test('a profile without the app is in "Not Luma Mobile App Users", and moves when it installs the app', () => {
    const audiences = compileAll();
    let p: ProfileSnapshot = snapshot({ attributes: { mobileApp: { installed: false } } });
    const first = evaluateMemberships(audiences, p, T0);
    assert.deepEqual(first.changes, [
      { audience: 'Not Luma Mobile App Users', status: 'realized' },
    ]);
    p = { ...p, memberships: first.memberships, attributes: { mobileApp: { installed: true } } };
    const second = evaluateMemberships(audiences, p, T0 + 1000);
    // Dependency order: the complement is evaluated after the audience it reads, in the same pass.
    assert.deepEqual(second.changes, [
      { audience: 'Luma - Mobile App Users', status: 'realized' },
      { audience: 'Not Luma Mobile App Users', status: 'exited' },
    ]);
    assert.deepEqual(second.memberships, {
      'Luma - Mobile App Users': 'realized',
      'Not Luma Mobile App Users': 'exited',
    });
    p = { ...p, memberships: second.memberships };
    assert.deepEqual(
      evaluateMemberships(audiences, p, T0 + 2000).changes,
      [],
      'no change without new input',
    );
    p = { ...p, attributes: { mobileApp: { installed: false } } };
    assert.deepEqual(evaluateMemberships(audiences, p, T0 + 3000).changes, [
      { audience: 'Luma - Mobile App Users', status: 'exited' },
      { audience: 'Not Luma Mobile App Users', status: 'realized' },
    ]);
  });

  test('the order of the input list does not matter', () => {
    const audiences = compileAll().reverse();
    const r = evaluateMemberships(
      audiences,
      snapshot({ attributes: { mobileApp: { installed: true } } }),
      T0,
    );
    assert.deepEqual(r.changes, [{ audience: 'Luma - Mobile App Users', status: 'realized' }]);
  });
});
