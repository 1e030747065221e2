// Objects on the embedded store: versioned JSON documents by sandbox, kind and key (table objects).
import type Database from 'better-sqlite3';
import type { ObjectRepository, StoredObject } from '../ports.ts';
import { toObject, type ObjectRow } from './rows.ts';

export class SqliteObjects implements ObjectRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
  }

  async getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null> {
    const r = this.stmts.getObject.get(sandbox, kind, key) as ObjectRow | undefined;
    return r ? toObject<T>(r) : null;
  }
  async listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>> {
    return (this.stmts.listObjects.all(sandbox, kind) as ObjectRow[]).map((r) => toObject<T>(r));
  }
  async putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>> {
    this.stmts.putObject.run(sandbox, kind, key, JSON.stringify(body), now, now);
    return (await this.getObject<T>(sandbox, kind, key))!;
  }
  async deleteObject(sandbox: string, kind: string, key: string): Promise<boolean> {
    return this.stmts.deleteObject.run(sandbox, kind, key).changes > 0;
  }
  async listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>> {
    return (this.stmts.listObjectsOfKind.all(kind) as ObjectRow[]).map((r) => toObject<T>(r));
  }
  async replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean> {
    return (
      this.stmts.replaceObjectIfRevision.run(
        JSON.stringify(body),
        now,
        sandbox,
        kind,
        key,
        revision,
      ).changes > 0
    );
  }
}

function prepare(db: Database.Database) {
  return {
    getObject: db.prepare('SELECT * FROM objects WHERE sandbox = ? AND kind = ? AND key = ?'),
    listObjects: db.prepare('SELECT * FROM objects WHERE sandbox = ? AND kind = ? ORDER BY key'),
    putObject:
      db.prepare(`INSERT INTO objects (sandbox, kind, key, body, revision, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)
        ON CONFLICT (sandbox, kind, key) DO UPDATE SET body = excluded.body, revision = revision + 1, updated_at = excluded.updated_at`),
    deleteObject: db.prepare('DELETE FROM objects WHERE sandbox = ? AND kind = ? AND key = ?'),
    listObjectsOfKind: db.prepare('SELECT * FROM objects WHERE kind = ? ORDER BY sandbox, key'),
    replaceObjectIfRevision: db.prepare(
      'UPDATE objects SET body = ?, revision = revision + 1, updated_at = ? WHERE sandbox = ? AND kind = ? AND key = ? AND revision = ?',
    ),
  };
}
