// The in-app inbox on PostgreSQL (table in_app_inbox): reads here, writes in the commit batch
// (commit.ts, group inApp).
import type { InAppItemRow, InAppRepository } from '../ports.ts';
import { inAppRowOf, type InAppDbRow } from '../sqlite/in-app.ts';
import type { PostgresContext } from './context.ts';

export class PostgresInApp implements InAppRepository {
  constructor(private readonly db: PostgresContext) {}

  async inAppInbox(sandbox: string, profileId: string): Promise<InAppItemRow[]> {
    const rows = await this.db.rows<InAppDbRow>(
      'SELECT * FROM in_app_inbox WHERE sandbox = $1 AND profile_id = $2 ORDER BY created_at DESC, message_id DESC',
      [sandbox, profileId],
    );
    return rows.map(inAppRowOf);
  }

  async purgeExpiredInApp(now: number, limit: number): Promise<number> {
    const rows = await this.db.rows<{ n: string }>(
      `WITH gone AS (DELETE FROM in_app_inbox WHERE (sandbox, profile_id, message_id) IN
         (SELECT sandbox, profile_id, message_id FROM in_app_inbox WHERE expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at LIMIT $2)
       RETURNING 1) SELECT count(*) AS n FROM gone`,
      [now, limit],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
