// The store the scenario tests run on: SQLite by default; PostgreSQL (a fresh schema, dropped when
// the store closes) when WAYMARK_TEST_STORE=postgres, so that the same scenarios hold the engine
// to the same behaviour on both adapters (`npm test` runs them both ways).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/ports.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export const testStoreKind = process.env['WAYMARK_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';
const url = process.env['WAYMARK_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function openTestStore(sqlitePath = ':memory:'): Promise<Store> {
  if (testStoreKind === 'sqlite') return new SqliteStore(sqlitePath);
  const schema = `waymark_scenario_${randomBytes(6).toString('hex')}`;
  const store = await openPostgresStore({ connectionString: url, schema, maxConnections: 4 });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      try { await close(); } finally {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try { await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`); } finally { await client.end(); }
      }
    },
  });
}
