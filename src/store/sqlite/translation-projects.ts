// Translation projects on the embedded store (table translation_projects, schema.ts).
import type Database from 'better-sqlite3';
import type { TranslationProjectRepository, TranslationProjectRow } from '../ports.ts';

interface Row {
  sandbox: string;
  id: string;
  status: string;
  created_at: number;
  updated_at: number;
  body: string;
}
const toRow = (r: Row): TranslationProjectRow => ({
  sandbox: r.sandbox,
  id: r.id,
  status: r.status,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  body: JSON.parse(r.body) as unknown,
});
const COLUMNS = 'sandbox, id, status, created_at, updated_at, body';

export class SqliteTranslationProjects implements TranslationProjectRepository {
  private readonly put: Database.Statement;
  private readonly get: Database.Statement;
  private readonly list: Database.Statement;
  private readonly withStatus: Database.Statement;

  constructor(db: Database.Database) {
    this.put = db.prepare(`INSERT INTO translation_projects (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sandbox, id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body`);
    this.get = db.prepare(
      `SELECT ${COLUMNS} FROM translation_projects WHERE sandbox = ? AND id = ?`,
    );
    this.list = db.prepare(
      `SELECT ${COLUMNS} FROM translation_projects WHERE sandbox = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    );
    this.withStatus = db.prepare(
      `SELECT ${COLUMNS} FROM translation_projects WHERE status = ? ORDER BY created_at, sandbox, id`,
    );
  }

  async putTranslationProject(r: TranslationProjectRow): Promise<void> {
    this.put.run(r.sandbox, r.id, r.status, r.createdAt, r.updatedAt, JSON.stringify(r.body));
  }
  async getTranslationProject(sandbox: string, id: string): Promise<TranslationProjectRow | null> {
    const r = this.get.get(sandbox, id) as Row | undefined;
    return r === undefined ? null : toRow(r);
  }
  async listTranslationProjects(
    sandbox: string,
    opts: { limit: number },
  ): Promise<TranslationProjectRow[]> {
    return (this.list.all(sandbox, opts.limit) as Row[]).map(toRow);
  }
  async translationProjectsWithStatus(status: string): Promise<TranslationProjectRow[]> {
    return (this.withStatus.all(status) as Row[]).map(toRow);
  }
}
