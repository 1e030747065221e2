// GET /v1/status: what this node runs on and what waits in the sandbox, for the console's System
// page and `waymark status`. The node part (store, leadership, NATS ingest) comes from whoever
// started the server; the backlog is read from the store, each count capped so it stays cheap.
// GET /v1/status/fleet: the engines, who owns which partition and how far behind each partition's
// timers and outbox are (app.fleet), every sandbox together.
import type { FastifyInstance } from 'fastify';
import type { NatsIngestStats } from '../../bus/nats-ingest.ts';
import type { Waymark } from '../../runtime/app.ts';
import type { fleetViewSchema } from '../../isomorphic/api/status.ts';
import type { FleetStatus } from '../../runtime/fleet/fleet-status.ts';
import type { Answer } from '../../shared/schema-types.ts';
import { sandboxOf } from '../context.ts';

/** The store's schema version, and the one this start migrated it from (docs/upgrades.md). */
interface StoreMigrationStatus {
  readonly schemaVersion?: number;
  readonly migratedFrom?: number;
}
export type StoreStatus =
  | ({ readonly kind: 'sqlite'; readonly file: string } & StoreMigrationStatus)
  | ({
      readonly kind: 'postgres';
      readonly server: string;
      readonly schema: string;
      readonly leader: boolean;
    } & StoreMigrationStatus);

export interface NodeStatus {
  readonly store: StoreStatus;
  readonly ingest: {
    readonly nats: {
      readonly servers: readonly string[];
      readonly stream: string;
      readonly subjectPrefix: string;
      readonly stats: NatsIngestStats;
    } | null;
  };
}

/** Counts above this read as "at least": the page stays a bounded read with a large backlog. */
export const BACKLOG_CAP = 100_000;

/** A partition whose oldest due timer waited this long is lagging (the page and the CLI mark it). */
export const LAGGING_AFTER_MS = 10_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** GET /v1/status/fleet: the fleet status with times as ISO text and totals over the partitions. */
export type FleetView = Answer<typeof fleetViewSchema>;

export function fleetView(s: FleetStatus): FleetView {
  return {
    mode: s.mode,
    partitionCount: s.partitionCount,
    self: s.self,
    laggingAfterMs: LAGGING_AFTER_MS,
    engines: s.engines.map((e) => ({
      ...e,
      startedAt: iso(e.startedAt)!,
      heartbeatAt: iso(e.heartbeatAt)!,
    })),
    partitions: s.partitions.map((p) => ({ ...p, leaseExpiresAt: iso(p.leaseExpiresAt) })),
    totals: {
      timersDue: s.partitions.reduce((n, p) => n + p.timersDue, 0),
      timersLagMs: s.partitions.reduce((n, p) => Math.max(n, p.timersLagMs), 0),
      outboxPending: s.partitions.reduce((n, p) => n + p.outboxPending, 0),
      unowned: s.partitions.filter((p) => p.owner === null).length,
      lagging: s.partitions.filter((p) => p.timersLagMs >= LAGGING_AFTER_MS).length,
    },
  };
}

export function statusRoutes(
  app: Waymark,
  opts: { version: string; startedAt: number; node?: () => NodeStatus },
) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get(
      '/status',
      {
        schema: {
          tags: ['status'],
          summary:
            'This node (version, store, leadership, NATS ingest) and what waits in the sandbox (due timers and outbox items, retries, dead letters)',
        },
      },
      async (req) => {
        const now = app.clock.now();
        const b = await app.reads.backlog(sandboxOf(req), now, BACKLOG_CAP);
        const node = opts.node?.() ?? null;
        return {
          version: opts.version,
          startedAt: iso(opts.startedAt),
          uptimeSeconds: Math.max(0, Math.round((Date.now() - opts.startedAt) / 1000)),
          sandbox: sandboxOf(req),
          store: node?.store ?? null,
          ingest: node?.ingest ?? { nats: null },
          backlog: { ...b, nextTimerAt: iso(b.nextTimerAt), cap: BACKLOG_CAP },
        };
      },
    );
    f.get(
      '/status/fleet',
      {
        schema: {
          tags: ['status'],
          summary:
            "The engines, which partitions each owns, and how far behind each partition's timers and outbox are (all sandboxes)",
        },
        config: { permission: 'signed-in' },
      },
      async () => fleetView(await app.fleet.status()),
    );
  };
}
