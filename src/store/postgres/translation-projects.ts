// Translation projects on PostgreSQL (table translation_projects, schema.ts), the same as the embedded store's.
import type pg from 'pg';
import type { TranslationProjectRepository, TranslationProjectRow } from '../ports.ts';

interface Row {
  sandbox: string;
  id: string;
  status: string;
  created_at: string | number;
  updated_at: string | number;
  body: unknown;
}
// bigint columns come back as strings from node-postgres.
const toRow = (r: Row): TranslationProjectRow => ({
  sandbox: r.sandbox,
  id: r.id,
  status: r.status,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  body: r.body,
});
const COLUMNS = 'sandbox, id, status, created_at, updated_at, body';

export class PostgresTranslationProjects implements TranslationProjectRepository {
  constructor(private readonly pool: pg.Pool) {}

  async putTranslationProject(r: TranslationProjectRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO translation_projects (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::json)
      ON CONFLICT (sandbox, id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, body = excluded.body`,
      [r.sandbox, r.id, r.status, r.createdAt, r.updatedAt, JSON.stringify(r.body)],
    );
  }
  async getTranslationProject(sandbox: string, id: string): Promise<TranslationProjectRow | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM translation_projects WHERE sandbox = $1 AND id = $2`,
      [sandbox, id],
    );
    return rows[0] === undefined ? null : toRow(rows[0]);
  }
  async listTranslationProjects(
    sandbox: string,
    opts: { limit: number },
  ): Promise<TranslationProjectRow[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM translation_projects WHERE sandbox = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [sandbox, opts.limit],
    );
    return rows.map(toRow);
  }
  async translationProjectsWithStatus(status: string): Promise<TranslationProjectRow[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM translation_projects WHERE status = $1 ORDER BY created_at, sandbox, id`,
      [status],
    );
    return rows.map(toRow);
  }
}
