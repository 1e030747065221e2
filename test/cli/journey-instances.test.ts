// `waymark journeys instances ID --profile Email:…` against a real server: where the profile is in
// the journey (what it waits for) and the path it took, with times: the lab's "follow your profile".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { ADMIN_KEY, apiWorld } from '../support/server.ts';

test('journeys instances shows a profile\'s place and path in the Purchase Journey', async () => {
  const w = await apiWorld();
  const write = process.stdout.write.bind(process.stdout);
  try {
    const url = await w.listen();
    const run = async (...args: string[]): Promise<string> => {
      let printed = '';
      const program = new Command('waymark').exitOverride();
      registerClientCommands(program);
      process.stdout.write = ((chunk: string | Uint8Array) => { printed += String(chunk); return true; }) as typeof process.stdout.write;
      try { await program.parseAsync([...args, '--url', url, '--key', ADMIN_KEY], { from: 'user' }); } finally { process.stdout.write = write; }
      return printed;
    };
    assert.match(await run('journeys', 'instances', 'purchase-journey', '--profile', 'Email:jean.dupont@luma.example'), /no instances/);

    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    const waiting = await run('journeys', 'instances', 'purchase-journey', '--profile', 'Email:jean.dupont@luma.example');
    assert.match(waiting, /active/);
    assert.match(waiting, /waiting at .*, timeout at 20\d\d-/, 'the purchase event, with its timeout');

    await w.advance(2 * 60_000);
    const after = await run('journeys', 'instances', 'purchase-journey', '--profile', 'Email:jean.dupont@luma.example');
    const lines = after.split('\n');
    assert.ok(lines.some((l) => /20\d\d-\d\d-\d\d \d\d:\d\d:\d\d {2}\S+ → timeout/.test(l)), after);
    const json = JSON.parse(await run('journeys', 'instances', 'purchase-journey', '--profile', 'Email:jean.dupont@luma.example', '--json'));
    assert.equal(json.length, 1);
    assert.ok(json[0].path.length >= 3, 'checkout, the timed-out wait, and what came after');
  } finally {
    process.stdout.write = write;
    await w.close();
  }
});
