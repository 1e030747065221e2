// `waymark keys` and `waymark users` against a listening server: a key is created (printed once),
// listed by prefix, works, is rotated (both work during the overlap) and revoked (refused at once);
// a user is invited and listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerKeyCommands } from '../../src/cli/commands/keys.ts';
import { registerUserCommands } from '../../src/cli/commands/users.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('keys create, list, rotate and revoke; users invite and list, from the command line', async () => {
  const w = await apiWorld();
  try {
    const url = await w.listen();
    const run = cliRunner(url, (program, out) => {
      registerKeyCommands(program, out);
      registerUserCommands(program, out);
    });
    const status = async (key: string) =>
      (await fetch(`${url}/v1/journeys`, { headers: { authorization: `Bearer ${key}` } })).status;

    assert.match(await run('keys', 'list'), /no API keys/);
    const created = await run(
      'keys',
      'create',
      '--name',
      'Agency reports',
      '--role',
      'viewer',
      '--sandboxes',
      'prod',
      '--expires',
      '30d',
    );
    const key = /key \(shown once, keep it now\): (wmk_\S+)/.exec(created)?.[1];
    const id = /\((key_[a-z0-9]+)\)/.exec(created)?.[1];
    assert.ok(key && id, created);
    assert.match(created, /role viewer in prod, until \d{4}-/);
    assert.equal(await status(key), 200);

    const list = await run('keys', 'list');
    assert.match(
      list,
      new RegExp(`${id}\\s+${key.slice(0, 10)}…\\s+Agency reports\\s+viewer\\s+prod`),
    );
    assert.equal(list.includes(key), false, 'never the key itself');

    const rotated = await run('keys', 'rotate', id, '--overlap', '1h');
    const next = /key \(shown once, keep it now\): (wmk_\S+)/.exec(rotated)?.[1];
    assert.ok(next, rotated);
    assert.equal(await status(key), 200, 'the old key works during the overlap');
    assert.equal(await status(next), 200);
    assert.match(await run('keys', 'list'), /rotated to key_\w+, works until/);

    assert.match(await run('keys', 'revoke', id), /revoked "Agency reports"/);
    assert.equal(await status(key), 401, 'refused at once');
    await assert.rejects(
      run('keys', 'create', '--name', 'X', '--role', 'superuser'),
      /400 there is no role "superuser"/,
    );
    await assert.rejects(
      run('keys', 'create', '--name', 'X', '--role', 'viewer', '--expires', 'someday'),
      /--expires takes/,
    );

    const invited = await run(
      'users',
      'invite',
      'lee@luma.example',
      '--name',
      'Lee',
      '--role',
      'content-manager@prod',
      '--role',
      'viewer',
    );
    assert.match(
      invited,
      /invited lee@luma\.example \(usr_\w+\) as content-manager@prod viewer@\*/,
    );
    assert.match(invited, /emailed/);
    assert.match(
      await run('users', 'list'),
      /lee@luma\.example\s+invited\s+content-manager@prod viewer@\*/,
    );
  } finally {
    await w.close();
  }
});
