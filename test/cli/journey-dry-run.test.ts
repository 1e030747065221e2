// `waymark journeys dry-run ID start|report|stop` against a real server: a draft runs on real
// events without sending anything, and its own report says what it would have sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

test('journeys dry-run starts, reports and stops a dry run of a draft', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    await w.app.journeys.create('prod', 'checkout-thanks', {
      name: 'Checkout thanks',
      start: 'checkout',
      nodes: [
        { id: 'checkout', kind: 'event', event: 'LumaCheckoutEvent_Email', next: ['mail'] },
        {
          id: 'mail',
          kind: 'email',
          configuration: 'EmailMarketing',
          category: 'transactional',
          content: { subject: 'Thanks', html: '<p>Thanks</p>' },
          next: [],
        },
      ],
    });
    assert.match(await run('journeys', 'dry-run', 'checkout-thanks', 'start'), /v1 is dryRun/);
    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    const report = await run('journeys', 'dry-run', 'checkout-thanks', 'report');
    assert.match(report, /entered 1, discarded 0; would send: email 1/);
    assert.match(report, /mail \[email\]: would send 1/);
    const json = JSON.parse(
      await run('journeys', 'dry-run', 'checkout-thanks', 'report', '--json'),
    );
    assert.equal(json.wouldSend.email, 1);
    assert.match(await run('journeys', 'dry-run', 'checkout-thanks', 'stop'), /v1 is draft/);
    assert.match(await run('journeys', 'dry-run', 'checkout-thanks', 'report'), /no dry run/);
  } finally {
    await w.close();
  }
});
