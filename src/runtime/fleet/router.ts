// Routing events to the owners of their partitions (a fleet on PostgreSQL with NATS JetStream).
// An event entering at any engine (HTTP or the NATS ingest) is resolved to a partition: its
// identity's profile's partition (one read for a batch), or, for an identity not stored yet, the
// identity's hash. Events of partitions this engine owns are ingested here; the others are
// published on `waymark.p.<schema>.<partition>` (one message per owner, outgoing()) and answered
// `routed` once JetStream acked them.
// Each engine consumes its partitions' subjects: one durable push consumer per partition, named
// for it, delivering to the engine's inbox, made again by each new owner (the stream keeps work-
// queue retention: what the old owner did not ack is delivered to the new one). The owner
// resolves again (an identity may have moved meanwhile) and ingests or passes the event on, and
// acks after the commit. An event for a partition nobody consumes (in handoff, owner dead) waits
// in the stream. Redeliveries are harmless: the engine deduplicates by event id.
// A business event (no identity, so no partition) is ingested where it arrives: stored once, and
// each partition's owner runs its read share for it (src/runtime/audiences/runtime.ts).
import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type Msg,
  type NatsConnection,
  type NatsError,
  type Subscription,
} from 'nats';
import { partitionOfIdentity } from '../../shared/partition.ts';
import type { Waymark } from '../app.ts';
import { timeOrderedId, type IngestResult } from '../engine.ts';
import { checkEvent, isBusinessEvent, type EnvelopeCheck } from '../ingest.ts';
import { identitiesOf } from '../audiences/stitching.ts';

export type RoutedResult =
  | IngestResult
  | {
      readonly index: number;
      readonly id: string;
      readonly status: 'routed';
      readonly partition: number;
    };

export interface EventRouter {
  /** Ingests the events of owned partitions, publishes the others to their owners; answers per event in order. */
  ingest(sandbox: string, raws: readonly unknown[]): Promise<RoutedResult[]>;
}

export interface RouterOptions {
  readonly app: Waymark;
  readonly nc: NatsConnection;
  /** The PostgreSQL schema: streams and subjects are per schema. */
  readonly schema: string;
  readonly engineId: string;
  /** Whether this engine takes new work of a partition now (held, not being handed over). */
  owns(partition: number): boolean;
  /** Which engine holds a partition, as last seen (a hint: events for one engine go out in one message). */
  ownerOf?(partition: number): string | undefined;
  readonly log?: (
    level: 'info' | 'warn' | 'error',
    message: string,
    details?: Record<string, unknown>,
  ) => void;
}

const ACK = new TextEncoder().encode('+ACK');
const NAK = new TextEncoder().encode('-NAK {"delay": 1000000000}');
const enc = new TextEncoder();
const dec = new TextDecoder();
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
const isApiError = (e: unknown, code: number): boolean =>
  (e as NatsError | undefined)?.api_error?.err_code === code;

/** What a routing message holds: the events of one request for one partition (one publish and ack for them all); `event`: one (older engines). */
type Routed =
  | { readonly sandbox: string; readonly events: readonly unknown[] }
  | { readonly sandbox: string; readonly event: unknown };

export class PartitionRouter implements EventRouter {
  readonly stream: string;
  private readonly inbox: string;
  private js!: JetStreamClient;
  private jsm!: JetStreamManager;
  private sub: Subscription | null = null;
  /** Partitions whose consumer delivers here. */
  private readonly consuming = new Set<number>();
  private changes: Promise<void> = Promise.resolve();
  /** The partitions held as last told (a retry works from the latest). */
  private held: ReadonlySet<number> = new Set();
  private stopped = false;
  private buffer: Msg[] = [];
  private flushing = false;
  readonly stats = {
    publishedOut: 0,
    consumed: 0,
    acked: 0,
    ingestedHere: 0,
    passedOn: 0,
    retried: 0,
  };

  private readonly engineKey: string;
  constructor(private readonly opts: RouterOptions) {
    this.stream = `WAYMARK_P_${opts.schema.toUpperCase()}`;
    this.engineKey = opts.engineId.replace(/[^A-Za-z0-9_-]/g, '_');
    this.inbox = `_WM.${opts.schema}.${this.engineKey}`;
  }

  subject(partition: number): string {
    return `waymark.p.${this.opts.schema}.${partition}`;
  }
  private durable(partition: number): string {
    return `p${partition}-${this.engineKey}`;
  }

  async start(): Promise<void> {
    this.jsm = await this.opts.nc.jetstreamManager();
    this.js = this.opts.nc.jetstream();
    try {
      await this.jsm.streams.info(this.stream);
    } catch (e) {
      if (!isApiError(e, STREAM_NOT_FOUND)) throw e;
      await this.jsm.streams
        .add({
          name: this.stream,
          subjects: [`waymark.p.${this.opts.schema}.>`],
          retention: RetentionPolicy.Workqueue,
          duplicate_window: nanos(120_000),
        })
        .catch(async (err: unknown) => {
          if (!isApiError(err, 10058)) throw err;
        });
    }
    this.sub = this.opts.nc.subscribe(this.inbox, { callback: (_err, m) => this.receive(m) });
  }

  /**
   * Follows the partitions held: a consumer of this engine's made for each taken, its own removed
   * for each given back. Consumers are named for their engine, so that an engine giving a
   * partition back (or finding it lost) never removes the consumer of the engine that took it; the
   * taker removes any other engine's consumer of the partition first (a work-queue stream takes one
   * per subject), and what that one had not acked is delivered to the new one.
   */
  setOwned(held: ReadonlySet<number>): Promise<void> {
    this.held = new Set(held);
    this.changes = this.changes
      .then(async () => {
        held = this.held;
        for (const p of [...this.consuming]) {
          if (held.has(p)) continue;
          this.consuming.delete(p);
          await this.jsm.consumers.delete(this.stream, this.durable(p)).catch(() => undefined);
        }
        const taken = [...held].filter((p) => !this.consuming.has(p));
        if (taken.length === 0) return;
        const others = new Map<string, string[]>();
        for await (const c of this.jsm.consumers.list(this.stream)) {
          // A consumer deleted while the server builds the list comes back as null (nats-server#4669).
          const f = c?.config?.filter_subject;
          if (f && c.name !== this.durable(Number(f.slice(f.lastIndexOf('.') + 1))))
            others.set(f, [...(others.get(f) ?? []), c.name]);
        }
        const failed: number[] = [];
        for (const p of taken) {
          try {
            for (const name of others.get(this.subject(p)) ?? []) {
              await this.jsm.consumers.delete(this.stream, name).catch((e: unknown) => {
                if (!isApiError(e, CONSUMER_NOT_FOUND)) throw e;
              });
            }
            await this.jsm.consumers.add(this.stream, {
              durable_name: this.durable(p),
              deliver_subject: this.inbox,
              filter_subject: this.subject(p),
              ack_policy: AckPolicy.Explicit,
              deliver_policy: DeliverPolicy.All,
              ack_wait: nanos(30_000),
              max_ack_pending: 5000,
              max_deliver: -1,
            });
            this.consuming.add(p);
          } catch {
            // Most often the previous owner's consumer not gone yet (one per subject on a work queue): tried again shortly.
            failed.push(p);
          }
        }
        if (failed.length > 0 && !this.stopped) {
          this.opts.log?.('warn', 'some partition consumers could not be made yet; trying again', {
            engine: this.opts.engineId,
            partitions: failed,
          });
          setTimeout(() => {
            if (!this.stopped) void this.setOwned(this.held);
          }, 250).unref?.();
        }
      })
      .catch((e: unknown) => {
        this.opts.log?.('error', 'making the partition consumers failed; trying again', {
          engine: this.opts.engineId,
          message: e instanceof Error ? e.message : String(e),
        });
        setTimeout(() => {
          if (!this.stopped) void this.setOwned(this.held);
        }, 500).unref?.();
      });
    return this.changes;
  }

  ingest(sandbox: string, raws: readonly unknown[]): Promise<RoutedResult[]> {
    // With no `from`, nothing waits: every event is ingested or published.
    return this.route(sandbox, raws, null) as Promise<RoutedResult[]>;
  }

  /**
   * `from[i]`: the partition whose subject event i came from. Such an event that still belongs
   * there while this engine is handing the partition over is answered `waiting` (left unacked for
   * the next owner), not published again (JetStream would drop the copy as a duplicate).
   */
  private async route(
    sandbox: string,
    raws: readonly unknown[],
    from: ReadonlyArray<number> | null,
  ): Promise<Array<RoutedResult | { readonly index: number; readonly status: 'waiting' }>> {
    const { app } = this.opts;
    const catalog = await app.catalogs.get(sandbox);
    const checks = raws.map((raw, i) => checkEvent(raw, i, catalog, () => ''));
    const ok = checks.flatMap((c) => (c.ok ? [c.identity] : []));
    // Identities an event links (stitching): their profiles' partitions are read too.
    const links = checks.map((c) =>
      c.ok
        ? identitiesOf(c.event.payload, catalog).map((i) => ({
            namespace: i.namespace,
            value: i.id,
          }))
        : [],
    );
    const asked = [...ok, ...links.flat()];
    const stored =
      asked.length > 0
        ? await app.reads.identityPartitions(sandbox, asked)
        : new Map<string, number>();
    const survivors = links.some((l) => l.length > 0)
      ? await this.survivors(sandbox, checks, links)
      : new Map<number, number>();
    const local: number[] = [];
    const out: Array<{ index: number; partition: number; event: Record<string, unknown> }> = [];
    const waiting: number[] = [];
    checks.forEach((c, index) => {
      // Events that fail their checks are dead-lettered here (they have no profile, so no partition);
      // business events are taken here too: they belong to no partition, every partition runs them.
      if (!c.ok || isBusinessEvent(raws[index], catalog)) {
        local.push(index);
        return;
      }
      const partition =
        survivors.get(index) ??
        stored.get(`${c.identity.namespace}\u0000${c.identity.value}`) ??
        partitionOfIdentity(c.identity.namespace, c.identity.value);
      if (this.opts.owns(partition)) {
        local.push(index);
        return;
      }
      if (from !== null && partition === from[index]) {
        waiting.push(index);
        return;
      }
      // An event without an id gets one now, so that a redelivery is known as the same event.
      const raw = raws[index] as Record<string, unknown>;
      out.push({
        index,
        partition,
        event: raw.id === undefined ? { ...raw, id: timeOrderedId() } : raw,
      });
    });
    const results = new Array<
      RoutedResult | { readonly index: number; readonly status: 'waiting' }
    >(raws.length);
    for (const index of waiting) results[index] = { index, status: 'waiting' };
    await Promise.all([
      (async () => {
        if (local.length === 0) return;
        const r = await app.engine.ingest(
          sandbox,
          local.map((i) => raws[i]),
        );
        r.forEach((res, k) => {
          results[local[k]!] = { ...res, index: local[k]! };
        });
        this.stats.ingestedHere += local.length;
      })(),
      // One publish (and one JetStream ack) per message of outgoing().
      ...this.outgoing(out, from !== null).map(async ({ partition, events: mine }) => {
        const ids = mine.map((o) => String(o.event.id));
        // The same events sent again (a retry, a resend) within JetStream's duplicate window are stored once.
        const msgID = `${sandbox}/${createHash('sha1').update(ids.join('\u0000')).digest('base64url')}@${partition}`;
        const ack = await this.js.publish(
          this.subject(partition),
          enc.encode(
            JSON.stringify({ sandbox, events: mine.map((o) => o.event) } satisfies Routed),
          ),
          { msgID },
        );
        if (!ack.duplicate) this.stats.publishedOut += mine.length;
        for (const [k, o] of mine.entries())
          results[o.index] = {
            index: o.index,
            id: ids[k]!,
            status: 'routed',
            partition: o.partition,
          };
      }),
    ]);
    return results;
  }

  /**
   * The messages a request's outgoing events make. Events entering here go out one message per
   * engine that holds their partitions (as the lease table last said), on the subject of the
   * lowest of those partitions: with 256 partitions a request's events mostly fall in different
   * ones, and one message per partition was nearly one publish, one delivery and two acks per
   * event. The owner takes those of its partitions and passes the others on, one message per
   * partition (`passing`): a stale hint costs one more hop, never a loop. An event whose owner is
   * unknown goes on its partition's subject, as do all of them when `passing`.
   */
  private outgoing<T extends { readonly partition: number }>(
    out: readonly T[],
    passing: boolean,
  ): Array<{ partition: number; events: T[] }> {
    const messages = new Map<string, { partition: number; events: T[] }>();
    for (const o of [...out].sort((a, b) => a.partition - b.partition)) {
      const owner = passing ? undefined : this.opts.ownerOf?.(o.partition);
      const key = owner === undefined ? `p${o.partition}` : `e${owner}`;
      const m = messages.get(key);
      if (m) m.events.push(o);
      else messages.set(key, { partition: o.partition, events: [o] });
    }
    return [...messages.values()];
  }

  /**
   * Events that link identities of stored profiles: the merge is made by the owner of the
   * survivor's partition (the oldest profile, as the stitcher decides: earliest creation, then the
   * smaller id), which fences the absorbed profile's partition in the merge's commit. Event index → partition.
   */
  private async survivors(
    sandbox: string,
    checks: readonly EnvelopeCheck[],
    links: ReadonlyArray<ReadonlyArray<{ namespace: string; value: string }>>,
  ): Promise<Map<number, number>> {
    const store = this.opts.app.reads;
    const out = new Map<number, number>();
    for (const [index, linked] of links.entries()) {
      const c = checks[index]!;
      if (!c.ok || linked.length === 0) continue;
      const all = [c.identity, ...linked];
      const ids = await store.findProfileIds(sandbox, all);
      const profiles = await store.getProfiles(sandbox, [...new Set(ids.values())]);
      if (profiles.length === 0) continue;
      const oldest = [...profiles].sort((a, b) =>
        a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1,
      )[0]!;
      const via = all.find((i) => ids.get(`${i.namespace}\u0000${i.value}`) === oldest.id)!;
      const parts = await store.identityPartitions(sandbox, [via]);
      const p = parts.get(`${via.namespace}\u0000${via.value}`);
      if (p !== undefined) out.set(index, p);
    }
    return out;
  }

  private receive(m: Msg): void {
    this.buffer.push(m);
    this.stats.consumed++; // messages (each holds one request's events of one partition)
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  /** Ingests (or passes on) what arrived, grouped by sandbox; acks after the commit, naks on failure. */
  private async flush(): Promise<void> {
    try {
      while (this.buffer.length > 0) {
        const msgs = this.buffer.splice(0, 1000);
        const groups = new Map<
          string,
          Array<{ m: Msg; events: readonly unknown[]; from: number }>
        >();
        for (const m of msgs) {
          let routed: Routed;
          try {
            routed = JSON.parse(dec.decode(m.data)) as Routed;
          } catch {
            m.respond(ACK);
            this.stats.acked++;
            continue;
          }
          const g = groups.get(routed.sandbox) ?? [];
          g.push({
            m,
            events: 'events' in routed ? routed.events : [routed.event],
            from: Number(m.subject.slice(m.subject.lastIndexOf('.') + 1)),
          });
          groups.set(routed.sandbox, g);
        }
        // All of a sandbox's messages routed together: one identity read and one ingest for them
        // all, rather than one per partition (a partition's message mostly holds one event).
        await Promise.all(
          [...groups].map(async ([sandbox, g]) => {
            try {
              const results = await this.route(
                sandbox,
                g.flatMap((x) => x.events),
                g.flatMap((x) => x.events.map(() => x.from)),
              );
              this.stats.passedOn += results.filter((r) => r.status === 'routed').length;
              // A message is acked when none of its events waits (a redelivery of the others is recognized by their ids).
              let at = 0;
              for (const x of g) {
                const mine = results.slice(at, at + x.events.length);
                at += x.events.length;
                x.m.respond(mine.some((r) => r.status === 'waiting') ? NAK : ACK);
                this.stats.acked += mine.filter((r) => r.status !== 'waiting').length;
              }
            } catch (e) {
              // Not committed (a lease lost meanwhile, the store down): delivered again, here or to the new owner.
              for (const x of g) x.m.respond(NAK);
              this.stats.retried += g.reduce((n, x) => n + x.events.length, 0);
              this.opts.log?.(
                'warn',
                'routed events were not ingested; JetStream delivers them again',
                {
                  sandbox,
                  events: g.length,
                  message: e instanceof Error ? e.message : String(e),
                },
              );
            }
          }),
        );
      }
    } finally {
      this.flushing = false;
    }
  }

  async stop(): Promise<void> {
    await this.changes;
    this.stopped = true;
    this.sub?.unsubscribe();
    this.sub = null;
  }
}
