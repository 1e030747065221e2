// The suppression list on PostgreSQL (table suppressions); written by commit batches.
import type { SuppressionChannel, SuppressionReason } from '../../model/suppression.ts';
import type { SuppressionRepository, SuppressionRow } from '../ports.ts';
import type { PostgresContext } from './context.ts';

interface Row {
  sandbox: string;
  channel: string;
  address: string;
  reason: string;
  source: string;
  detail: string | null;
  created_at: string;
}

const toRow = (r: Row): SuppressionRow => ({
  sandbox: r.sandbox,
  channel: r.channel as SuppressionChannel,
  address: r.address,
  reason: r.reason as SuppressionReason,
  source: r.source,
  detail: r.detail,
  createdAt: Number(r.created_at),
});

const COLUMNS = 'sandbox, channel, address, reason, source, detail, created_at';

export class PostgresSuppressions implements SuppressionRepository {
  constructor(private readonly db: PostgresContext) {}

  async suppression(
    sandbox: string,
    channel: SuppressionChannel,
    address: string,
  ): Promise<SuppressionRow | null> {
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM suppressions WHERE sandbox = $1 AND channel = $2 AND address = $3`,
      [sandbox, channel, address],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  async listSuppressions(
    sandbox: string,
    opts: { search?: string; channel?: SuppressionChannel; limit: number; offset?: number },
  ): Promise<SuppressionRow[]> {
    const rows = await this.db.rows<Row>(
      `SELECT ${COLUMNS} FROM suppressions
       WHERE sandbox = $1 AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR strpos(lower(address), $3) > 0)
       ORDER BY created_at DESC, address LIMIT $4 OFFSET $5`,
      [
        sandbox,
        opts.channel ?? null,
        opts.search === undefined || opts.search === '' ? null : opts.search.toLowerCase(),
        opts.limit,
        opts.offset ?? 0,
      ],
    );
    return rows.map(toRow);
  }
}
