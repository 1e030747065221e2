// Webhook deliveries (src/runtime/webhooks): one row per (subscription, event), written by a commit
// batch (CommitBatch.webhookDeliveries) in the same unit of work as the event that caused it, then
// updated by the dispatcher after each attempt (the same batch group: a row takes its last write).

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRow {
  readonly sandbox: string;
  /** Unique per sandbox; also the `id` of the delivered body, so a receiver can drop a repeat. */
  readonly id: string;
  /** The webhook subscription's id. */
  readonly subscription: string;
  /** `message.opened`, `journey.entered`, … (src/runtime/webhooks/events.ts). */
  readonly eventType: string;
  /** The JSON body sent, as stored (signed exactly as it is). */
  readonly body: string;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  /** Epoch ms of the next attempt (pending only). */
  readonly nextAttemptAt: number;
  /** The HTTP status of the last attempt, null when none answered. */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface WebhookDeliveryRepository {
  /**
   * Claims pending deliveries due at `now`, oldest first: their next attempt moves to `leaseUntil`,
   * so that no other engine on the store (nor this one) takes them while they are being sent. The
   * attempt's outcome sets the real next time; an engine that dies mid-attempt leaves them due
   * again at `leaseUntil`. Answers the rows as they were before the claim.
   */
  claimWebhookDeliveries(
    now: number,
    limit: number,
    leaseUntil: number,
  ): Promise<WebhookDeliveryRow[]>;
  /** Deletes at most `limit` delivered or failed deliveries last updated before `before`; how many. */
  purgeWebhookDeliveries(before: number, limit: number): Promise<number>;
  /** A subscription's deliveries, newest first. */
  listWebhookDeliveries(
    sandbox: string,
    subscription: string,
    opts: { readonly status?: WebhookDeliveryStatus; readonly limit: number },
  ): Promise<WebhookDeliveryRow[]>;
  webhookDelivery(sandbox: string, id: string): Promise<WebhookDeliveryRow | null>;
}
