// A restart of `waymark serve --demo` on the same data folder and ports (the API's too: the demo's
// image addresses name it) finds the demo it applied
// unchanged and skips applying it again (the data folder keeps the development providers' keys and
// ports, so the demo's channel settings stay the same); the demo still runs a checkout after it. A
// different port changes the demo, which is applied again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, spawnServer, until } from '../support/process.ts';

test('serve --demo restarted with the same ports skips the unchanged demo; another port applies it again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-demo-restart-'));
  const [apiPort, smtpPort, loyaltyPort] = [await freePort(), await freePort(), await freePort()];
  const start = async (loyalty: number) => {
    const spawned = await spawnServer(
      ['--demo', '--smtp-port', String(smtpPort), '--loyalty-port', String(loyalty)],
      dir,
      apiPort,
      { WAYMARK_LOG_LEVEL: 'info' },
    );
    return spawned.ready(120_000);
  };
  try {
    const first = await start(loyaltyPort);
    assert.match(first.output(), /"msg":"Luma demo applied"/);
    await first.kill('SIGTERM');

    const second = await start(loyaltyPort);
    try {
      assert.match(second.output(), /"msg":"Luma demo unchanged since the last start"/);
      assert.doesNotMatch(second.output(), /Luma demo applied/);
      const checkout = {
        type: 'LumaCheckoutEvent_Email',
        payload: {
          _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
          productListItems: [
            { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
          ],
        },
      };
      assert.equal((await api(second, 'POST', '/v1/events', checkout)).body.accepted, 1);
      await until(
        'the checkout to enter the Purchase Journey',
        async () =>
          (await api(second, 'GET', '/v1/journeys/purchase-journey/report')).body.total.entered ===
          1,
      );
    } finally {
      await second.kill('SIGTERM');
    }

    const third = await start(await freePort());
    try {
      assert.match(
        third.output(),
        /"msg":"Luma demo applied"/,
        'a new LoyaltyService address is a new demo',
      );
    } finally {
      await third.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
