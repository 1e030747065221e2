// Retention on the embedded store: one small DELETE per call, on the store's connection (SQLite has
// one writer: a batch of a few hundred rows by index takes a millisecond or so, and commits of the
// engine run between batches).
import type Database from 'better-sqlite3';
import type { RetentionRepository, RetentionTarget } from '../ports.ts';

export class SqliteRetention implements RetentionRepository {
  private readonly stmts: Record<RetentionTarget, Database.Statement> & {
    auditAll: Database.Statement;
  };

  constructor(db: Database.Database) {
    this.stmts = {
      events: db.prepare(
        'DELETE FROM events WHERE sandbox = ? AND event_id IN (SELECT event_id FROM events WHERE sandbox = ? AND received_at < ? ORDER BY received_at LIMIT ?)',
      ),
      messages: db.prepare(
        'DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE sandbox = ? AND created_at < ? ORDER BY created_at LIMIT ?)',
      ),
      deadLetters: db.prepare(
        'DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE sandbox = ? AND received_at < ? ORDER BY id LIMIT ?)',
      ),
      audit: db.prepare(
        'DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE sandbox = ? AND at < ? ORDER BY at LIMIT ?)',
      ),
      auditAll: db.prepare(
        'DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)',
      ),
    };
  }

  async purgeBatch(
    target: RetentionTarget,
    sandbox: string | null,
    before: number,
    limit: number,
  ): Promise<number> {
    if (sandbox === null) {
      if (target !== 'audit') return 0;
      return this.stmts.auditAll.run(before, limit).changes;
    }
    if (target === 'events') return this.stmts.events.run(sandbox, sandbox, before, limit).changes;
    return this.stmts[target].run(sandbox, before, limit).changes;
  }
}
