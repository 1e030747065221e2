// Webhook deliveries on the embedded store (table webhook_deliveries); written by commit batches.
import type Database from 'better-sqlite3';
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

export class SqliteWebhookDeliveries implements WebhookDeliveryRepository {
  private readonly due: Database.Statement;
  private readonly one: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.due = db.prepare(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, created_at LIMIT ?`,
    );
    this.one = db.prepare(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE sandbox = ? AND id = ?`,
    );
  }

  async dueWebhookDeliveries(now: number, limit: number): Promise<WebhookDeliveryRow[]> {
    return (this.due.all(now, limit) as WebhookDeliverySqlRow[]).map(webhookDeliveryOf);
  }

  async listWebhookDeliveries(
    sandbox: string,
    subscription: string,
    opts: { status?: WebhookDeliveryStatus; limit: number },
  ): Promise<WebhookDeliveryRow[]> {
    const rows = this.db
      .prepare(
        `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE sandbox = ? AND subscription = ? AND (? IS NULL OR status = ?)
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(
        sandbox,
        subscription,
        opts.status ?? null,
        opts.status ?? null,
        opts.limit,
      ) as WebhookDeliverySqlRow[];
    return rows.map(webhookDeliveryOf);
  }

  async webhookDelivery(sandbox: string, id: string): Promise<WebhookDeliveryRow | null> {
    const r = this.one.get(sandbox, id) as WebhookDeliverySqlRow | undefined;
    return r ? webhookDeliveryOf(r) : null;
  }
}
