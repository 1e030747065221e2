// SQL functions the schema's migrations and statements call (a profile's partition: the same
// function as src/shared/partition.ts), registered on every connection that opens the database.
import type Database from 'better-sqlite3';
import { partitionOfKey } from '../../shared/partition.ts';

export function registerSqliteFunctions(db: Database.Database): void {
  db.function('waymark_partition', { deterministic: true }, (key: unknown) =>
    partitionOfKey(String(key)),
  );
}
