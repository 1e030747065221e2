// `waymark serve`'s store: the one a --store value names (the SQLite file in the data folder, or a
// PostgreSQL schema, led by one engine with --single-leader), and how the status and the start line
// describe it.
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { StoreStatus } from '../../api/routes/status.ts';
import { FsBlobStore, type BlobStore } from '../../runtime/blobs.ts';
import type { MigrationOutcome } from '../../store/migrations/plan.ts';
import { acquireLeadership, type Leadership } from '../../store/postgres/leadership.ts';
import { openPostgresStore } from '../../store/postgres/postgres-store.ts';
import type { Store } from '../../store/ports.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/**
 * On PostgreSQL, one process per schema runs the engine: wait until this one leads (a standby
 * takes over when the leader goes), and exit if the lead is lost, to come back as a standby.
 */
export async function leadStore(url: string, schema: string): Promise<Leadership | null> {
  if (!isPostgresUrl(url)) return null;
  return acquireLeadership({
    connectionString: url,
    schema,
    onWaiting: (holder) =>
      process.stdout.write(
        `standby: another Waymark leads schema ${schema} (${holder}); waiting to take over\n`,
      ),
    onLost: (reason) => {
      process.stderr.write(
        `lost the lead of schema ${schema}: ${reason}; stopping so that a standby takes over\n`,
      );
      process.exit(1);
    },
  });
}

/** The store a `--store` value names: the SQLite file in the data folder, or a PostgreSQL database. */
export async function openStore(
  url: string,
  schema: string,
  dataDir: string,
  sqlite: { commitThread: boolean },
): Promise<{ store: Store; blobs: BlobStore; migration: MigrationOutcome | null }> {
  if (url === 'sqlite') {
    const store = new SqliteStore(join(dataDir, 'waymark.db'), sqlite);
    return { store, blobs: new FsBlobStore(join(dataDir, 'blobs')), migration: store.migration };
  }
  if (isPostgresUrl(url)) {
    const store = await openPostgresStore({ connectionString: url, schema });
    return { store, blobs: store.blobStore(), migration: store.migration };
  }
  throw new InvalidArgumentError(`--store must be sqlite or a postgres:// URL, not "${url}"`);
}

/** The store as GET /v1/status shows it: a serving node on PostgreSQL leads its schema (standbys do not serve). */
export function storeStatus(url: string, schema: string, dataDir: string): StoreStatus {
  if (!isPostgresUrl(url)) return { kind: 'sqlite', file: join(dataDir, 'waymark.db') };
  const u = new URL(url);
  return { kind: 'postgres', server: `${u.host}${u.pathname}`, schema, leader: true };
}

export function migrationStatus(m: MigrationOutcome | null): {
  schemaVersion?: number;
  migratedFrom?: number;
} {
  if (m === null) return {};
  return {
    schemaVersion: m.plan.target.schema,
    ...(m.applied.length > 0 && m.plan.exists ? { migratedFrom: m.plan.current.schema } : {}),
  };
}

export function describeStore(url: string, schema: string): string {
  if (url === 'sqlite') return 'SQLite (waymark.db in the data folder)';
  const u = new URL(url);
  return `PostgreSQL ${u.host}${u.pathname} (schema ${schema})`;
}
