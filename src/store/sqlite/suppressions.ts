// The suppression list on the embedded store (table suppressions); written by commit batches.
import type Database from 'better-sqlite3';
import type { SuppressionChannel, SuppressionReason } from '../../model/suppression.ts';
import type { SuppressionRepository, SuppressionRow } from '../ports.ts';

interface Row {
  sandbox: string;
  channel: string;
  address: string;
  reason: string;
  source: string;
  detail: string | null;
  created_at: number;
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

export class SqliteSuppressions implements SuppressionRepository {
  private readonly one: Database.Statement;
  private readonly db: Database.Database;

  constructor(db: Database.Database) {
    this.db = db;
    this.one = db.prepare(
      `SELECT ${COLUMNS} FROM suppressions WHERE sandbox = ? AND channel = ? AND address = ?`,
    );
  }

  async suppression(
    sandbox: string,
    channel: SuppressionChannel,
    address: string,
  ): Promise<SuppressionRow | null> {
    const r = this.one.get(sandbox, channel, address) as Row | undefined;
    return r ? toRow(r) : null;
  }

  async listSuppressions(
    sandbox: string,
    opts: { search?: string; channel?: SuppressionChannel; limit: number; offset?: number },
  ): Promise<SuppressionRow[]> {
    const where = ['sandbox = ?'];
    const params: unknown[] = [sandbox];
    if (opts.channel !== undefined) {
      where.push('channel = ?');
      params.push(opts.channel);
    }
    if (opts.search !== undefined && opts.search !== '') {
      where.push('instr(lower(address), ?) > 0');
      params.push(opts.search.toLowerCase());
    }
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM suppressions WHERE ${where.join(' AND ')} ORDER BY created_at DESC, address LIMIT ? OFFSET ?`,
      )
      .all(...params, opts.limit, opts.offset ?? 0) as Row[];
    return rows.map(toRow);
  }
}
