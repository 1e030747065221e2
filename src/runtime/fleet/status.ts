// FleetStatusSource (fleet-status.ts) for a fleet of engines on PostgreSQL: engines, leases, and
// what waits in each partition (one engine alone: src/runtime/observability/single-engine-status.ts).
import { hostname } from 'node:os';
import type pg from 'pg';
import { PARTITIONS } from '../../shared/partition.ts';
import type { PartitionBacklog, Store } from '../../store/ports.ts';
import type { Clock } from '../clock.ts';
import type {
  EngineStatus,
  FleetStatus,
  FleetStatusSource,
  PartitionStatus,
} from './fleet-status.ts';
import { DB_NOW_MS } from './leases.ts';

function partitionRows(
  backlog: readonly PartitionBacklog[],
  now: number,
  ownerOf: (p: number) => { owner: string | null; leaseExpiresAt: number | null },
): PartitionStatus[] {
  const byPartition = new Map(backlog.map((b) => [b.partition, b]));
  return Array.from({ length: PARTITIONS }, (_v, partition) => {
    const b = byPartition.get(partition);
    return {
      partition,
      ...ownerOf(partition),
      timersDue: b?.timersDue ?? 0,
      timersLagMs:
        b?.oldestDueAt !== null && b?.oldestDueAt !== undefined
          ? Math.max(0, now - b.oldestDueAt)
          : 0,
      outboxPending: b?.outboxPending ?? 0,
    };
  });
}

/** A fleet on PostgreSQL: live engines (heartbeat within `leaseMs`), each partition's lease, and its backlog. */
export class FleetStatusReader implements FleetStatusSource {
  constructor(
    private readonly pool: pg.Pool,
    private readonly store: Store,
    private readonly clock: Clock,
    readonly self: string,
    private readonly leaseMs = 5000,
  ) {}

  async status(): Promise<FleetStatus> {
    const now = this.clock.now();
    const [engines, leases, backlog] = await Promise.all([
      this.pool.query<{
        id: string;
        host: string;
        pid: number;
        started_at: string;
        heartbeat_at: string;
      }>(`SELECT * FROM engines WHERE heartbeat_at > ${DB_NOW_MS} - $1 ORDER BY id`, [
        this.leaseMs,
      ]),
      this.pool.query<{
        partition: number;
        owner: string | null;
        expires_at: string;
        live: boolean;
      }>(
        `SELECT partition, owner, expires_at, expires_at > ${DB_NOW_MS} AS live FROM partition_leases ORDER BY partition`,
      ),
      this.store.partitionBacklog(now, 100_000),
    ]);
    const lease = new Map(leases.rows.map((r) => [r.partition, r]));
    const count = new Map<string, number>();
    for (const r of leases.rows)
      if (r.owner && r.live) count.set(r.owner, (count.get(r.owner) ?? 0) + 1);
    return {
      mode: 'fleet',
      partitionCount: PARTITIONS,
      self: this.self,
      engines: engines.rows.map((e) => ({
        id: e.id,
        host: e.host,
        pid: e.pid,
        startedAt: Number(e.started_at),
        heartbeatAt: Number(e.heartbeat_at),
        partitions: count.get(e.id) ?? 0,
      })),
      partitions: partitionRows(backlog, now, (p) => {
        const l = lease.get(p);
        return l?.owner && l.live
          ? { owner: l.owner, leaseExpiresAt: Number(l.expires_at) }
          : { owner: null, leaseExpiresAt: null };
      }),
    };
  }
}
