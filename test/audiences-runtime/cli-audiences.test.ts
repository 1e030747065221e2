// `waymark audiences …` and `waymark profiles audiences|delete` against a real server on 127.0.0.1:
// what a person reads in the terminal after each command, and what the server holds afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CliError } from '../../src/cli/client.ts';
import { registerAudienceCommands } from '../../src/cli/commands/audiences.ts';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { registerProfileCommands } from '../../src/cli/commands/profiles.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test("audiences from the command line: list, size, members, evaluate, schedule, upload; a profile's audiences and events; erasure", async () => {
  const w = await apiWorld();
  const dir = mkdtempSync(join(tmpdir(), 'waymark-cli-aud-'));
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => {
        registerClientCommands(program);
        registerAudienceCommands(program, out);
        registerProfileCommands(program, out);
      },
      () => w.app.engine.settle(),
    );

    const list = await run('audiences', 'list');
    assert.match(list, /Luma - Blue Luma\+ Members\s+streaming\s+\d+ realized/);
    assert.match(list, /Luma - Mobile App Users/);

    const size = await run('audiences', 'size', 'Luma - Blue Luma+ Members', '--sample', '2');
    const realized = Number(/: (\d+) realized/.exec(size)?.[1]);
    assert.ok(realized >= 1, size);
    assert.equal(
      size.trim().split('\n').length,
      1 + Math.min(2, realized),
      'the sample, a line each',
    );
    assert.match(size, /Email:[^\s]+@luma\.example/);

    const members = await run(
      'audiences',
      'members',
      'Luma - Blue Luma+ Members',
      '--status',
      'realized',
    );
    assert.equal(members.trim().split('\n').length, realized);

    assert.match(
      await run('audiences', 'evaluate', 'Luma - Blue Luma+ Members'),
      new RegExp(`${realized} members \\(0 new, 0 exited\\)`),
    );
    assert.match(
      await run('audiences', 'schedule', 'Luma - Blue Luma+ Members', '--every', '3600'),
      /every 3600 s, next at 20\d\d-/,
    );
    assert.ok(
      (await w.app.audiences.jobs('prod')).some(
        (j) => j.state.kind === 'batch' && j.state.everyMs === 3_600_000,
      ),
    );
    assert.match(
      await run('audiences', 'schedule', 'Luma - Blue Luma+ Members', '--off'),
      /no schedule/,
    );
    await assert.rejects(
      run('audiences', 'schedule', 'Luma - Blue Luma+ Members'),
      (e: Error) => e instanceof CliError && /--every <seconds> or --off/.test(e.message),
    );

    await w.app.objects.put('prod', 'audience', {
      name: 'VIP list',
      origin: 'uploaded',
      namespace: 'Email',
    });
    const csv = join(dir, 'vip.csv');
    writeFileSync(csv, 'id\njean.dupont@luma.example\nnobody@luma.example\n');
    process.exitCode = undefined;
    const upload = await run(
      'audiences',
      'upload',
      'VIP list',
      csv,
      '--mode',
      'replace',
      '--no-create-profiles',
    );
    assert.match(upload, /2 rows, 1 realized, 0 exited, 0 profiles created/);
    assert.match(upload, /line 3: no profile has the identity Email:nobody@luma\.example/);
    assert.equal(process.exitCode, 1, 'rows refused: the command fails');
    process.exitCode = undefined;
    writeFileSync(csv, 'id\nana.garcia@luma.example\nnew.person@luma.example\n');
    assert.match(
      await run('audiences', 'upload', 'VIP list', csv),
      /2 rows, 2 realized, 0 exited, 1 profiles created/,
      'append, creating the unknown profile',
    );
    const vip = (await run('audiences', 'members', 'VIP list'))
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).join(' '))
      .sort();
    assert.deepEqual(vip, [
      'realized Email:ana.garcia@luma.example',
      'realized Email:jean.dupont@luma.example',
      'realized Email:new.person@luma.example',
    ]);
    await assert.rejects(
      run('audiences', 'upload', 'VIP list', join(dir, 'missing.csv')),
      /cannot read/,
    );

    assert.match(
      await run('profiles', 'audiences', 'Email', 'jean.dupont@luma.example'),
      /realized\s+VIP list/,
    );
    assert.match(
      await run('profiles', 'audiences', 'Email:jean.dupont@luma.example'),
      /realized\s+VIP list/,
      'NAMESPACE:ID, as --profile takes it',
    );
    await assert.rejects(
      run('profiles', 'audiences', 'jean.dupont@luma.example'),
      /a profile is NAMESPACE ID or NAMESPACE:ID/,
    );
    const checkout = {
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'jean.dupont@luma.example' } } },
        productListItems: [
          { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
        ],
      },
    };
    assert.equal(
      (
        await w.request('POST', '/v1/events', [
          checkout,
          { ...checkout, type: 'LumaPurchaseEvent_Email' },
        ])
      ).status,
      202,
    );
    const events = await run(
      'profiles',
      'events',
      'Email',
      'jean.dupont@luma.example',
      '--limit',
      '1',
    );
    assert.match(events, /LumaPurchaseEvent_Email\n1 of \d+ events/, 'newest first');
    const checkouts = JSON.parse(
      await run(
        'profiles',
        'events',
        'Email',
        'jean.dupont@luma.example',
        '--type',
        'LumaCheckoutEvent_Email',
        '--json',
      ),
    );
    assert.equal(checkouts[0].payload.productListItems[0].SKU, '24-WG02');
    await assert.rejects(run('profiles', 'delete', 'Email', 'jean.dupont@luma.example'), /--yes/);
    assert.match(
      await run('profiles', 'delete', 'Email', 'jean.dupont@luma.example', '--yes'),
      /erased/,
    );
    assert.equal(
      (await w.request('GET', '/v1/profiles/Email/jean.dupont@luma.example')).status,
      404,
    );
    await assert.rejects(run('audiences', 'size', 'No such audience'), /404/);
  } finally {
    process.exitCode = undefined;
    rmSync(dir, { recursive: true, force: true });
    await w.close();
  }
});
