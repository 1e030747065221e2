// `waymark suppressions list|add|remove` against a real server: an address added with its reason,
// found by search, refused when malformed (with where and what), and removed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerSuppressionCommands } from '../../src/cli/commands/suppressions.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('the suppression list from the command line', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => registerSuppressionCommands(program, out),
      () => w.app.engine.settle(),
    );
    assert.match(await run('suppressions', 'list'), /no suppressed address/);
    assert.match(
      await run(
        'suppressions',
        'add',
        'Jean.Dupont@luma.example',
        '--reason',
        'complaint',
        '--detail',
        'by phone',
      ),
      /suppressed email jean\.dupont@luma\.example \(complaint\)/,
    );
    await run('suppressions', 'add', '+14155550100', '--channel', 'sms');
    const listed = await run('suppressions', 'list', '--search', 'dupont');
    assert.match(
      listed,
      /email\s+jean\.dupont@luma\.example\s+complaint\s+operator:admin\s+\(by phone\)/,
    );
    assert.doesNotMatch(listed, /\+14155550100/);
    await assert.rejects(
      run('suppressions', 'add', 'nobody'),
      /address: expected an email address, got "nobody"/,
    );
    assert.match(await run('suppressions', 'remove', 'jean.dupont@luma.example'), /removed/);
    assert.match(await run('suppressions', 'list'), /sms\s+\+14155550100\s+manual/);
  } finally {
    await w.close();
  }
});
