// What the repositories of one PostgreSQL store share: the pool, the queue of writes (a store
// applies its writes one at a time, as SQLite's single writer does; reads use the other
// connections), and in fleet mode the partitions this engine holds and its sends in flight.
import type pg from 'pg';
import type { PartitionOwnership } from '../ports.ts';

/** The database's clock in epoch milliseconds (leases and heartbeats are in it). */
export const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

export class PostgresContext {
  /** The tail of the queue of writes: each transaction starts when the previous one has ended. */
  private writes: Promise<unknown> = Promise.resolve();
  /** Fleet mode: the partitions this engine holds (timers and outbox claimed from these only; commits fenced). */
  ownership: PartitionOwnership | null = null;
  /** Fleet mode: outbox items this engine marked as attempted and has not recorded an outcome for (id → partition). */
  readonly attempting = new Map<string, number>();

  constructor(readonly pool: pg.Pool) {}

  async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** Runs `fn` after the store's earlier writes (the store's writes are applied one at a time). */
  write<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.writes.then(fn, fn);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Resolves once the writes queued so far have ended. */
  async drained(): Promise<void> {
    await this.writes;
  }

  /** Runs `fn` in a transaction, after the store's earlier writes; rolls back on any error. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.write(() => this.inTransaction(fn));
  }

  /** Runs `fn` in a transaction now (the caller is already in the write queue). */
  async inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The owned partitions and their epochs as query parameters (fleet mode). */
  owned(): {
    parts: number[];
    epochs: number[];
    owner: string;
    deadAfterMs: number;
  } | null {
    const o = this.ownership;
    if (!o) return null;
    // Renewal overdue (local fencing by time): claim nothing until the leases are renewed.
    const parts =
      o.inTime && !o.inTime()
        ? []
        : [...o.epochs.keys()].filter((p) => !o.draining?.has(p)).sort((a, b) => a - b);
    return {
      parts,
      epochs: parts.map((p) => o.epochs.get(p)!),
      owner: o.owner,
      deadAfterMs: o.deadAfterMs ?? 15_000,
    };
  }
}
