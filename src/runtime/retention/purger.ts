// The retention purge: every `intervalMs`, for each sandbox, rows older than its settings (events,
// delivery log, dead letters, audit entries; settings.ts) are deleted in batches of `batchSize`,
// each batch its own short statement outside the writer's queue, with a yield to the event loop
// between batches, so ingest and the engine's commits go on during a purge. The audit log also has
// the global period (WAYMARK_AUDIT_RETENTION_DAYS, src/runtime/access/audit-log.ts). The Assistant's
// conversations go 30 days after their last message, in every sandbox (CONVERSATION_TTL_MS),
// finished webhook deliveries 30 days after their last attempt (WEBHOOK_DELIVERY_TTL_MS), and
// expired in-app messages leave the in-app inbox, and expired SMS short links go.
import { RETENTION_TARGETS } from '../../store/ports/retention.ts';
import type { RetentionTarget, Store } from '../../store/ports.ts';
import { CONVERSATION_TTL_MS } from '../assistant/conversations.ts';
import type { Clock } from '../clock.ts';
import { WEBHOOK_DELIVERY_TTL_MS } from '../webhooks/service.ts';
import { readRetention } from './settings.ts';

const DAY_MS = 86_400_000;

export interface PurgeReport {
  /** Rows deleted per sandbox and target (only those with any). */
  readonly deleted: Readonly<Record<string, Partial<Record<RetentionTarget, number>>>>;
  /** The Assistant's conversations deleted (every sandbox). */
  readonly conversations: number;
  /** Delivered and failed webhook deliveries deleted (every sandbox). */
  readonly webhookDeliveries: number;
  /** Expired in-app messages deleted from the in-app inbox (every sandbox). */
  readonly inAppExpired: number;
  /** Expired SMS short links deleted (every sandbox). */
  readonly shortLinksExpired: number;
  readonly batches: number;
}

export interface RetentionPurger {
  /** One pass over every sandbox now (the timer's passes wait for it, and it for them). */
  runOnce(): Promise<PurgeReport>;
  stop(): Promise<void>;
}

export interface RetentionPurgerOptions {
  readonly store: Pick<
    Store,
    | 'getSetting'
    | 'purgeBatch'
    | 'purgeConversations'
    | 'purgeWebhookDeliveries'
    | 'purgeExpiredInApp'
    | 'purgeExpiredShortLinks'
  >;
  readonly clock: Clock;
  readonly sandboxes: () => Promise<readonly string[]>;
  /** Between passes; 0 or less: no timer (runOnce only). Default 1 hour. */
  readonly intervalMs?: number;
  /** Rows per statement; default 500. */
  readonly batchSize?: number;
  readonly warn?: (message: string) => void;
}

/** Yields to the event loop: requests, commits and timers run between two batches. */
const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

export function startRetentionPurger(o: RetentionPurgerOptions): RetentionPurger {
  const batchSize = Math.max(1, o.batchSize ?? 500);
  const intervalMs = o.intervalMs ?? 3_600_000;
  const warn = o.warn ?? ((m: string) => process.emitWarning(m, 'WaymarkRetentionWarning'));
  let stopped = false;
  let running: Promise<PurgeReport> | null = null;

  async function pass(): Promise<PurgeReport> {
    const deleted: Record<string, Partial<Record<RetentionTarget, number>>> = {};
    let batches = 0;
    for (const sandbox of await o.sandboxes()) {
      const days = await readRetention(o.store, sandbox);
      for (const target of RETENTION_TARGETS) {
        const d = days[target];
        if (d === null) continue;
        const before = o.clock.now() - d * DAY_MS;
        let total = 0;
        for (;;) {
          if (stopped)
            return {
              deleted,
              conversations: 0,
              webhookDeliveries: 0,
              inAppExpired: 0,
              shortLinksExpired: 0,
              batches,
            };
          const n = await o.store.purgeBatch(target, sandbox, before, batchSize);
          batches++;
          total += n;
          await yieldNow();
          if (n < batchSize) break;
        }
        if (total > 0) (deleted[sandbox] ??= {})[target] = total;
      }
    }
    // Rows past a fixed age (or expiry), in every sandbox, a batch at a time.
    const sweep = async (
      purge: (before: number, limit: number) => Promise<number>,
      before: number,
    ): Promise<number> => {
      let total = 0;
      for (;;) {
        if (stopped) break;
        const n = await purge(before, batchSize);
        batches++;
        total += n;
        await yieldNow();
        if (n < batchSize) break;
      }
      return total;
    };
    const now = o.clock.now();
    const conversations = await sweep(
      (b, l) => o.store.purgeConversations(b, l),
      now - CONVERSATION_TTL_MS,
    );
    const webhookDeliveries = await sweep(
      (b, l) => o.store.purgeWebhookDeliveries(b, l),
      now - WEBHOOK_DELIVERY_TTL_MS,
    );
    // In-app messages past their expiry (the SDK's query already leaves them out).
    const inAppExpired = await sweep((b, l) => o.store.purgeExpiredInApp(b, l), now);
    // SMS short links past their expiry (the redirect already answers them 404).
    const shortLinksExpired = await sweep((b, l) => o.store.purgeExpiredShortLinks(b, l), now);
    return { deleted, conversations, webhookDeliveries, inAppExpired, shortLinksExpired, batches };
  }

  const runOnce = (): Promise<PurgeReport> => {
    const next = (running ?? Promise.resolve(null)).catch(() => null).then(() => pass());
    running = next;
    return next;
  };

  const timer =
    intervalMs > 0
      ? setInterval(() => {
          runOnce().catch((e: unknown) =>
            warn(`the retention purge failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        }, intervalMs)
      : null;
  timer?.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
