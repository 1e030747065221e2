// A real NATS JetStream on loopback for the bus tests (CI starts it): a connection that fails
// loudly when the server is not there, unique stream names, publishing, cleanup.
import { randomBytes } from 'node:crypto';
import { until } from '../support/process.ts';
import { connect, headers, type ConsumerInfo, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';

export const NATS_URL = process.env['WAYMARK_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

export interface TestBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** This test's stream and subject prefix: tests run in parallel on one server. */
  readonly stream: string;
  readonly prefix: string;
  publish(subject: string, body: unknown, opts?: { msgId?: string; raw?: boolean }): Promise<void>;
  consumer(durable?: string): Promise<ConsumerInfo>;
  close(): Promise<void>;
}

export async function testBus(): Promise<TestBus> {
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: NATS_URL, maxReconnectAttempts: 0 });
  } catch (e) {
    throw new Error(`NATS with JetStream is not reachable at ${NATS_URL} (the tests need it at 127.0.0.1:4222, or WAYMARK_TEST_NATS_URL; CI starts it; locally: nats-server -js): ${(e as Error).message}`, { cause: e });
  }
  const suffix = randomBytes(5).toString('hex');
  const stream = `WAYMARK_TEST_${suffix}`;
  const prefix = `waymark-test.${suffix}`;
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  return {
    nc, js, jsm, stream, prefix,
    async publish(subject, body, opts = {}) {
      const h = opts.msgId === undefined ? undefined : headers();
      if (opts.msgId !== undefined) h!.set('Nats-Msg-Id', opts.msgId);
      const data = opts.raw ? new TextEncoder().encode(body as string) : new TextEncoder().encode(JSON.stringify(body));
      await js.publish(subject, data, h ? { headers: h } : {});
    },
    consumer: (durable = 'waymark') => jsm.consumers.info(stream, durable),
    async close() {
      try { await jsm.streams.delete(stream); } catch { /* never created */ }
      await nc.close();
    },
  };
}

/** The shared poll (test/support/process.ts `until`), every 25 ms: messages move fast. */
export const eventually = <T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000): Promise<T> => until(what, fn, timeoutMs, 25);
