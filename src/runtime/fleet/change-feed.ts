// Object and journey changes reach every engine of a fleet: the PostgreSQL store's triggers notify
// "waymark_changes" with "<schema>:<sandbox>" (src/store/postgres/schema.ts) and each engine,
// listening on a connection of its own, drops that sandbox's cached catalog. A lost connection is
// made again; on the way back every catalog this engine knows of is dropped (changes may have
// been missed meanwhile).
import pg from 'pg';
import type { CatalogCache } from '../catalog.ts';

export interface ChangeFeed {
  stop(): Promise<void>;
}

export async function listenForChanges(opts: {
  readonly connectionString: string;
  readonly schema: string;
  readonly catalogs: CatalogCache;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ) => void;
}): Promise<ChangeFeed> {
  const prefix = `${opts.schema}:`;
  const seen = new Set<string>();
  let client: pg.Client | null = null;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({
      connectionString: opts.connectionString,
      application_name: `waymark-changes:${opts.schema}`,
    });
    c.on('notification', (n) => {
      if (!n.payload?.startsWith(prefix)) return;
      const sandbox = n.payload.slice(prefix.length);
      seen.add(sandbox);
      opts.catalogs.invalidate(sandbox);
    });
    c.on('error', (e) => {
      opts.log?.('warn', 'the change feed connection failed; connecting again', {
        message: e.message,
      });
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      setTimeout(() => {
        if (!stopped) void reconnect();
      }, 1000).unref?.();
    });
    await c.connect();
    await c.query('LISTEN waymark_changes');
    client = c;
  };
  const reconnect = async (): Promise<void> => {
    try {
      await connect();
      for (const sandbox of seen) opts.catalogs.invalidate(sandbox);
    } catch (e) {
      opts.log?.('warn', 'the change feed cannot connect; trying again', {
        message: e instanceof Error ? e.message : String(e),
      });
      setTimeout(() => {
        if (!stopped) void reconnect();
      }, 1000).unref?.();
    }
  };
  await connect();
  return {
    async stop() {
      stopped = true;
      await client?.end().catch(() => undefined);
    },
  };
}
