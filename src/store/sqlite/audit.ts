// The audit log and whole-sandbox reads and erasure on the embedded store (tables audit_log and
// every table with a sandbox column, schema.ts).
import type Database from 'better-sqlite3';
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

export class SqliteAudit implements AuditRepository, SandboxDataRepository {
  private readonly append: Database.Statement;
  private readonly purge: Database.Statement;
  private readonly queries = new Map<string, Database.Statement>();
  private readonly distinct: Database.Statement[];
  private readonly erase: Database.Transaction<(sandbox: string) => void>;

  constructor(private readonly db: Database.Database) {
    this.append = db.prepare(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.purge = db.prepare('DELETE FROM audit_log WHERE at < ?');
    this.distinct = SANDBOX_INDEXED_TABLES.map((t) => db.prepare(distinctSandboxesSql(t)).pluck());
    const deletes = SANDBOX_TABLES.map((t) => db.prepare(`DELETE FROM ${t} WHERE sandbox = ?`));
    this.erase = db.transaction((sandbox: string) => {
      for (const d of deletes) d.run(sandbox);
    });
  }

  async appendAudit(row: AuditRow): Promise<void> {
    this.append.run(...auditValues(row));
  }

  async queryAudit(filter: AuditFilter): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const sql = auditQuerySql(filter, (v) => {
      params.push(v);
      return '?';
    });
    let st = this.queries.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      // The filters make a handful of shapes; the cache stays small.
      if (this.queries.size < 256) this.queries.set(sql, st);
    }
    return (st.all(...params) as Array<AuditDbRow<string>>).map((r) =>
      toAuditRow(r, (j) => JSON.parse(j) as unknown),
    );
  }

  async purgeAudit(before: number): Promise<number> {
    return this.purge.run(before).changes;
  }

  async sandboxesWithData(): Promise<string[]> {
    const all = new Set<string>();
    for (const st of this.distinct) for (const s of st.all() as string[]) all.add(s);
    // `_access` and any other name starting with "_" are reserved spaces, not sandboxes.
    return [...all].filter((s) => s !== ACCESS_SANDBOX && !s.startsWith('_')).sort();
  }

  async eraseSandbox(sandbox: string): Promise<void> {
    this.erase.immediate(sandbox);
  }
}
