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
  private readonly claim: Database.Transaction<
    (now: number, limit: number, leaseUntil: number) => WebhookDeliveryRow[]
  >;
  private readonly purge: Database.Statement;
  private readonly one: Database.Statement;

  constructor(private readonly db: Database.Database) {
    const due = db.prepare(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, created_at LIMIT ?`,
    );
    const lease = db.prepare(
      'UPDATE webhook_deliveries SET next_attempt_at = ? WHERE sandbox = ? AND id = ?',
    );
    // One connection, synchronous statements: the read and the updates are one transaction.
    this.claim = db.transaction((now: number, limit: number, leaseUntil: number) => {
      const rows = (due.all(now, limit) as WebhookDeliverySqlRow[]).map(webhookDeliveryOf);
      for (const r of rows) lease.run(leaseUntil, r.sandbox, r.id);
      return rows;
    });
    this.purge = db.prepare(
      `DELETE FROM webhook_deliveries WHERE (sandbox, id) IN (
         SELECT sandbox, id FROM webhook_deliveries
         WHERE status IN ('delivered', 'failed') AND updated_at < ? ORDER BY updated_at LIMIT ?)`,
    );
    this.one = db.prepare(
      `SELECT ${WEBHOOK_DELIVERY_COLUMNS} FROM webhook_deliveries WHERE sandbox = ? AND id = ?`,
    );
  }

  async claimWebhookDeliveries(
    now: number,
    limit: number,
    leaseUntil: number,
  ): Promise<WebhookDeliveryRow[]> {
    return this.claim.immediate(now, limit, leaseUntil);
  }

  async purgeWebhookDeliveries(before: number, limit: number): Promise<number> {
    return this.purge.run(before, limit).changes;
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
