// One engine of a fleet on PostgreSQL + NATS JetStream: partition leases (leases.ts), routing of
// events to the owners of their partitions (router.ts), catalog changes from the other engines
// (change-feed.ts) and the fleet's status (status.ts), wired onto an app made over a PostgresStore.
// `waymark serve --store postgres://…` starts one per process; tests and benches start several.
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { natsConnectOptions, redactServer, type NatsAuth } from '../../bus/nats-auth.ts';
import type { PostgresStore } from '../../store/postgres/postgres-store.ts';
import type { Waymark } from '../app.ts';
import { listenForChanges, type ChangeFeed } from './change-feed.ts';
import { PartitionLeases } from './leases.ts';
import { RateWindows } from './rate-windows.ts';
import { PartitionRouter } from './router.ts';
import { FleetStatusReader } from './status.ts';

/** The longest wait for sends under way in partitions being handed over (an action's timeout is at most this). */
const SEND_DRAIN_MS = 30_000;

export interface FleetOptions {
  readonly app: Waymark;
  readonly store: PostgresStore;
  /** The store's connection string (the change feed listens on a connection of its own). */
  readonly connectionString: string;
  readonly schema: string;
  readonly nats: string | readonly string[];
  readonly natsAuth?: NatsAuth;
  readonly id?: string;
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /** The longest wait for in-flight work of partitions being handed over (default 2 s). */
  readonly drainMs?: number;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ) => void;
}

export interface Fleet {
  readonly id: string;
  readonly leases: PartitionLeases;
  readonly router: PartitionRouter;
  /** Gives the partitions back (the others take them at their next heartbeat) and disconnects. */
  stop(): Promise<void>;
  /** Stops everything without giving anything back: what a crash looks like to the others (tests, benches). */
  abandon(): Promise<void>;
}

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const servers = typeof o.nats === 'string' ? [o.nats] : [...o.nats];
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: 'waymark-fleet',
      maxReconnectAttempts: -1,
      ...natsConnectOptions(o.natsAuth),
    });
  } catch (e) {
    throw new WaymarkError(
      ErrorCode.ProviderError,
      `fleet mode routes events through NATS JetStream, which cannot be reached at ${servers.map(redactServer).join(', ')}: ${(e as Error).message}`,
      { retryable: true, cause: e },
    );
  }
  const drainMs = o.drainMs ?? 2000;

  let router: PartitionRouter | null = null;
  // Heartbeats on connections of their own: a pool busy with the engine's work must not delay them past the lease.
  const leasePool = new pg.Pool({
    connectionString: o.connectionString,
    max: 2,
    options: `-c search_path=${o.schema}`,
    application_name: `waymark-leases:${o.schema}`,
  });
  leasePool.on('error', () => undefined);
  const leases = new PartitionLeases({
    pool: leasePool,
    store: o.store,
    ...(o.id ? { id: o.id } : {}),
    ...(o.heartbeatMs ? { heartbeatMs: o.heartbeatMs } : {}),
    ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
    // What runs on the writer now (ingest, timers) finishes before the leases go; sends in flight commit under the lease still held.
    // and sends under way in them are recorded (else the next owner would send them again).
    drain: async (partitions) => {
      const deadline = Date.now() + drainMs;
      await Promise.race([
        o.app.engine.exclusive(async () => undefined),
        new Promise((r) => setTimeout(r, drainMs)),
      ]);
      const parts = new Set(partitions);
      while (o.store.attemptsInFlight(parts) > 0 && Date.now() < deadline + SEND_DRAIN_MS)
        await new Promise((r) => setTimeout(r, 25));
    },
    onChange: (held) => {
      void router?.setOwned(held);
      o.app.partitionsChanged();
    },
    ...(o.log ? { log: o.log } : {}),
  });
  // Limits count for the whole fleet, and read-audience jobs run per partition, from now on (before any partition is taken).
  o.app.enterFleetMode({
    rateLimiter: new RateWindows(o.store.pool),
    ownedPartitions: () => [...leases.held].filter((p) => leases.owns(p)),
  });
  router = new PartitionRouter({
    app: o.app,
    nc,
    schema: o.schema,
    engineId: leases.id,
    owns: (p) => leases.owns(p),
    ownerOf: (p) => leases.ownerOf(p),
    ...(o.log ? { log: o.log } : {}),
  });
  let feed: ChangeFeed | null = null;
  try {
    await router.start();
    feed = await listenForChanges({
      connectionString: o.connectionString,
      schema: o.schema,
      catalogs: o.app.catalogs,
      ...(o.log ? { log: o.log } : {}),
    });
    await leases.start();
    await leases.settled((o.leaseMs ?? 5000) * 3);
  } catch (e) {
    await feed?.stop();
    await nc.close();
    await leasePool.end();
    throw e;
  }
  o.app.fleet = new FleetStatusReader(
    o.store.pool,
    o.store,
    o.app.clock,
    leases.id,
    o.leaseMs ?? 5000,
  );
  o.app.router = router;
  const r = router;
  return {
    id: leases.id,
    leases,
    router: r,
    async stop() {
      await leases.stop();
      await r.stop();
      await feed?.stop();
      await nc.close();
      await leasePool.end();
    },
    async abandon() {
      leases.abandon();
      await r.stop();
      await feed?.stop();
      await nc.close();
      await leasePool.end();
    },
  };
}
