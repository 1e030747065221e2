// The audit log and whole-sandbox reads and erasure on PostgreSQL, the same as the embedded store's
// (sqlite/audit.ts); here a sandbox's asset bytes live in the database too (blobs, keyed `<sandbox>/…`).
import type pg from 'pg';
import {
  ACCESS_SANDBOX,
  AUDIT_COLUMNS,
  auditQuerySql,
  auditValues,
  distinctSandboxesSql,
  SANDBOX_INDEXED_TABLES,
  SANDBOX_TABLES,
  toAuditRow,
  type AuditDbRow,
} from '../audit-sql.ts';
import type { AuditFilter, AuditRepository, AuditRow, SandboxDataRepository } from '../ports.ts';

type Transaction = <T>(fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

export class PostgresAudit implements AuditRepository, SandboxDataRepository {
  /** `transaction`: the store's, so that an erasure waits for the writes queued before it. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly transaction: Transaction,
  ) {}

  async appendAudit(row: AuditRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::json)`,
      auditValues(row),
    );
  }

  async queryAudit(filter: AuditFilter): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const sql = auditQuerySql(filter, (v) => {
      params.push(v);
      return `$${params.length}`;
    });
    const { rows } = await this.pool.query<AuditDbRow<unknown>>(sql, params);
    return rows.map((r) => toAuditRow(r, (j) => j));
  }

  async purgeAudit(before: number): Promise<number> {
    return (await this.pool.query('DELETE FROM audit_log WHERE at < $1', [before])).rowCount ?? 0;
  }

  async sandboxesWithData(): Promise<string[]> {
    const all = new Set<string>();
    for (const t of SANDBOX_INDEXED_TABLES) {
      for (const r of (await this.pool.query<{ sandbox: string }>(distinctSandboxesSql(t))).rows)
        all.add(r.sandbox);
    }
    // `_access` and any other name starting with "_" are reserved spaces, not sandboxes.
    return [...all].filter((s) => s !== ACCESS_SANDBOX && !s.startsWith('_')).sort();
  }

  async eraseSandbox(sandbox: string): Promise<void> {
    await this.transaction(async (client) => {
      for (const t of SANDBOX_TABLES)
        await client.query(`DELETE FROM ${t} WHERE sandbox = $1`, [sandbox]);
      await client.query("DELETE FROM blobs WHERE key LIKE $1 ESCAPE '\\'", [
        `${sandbox.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`,
      ]);
    });
  }
}
