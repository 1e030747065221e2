// GET /v1/status (this node and what waits in the sandbox) and GET /v1/status/fleet (engines,
// partitions by owner, timers lag, outbox depth). The schemas the console's types are inferred from,
// and the route's FleetView; test/api/answer-schemas-runtime.test.ts holds the server to them, and
// test/ui/demo-tools.test.ts the fleet it shows the page.
import { z } from 'zod';

const n = z.number();
const count = z.number().int();

/** The store's schema version (migrations applied) and, when this start migrated it, the version it came from. */
const migrationFields = {
  schemaVersion: count.optional(),
  migratedFrom: count.optional(),
};

export const storeStatusSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), file: z.string(), ...migrationFields }).strict(),
  z
    .object({
      kind: z.literal('postgres'),
      server: z.string(),
      schema: z.string(),
      /** This node holds the writer's lease. */
      leader: z.boolean(),
      ...migrationFields,
    })
    .strict(),
]);

/** What the NATS ingest received and did, since the node started. */
export const natsIngestStatsSchema = z
  .object({
    received: count,
    acked: count,
    retried: count,
    terminated: count,
    accepted: count,
    routed: count,
    duplicates: count,
    conflicts: count,
    rejected: count,
    batches: count,
  })
  .strict();

/** GET /v1/status. */
export const statusAnswer = z
  .object({
    version: z.string(),
    startedAt: z.string(),
    uptimeSeconds: count,
    sandbox: z.string(),
    /** Null when the server does not say (embedded in tests). */
    store: storeStatusSchema.nullable(),
    ingest: z
      .object({
        nats: z
          .object({
            servers: z.array(z.string()),
            stream: z.string(),
            subjectPrefix: z.string(),
            stats: natsIngestStatsSchema,
          })
          .strict()
          .nullable(),
      })
      .strict(),
    /** Counts stop at `cap` (read "cap or more"). */
    backlog: z
      .object({
        timersDue: count,
        nextTimerAt: z.string().nullable(),
        outboxDue: count,
        outboxRetrying: count,
        deadLetters: count,
        cap: count,
      })
      .strict(),
  })
  .strict();

/** GET /v1/status/fleet: times as ISO text, and totals over the partitions. */
export const fleetViewSchema = z
  .object({
    mode: z.enum(['single', 'fleet']),
    partitionCount: count,
    /** The engine that answered. */
    self: z.string(),
    /** A partition whose oldest due timer waited this long is lagging. */
    laggingAfterMs: n,
    engines: z.array(
      z
        .object({
          id: z.string(),
          host: z.string(),
          pid: count,
          startedAt: z.string(),
          heartbeatAt: z.string(),
          /** How many partitions it owns. */
          partitions: count,
        })
        .strict(),
    ),
    partitions: z.array(
      z
        .object({
          partition: count,
          /** Null while the partition is in handoff (no engine holds its lease). */
          owner: z.string().nullable(),
          leaseExpiresAt: z.string().nullable(),
          timersDue: count,
          timersLagMs: n,
          outboxPending: count,
        })
        .strict(),
    ),
    totals: z
      .object({
        timersDue: count,
        timersLagMs: n,
        outboxPending: count,
        unowned: count,
        lagging: count,
      })
      .strict(),
  })
  .strict();
