// Observability at the seams the engine is reached through from outside: the store (each commit
// timed, its rows counted, in a span), the custom-action and message ports (each call timed and
// counted, in a span) and ingest (each request or NATS batch counted by outcome, the root span).
// A dispatch runs later than the commit that queued it, from the engine's loop: the commit span is
// remembered by the effect's id (callId, messageId) so that the dispatch joins the same trace,
// ingest → commit → dispatch (in this process's memory: after a restart a dispatch starts a trace).
import type { ActionInvoker, MessageSender } from '../ports.ts';
import type { CommitBatch, CommitOptions, Store } from '../../store/ports.ts';
import type { IngestOutcome, IngestSource } from './metrics.ts';
import { SpanKind, type SpanContext } from './tracing.ts';
import type { Observability } from './observability.ts';

/** How many spans each map below remembers at most (the oldest are forgotten first). */
const REMEMBERED = 10_000;

class Bounded<V> {
  private readonly map = new Map<string, V>();
  set(k: string, v: V): void {
    if (this.map.size >= REMEMBERED) this.map.delete(this.map.keys().next().value!);
    this.map.set(k, v);
  }
  /** The value, forgotten once taken. */
  take(k: string): V | undefined {
    const v = this.map.get(k);
    this.map.delete(k);
    return v;
  }
}

/**
 * What joins a dispatch to the trace that caused it: the commit span that queued each effect (by
 * the effect's id), the outbox item that carries it, and the dispatch span, which the commit
 * taking the outcome (outboxDone) continues. So a journey's chain stays one trace: ingest →
 * commit → action → commit → message.
 */
export class DispatchCauses {
  private readonly queuedBy = new Bounded<SpanContext>();
  private readonly effectOfItem = new Bounded<string>();
  private readonly dispatchedIn = new Bounded<SpanContext>();
  queued(itemId: string, effectId: string, commit: SpanContext): void {
    this.queuedBy.set(effectId, commit);
    this.effectOfItem.set(itemId, effectId);
  }
  /** The commit that queued an effect, as its dispatch starts (a retry starts a trace of its own). */
  dispatching(effectId: string): SpanContext | undefined {
    return this.queuedBy.take(effectId);
  }
  dispatched(effectId: string, span: SpanContext): void {
    this.dispatchedIn.set(effectId, span);
  }
  /** The dispatch whose outcome a commit takes (the first outbox item it finishes that has one). */
  finishing(itemIds: readonly string[]): SpanContext | undefined {
    for (const id of itemIds) {
      const effect = this.effectOfItem.take(id);
      const span = effect === undefined ? undefined : this.dispatchedIn.take(effect);
      if (span) return span;
    }
    return undefined;
  }
}

/** The id of the effect an outbox item carries (a custom action's callId, a message's messageId). */
function effectIdOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as { callId?: unknown; messageId?: unknown };
  return typeof p.callId === 'string'
    ? p.callId
    : typeof p.messageId === 'string'
      ? p.messageId
      : null;
}

/** Rows of a commit by what they are: CommitBatch's non-empty arrays and their lengths. */
export function commitRows(batch: CommitBatch): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const [kind, list] of Object.entries(batch))
    if (Array.isArray(list) && list.length > 0) rows[kind] = list.length;
  return rows;
}

/**
 * The store with its commits observed: the time and rows of each, in a `waymark.commit` span.
 * Every other method is the store's own, bound to it (the engine reports its steps and timers to
 * the EngineObserver itself).
 */
export function observedStore(
  store: Store,
  obs: Observability,
  clock: { now(): number },
  causes: DispatchCauses,
): Store {
  // Read at each call: a test that replaces the store's commit (a failing store) is seen through the decorator.
  const storeCommit = (batch: CommitBatch, opts?: CommitOptions): Promise<void> =>
    store.commit(batch, opts);
  const tracedCommit = (
    batch: CommitBatch,
    rows: Record<string, number>,
    opts?: CommitOptions,
  ): Promise<void> => {
    const cause =
      !obs.tracing.inSpan() && batch.outboxDone ? causes.finishing(batch.outboxDone) : undefined;
    const attributes = {
      'waymark.rows': Object.values(rows).reduce((a, b) => a + b, 0),
      ...Object.fromEntries(Object.entries(rows).map(([k, n]) => [`waymark.rows.${k}`, n])),
    };
    return obs.tracing.span(
      'waymark.commit',
      attributes,
      async (span) => {
        await storeCommit(batch, opts);
        for (const item of batch.outboxAdd ?? []) {
          const effect = effectIdOf(item.payload);
          if (effect !== null) causes.queued(item.id, effect, span.spanContext());
        }
      },
      SpanKind.INTERNAL,
      cause,
    );
  };
  const commit = async (batch: CommitBatch, opts?: CommitOptions): Promise<void> => {
    const rows = commitRows(batch);
    const started = performance.now();
    try {
      if (!obs.tracing.enabled) await storeCommit(batch, opts);
      else await tracedCommit(batch, rows, opts);
    } catch (e) {
      obs.metrics.error('commit');
      throw e;
    }
    obs.metrics.committed(rows, (performance.now() - started) / 1000);
  };
  const own = new Map<PropertyKey, unknown>([['commit', commit]]);
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    // What is assigned to the decorated store (a test replacing `commit`) is what it answers from then on.
    set(_target, prop, value) {
      own.set(prop, value);
      return true;
    },
    get(target, prop) {
      if (own.has(prop)) return own.get(prop);
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let b = bound.get(prop);
      if (b === undefined) bound.set(prop, (b = (v as (...a: unknown[]) => unknown).bind(target)));
      return b;
    },
  });
}

/** The custom-action port with each call timed, counted by outcome and in a `waymark.dispatch.action` span. */
export function observedActions(
  invoke: ActionInvoker,
  obs: Observability,
  causes: DispatchCauses,
): ActionInvoker {
  return (call) =>
    obs.tracing.span(
      'waymark.dispatch.action',
      { 'waymark.sandbox': call.sandbox, 'waymark.action': call.action.name },
      async (span) => {
        if (obs.tracing.enabled) causes.dispatched(call.idempotencyKey, span.spanContext());
        const started = performance.now();
        try {
          const result = await invoke(call);
          const ok = result.ok;
          span.setAttribute('waymark.outcome', ok ? 'ok' : 'error');
          obs.metrics.actionCalled(ok ? 'ok' : 'error', (performance.now() - started) / 1000);
          return result;
        } catch (e) {
          obs.metrics.actionCalled('failed', (performance.now() - started) / 1000);
          obs.metrics.error('action');
          throw e;
        }
      },
      SpanKind.CLIENT,
      obs.tracing.enabled ? causes.dispatching(call.idempotencyKey) : undefined,
    );
}

/** The message port with each message timed, counted by channel and status and in a `waymark.dispatch.message` span. */
export function observedMessages(
  send: MessageSender,
  obs: Observability,
  causes: DispatchCauses,
): MessageSender {
  return (req) =>
    obs.tracing.span(
      'waymark.dispatch.message',
      { 'waymark.sandbox': req.sandbox, 'waymark.journey': req.instance.journeyId },
      async (span) => {
        if (obs.tracing.enabled) causes.dispatched(req.effect.messageId, span.spanContext());
        const started = performance.now();
        try {
          const record = await send(req);
          span.setAttributes({
            'waymark.channel': record.channel,
            'waymark.status': record.status,
          });
          obs.metrics.delivered(
            record.channel,
            record.status,
            (performance.now() - started) / 1000,
          );
          return record;
        } catch (e) {
          const channel = req.effect.channel;
          obs.metrics.delivered(channel, 'error', (performance.now() - started) / 1000);
          obs.metrics.error('deliver');
          throw e;
        }
      },
      SpanKind.CLIENT,
      obs.tracing.enabled ? causes.dispatching(req.effect.messageId) : undefined,
    );
}

/**
 * Ingests one request's (or NATS batch's) events in a `waymark.ingest` span, the root of what they
 * cause in this process (the commit; dispatches run later, from the engine's loop), and counts them
 * by outcome.
 */
export async function observedIngest<R extends { readonly status: IngestOutcome }>(
  obs: Observability,
  sandbox: string,
  source: IngestSource,
  count: number,
  ingest: () => Promise<R[]>,
): Promise<R[]> {
  const started = performance.now();
  return obs.tracing.span(
    'waymark.ingest',
    { 'waymark.sandbox': sandbox, 'waymark.source': source, 'waymark.events': count },
    async (span) => {
      try {
        const results = await ingest();
        obs.metrics.ingestedEvents(
          sandbox,
          source,
          results.map((r) => r.status),
          (performance.now() - started) / 1000,
        );
        span.setAttribute(
          'waymark.accepted',
          results.filter((r) => r.status === 'accepted').length,
        );
        return results;
      } catch (e) {
        obs.metrics.error('ingest');
        throw e;
      }
    },
    source === 'http' ? SpanKind.SERVER : SpanKind.CONSUMER,
  );
}
