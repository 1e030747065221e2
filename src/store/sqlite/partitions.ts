// Partitions on the embedded store: one engine owns them all here; the columns keep both stores' rows alike.
import type Database from 'better-sqlite3';
import type { PartitionRepository } from '../ports.ts';
import { readTransaction, type ReadTransaction } from './read-transaction.ts';

export class SqlitePartitions implements PartitionRepository {
  private readonly partitionOf: Database.Statement;
  private readonly read: ReadTransaction;

  constructor(db: Database.Database) {
    this.partitionOf = db
      .prepare(
        'SELECT p.partition FROM identities i JOIN profiles p ON p.sandbox = i.sandbox AND p.id = i.profile_id WHERE i.sandbox = ? AND i.namespace = ? AND i.value = ?',
      )
      .pluck();
    this.read = readTransaction(db);
  }

  // Partitions (one engine owns them all here; the columns keep both stores' rows alike)
  async identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    this.read(() => {
      for (const i of identities) {
        const part = this.partitionOf.get(sandbox, i.namespace, i.value) as number | undefined;
        if (part !== undefined) out.set(`${i.namespace}\u0000${i.value}`, part);
      }
    });
    return out;
  }
}
