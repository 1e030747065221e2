// `waymark journeys dry-run ID start|report|stop` against a real server: a draft runs on real
// events without sending anything, and its own report says what it would have sent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerClientCommands } from '../../src/cli/commands/client-commands.ts';
import { cart, lumaEvent } from '../support/luma.ts';
import { cliRunner } from '../support/cli.ts';
import { apiWorld } from '../support/server.ts';

/** A draft that thanks for every checkout by email. */
const checkoutThanks = {
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
} as const;

test('journeys dry-run starts, reports and stops a dry run of a draft', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    await w.app.journeys.create('prod', 'checkout-thanks', checkoutThanks);
    const started = await run('journeys', 'dry-run', 'checkout-thanks', 'start');
    assert.match(started, /v1 is dryRun/);
    const endsAt = new Date(w.clock.now() + 14 * 86_400_000).toISOString();
    assert.match(started, new RegExp(`ends by itself at ${endsAt}`));
    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    const report = await run('journeys', 'dry-run', 'checkout-thanks', 'report');
    assert.match(report, /entered 1, discarded 0; would send: email 1/);
    assert.match(report, /mail \[email\]: would send 1/);
    assert.match(report, new RegExp(`ends by itself at ${endsAt}`));
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

test('journeys dry-run report says when a dry run ended by itself, its report kept', async () => {
  const w = await apiWorld();
  try {
    const run = cliRunner(await w.listen(), (program) => registerClientCommands(program));
    await w.app.journeys.create('prod', 'checkout-thanks', checkoutThanks);
    await run('journeys', 'dry-run', 'checkout-thanks', 'start');
    await w.send([lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart)]);
    w.clock.advance(14 * 86_400_000);
    await w.advance(2000);
    const report = await run('journeys', 'dry-run', 'checkout-thanks', 'report');
    assert.match(report, /v1 \(dry run ended\): entered 1, discarded 0; would send: email 1/);
    assert.match(report, /ended automatically, 14 days after it started at \d{4}-\d\d-\d\dT/);
    const json = JSON.parse(
      await run('journeys', 'dry-run', 'checkout-thanks', 'report', '--json'),
    );
    assert.equal(json.running, false);
    assert.equal(json.ended.automatically, true);
    assert.equal((await w.app.journeys.get('prod', 'checkout-thanks')).latest.status, 'draft');
  } finally {
    await w.close();
  }
});
