// One engine per schema: Waymark processes on the same PostgreSQL schema elect one leader with a
// session advisory lock, held by a connection of its own. The others wait as standbys and take
// over when the leader's session ends (a crash, a kill, a lost network), since PostgreSQL then
// releases the lock. A leader that loses its lock connection must stop writing at once: `onLost`
// is called, and `waymark serve` exits so that a supervisor restarts it as a standby.
import pg from 'pg';
import { checkSchemaName } from './connection.ts';

export interface LeadershipOptions {
  readonly connectionString: string;
  readonly schema?: string;
  /** How often a standby tries the lock, and the leader checks its connection (1,000 ms by default). */
  readonly intervalMs?: number;
  /** Called once while waiting, with who holds the lock (process id and application name). */
  readonly onWaiting?: (holder: string) => void;
  /** Called when a held lock is lost. */
  readonly onLost: (reason: string) => void;
}

export interface Leadership {
  /** Releases the lock (a standby then takes over) and closes the connection. */
  release(): Promise<void>;
}

/** The lock key of a schema: two processes on the same schema compete, on different schemas not (migrations lock `waymark:<schema>`). */
const lockKey = (schema: string): string => `waymark-leader:${schema}`;

/** Resolves once this process leads `schema`; waits (trying every `intervalMs`) while another does. */
export async function acquireLeadership(opts: LeadershipOptions): Promise<Leadership> {
  const schema = checkSchemaName(opts.schema ?? 'public');
  const interval = opts.intervalMs ?? 1000;
  const client = new pg.Client({
    connectionString: opts.connectionString,
    application_name: `waymark-leader:${schema}`.slice(0, 63),
  });
  let held = false;
  let released = false;
  let lost = false;
  const lose = (reason: string): void => {
    if (!held || released || lost) return;
    lost = true;
    opts.onLost(reason);
  };
  client.on('error', (error) =>
    lose(`the leader's PostgreSQL connection failed: ${error.message}`),
  );
  client.on('end', () => lose("the leader's PostgreSQL connection closed"));
  await client.connect();
  let told = false;
  for (;;) {
    const r = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
      [lockKey(schema)],
    );
    if (r.rows[0]?.ok) break;
    if (!told && opts.onWaiting) {
      told = true;
      const who = await client.query<{
        pid: number;
        application_name: string;
        client_addr: string | null;
      }>(
        `SELECT a.pid, a.application_name, a.client_addr::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtext($1)::bigint & 4294967295)::oid LIMIT 1`,
        [lockKey(schema)],
      );
      const h = who.rows[0];
      opts.onWaiting(
        h
          ? `PostgreSQL backend ${h.pid} (${h.application_name}${h.client_addr ? ` from ${h.client_addr}` : ''})`
          : 'another process',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  held = true;
  // A connection that dies quietly (no FIN) is found by using it.
  const check = setInterval(() => {
    client
      .query('SELECT 1')
      .catch((error: Error) => lose(`the leader's PostgreSQL connection failed: ${error.message}`));
  }, interval);
  check.unref();
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(check);
      await client
        .query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)])
        .catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
