// The outbox on the embedded store (table outbox): effects waiting, and the marks of their attempts.
import type Database from 'better-sqlite3';
import type { MessageRecord, OutboxItem, OutboxRepository, SentMark } from '../ports.ts';
import type { SentOutcome } from '../records/index.ts';
import { toOutboxItem, type OutboxRow } from './rows.ts';

export class SqliteOutbox implements OutboxRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepare(db);
  }

  async pendingOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return (this.stmts.pendingOutbox.all(now, limit) as OutboxRow[]).map(toOutboxItem);
  }
  async nextOutboxDue(): Promise<number | null> {
    return (this.stmts.nextOutbox.get() as { at: number | null }).at;
  }
  async markOutboxAttempting(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const id of ids) this.stmts.attemptingOutbox.run(at, id);
    })();
  }
  async markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void> {
    this.stmts.sentOutbox.run(at, JSON.stringify(outcome), id);
  }
  async markOutboxSentMany(marks: readonly SentMark[]): Promise<void> {
    if (marks.length === 0) return;
    this.db.transaction(() => {
      for (const m of marks) this.stmts.sentOutbox.run(m.at, JSON.stringify(m.outcome), m.id);
    })();
  }
}

function prepare(db: Database.Database) {
  return {
    pendingOutbox: db.prepare(
      'SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?',
    ),
    nextOutbox: db.prepare('SELECT MIN(next_attempt_at) AS at FROM outbox'),
    attemptingOutbox: db.prepare('UPDATE outbox SET attempt_started_at = ? WHERE id = ?'),
    sentOutbox: db.prepare('UPDATE outbox SET sent_at = ?, sent_outcome = ? WHERE id = ?'),
  };
}
