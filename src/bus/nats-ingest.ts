// Events from a NATS JetStream stream into the engine: a durable pull consumer, fetched in batches,
// each batch grouped by sandbox and ingested once per sandbox (group commit), acked only after the
// engine committed it. Delivery is at least once; the engine's deduplication by event id makes the
// effects exactly once. An adapter: the pure core knows nothing of NATS.
import { connect, type Consumer, type JsMsg, type NatsConnection } from 'nats';
import { ErrorCode, WaymarkError } from '../errors.ts';
import type { Waymark } from '../runtime/app.ts';
import type { IngestResult } from '../runtime/engine.ts';
import { observedIngest } from '../runtime/observability/instrument.ts';
import type { RoutedResult } from '../runtime/fleet/router.ts';
import type { Logger } from '../shared/logger.ts';
import { decodeMessage } from './decode.ts';
import { natsConnectOptions, redactServer, type NatsAuth } from './nats-auth.ts';
import { ensureConsumer, ensureStream } from './nats-setup.ts';

/** The NATS ingestion logs through the one Logger seam (src/shared/logger.ts). */
export type IngestLog = Logger;

export interface NatsIngestOptions {
  readonly app: Waymark;
  /** NATS server URL(s), e.g. nats://127.0.0.1:4222. */
  readonly servers: string | readonly string[];
  /** Credentials and TLS (src/bus/nats-auth.ts); none: an open server on plain TCP. */
  readonly auth?: NatsAuth;
  readonly stream?: string;
  readonly subjectPrefix?: string;
  readonly durable?: string;
  /** At most this many messages per fetch (and per commit). */
  readonly batch?: number;
  /** How long JetStream waits before it delivers again a message whose ingest failed. */
  readonly retryDelayMs?: number;
  /** How long the first connection may take before the start fails (default: the NATS client's, 20 s). */
  readonly connectTimeoutMs?: number;
  readonly log?: IngestLog;
}

/** What takes a sandbox's events: the app's router in fleet mode (events of other engines' partitions routed to them), else the engine. */
const ingestOf = (app: Waymark) => (sandbox: string, events: readonly unknown[]) =>
  app.router ? app.router.ingest(sandbox, events) : app.engine.ingest(sandbox, events);

export interface NatsIngestStats {
  /** Messages received, counting redeliveries. */
  readonly received: number;
  /** Messages acked after their events were committed. */
  readonly acked: number;
  /** Messages handed back (nak) because the ingest failed: JetStream delivers them again. */
  readonly retried: number;
  /** Messages refused for good (term): they name no sandbox. */
  readonly terminated: number;
  /** Events by outcome, as the engine answered. */
  readonly accepted: number;
  /** Events passed on to the engine owning their partition (fleet mode). */
  readonly routed: number;
  readonly duplicates: number;
  /** Events whose id a different event had taken (reported in the log, acked). */
  readonly conflicts: number;
  readonly rejected: number;
  readonly batches: number;
}

export interface NatsIngest {
  /** Finishes the batch in hand (commits and acks it), then closes the connection. */
  stop(): Promise<void>;
  stats(): NatsIngestStats;
}

/** How long one fetch stays open for more messages (also about the longest wait for stop() when idle). */
const FETCH_EXPIRES_MS = 2000;
/** After a failed fetch (connection lost, stream gone), the pause before the next one. */
const FETCH_RETRY_MS = 1000;

export async function startNatsIngest(opts: NatsIngestOptions): Promise<NatsIngest> {
  const {
    app,
    stream = 'WAYMARK_EVENTS',
    subjectPrefix = 'waymark.events',
    durable = 'waymark',
    batch = 500,
    retryDelayMs = 5000,
  } = opts;
  const log: IngestLog = opts.log ?? (() => {});
  const servers = typeof opts.servers === 'string' ? [opts.servers] : [...opts.servers];
  const shown = servers.map(redactServer);
  const secured = natsConnectOptions(opts.auth);
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: 'waymark-ingest',
      maxReconnectAttempts: -1,
      ...(opts.connectTimeoutMs !== undefined ? { timeout: opts.connectTimeoutMs } : {}),
      ...secured,
    });
  } catch (e) {
    throw new WaymarkError(
      ErrorCode.ProviderError,
      `cannot connect to NATS at ${shown.join(', ')}: ${(e as Error).message}`,
      { retryable: true, details: { servers: shown }, cause: e },
    );
  }
  const stats = {
    received: 0,
    acked: 0,
    retried: 0,
    terminated: 0,
    accepted: 0,
    routed: 0,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    batches: 0,
  };
  let idBase: (seq: number) => string;
  let consumer: Consumer;
  try {
    const jsm = await nc.jetstreamManager();
    const info = await ensureStream(jsm, stream, subjectPrefix);
    await ensureConsumer(jsm, info, durable, subjectPrefix);
    // The stream's creation time keeps ids apart if the stream is deleted and made again (sequences restart).
    const created = Date.parse(info.created);
    idBase = (seq) => `nats-${stream}-${created}-${seq}`;
    consumer = await nc.jetstream().consumers.get(stream, durable);
  } catch (e) {
    await nc.close();
    throw new WaymarkError(
      ErrorCode.ProviderError,
      `cannot set up JetStream stream ${stream} (consumer ${durable}) on ${shown.join(', ')}: ${(e as Error).message}`,
      { details: { servers: shown, stream, durable }, cause: e },
    );
  }

  const commitGroup = async (
    sandbox: string,
    msgs: readonly JsMsg[],
    events: readonly unknown[],
  ): Promise<void> => {
    let results: Array<IngestResult | RoutedResult>;
    try {
      results = await observedIngest(app.observability, sandbox, 'nats', events.length, () =>
        ingestOf(app)(sandbox, events),
      );
    } catch (e) {
      for (const m of msgs) m.nak(retryDelayMs);
      stats.retried += msgs.length;
      log('error', 'ingesting events from NATS failed; JetStream will deliver them again', {
        sandbox,
        messages: msgs.length,
        retryInMs: retryDelayMs,
        error: (e as Error).message,
      });
      return;
    }
    // Accepted, duplicate, conflicting and rejected alike: the rejected ones are in the dead
    // letters now, and a conflict (an id taken by a different event) would conflict again on every
    // redelivery, so it is reported here and acked.
    for (const m of msgs) m.ack();
    stats.acked += msgs.length;
    for (const r of results) {
      if (r.status === 'accepted') stats.accepted++;
      else if (r.status === 'routed') stats.routed++;
      else if (r.status === 'duplicate') stats.duplicates++;
      else if (r.status === 'conflict') {
        stats.conflicts++;
        log('warn', 'a NATS event reuses the id of a different event; it is dropped (acked)', {
          sandbox,
          eventId: r.id,
          reason: r.message,
        });
      } else stats.rejected++;
    }
  };

  const handleBatch = async (msgs: readonly JsMsg[]): Promise<void> => {
    const groups = new Map<string, { msgs: JsMsg[]; events: unknown[] }>();
    for (const m of msgs) {
      const d = decodeMessage(
        { subject: m.subject, data: m.data, msgId: m.headers?.get('Nats-Msg-Id') || undefined },
        subjectPrefix,
        idBase(m.seq),
      );
      if (!d.ok) {
        log('warn', 'a NATS message names no sandbox; it is dropped (term)', {
          subject: m.subject,
          streamSeq: m.seq,
          reason: d.reason,
          body: preview(m.data),
        });
        // No reason with the term: servers before 2.10.4 ignore a term that carries one.
        m.term();
        stats.terminated++;
        continue;
      }
      if (d.problem !== null)
        log('warn', 'a NATS message holds no usable JSON; it goes to the dead letters', {
          subject: m.subject,
          streamSeq: m.seq,
          problem: d.problem,
        });
      const g = groups.get(d.sandbox) ?? { msgs: [], events: [] };
      g.msgs.push(m);
      g.events.push(...d.events);
      groups.set(d.sandbox, g);
    }
    // Concurrent calls: the engine commits them together when its writer is busy.
    await Promise.all([...groups].map(([sandbox, g]) => commitGroup(sandbox, g.msgs, g.events)));
    // The acks are at the server before the next fetch (and before stop() returns).
    await nc.flush();
    stats.batches++;
  };

  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      try {
        // A fetch ends by itself (full, or expired), so that no message is in flight when stop()
        // closes the connection. Within it, what has arrived is committed as soon as nothing more
        // is waiting in the client's buffer: an event waits for no fuller batch.
        const fetched = await consumer.fetch({ max_messages: batch, expires: FETCH_EXPIRES_MS });
        let hand: JsMsg[] = [];
        try {
          for await (const m of fetched) {
            hand.push(m);
            stats.received++;
            // getPending() counts the message in hand too: at most 1 means none is queued behind it.
            if (fetched.getPending() <= 1 || hand.length >= batch) {
              const full = hand;
              hand = [];
              await handleBatch(full);
            }
          }
        } finally {
          // Also when the fetch failed midway (missed heartbeats, a lost connection): what arrived is committed.
          if (hand.length > 0) await handleBatch(hand);
        }
      } catch (e) {
        if (nc.isClosed()) break;
        log('error', 'fetching events from NATS failed; trying again', {
          stream,
          durable,
          error: (e as Error).message,
        });
        if (stopping) break;
        await new Promise((r) => setTimeout(r, FETCH_RETRY_MS));
      }
    }
  })();

  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await loop;
        // The acks were flushed with their batch; close (not drain) so that a NATS that is down
        // cannot hold up the shutdown.
        if (!nc.isClosed()) await nc.close();
      })();
      return stopped;
    },
    stats: () => ({ ...stats }),
  };
}

/** The start of a body, for the log: enough to find the producer. */
function preview(data: Uint8Array): string {
  const text = new TextDecoder().decode(data.subarray(0, 200));
  return data.length > 200 ? `${text}…` : text;
}
