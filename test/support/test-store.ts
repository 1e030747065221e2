// The store the scenario tests run on: SQLite by default; PostgreSQL (a fresh schema, dropped when
// the store closes) when WAYMARK_TEST_STORE=postgres, so that the same scenarios hold the engine
// to the same behaviour on both adapters (`npm test` runs them both ways); a SQLite file whose
// commits run on their own thread (the writer then prepares a group while the one before commits)
// when WAYMARK_TEST_STORE=sqlite-thread. Also what every PostgreSQL test shares: the server's
// address, fresh schema names and their removal.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const kindAsked = process.env['WAYMARK_TEST_STORE'];
export const testStoreKind = kindAsked === 'postgres' ? 'postgres' : 'sqlite';
/** SQLite with every commit on a thread, however small (WAYMARK_TEST_STORE=sqlite-thread): always a file. */
const commitThread = kindAsked === 'sqlite-thread' ? { minStatements: 0 } : false;

/** The PostgreSQL the tests use: 127.0.0.1:5432 (CI starts it) unless WAYMARK_TEST_POSTGRES_URL says otherwise. */
export const POSTGRES_TEST_URL =
  process.env['WAYMARK_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name no other test uses (tests run in parallel on one database). */
export const freshSchemaName = (prefix = 'waymark_test'): string =>
  `${prefix}_${randomBytes(6).toString('hex')}`;

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL store in a schema of its own; closing it drops the schema. Fails, not skips, when PostgreSQL is down. */
export async function openPostgresTestStore(prefix = 'waymark_test'): Promise<Store> {
  const schema = freshSchemaName(prefix);
  const store = await openPostgresStore({
    connectionString: POSTGRES_TEST_URL,
    schema,
    maxConnections: 4,
  }).catch((error: unknown) => {
    throw new Error(
      `the PostgreSQL tests need PostgreSQL at ${POSTGRES_TEST_URL} (CI starts one): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  });
  return cleanedUpOnClose(store, () => dropSchema(schema));
}

export async function openTestStore(sqlitePath = ':memory:'): Promise<Store> {
  if (testStoreKind === 'postgres') return openPostgresTestStore('waymark_scenario');
  if (!commitThread) return new SqliteStore(sqlitePath);
  if (sqlitePath !== ':memory:') return new SqliteStore(sqlitePath, { commitThread });
  const dir = mkdtempSync(join(tmpdir(), 'waymark-thread-'));
  return cleanedUpOnClose(new SqliteStore(join(dir, 'waymark.db'), { commitThread }), async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
}

/** The store, whose close also removes what the test made for it (a schema, a folder), even if closing fails. */
function cleanedUpOnClose<S extends Store>(store: S, cleanUp: () => Promise<void>): S {
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      try {
        await close();
      } finally {
        await cleanUp();
      }
    },
  });
}
