// The export scan on the embedded store (../export-sql.ts).
import type Database from 'better-sqlite3';
import type { ExportCursor, ExportRepository, ExportRow } from '../ports.ts';
import { exportParams, exportRowOf, exportSql, type ExportSqlRow } from '../export-sql.ts';

export class SqliteExports implements ExportRepository {
  private readonly page: Database.Statement;

  constructor(db: Database.Database) {
    const named = (i: number): string => `@p${i}`;
    this.page = db.prepare(exportSql(named, 'NULL', 'NULL'));
  }

  async exportRows(
    sandbox: string,
    range: { from: number; to: number },
    after: ExportCursor | null,
    limit: number,
  ): Promise<ExportRow[]> {
    const params = Object.fromEntries(
      exportParams(sandbox, range, after, limit).map((v, i) => [`p${i + 1}`, v]),
    );
    return (this.page.all(params) as ExportSqlRow[]).map(exportRowOf);
  }
}
