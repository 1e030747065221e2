// `waymark webhooks …` and `waymark events export` against a real server: a subscription created
// with a generated secret, its deliveries listed once a journey runs; the range's events downloaded
// into a folder and read back.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { registerEventsExportCommand } from '../../src/cli/commands/events-export.ts';
import { registerWebhookCommands } from '../../src/cli/commands/webhooks.ts';
import { cliRunner } from '../support/cli.ts';
import { cart, lumaEvent, T0 } from '../support/luma.ts';
import { apiWorld } from '../support/server.ts';
import { receiver, until } from '../webhooks/receiver.ts';

test('webhooks and the event export from the command line', async () => {
  const w = await apiWorld();
  const hooks = await receiver();
  const folder = await mkdtemp(join(tmpdir(), 'waymark-cli-export-'));
  try {
    const run = cliRunner(
      await w.listen(),
      (program, out) => {
        registerWebhookCommands(program, out);
        registerEventsExportCommand(program, out);
      },
      () => w.app.engine.settle(),
    );
    const created = await run(
      'webhooks',
      'create',
      'crm',
      '--endpoint',
      hooks.url,
      '--events',
      'journey.*,message.sent',
    );
    assert.match(created, /subscribed crm/);
    assert.match(created, /signing secret \(shown once\): whsec_/);
    assert.match(await run('webhooks', 'list'), /crm\s+enabled\s+http:\/\/127\.0\.0\.1/);

    await w.request(
      'POST',
      '/v1/events',
      lumaEvent('LumaCheckoutEvent_Email', 'jean.dupont@luma.example', cart),
    );
    await until(() => hooks.received.length > 0, 'a delivery');
    await until(
      async () =>
        /delivered\s+1× journey\.entered/.test(await run('webhooks', 'deliveries', 'crm')),
      'the delivery listed',
    );

    const exported = await run(
      'events',
      'export',
      '--from',
      new Date(T0 - 3600_000).toISOString(),
      '--to',
      new Date(T0 + 3600_000).toISOString(),
      '--out',
      folder,
    );
    const m = /(\d+) events → (.+\.jsonl)/.exec(exported);
    assert.ok(m, exported);
    const lines = (await readFile(m[2]!, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, Number(m[1]));
    assert.ok(lines.some((l) => (JSON.parse(l) as { type: string }).type === 'journey.entered'));

    assert.match(await run('webhooks', 'delete', 'crm'), /deleted crm/);
  } finally {
    await rm(folder, { recursive: true, force: true });
    await hooks.close();
    await w.close();
  }
});
