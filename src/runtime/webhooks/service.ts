// Webhook subscriptions at work. As a commit hook, it reads the events of each unit of work before
// the commit and queues a delivery per subscription that wants one in the same batch (durable with
// the event: a crash loses neither). Its dispatcher claims due deliveries (so engines sharing a
// store never send one twice at once) and POSTs them, signed, through the
// sandbox's outbound policy (allowed hosts, checked again after DNS), and records each attempt:
// delivered on 2xx, retried with backoff on 5xx, 408, 429 and network errors or timeouts, failed
// on another answer, a refused host, or the last of `maxAttempts`.
import type { Logger } from '../../shared/logger.ts';
import { outboundFetch } from '../../channels/outbound/index.ts';
import { retryAfterOf } from '../../channels/outbound/retry-after.ts';
import { notFound, validationFailed } from '../../errors.ts';
import { webhookSchema, webhookWants, type Webhook } from '../../model/webhook.ts';
import type { WebhookDeliveryRow, WebhookDeliveryStatus } from '../../store/ports.ts';
import type { SandboxHosts } from '../allowed-hosts.ts';
import type { Clock } from '../clock.ts';
import { timeOrderedId } from '../engine/ids.ts';
import { nextRetryAt, retryScheduleFor } from '../retry-policy.ts';
import type { SecretBox } from '../secret-box.ts';
import type { CommitHook, ServiceStore, UnitOfWork, Writer } from '../unit-of-work/index.ts';
import { webhookEventsOf, webhookSandboxesOf } from './events.ts';
import { webhookSignature } from './signature.ts';

export const WEBHOOK_KIND = 'webhook';

export interface WebhookDeps {
  readonly writer: Writer;
  readonly store: ServiceStore;
  readonly clock: Clock;
  readonly secrets: SecretBox;
  readonly hosts: SandboxHosts;
  readonly log?: Logger;
  /** How often (real time) due deliveries are looked for; default 1 s. */
  readonly intervalMs?: number;
}

/** Subscriptions read again after this long even if no change was seen (a package or a sandbox copy wrote them). */
const CACHE_MS = 30_000;
const CONCURRENCY = 8;
const MAX_ANSWER = 64 * 1024;
/**
 * A claimed delivery is not due again for this long: longer than an attempt can take (the longest
 * timeout is 30 s), so engines sharing a store never send one delivery at once; one that dies
 * mid-attempt leaves it to be sent again after the claim runs out (receivers drop repeats by id).
 */
export const CLAIM_MS = 120_000;
/** Delivered and failed deliveries are kept this long after their last attempt, then purged. */
export const WEBHOOK_DELIVERY_TTL_MS = 30 * 86_400_000;

export class WebhookService implements CommitHook {
  private readonly cache = new Map<string, { readonly at: number; readonly list: Webhook[] }>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private queued = 0;

  constructor(private readonly deps: WebhookDeps) {}

  /** Forgets a sandbox's subscriptions (one was saved or deleted). */
  invalidate(sandbox: string): void {
    this.cache.delete(sandbox);
  }

  /** Refuses a subscription whose URL the sandbox may not reach. */
  async checkHost(sandbox: string, url: string): Promise<void> {
    const r = await this.deps.hosts.check(sandbox, url);
    if (!r.ok)
      throw validationFailed(`the webhook's host ${r.host} is not an allowed host of the sandbox`, [
        {
          path: 'url',
          message: `add "${r.entry}" to the sandbox's allowed hosts first (POST /v1/allowed-hosts): ${r.reason}`,
          received: url,
        },
      ]);
  }

  private async subscriptions(sandbox: string): Promise<Webhook[]> {
    const hit = this.cache.get(sandbox);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.list;
    const list = (await this.deps.store.listObjects<unknown>(sandbox, WEBHOOK_KIND)).flatMap(
      (o) => {
        const r = webhookSchema.safeParse(o.body);
        return r.success ? [r.data] : [];
      },
    );
    this.cache.set(sandbox, { at: Date.now(), list });
    return list;
  }

  // The commit hook: deliveries join the batch of the events that cause them.
  async before(uow: UnitOfWork): Promise<void> {
    // Most sandboxes have no subscription: their units build no webhook event at all.
    const subscribed = new Map<string, Webhook[]>();
    for (const sandbox of webhookSandboxesOf(uow)) {
      const subs = (await this.subscriptions(sandbox)).filter((s) => s.enabled);
      if (subs.length > 0) subscribed.set(sandbox, subs);
    }
    if (subscribed.size === 0) return;
    for (const e of webhookEventsOf(uow)) {
      const sandbox = e.sandbox;
      const wanting = (subscribed.get(sandbox) ?? []).filter(
        (s) =>
          webhookWants(s.events, e.type) &&
          (s.journeys === undefined || (e.journeyId !== null && s.journeys.includes(e.journeyId))),
      );
      if (wanting.length === 0) continue;
      const eventId = `evt_${timeOrderedId()}`;
      const body = JSON.stringify({
        id: eventId,
        type: e.type,
        sandbox,
        occurredAt: new Date(e.occurredAt).toISOString(),
        data: e.data,
      });
      for (const s of wanting) {
        this.queued++;
        uow.webhookDelivery({
          sandbox,
          id: `${eventId}.${s.id}`,
          subscription: s.id,
          eventType: e.type,
          body,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: uow.now,
          lastStatus: null,
          lastError: null,
          createdAt: uow.now,
          updatedAt: uow.now,
        });
      }
    }
  }

  after(): void {
    if (this.queued === 0 || this.timer === null) return;
    this.queued = 0;
    setImmediate(() => void this.dispatch().catch(() => undefined));
  }

  /** Starts looking for due deliveries every `intervalMs`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(
      () => void this.dispatch().catch(() => undefined),
      this.deps.intervalMs ?? 1000,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Sends the deliveries due now (one round at a time); how many were attempted. */
  dispatch(limit = 100): Promise<number> {
    this.running ??= this.round(limit).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(limit: number): Promise<number> {
    const now = this.deps.clock.now();
    const due = (await this.deps.store.claimWebhookDeliveries(now, limit, now + CLAIM_MS)).filter(
      (d) => !this.inFlight.has(`${d.sandbox}\u0000${d.id}`),
    );
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length) {
        const d = due[next++]!;
        const key = `${d.sandbox}\u0000${d.id}`;
        this.inFlight.add(key);
        try {
          await this.attempt(d);
        } catch (e) {
          this.deps.log?.('warn', 'a webhook delivery attempt could not be recorded', {
            sandbox: d.sandbox,
            id: d.id,
            message: (e as Error).message,
          });
        } finally {
          this.inFlight.delete(key);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
    return due.length;
  }

  private async attempt(d: WebhookDeliveryRow): Promise<void> {
    const sub = (await this.subscriptions(d.sandbox)).find((s) => s.id === d.subscription);
    const attempts = d.attempts + 1;
    if (!sub) return this.record(d, attempts, 'failed', null, 'the subscription no longer exists');
    if (!sub.enabled)
      return this.record(d, attempts, 'failed', null, 'the subscription is disabled');
    const host = await this.deps.hosts.check(d.sandbox, sub.url);
    if (!host.ok) return this.record(d, attempts, 'failed', null, `host not allowed: ${host.host}`);
    const outcome = await this.post(d, sub, attempts);
    if (outcome.ok) return this.record(d, attempts, 'delivered', outcome.status, null);
    const now = this.deps.clock.now();
    const retryAt =
      outcome.retryable && attempts < sub.maxAttempts
        ? nextRetryAt(retryScheduleFor('webhook'), {
            failures: attempts,
            queuedAt: d.createdAt,
            now,
            retryAfterMs: outcome.retryAfterMs,
          })
        : null;
    const error =
      retryAt === null && outcome.retryable
        ? `gave up after ${attempts} attempts: ${outcome.error}`
        : outcome.error;
    return this.record(
      d,
      attempts,
      retryAt === null ? 'failed' : 'pending',
      outcome.status,
      error,
      retryAt ?? undefined,
    );
  }

  private async post(
    d: WebhookDeliveryRow,
    sub: Webhook,
    attempt: number,
  ): Promise<
    | { ok: true; status: number }
    | { ok: false; retryable: boolean; status: number | null; error: string; retryAfterMs?: number }
  > {
    const secret = this.deps.secrets.open(WEBHOOK_KIND, sub, d.sandbox).secret;
    const t = Math.floor(this.deps.clock.now() / 1000);
    await this.deps.hosts.ensure(d.sandbox);
    // Idempotent: a receiver drops a repeat by the event id, so a POST written on a kept-alive
    // connection the receiver had just closed is sent again on a new one, not counted as a failure.
    const fetch = outboundFetch(this.deps.hosts.policy(d.sandbox), {
      maxBodyBytes: MAX_ANSWER,
      idempotent: true,
    });
    try {
      const res = await fetch(sub.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(sub.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Waymark-Webhooks/1',
          'waymark-event': d.eventType,
          'waymark-delivery': d.id,
          'waymark-attempt': String(attempt),
          'waymark-signature': webhookSignature(secret, t, d.body),
        },
        body: d.body,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      return {
        ok: false,
        status: res.status,
        retryable: res.status >= 500 || res.status === 408 || res.status === 429,
        error: `HTTP ${res.status}`,
        ...retryAfterOf(res.headers, this.deps.clock.now()),
      };
    } catch (e) {
      const err = e as Error;
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      return {
        ok: false,
        status: null,
        retryable: true,
        error: timedOut ? `no answer within ${sub.timeoutMs} ms` : err.message,
      };
    }
  }

  private record(
    d: WebhookDeliveryRow,
    attempts: number,
    status: WebhookDeliveryStatus,
    lastStatus: number | null,
    lastError: string | null,
    nextAttemptAt?: number,
  ): Promise<void> {
    return this.deps.writer.run(async (uow) => {
      uow.webhookDelivery({
        ...d,
        attempts,
        status,
        lastStatus,
        lastError,
        nextAttemptAt: nextAttemptAt ?? d.nextAttemptAt,
        updatedAt: uow.now,
      });
    });
  }

  /** A subscription's deliveries, newest first. */
  async deliveries(
    sandbox: string,
    subscription: string,
    opts: { status?: WebhookDeliveryStatus; limit?: number } = {},
  ): Promise<WebhookDeliveryRow[]> {
    return this.deps.store.listWebhookDeliveries(sandbox, subscription, {
      ...(opts.status ? { status: opts.status } : {}),
      limit: Math.min(opts.limit ?? 100, 1000),
    });
  }

  /** Queues a delivery again (a failed one, after the receiver was fixed): attempted at once. */
  async redeliver(sandbox: string, id: string): Promise<WebhookDeliveryRow> {
    const d = await this.deps.store.webhookDelivery(sandbox, id);
    if (!d) throw notFound('webhook delivery', id);
    const row: WebhookDeliveryRow = {
      ...d,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: this.deps.clock.now(),
      createdAt: this.deps.clock.now(),
      updatedAt: this.deps.clock.now(),
    };
    await this.deps.writer.run(async (uow) => uow.webhookDelivery(row));
    setImmediate(() => void this.dispatch().catch(() => undefined));
    return row;
  }
}
