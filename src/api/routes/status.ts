// GET /v1/status: what this node runs on and what waits in the sandbox, for the console's System
// page and `waymark status`. The node part (store, leadership, NATS ingest) comes from whoever
// started the server; the backlog is read from the store, each count capped so it stays cheap.
import type { FastifyInstance } from 'fastify';
import type { NatsIngestStats } from '../../bus/nats-ingest.ts';
import type { Waymark } from '../../runtime/app.ts';
import { sandboxOf } from '../context.ts';

export type StoreStatus =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly server: string; readonly schema: string; readonly leader: boolean };

export interface NodeStatus {
  readonly store: StoreStatus;
  readonly ingest: { readonly nats: { readonly servers: readonly string[]; readonly stream: string; readonly subjectPrefix: string; readonly stats: NatsIngestStats } | null };
}

/** Counts above this read as "at least": the page stays a bounded read with a large backlog. */
export const BACKLOG_CAP = 100_000;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function statusRoutes(app: Waymark, opts: { version: string; startedAt: number; node?: () => NodeStatus }) {
  return async (f: FastifyInstance): Promise<void> => {
    f.get('/status', { schema: { tags: ['status'], summary: 'This node (version, store, leadership, NATS ingest) and what waits in the sandbox (due timers and outbox items, retries, dead letters)' } }, async (req) => {
      const now = app.clock.now();
      const b = await app.reads.backlog(sandboxOf(req), now, BACKLOG_CAP);
      const node = opts.node?.() ?? null;
      return {
        version: opts.version,
        startedAt: iso(opts.startedAt),
        uptimeSeconds: Math.max(0, Math.round((Date.now() - opts.startedAt) / 1000)),
        sandbox: sandboxOf(req),
        store: node?.store ?? null,
        ingest: node?.ingest ?? { nats: null },
        backlog: { ...b, nextTimerAt: iso(b.nextTimerAt), cap: BACKLOG_CAP },
      };
    });
  };
}
