// The export scan on PostgreSQL (../export-sql.ts).
import type { ExportCursor, ExportRepository, ExportRow } from '../ports.ts';
import { exportParams, exportRowOf, exportSql, type ExportSqlRow } from '../export-sql.ts';
import type { PostgresContext } from './context.ts';

const SQL = exportSql((i) => `$${i}`, 'NULL::text', 'NULL::integer', 'payload::text');

export class PostgresExports implements ExportRepository {
  constructor(private readonly db: PostgresContext) {}

  async exportRows(
    sandbox: string,
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRow[]> {
    const rows = await this.db.rows<ExportSqlRow>(SQL, exportParams(sandbox, range, after, limit));
    return rows.map(exportRowOf);
  }
}
