// Webhook deliveries on PostgreSQL (table webhook_deliveries); written by commit batches.
import type {
  WebhookDeliveryRepository,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
} from '../ports.ts';
import {
  oldestDueFirst,
  WEBHOOK_DELIVERY_COLUMNS,
  webhookDeliveryOf,
  type WebhookDeliverySqlRow,
} from '../webhook-rows.ts';
import type { PostgresContext } from './context.ts';

export class PostgresWebhookDeliveries implements WebhookDeliveryRepository {
  constructor(private readonly db: PostgresContext) {}

  async claimWebhookDeliveries(
    now: number,
    limit: number,
    leaseUntil: number,
  ): Promise<WebhookDeliveryRow[]> {
    // SKIP LOCKED: two engines claiming at once take different rows, neither waits for the other.
    const rows = await this.db.rows<WebhookDeliverySqlRow>(
      `WITH due AS (
         SELECT sandbox, id, next_attempt_at FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE webhook_deliveries w SET next_attempt_at = $3 FROM due
       WHERE w.sandbox = due.sandbox AND w.id = due.id
       RETURNING ${WEBHOOK_DELIVERY_COLUMNS.split(',')
         .map((c) => (c.trim() === 'next_attempt_at' ? 'due.next_attempt_at' : `w.${c.trim()}`))
         .join(', ')}`,
      [now, limit, leaseUntil],
    );
    return rows.map(webhookDeliveryOf).sort(oldestDueFirst);
  }

  async purgeWebhookDeliveries(before: number, limit: number): Promise<number> {
    const r = await this.db.pool.query(
      `DELETE FROM webhook_deliveries WHERE (sandbox, id) IN (
         SELECT sandbox, id FROM webhook_deliveries
         WHERE status IN ('delivered', 'failed') AND updated_at < $1 ORDER BY updated_at LIMIT $2)`,
      [before, limit],
    );
    return r.rowCount ?? 0;
  }

  async listWebhookDeliveries(
    sandbox: string,
    subscription: string,
    opts: { status?: WebhookDeliveryStatus; limit: number },
  ): Promise<WebhookDeliveryRow[]> {
    const rows = await this.db.rows<WebhookDeliverySqlRow>(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE sandbox = $1 AND subscription = $2 AND ($3::text IS NULL OR status = $3)
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [sandbox, subscription, opts.status ?? null, opts.limit],
    );
    return rows.map(webhookDeliveryOf);
  }

  async webhookDelivery(sandbox: string, id: string): Promise<WebhookDeliveryRow | null> {
    const rows = await this.db.rows<WebhookDeliverySqlRow>(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE sandbox = $1 AND id = $2`,
      [sandbox, id],
    );
    return rows[0] ? webhookDeliveryOf(rows[0]) : null;
  }
}
