// First minutes: `waymark serve --demo` (what `npm start` runs) on a laptop where the default ports are
// taken (a second Waymark, a mail catcher). The development SMTP server and the demo LoyaltyService
// take free ports and say which, and the demo follows them (a purchase still gets its confirmation,
// with the LoyaltyService's offer, through the fallback SMTP port); a taken API port stops the
// server with one line naming --port. Logs are JSON when stdout is not a terminal, readable lines on demand.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cart, lumaEvent } from '../support/luma.ts';
import { api, freePort, spawnServer, until } from '../support/process.ts';

/** A real listener on a loopback port, as another program holding it would be. */
async function hold(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { port: (server.address() as { port: number }).port, server };
}

test('serve --demo with the SMTP, LoyaltyService and API ports taken: fallbacks named, the demo still sends; a taken API port is one line naming --port', async () => {
  const [smtp, loyalty, apiPort] = [await hold(), await hold(), await hold()];
  const dirs = [
    mkdtempSync(join(tmpdir(), 'waymark-ports-')),
    mkdtempSync(join(tmpdir(), 'waymark-ports-')),
  ];
  const spawned = await spawnServer(
    ['--demo', '--smtp-port', String(smtp.port), '--loyalty-port', String(loyalty.port)],
    dirs[0]!,
    await freePort(),
    { WAYMARK_LOG_LEVEL: 'info' },
  );
  const server = await spawned.ready();
  try {
    const out = server.output();
    const smtpLine = new RegExp(
      `port ${smtp.port} is taken: the development SMTP server listens on (\\d+) instead \\(--smtp-port chooses another\\)`,
    ).exec(out);
    assert.ok(smtpLine, out);
    assert.match(
      out,
      new RegExp(
        `port ${loyalty.port} is taken: the demo LoyaltyService listens on \\d+ instead \\(--loyalty-port chooses another\\)`,
      ),
    );
    assert.match(
      out,
      new RegExp(`development SMTP server: 127\\.0\\.0\\.1:${smtpLine[1]} `),
      'the banner names the port bound',
    );
    const applied = out.split('\n').find((l) => l.includes('Luma demo applied'));
    assert.ok(applied, out);
    assert.equal(
      JSON.parse(applied).msg,
      'Luma demo applied',
      'stdout is not a terminal: JSON lines',
    );

    const email = 'jean.dupont@luma.example';
    assert.equal(
      (await api(server, 'POST', '/v1/events', lumaEvent('LumaCheckoutEvent_Email', email, cart)))
        .body.accepted,
      1,
    );
    assert.equal(
      (await api(server, 'POST', '/v1/events', lumaEvent('LumaPurchaseEvent_Email', email, cart)))
        .body.accepted,
      1,
    );
    const mail = await until('the order confirmation in the development inbox', async () => {
      const inbox = (await api(server, 'GET', `/v1/dev/inbox?to=${encodeURIComponent(email)}`))
        .body;
      return (inbox.email as Array<{ subject: string; html: string }>).find((m) =>
        /order confirmation/.test(m.subject),
      );
    });
    assert.match(
      mail.html,
      /promo-code/,
      'the LoyaltyService on its fallback port answered with an offer',
    );

    // A second Waymark on the API port someone holds: it stops, saying which flag moves it.
    const second = spawn(
      process.execPath,
      [
        'bin/waymark.js',
        'serve',
        '--demo',
        '--data',
        dirs[1]!,
        '--port',
        String(apiPort.port),
        '--smtp-port',
        String(smtp.port),
        '--loyalty-port',
        String(loyalty.port),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, WAYMARK_LOG_LEVEL: 'info', WAYMARK_LOG_FORMAT: 'pretty' },
      },
    );
    let stdout = '',
      stderr = '';
    second.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    second.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) =>
      second.once('exit', (c) => resolve(c)),
    );
    assert.equal(code, 1, stdout + stderr);
    assert.equal(
      stderr,
      `waymark serve: port ${apiPort.port} on 127.0.0.1 is already in use (another Waymark?); stop it or choose another port with --port, e.g. --port ${apiPort.port + 10}\n`,
    );
    assert.match(
      stdout,
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}Luma demo applied objects=\d+ loyaltyService=http:\/\/127\.0\.0\.1:\d+\/loyalty\/offers$/m,
      'WAYMARK_LOG_FORMAT=pretty: readable lines',
    );
  } finally {
    await server.kill('SIGKILL');
    for (const h of [smtp, loyalty, apiPort]) h.server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
