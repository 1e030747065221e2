// The NATS server goes away and comes back (a restart, a network cut): Waymark's ingest waits,
// reconnects on its own, and goes on from where the durable consumer was; every event enters once.
// The server is a nats-server of the test's own, since the shared one cannot be restarted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from 'nats';
import { startNatsIngest } from '../../src/bus/nats-ingest.ts';
import { cart, lumaEvent, lumaWorld } from '../support/luma.ts';
import { eventually, ownNatsServer } from './nats-support.ts';

async function publish(url: string, subject: string, events: readonly unknown[]): Promise<void> {
  const nc = await connect({ servers: url, maxReconnectAttempts: 0 });
  try {
    const js = nc.jetstream();
    for (const e of events) await js.publish(subject, new TextEncoder().encode(JSON.stringify(e)));
  } finally {
    await nc.close();
  }
}

test(
  'NATS restarted under a running ingest: it reconnects by itself and every event enters once',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-nats-restart-'));
    const server = await ownNatsServer(dir);
    const url = `nats://127.0.0.1:${server.port}`;
    const logs: string[] = [];
    const w = await lumaWorld();
    try {
      const ingest = await startNatsIngest({
        app: w.app,
        servers: url,
        stream: 'RESTART_EVENTS',
        subjectPrefix: 'restart.events',
        log: (level, message) => logs.push(`${level} ${message}`),
      });
      try {
        const shopper = (i: number) =>
          lumaEvent('LumaCheckoutEvent_Email', `restart-${i}@luma.example`, cart, `restart-${i}`);
        await publish(
          url,
          'restart.events.prod',
          Array.from({ length: 50 }, (_, i) => shopper(i)),
        );
        await eventually('the first 50 committed', () => ingest.stats().accepted === 50);

        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await server.start();
        // The stream and the durable consumer were on disk: they come back with the server.
        await publish(
          url,
          'restart.events.prod',
          Array.from({ length: 50 }, (_, i) => shopper(50 + i)),
        );
        await eventually(
          'the next 50 committed after the restart',
          () => ingest.stats().accepted === 100,
          60_000,
        );

        const stats = ingest.stats();
        assert.deepEqual(
          { accepted: stats.accepted, duplicates: stats.duplicates, rejected: stats.rejected },
          { accepted: 100, duplicates: 0, rejected: 0 },
        );
        assert.equal(
          (await w.app.reads.instances('prod', { journeyId: 'purchase-journey', limit: 500 }))
            .length,
          100,
          'one instance per shopper',
        );
      } finally {
        await ingest.stop();
      }
    } finally {
      await w.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
