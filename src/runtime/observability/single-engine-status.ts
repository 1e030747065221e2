// The fleet as one engine sees it when it is the only one (the embedded store, or a server
// store run by one process): it owns every partition, and the per-partition figures are read from
// the store, grouped by the partition each row carries.
import { hostname } from 'node:os';
import { PARTITIONS } from '../../shared/partition.ts';
import type { Store } from '../../store/ports.ts';
import type {
  EngineStatus,
  FleetStatus,
  FleetStatusSource,
  PartitionStatus,
} from '../fleet/fleet-status.ts';

/** Counts stop here: the status read stays bounded whatever the backlog. */
export const STATUS_CAP = 100_000;

export interface SingleEngineOptions {
  readonly engine: string;
  readonly store: Pick<Store, 'partitionBacklog'>;
  readonly clock: { now(): number };
  readonly startedAt?: number;
}

export function singleEngineStatus(opts: SingleEngineOptions): FleetStatusSource {
  const startedAt = opts.startedAt ?? opts.clock.now();
  return {
    async status(): Promise<FleetStatus> {
      const now = opts.clock.now();
      const rows = new Map(
        (await opts.store.partitionBacklog(now, STATUS_CAP)).map((r) => [r.partition, r] as const),
      );
      const partitions: PartitionStatus[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const r = rows.get(p);
        partitions.push({
          partition: p,
          owner: opts.engine,
          leaseExpiresAt: null,
          timersDue: r?.timersDue ?? 0,
          timersLagMs: r?.oldestDueAt == null ? 0 : Math.max(0, now - r.oldestDueAt),
          outboxPending: r?.outboxPending ?? 0,
        });
      }
      const self: EngineStatus = {
        id: opts.engine,
        host: hostname(),
        pid: process.pid,
        startedAt,
        heartbeatAt: now,
        partitions: PARTITIONS,
      };
      return {
        mode: 'single',
        partitionCount: PARTITIONS,
        self: opts.engine,
        engines: [self],
        partitions,
      };
    },
  };
}
