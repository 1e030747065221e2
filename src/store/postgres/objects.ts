// Objects on PostgreSQL: versioned JSON documents by sandbox, kind and key (table objects).
import type { ObjectRepository, StoredObject } from '../ports.ts';
import type { PostgresContext } from './context.ts';
import { toObject, type ObjectRow } from './rows.ts';

export class PostgresObjects implements ObjectRepository {
  constructor(private readonly db: PostgresContext) {}

  async getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null> {
    const [r] = await this.db.rows<ObjectRow>(
      'SELECT * FROM objects WHERE sandbox = $1 AND kind = $2 AND key = $3',
      [sandbox, kind, key],
    );
    return r ? toObject<T>(r) : null;
  }
  async listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>> {
    return (
      await this.db.rows<ObjectRow>(
        'SELECT * FROM objects WHERE sandbox = $1 AND kind = $2 ORDER BY key',
        [sandbox, kind],
      )
    ).map((r) => toObject<T>(r));
  }
  async putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>> {
    const [r] = await this.db.rows<ObjectRow>(
      `INSERT INTO objects (sandbox, kind, key, body, revision, created_at, updated_at) VALUES ($1, $2, $3, $4::json, 1, $5, $5)
      ON CONFLICT (sandbox, kind, key) DO UPDATE SET body = excluded.body, revision = objects.revision + 1, updated_at = excluded.updated_at RETURNING *`,
      [sandbox, kind, key, JSON.stringify(body), now],
    );
    return toObject<T>(r!);
  }
  async deleteObject(sandbox: string, kind: string, key: string): Promise<boolean> {
    return (
      ((
        await this.db.pool.query(
          'DELETE FROM objects WHERE sandbox = $1 AND kind = $2 AND key = $3',
          [sandbox, kind, key],
        )
      ).rowCount ?? 0) > 0
    );
  }
  async listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>> {
    return (
      await this.db.rows<ObjectRow>('SELECT * FROM objects WHERE kind = $1 ORDER BY sandbox, key', [
        kind,
      ])
    ).map((r) => toObject<T>(r));
  }
  async replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean> {
    const r = await this.db.write(() =>
      this.db.pool.query(
        'UPDATE objects SET body = $1::json, revision = revision + 1, updated_at = $2 WHERE sandbox = $3 AND kind = $4 AND key = $5 AND revision = $6',
        [JSON.stringify(body), now, sandbox, kind, key, revision],
      ),
    );
    return (r.rowCount ?? 0) > 0;
  }
}
