// `waymark journeys instances ID --profile Email:…` against a real server: where the profile is in
// the journey (what it waits for) and the path it took, with times: the lab's "follow your profile".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test("journeys instances shows a profile's place and path in the Purchase Journey", async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    assert.match(
      await run(
        'journeys',
        'instances',
        'purchase-journey',
        '--profile',
        'Email:jean.dupont@luma.example',
      ),
      /no instances/,
    );

    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    const waiting = await run(
      'journeys',
      'instances',
      'purchase-journey',
      '--profile',
      'Email:jean.dupont@luma.example',
    );
    assert.match(waiting, /active/);
    assert.match(
      waiting,
      /waiting at .*, timeout at 20\d\d-/,
      'the purchase event, with its timeout',
    );

    await w.advance(2 * 60_000);
    const after = await run(
      'journeys',
      'instances',
      'purchase-journey',
      '--profile',
      'Email:jean.dupont@luma.example',
    );
    const lines = after.split('\n');
    assert.ok(
      lines.some((l) => /20\d\d-\d\d-\d\d \d\d:\d\d:\d\d {2}\S+ → timeout/.test(l)),
      after,
    );
    const json = JSON.parse(
      await run(
        'journeys',
        'instances',
        'purchase-journey',
        '--profile',
        'Email:jean.dupont@luma.example',
        '--json',
      ),
    );
    assert.equal(json.length, 1);
    assert.ok(json[0].path.length >= 3, 'checkout, the timed-out wait, and what came after');
  } finally {
    await w.close();
  }
});
