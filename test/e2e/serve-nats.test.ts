// `waymark serve --ingest-nats`: the demo takes a checkout published to NATS JetStream (a stream
// and subjects of its own) into the Purchase Journey, and a SIGTERM leaves nothing unacked. Needs
// NATS with JetStream at 127.0.0.1:4222; CI starts it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { api, freePort, spawnServer, until, type ServerProcess } from '../support/process.ts';
import { NATS_URL, testBus } from '../bus/nats-support.ts';

test(
  'waymark serve --ingest-nats takes events published to <prefix>.<sandbox> into the journeys',
  { timeout: 120_000 },
  async () => {
    const bus = await testBus();
    const dir = mkdtempSync(join(tmpdir(), 'waymark-nats-serve-'));
    const args = [
      '--demo',
      '--ingest-nats',
      NATS_URL,
      '--ingest-stream',
      bus.stream,
      '--ingest-subject-prefix',
      bus.prefix,
      '--loyalty-port',
      String(await freePort()),
      '--smtp-port',
      String(await freePort()),
    ];
    // Everything after the connection is inside the try: an open NATS connection would keep this process alive.
    let server: ServerProcess | null = null;
    try {
      const spawned = await spawnServer(args, dir, await freePort());
      const running = await spawned.ready();
      server = running;
      await spawned.waitFor(
        `ingesting events from NATS ${NATS_URL} (stream ${bus.stream}, subjects ${bus.prefix}.<sandbox>)`,
      );
      const checkout = {
        id: 'nats-e2e-1',
        type: 'LumaCheckoutEvent_Email',
        payload: {
          _aeppartner1: { identification: { core: { email: 'sarah.miller@luma.example' } } },
          productListItems: [
            { name: 'Didi Sport Watch', SKU: '24-WG02', quantity: 1, priceTotal: 92 },
          ],
        },
      };
      await bus.publish(`${bus.prefix}.prod`, checkout);
      await until(
        'the checkout in the journey report',
        async () =>
          (await api(running, 'GET', '/v1/journeys/purchase-journey/report')).body.total.entered ===
          1,
      );
      const status = (await api(running, 'GET', '/v1/status')).body;
      assert.equal(status.store.kind, 'sqlite');
      assert.deepEqual(
        { ...status.ingest.nats, stats: { accepted: status.ingest.nats.stats.accepted } },
        {
          servers: [NATS_URL],
          stream: bus.stream,
          subjectPrefix: bus.prefix,
          stats: { accepted: 1 },
        },
        'GET /v1/status reports the ingest',
      );

      await running.kill('SIGTERM');
      assert.equal(running.child.exitCode, 0, running.output());
      const c = await bus.consumer();
      assert.deepEqual(
        {
          pending: c.num_pending,
          ackPending: c.num_ack_pending,
          delivered: c.delivered.stream_seq,
        },
        { pending: 0, ackPending: 0, delivered: 1 },
      );
    } finally {
      await server?.kill('SIGKILL');
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'waymark serve stops at once on a NATS option that cannot work, naming it, before it creates anything',
  { timeout: 60_000 },
  async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'waymark-nats-options-')), 'data');
    const cases: Array<{ args: string[]; env?: Record<string, string>; says: string }> = [
      {
        args: ['--ingest-nats-tls-cert', 'test/bus/fixtures/tls/client.pem'],
        says: 'error: NATS connection option tls.keyFile: a client certificate needs both the certificate and its key',
      },
      {
        args: ['--ingest-nats-tls-ca', '/nowhere/ca.pem'],
        says: 'error: NATS connection option tls.caFile: cannot read /nowhere/ca.pem (ENOENT)',
      },
      {
        args: [],
        env: { WAYMARK_NATS_PASSWORD: 'hunter2' },
        says: 'error: WAYMARK_NATS_PASSWORD is set but --ingest-nats-user is not',
      },
    ];
    try {
      for (const c of cases) {
        const spawned = await spawnServer(
          ['--ingest-nats', NATS_URL, ...c.args],
          dir,
          await freePort(),
          c.env,
        );
        const code = await new Promise<number | null>((resolve) => {
          if (spawned.child.exitCode !== null) resolve(spawned.child.exitCode);
          else spawned.child.once('exit', (exit) => resolve(exit));
        });
        assert.equal(code, 1, spawned.output());
        assert.ok(spawned.output().includes(c.says), spawned.output());
        assert.ok(!spawned.output().includes('hunter2'), 'the password is not printed');
        assert.equal(existsSync(dir), false, 'no data folder made');
      }
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  },
);
