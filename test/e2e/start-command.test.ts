// The README's start command serves the demo: a checkout sent with curl shows up in the journey report.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, startServer } from '../support/process.ts';

test('waymark serve --demo (what npm start runs) serves the Luma demo', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-start-'));
  const port = await freePort();
  const server = await startServer(
    ['--demo', '--loyalty-port', String(await freePort()), '--smtp-port', String(await freePort())],
    dir,
    port,
  );
  try {
    assert.match(server.output(), /admin API key/);
    const checkout = JSON.stringify({
      type: 'LumaCheckoutEvent_Email',
      payload: {
        _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
        productListItems: [
          { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
        ],
      },
    });
    const out = execFileSync(
      'curl',
      [
        '-s',
        '-X',
        'POST',
        `${server.url}/v1/events`,
        '-H',
        `authorization: Bearer ${server.key}`,
        '-H',
        'content-type: application/json',
        '-d',
        checkout,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(JSON.parse(out).accepted, 1);
    const report = await api(server, 'GET', '/v1/journeys/purchase-journey/report');
    assert.equal(report.body.total.entered, 1);
    assert.equal(
      report.body.versions[0].activities.find((a: { id: string }) => a.id === 'checkout').exited,
      1,
    );
  } finally {
    await server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
