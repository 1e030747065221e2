// The webhook_deliveries row as both adapters read it (src/store/sqlite/webhooks.ts, postgres/webhooks.ts).
import type { WebhookDeliveryRow, WebhookDeliveryStatus } from './ports.ts';

export interface WebhookDeliverySqlRow {
  sandbox: string;
  id: string;
  subscription: string;
  event_type: string;
  body: string;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string;
  last_status: number | null;
  last_error: string | null;
  created_at: number | string;
  updated_at: number | string;
}

export const WEBHOOK_DELIVERY_COLUMNS =
  'sandbox, id, subscription, event_type, body, status, attempts, next_attempt_at, last_status, last_error, created_at, updated_at';

export const webhookDeliveryOf = (r: WebhookDeliverySqlRow): WebhookDeliveryRow => ({
  sandbox: r.sandbox,
  id: r.id,
  subscription: r.subscription,
  eventType: r.event_type,
  body: r.body,
  status: r.status as WebhookDeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** Due order: the earliest next attempt first, then the oldest. */
export const oldestDueFirst = (a: WebhookDeliveryRow, b: WebhookDeliveryRow): number =>
  a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt;
