// Observability at the seams the engine is reached through from outside: the store (each commit
// timed, its rows counted, in a span), the custom-action and message ports (each call timed and
// counted, in a span) and ingest (each request or NATS batch counted by outcome, the root span).
import type { ActionInvoker, MessageSender } from '../ports.ts';
import type { CommitBatch, Store } from '../../store/ports.ts';
import { timerKindOf } from './engine-observer.ts';
import type { IngestOutcome, IngestSource } from './metrics.ts';
import { SpanKind } from './tracing.ts';
import type { Observability } from './observability.ts';

/** Rows of a commit by what they are: CommitBatch's non-empty arrays and their lengths. */
export function commitRows(batch: CommitBatch): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const [kind, list] of Object.entries(batch)) if (Array.isArray(list) && list.length > 0) rows[kind] = list.length;
  return rows;
}

/**
 * The store with its commits observed: the time and rows of each, in a `waymark.commit` span.
 * Due timers as the engine takes them count as fired (with their lag) until the engine reports
 * them itself (EngineObserver.onTimerFired; then drop `dueTimers` here). Every other method is the
 * store's own, bound to it.
 */
export function observedStore(store: Store, obs: Observability, clock: { now(): number }): Store {
  const commit = async (batch: CommitBatch): Promise<void> => {
    const rows = commitRows(batch);
    const started = performance.now();
    try {
      await obs.tracing.span('waymark.commit', { 'waymark.rows': Object.values(rows).reduce((a, b) => a + b, 0), ...Object.fromEntries(Object.entries(rows).map(([k, n]) => [`waymark.rows.${k}`, n])) }, () => store.commit(batch));
    } catch (e) {
      obs.metrics.error('commit');
      throw e;
    }
    obs.metrics.committed(rows, (performance.now() - started) / 1000);
  };
  const dueTimers: Store['dueTimers'] = async (now, limit) => {
    const due = await store.dueTimers(now, limit);
    const firedAt = clock.now();
    for (const t of due) obs.observer.onTimerFired({ sandbox: t.sandbox, kind: timerKindOf(t.instanceId), dueAt: t.dueAt, firedAt });
    return due;
  };
  const own: Partial<Record<PropertyKey, unknown>> = { commit, dueTimers };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (prop in own) return own[prop];
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      let b = bound.get(prop);
      if (b === undefined) bound.set(prop, (b = (v as (...a: unknown[]) => unknown).bind(target)));
      return b;
    },
  });
}

/** The custom-action port with each call timed, counted by outcome and in a `waymark.dispatch.action` span. */
export function observedActions(invoke: ActionInvoker, obs: Observability): ActionInvoker {
  return (call) => obs.tracing.span('waymark.dispatch.action', { 'waymark.sandbox': call.sandbox, 'waymark.action': call.action.name }, async (span) => {
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
  }, SpanKind.CLIENT);
}

/** The message port with each message timed, counted by channel and status and in a `waymark.dispatch.message` span. */
export function observedMessages(send: MessageSender, obs: Observability): MessageSender {
  return (req) => obs.tracing.span('waymark.dispatch.message', { 'waymark.sandbox': req.sandbox, 'waymark.journey': req.instance.journeyId }, async (span) => {
    const started = performance.now();
    try {
      const record = await send(req);
      span.setAttributes({ 'waymark.channel': record.channel, 'waymark.status': record.status });
      obs.metrics.delivered(record.channel, record.status, (performance.now() - started) / 1000);
      return record;
    } catch (e) {
      const channel = req.effect.channel;
      obs.metrics.delivered(channel, 'error', (performance.now() - started) / 1000);
      obs.metrics.error('deliver');
      throw e;
    }
  }, SpanKind.CLIENT);
}

/**
 * Ingests one request's (or NATS batch's) events in a `waymark.ingest` span, the root of what they
 * cause in this process (the commit; dispatches run later, from the engine's loop), and counts them
 * by outcome.
 */
export async function observedIngest<R extends { readonly status: IngestOutcome }>(obs: Observability, sandbox: string, source: IngestSource, count: number, ingest: () => Promise<R[]>): Promise<R[]> {
  const started = performance.now();
  return obs.tracing.span('waymark.ingest', { 'waymark.sandbox': sandbox, 'waymark.source': source, 'waymark.events': count }, async (span) => {
    try {
      const results = await ingest();
      obs.metrics.ingestedEvents(sandbox, source, results.map((r) => r.status), (performance.now() - started) / 1000);
      span.setAttribute('waymark.accepted', results.filter((r) => r.status === 'accepted').length);
      return results;
    } catch (e) {
      obs.metrics.error('ingest');
      throw e;
    }
  }, source === 'http' ? SpanKind.SERVER : SpanKind.CONSUMER);
}
