// Asset bytes in PostgreSQL (the runtime's blob port, src/runtime/blobs.ts): with the state in the
// database, a standby that takes over serves the same images without a shared folder.
import type pg from 'pg';

export class PostgresBlobStore {
  constructor(private readonly pool: pg.Pool) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.pool.query(
      'INSERT INTO blobs (key, bytes) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes',
      [key, Buffer.from(bytes)],
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    const r = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE key = $1', [
      key,
    ]);
    return r.rows[0]?.bytes ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.pool.query('DELETE FROM blobs WHERE key = $1', [key]);
  }

  async deleteSandbox(sandbox: string): Promise<void> {
    // eraseSandbox deletes these in its transaction already; this keeps the port whole for other callers.
    await this.pool.query("DELETE FROM blobs WHERE key LIKE $1 || '/%'", [sandbox]);
  }
}
