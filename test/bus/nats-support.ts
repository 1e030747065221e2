// A real NATS JetStream on loopback for the bus tests (CI starts it): a connection that fails
// loudly when the server is not there, unique stream names, publishing, cleanup.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { freePort, until } from '../support/process.ts';
import {
  connect,
  headers,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from 'nats';

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
    throw new Error(
      `NATS with JetStream is not reachable at ${NATS_URL} (the tests need it at 127.0.0.1:4222, or WAYMARK_TEST_NATS_URL; CI starts it; locally: nats-server -js): ${(e as Error).message}`,
      { cause: e },
    );
  }
  const suffix = randomBytes(5).toString('hex');
  const stream = `WAYMARK_TEST_${suffix}`;
  const prefix = `waymark-test.${suffix}`;
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  return {
    nc,
    js,
    jsm,
    stream,
    prefix,
    async publish(subject, body, opts = {}) {
      const h = opts.msgId === undefined ? undefined : headers();
      if (opts.msgId !== undefined) h!.set('Nats-Msg-Id', opts.msgId);
      const data = opts.raw
        ? new TextEncoder().encode(body as string)
        : new TextEncoder().encode(JSON.stringify(body));
      await js.publish(subject, data, h ? { headers: h } : {});
    },
    consumer: (durable = 'waymark') => jsm.consumers.info(stream, durable),
    async close() {
      try {
        await jsm.streams.delete(stream);
      } catch {
        /* never created */
      }
      await nc.close();
    },
  };
}

/** The shared poll (test/support/process.ts `until`), every 25 ms: messages move fast. */
export const eventually = <T>(
  what: string,
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
): Promise<T> => until(what, fn, timeoutMs, 25);

/** A nats-server of the test's own (the shared one cannot be stopped), with JetStream in `dir`. */
export interface OwnNatsServer {
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for it to exit; its JetStream files stay in `dir`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and files. */
  start(): Promise<void>;
}

export function natsServerBinary(): string {
  const candidates = [
    process.env['WAYMARK_TEST_NATS_SERVER'],
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found)
    throw new Error(
      'nats-server is needed for these tests (Debian: apt-get install nats-server; or WAYMARK_TEST_NATS_SERVER=/path/to/nats-server)',
    );
  return found;
}

/** Writes a config (`listen` and `jetstream` are added) and starts the server; resolves once it accepts TCP connections. */
export async function ownNatsServer(
  dir: string,
  config: readonly string[] = [],
): Promise<OwnNatsServer> {
  const port = await freePort();
  const file = join(dir, 'server.conf');
  writeFileSync(
    file,
    [
      `listen: 127.0.0.1:${port}`,
      `jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }`,
      ...config,
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  const server: OwnNatsServer = {
    port,
    async start() {
      child = spawn(natsServerBinary(), ['-c', file], { stdio: 'ignore' });
      await until(
        "the test's nats-server to listen",
        () =>
          new Promise<boolean>((resolve) => {
            const s = createConnection(port, '127.0.0.1');
            s.once('connect', () => {
              s.destroy();
              resolve(true);
            });
            s.once('error', () => resolve(false));
          }),
        20_000,
        50,
      );
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
      });
    },
  };
  await server.start();
  return server;
}
