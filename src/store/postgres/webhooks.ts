// Webhook deliveries on PostgreSQL (table webhook_deliveries); written by commit batches.
import type {
  WebhookDeliveryRepository,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
} from '../ports.ts';
import {
  WEBHOOK_DELIVERY_COLUMNS,
  webhookDeliveryOf,
  type WebhookDeliverySqlRow,
} from '../webhook-rows.ts';
import type { PostgresContext } from './context.ts';

export class PostgresWebhookDeliveries implements WebhookDeliveryRepository {
  constructor(private readonly db: PostgresContext) {}

  async dueWebhookDeliveries(now: number, limit: number): Promise<WebhookDeliveryRow[]> {
    const rows = await this.db.rows<WebhookDeliverySqlRow>(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at, created_at LIMIT $2`,
      [now, limit],
    );
    return rows.map(webhookDeliveryOf);
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
