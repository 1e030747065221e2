// Connecting to PostgreSQL: a pool whose every connection works in the store's schema
// (search_path), bigint read as JavaScript numbers, and the migrations run once per schema.
import pg from 'pg';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { migratePostgres } from '../migrations/postgres-migrator.ts';
import type { MigrationOutcome } from '../migrations/plan.ts';

const INT8_OID = 20;

/** Epoch milliseconds, counts and ids are bigint; all of them fit a double (a larger one is an error, not a rounding). */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new WaymarkError(
      ErrorCode.Internal,
      `PostgreSQL returned ${text}, beyond JavaScript's safe integers`,
    );
  return n;
}

/** Per-pool type parsers (the global pg.types stay untouched for other users of the package). */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  /** postgres://user@host:port/database */
  readonly connectionString: string;
  /** The PostgreSQL schema holding Waymark's tables (created if missing); "public" by default. Lower case letters, digits and "_". */
  readonly schema?: string;
  /** Connections in the pool (10 by default). */
  readonly maxConnections?: number;
}

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new WaymarkError(
      ErrorCode.BadRequest,
      `"${schema}" is not a usable schema name: lower case letters, digits and "_", starting with a letter or "_"`,
      { details: { schema } },
    );
  }
  return schema;
}

/** Opens the pool, creates the schema and applies the migrations it lacks; fails with a clear message when PostgreSQL cannot be reached. */
export async function connect(opts: PostgresOptions): Promise<pg.Pool> {
  return (await connectAndMigrate(opts)).pool;
}

/** connect(), with what the migration did. */
export async function connectAndMigrate(
  opts: PostgresOptions,
): Promise<{ pool: pg.Pool; migration: MigrationOutcome }> {
  const schema = checkSchemaName(opts.schema ?? 'public');
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    types: pgTypes,
    options: `-c search_path=${schema}`,
    application_name: 'waymark',
  });
  // An idle connection that breaks (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (error) =>
    process.emitWarning(
      `an idle PostgreSQL connection failed: ${error.message}`,
      'WaymarkStoreWarning',
    ),
  );
  let migration: MigrationOutcome;
  try {
    const client = await pool.connect();
    try {
      migration = await migratePostgres(client, schema);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (error instanceof WaymarkError) throw error;
    const reason =
      error instanceof Error
        ? error.message || (error as NodeJS.ErrnoException).code || error.name
        : String(error);
    throw new WaymarkError(
      ErrorCode.Internal,
      `PostgreSQL at ${redact(opts.connectionString)} is not usable: ${reason}`,
      { retryable: true, cause: error, details: { schema } },
    );
  }
  return { pool, migration };
}

/** The connection string without its password, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(connection string)';
  }
}
