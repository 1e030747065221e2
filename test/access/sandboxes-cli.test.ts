// `waymark sandboxes`: list, create, settings, reset and delete with the typed confirmation, against a real server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerSandboxCommands } from '../../src/cli/commands/sandboxes.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('waymark sandboxes: create, list, settings, reset and delete need the name typed again', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program, out) =>
      registerSandboxCommands(program, out),
    );
    assert.equal(
      await run('sandboxes', 'create', 'dev', '--title', 'Development'),
      'created development sandbox dev\n',
    );
    assert.match(
      await run('sandboxes', 'list'),
      /^prod +production +Production .*\ndev +development +Development +\(retention kept, journey approvals off\)\n$/,
    );
    assert.equal(
      await run('sandboxes', 'settings', 'dev', '--retention-days', '30', '--approvals', 'on'),
      'dev: retention 30 days, journey approvals on\n',
    );
    // Named journey approvers: users and role:<name>; the other settings kept; none clears them.
    assert.equal(
      await run(
        'sandboxes',
        'settings',
        'dev',
        '--journey-approvers',
        'ben@luma.example,role:brand-reviewer',
      ),
      'dev: retention 30 days, journey approvals on (approvers ben@luma.example,role:brand-reviewer)\n',
    );
    assert.deepEqual(
      JSON.parse(await run('sandboxes', 'settings', 'dev', '--json')).approvals.journeyApprovers,
      { users: ['ben@luma.example'], roles: ['brand-reviewer'] },
    );
    assert.equal(
      await run('sandboxes', 'settings', 'dev', '--journey-approvers', 'none'),
      'dev: retention 30 days, journey approvals on\n',
    );
    // The other retention periods: the delivery log, dead letters, audit entries; none: kept.
    assert.equal(
      await run(
        'sandboxes',
        'settings',
        'dev',
        '--message-retention-days',
        '180',
        '--dead-letter-retention-days',
        '30',
        '--audit-retention-days',
        '730',
      ),
      'dev: retention 30 days (messages 180 days, dead letters 30 days, audit entries 730 days), journey approvals on\n',
    );
    assert.equal(
      await run('sandboxes', 'settings', 'dev', '--audit-retention-days', 'none'),
      'dev: retention 30 days (messages 180 days, dead letters 30 days), journey approvals on\n',
    );
    // The Assistant: its model off here, personal data allowed; then back to the defaults' values.
    assert.equal(
      await run(
        'sandboxes',
        'settings',
        'dev',
        '--assistant-model',
        'off',
        '--assistant-personal-data',
        'on',
      ),
      'dev: retention 30 days (messages 180 days, dead letters 30 days), journey approvals on, assistant without its model, personal data may reach the assistant’s model\n',
    );
    assert.deepEqual(
      JSON.parse(
        await run(
          'sandboxes',
          'settings',
          'dev',
          '--assistant-model',
          'on',
          '--assistant-personal-data',
          'off',
          '--json',
        ),
      ).assistant,
      { model: true, personalData: false },
    );
    await assert.rejects(
      run('sandboxes', 'settings', 'dev', '--message-retention-days', '0'),
      /whole number of days from 1 to 3650/,
    );
    await assert.rejects(run('sandboxes', 'reset', 'dev', '--confirm', 'prod'), /confirm/);
    assert.equal(
      await run('sandboxes', 'reset', 'dev', '--confirm', 'dev'),
      'sandbox dev is empty\n',
    );
    await assert.rejects(
      run('sandboxes', 'delete', 'prod', '--confirm', 'prod'),
      /production sandbox/,
    );
    assert.equal(
      await run('sandboxes', 'delete', 'dev', '--confirm', 'dev'),
      'sandbox dev deleted\n',
    );
    assert.doesNotMatch(await run('sandboxes', 'list'), /dev/);
  } finally {
    await w.close();
  }
});
