// Partition leases on PostgreSQL: which engine of a fleet owns which partition. Each engine
// heartbeats (a row in `engines`) and renews its leases every second or so; a lease lasts a few
// seconds. An engine takes unowned or expired partitions up to its fair share (256 / live engines,
// the remainder to the first engines by id) and gives back what exceeds it when others join, after
// finishing its in-flight work for them. A dead engine stops renewing: its leases expire and the others take them (within
// lease + heartbeat, about 6 s with the defaults). Every take adds one to the partition's epoch;
// every commit checks the epochs it holds (the store's fencing), so a stale engine writes nothing.
// Times are the database's clock, so engines on machines whose clocks differ agree.
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PARTITIONS } from '../../shared/partition.ts';
import type { PartitionScopedStore } from '../../store/ports.ts';

/** The database's clock in epoch milliseconds. */
export const DB_NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

export interface LeaseOptions {
  readonly pool: pg.Pool;
  /** The store to scope to the partitions held (claims and fencing). */
  readonly store: PartitionScopedStore;
  readonly id?: string;
  readonly heartbeatMs?: number;
  readonly leaseMs?: number;
  /**
   * How long after the start of its last successful renewal this engine goes on claiming and
   * sending (default 60% of the lease): past it, it stops, well before its leases can expire at the
   * database (the renewal was sent before the database set `now + lease`, so the lease lasts at
   * least this long plus the margin). Resumes at the next successful renewal.
   */
  readonly renewDeadlineMs?: number;
  /** Finishes the in-flight work of partitions about to be given back (their claims have stopped). */
  readonly drain?: (partitions: readonly number[]) => Promise<void>;
  /** Told after each change of the partitions held (routing re-subscribes). */
  readonly onChange?: (held: ReadonlySet<number>) => void;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    fields?: Record<string, unknown>,
  ) => void;
}

export class PartitionLeases {
  readonly id: string;
  readonly startedAt = Date.now();
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  /** performance.now() when the last successful renewal (or first take) was sent: every lease held lasts at least until this + leaseMs. */
  private validFrom = -Infinity;
  private overdueLogged = false;
  /** Partition → epoch of the lease held. */
  private readonly epochs = new Map<number, number>();
  private readonly draining = new Set<number>();
  /** Every partition's owner at the last heartbeat (routing hints: ownerOf). */
  private owners = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;
  /** Whether the last heartbeat ended holding a fair share (startup waits for it: settled()). */
  private atShare = false;
  /** How many partitions were taken and given back since start (status, tests). */
  readonly moves = { taken: 0, released: 0, lost: 0 };

  constructor(private readonly opts: LeaseOptions) {
    this.id = opts.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 5000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? Math.floor(this.leaseMs * 0.6);
    if (!(this.renewDeadlineMs > this.heartbeatMs && this.renewDeadlineMs < this.leaseMs)) {
      throw new Error(
        `partition leases: the renew deadline (${this.renewDeadlineMs} ms) must lie between the heartbeat (${this.heartbeatMs} ms) and the lease (${this.leaseMs} ms)`,
      );
    }
  }

  /**
   * Local fencing by time: whether the last successful renewal is recent enough for every lease held
   * to be still valid at the database, with a margin. False when this engine's heartbeat fell behind
   * (CPU starved, database slow): it then claims no timer or outbox item, marks nothing for sending
   * and ingests no routed event, until a renewal succeeds again (or shows the leases lost).
   */
  inTime(): boolean {
    const ok = performance.now() - this.validFrom < this.renewDeadlineMs;
    if (!ok && this.epochs.size > 0 && !this.overdueLogged) {
      this.overdueLogged = true;
      this.opts.log?.(
        'warn',
        'partition lease renewal is overdue: this engine stops claiming and sending until it renews',
        { engine: this.id, sinceRenewalMs: Math.round(performance.now() - this.validFrom) },
      );
    }
    return ok;
  }

  /** The partitions held now (draining ones included). */
  get held(): ReadonlySet<number> {
    return new Set(this.epochs.keys());
  }

  /** Each partition held with its epoch; draining ones marked (status pages, tests). */
  epochsHeld(): Map<number, string> {
    return new Map(
      [...this.epochs].map(([p, e]) => [p, this.draining.has(p) ? `${e} draining` : String(e)]),
    );
  }

  /**
   * The engine that held this partition at the last heartbeat, as the lease table said (undefined:
   * nobody, or not read yet). A hint for routing only: an event sent by it to a stale owner is
   * passed on by that one.
   */
  ownerOf(partition: number): string | undefined {
    return this.owners.get(partition);
  }

  /** Held and not being given back: where this engine takes new work. */
  owns(partition: number): boolean {
    return this.epochs.has(partition) && !this.draining.has(partition) && this.inTime();
  }

  /** Registers the engine and takes a first share, then heartbeats in the background. */
  async start(): Promise<void> {
    // Scoped from the start, even to nothing: a store with no ownership claims every partition's
    // timers and outbox items (one engine on the store), which a joining engine that takes nothing
    // at its first heartbeat must not do.
    this.publish();
    await this.tick();
    this.timer = setInterval(() => {
      void this.tick();
    }, this.heartbeatMs);
    this.timer.unref?.();
  }

  /** One heartbeat: renew, count live engines, give back extras, take a fair share. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.ticking) {
      this.ticking = this.beat()
        .catch((e: unknown) => {
          this.opts.log?.('warn', 'partition lease heartbeat failed', {
            engine: this.id,
            message: e instanceof Error ? e.message : String(e),
          });
        })
        .finally(() => {
          this.ticking = null;
        });
    }
    return this.ticking;
  }

  private async beat(): Promise<void> {
    const { pool } = this.opts;
    await pool.query(
      `INSERT INTO engines (id, host, pid, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, ${DB_NOW_MS})
      ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      [this.id, hostname(), process.pid, this.startedAt],
    );
    let changed = false;
    // Renew what is held; a lease someone else took meanwhile (it had expired) is lost.
    if (this.epochs.size > 0) {
      const held = [...this.epochs.keys()];
      const sentAt = performance.now();
      const { rows } = await pool.query<{ partition: number; epoch: string }>(
        // The rows locked in partition order, as commits lock them (FOR SHARE, checkLeases): an
        // UPDATE alone locks in the table's order, and a commit of this engine's waiting between
        // two of them is a deadlock that PostgreSQL breaks by aborting one of the two.
        `UPDATE partition_leases l SET expires_at = ${DB_NOW_MS} + $3
        FROM (SELECT partition FROM partition_leases WHERE partition = ANY($1::smallint[]) AND owner = $2
          ORDER BY partition FOR UPDATE) AS s
        WHERE l.partition = s.partition RETURNING l.partition, l.epoch`,
        [held, this.id, this.leaseMs],
      );
      const kept = new Map(rows.map((r) => [r.partition, Number(r.epoch)]));
      // What is kept (same epoch) lasts at least until sentAt + lease; what is lost is dropped below.
      this.validFrom = sentAt;
      this.overdueLogged = false;
      const lost: number[] = [];
      for (const p of held) {
        if (kept.get(p) === this.epochs.get(p)) continue;
        lost.push(p);
        this.epochs.delete(p);
        this.draining.delete(p);
        this.moves.lost++;
        // Still ours with a new epoch: another engine stitched a profile of it into one of its own.
        const fenced = kept.has(p);
        this.opts.log?.(
          fenced ? 'info' : 'warn',
          fenced
            ? 'a partition was fenced by a stitch on another engine; taken again from what is stored'
            : 'a partition lease was lost (it expired and another engine took it)',
          { engine: this.id, partition: p },
        );
      }
      if (lost.length > 0) {
        changed = true;
        this.publish();
        // Work begun on what was read before is refused at its commit; once it has drained, the
        // fenced partitions are given back (and taken again, by this engine or another, with a new
        // epoch). In the background: the heartbeat goes on renewing the rest meanwhile.
        const fenced = lost.filter((p) => kept.has(p));
        if (fenced.length > 0) {
          void (async () => {
            await this.opts.drain?.(fenced).catch(() => undefined);
            await pool
              .query(
                `UPDATE partition_leases l SET owner = NULL, expires_at = 0
                FROM (SELECT partition FROM partition_leases WHERE partition = ANY($1::smallint[]) AND owner = $2
                  ORDER BY partition FOR UPDATE) AS s
                WHERE l.partition = s.partition`,
                [fenced, this.id],
              )
              .catch(() => undefined);
          })();
        }
      }
    }
    // Live engines: heartbeat within a lease. Engines silent for a minute are forgotten.
    const { rows: live } = await pool.query<{ id: string }>(
      `SELECT id FROM engines WHERE heartbeat_at > ${DB_NOW_MS} - $1 ORDER BY id`,
      [this.leaseMs],
    );
    await pool.query(`DELETE FROM engines WHERE heartbeat_at < ${DB_NOW_MS} - 60000`);
    const { rows: owned } = await pool.query<{ partition: number; owner: string }>(
      `SELECT partition, owner FROM partition_leases WHERE owner IS NOT NULL AND expires_at > ${DB_NOW_MS}`,
    );
    this.owners = new Map(owned.map((r) => [r.partition, r.owner]));
    const fair = fairShare(
      this.id,
      live.map((r) => r.id),
    );
    const active = [...this.epochs.keys()].filter((p) => !this.draining.has(p));
    if (active.length > fair) {
      // Give back the extras (the highest numbered), after their in-flight work: in the background,
      // so that the heartbeat goes on renewing every lease held (the draining ones too) meanwhile.
      const extra = active.sort((a, b) => b - a).slice(0, active.length - fair);
      void this.release(extra).catch((e: unknown) => {
        this.opts.log?.('warn', 'giving partitions back failed', {
          engine: this.id,
          message: e instanceof Error ? e.message : String(e),
        });
      });
    } else if (active.length < fair) {
      // Take unowned or expired partitions, starting at a place of this engine's own so that engines starting together spread.
      const start = hashOf(this.id) % PARTITIONS;
      const sentAt = performance.now();
      const { rows } = await pool.query<{ partition: number; epoch: string }>(
        `UPDATE partition_leases l SET owner = $1, epoch = l.epoch + 1, expires_at = ${DB_NOW_MS} + $2
        WHERE l.partition IN (SELECT partition FROM partition_leases WHERE owner IS NULL OR expires_at < ${DB_NOW_MS}
          ORDER BY (partition + $4) % ${PARTITIONS} LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING l.partition, l.epoch`,
        [this.id, this.leaseMs, fair - active.length, PARTITIONS - start],
      );
      // Nothing held before this beat: the taken leases' validity starts now (else the renewal's, earlier, is the bound).
      if (this.epochs.size === 0 && rows.length > 0) {
        this.validFrom = sentAt;
        this.overdueLogged = false;
      }
      for (const r of rows) this.epochs.set(r.partition, Number(r.epoch));
      this.moves.taken += rows.length;
      if (rows.length > 0) changed = true;
    }
    this.atShare = [...this.epochs.keys()].filter((p) => !this.draining.has(p)).length >= fair;
    if (changed) this.publish();
  }

  /**
   * Waits until a heartbeat ends with this engine holding its fair share (a dead engine's leases
   * expire first; a live one gives extras back after draining), at most `timeoutMs`. Startup work
   * that writes (the demo package) waits for it: a commit into a partition nobody holds yet is
   * refused. False when the share was not reached in time (the engine works with what it holds).
   */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.atShare && !this.stopped && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(this.heartbeatMs, 250)));
      await this.tick();
    }
    return this.atShare;
  }

  /** Stops claiming these partitions, lets their in-flight work finish, then gives their leases back. */
  private async release(partitions: number[]): Promise<void> {
    partitions = partitions.filter((p) => this.epochs.has(p));
    for (const p of partitions) this.draining.add(p);
    this.publish();
    try {
      await this.opts.drain?.(partitions);
    } catch (e) {
      this.opts.log?.('warn', 'draining partitions before handing them over failed', {
        engine: this.id,
        message: e instanceof Error ? e.message : String(e),
      });
    }
    partitions = partitions.filter((p) => this.epochs.has(p));
    const epochs = partitions.map((p) => this.epochs.get(p)!);
    await this.opts.pool.query(
      `UPDATE partition_leases l SET owner = NULL, expires_at = 0
      FROM (SELECT l2.partition FROM partition_leases l2 JOIN unnest($1::smallint[], $2::bigint[]) AS u(p, e)
          ON l2.partition = u.p AND l2.epoch = u.e WHERE l2.owner = $3 ORDER BY l2.partition FOR UPDATE OF l2) AS s
      WHERE l.partition = s.partition`,
      [partitions, epochs, this.id],
    );
    for (const p of partitions) {
      this.epochs.delete(p);
      this.draining.delete(p);
    }
    this.moves.released += partitions.length;
  }

  private publish(): void {
    this.opts.store.setOwnership({
      owner: this.id,
      epochs: new Map(this.epochs),
      draining: new Set(this.draining),
      inTime: () => this.inTime(),
      deadAfterMs: this.deadAfterMs,
    });
    this.opts.onChange?.(new Set([...this.epochs.keys()].filter((p) => !this.draining.has(p))));
  }

  /**
   * How long an engine's heartbeat may be silent before the outbox items it marked and has not
   * recorded are taken as cut by its death and sent again by the partition's new owner (three leases).
   */
  get deadAfterMs(): number {
    return this.leaseMs * 3;
  }

  /** Stops heartbeating without giving anything back: what a crash looks like to the others (tests, benches). */
  abandon(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
  }

  /** Gives every lease back (a clean shutdown: the others take them at their next heartbeat) and leaves the fleet. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    this.stopped = true;
    const held = [...this.epochs.keys()];
    if (held.length > 0) await this.release(held).catch(() => undefined);
    await this.opts.pool
      .query('DELETE FROM engines WHERE id = $1', [this.id])
      .catch(() => undefined);
    this.opts.store.setOwnership({ owner: this.id, epochs: new Map(), draining: new Set() });
    this.opts.onChange?.(new Set());
  }
}

function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * An engine's share of the partitions among the live engines (by id): an even split with the
 * remainder going to the first ones, so that the shares add up to every partition. With each
 * share rounded up instead, three engines would hold 86 + 86 and leave the third 84 of its 86:
 * it would never be at its share, and its start would wait out the settling time.
 */
export function fairShare(id: string, live: readonly string[]): number {
  const engines = Math.max(1, live.length);
  const rank = live.indexOf(id);
  return Math.floor(PARTITIONS / engines) + (rank >= 0 && rank < PARTITIONS % engines ? 1 : 0);
}
