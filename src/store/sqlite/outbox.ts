// The outbox on the embedded store (table outbox): effects waiting, and the marks of their attempts.
import type Database from 'better-sqlite3';
import type { MessageRecord, OutboxItem, OutboxRepository, SentMark } from '../ports.ts';
import { storedOutcome, type SentOutcome } from '../records/index.ts';
import { messageParams } from './commit.ts';
import { toOutboxItem, type OutboxRow } from './rows.ts';
import type { WriteChannel } from './write-channel.ts';
import type { WriteOp } from './write-sql.ts';

export class SqliteOutbox implements OutboxRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  /** The marks go where commits go (write-channel.ts), so that they never wait on a commit's lock. */
  constructor(
    db: Database.Database,
    private readonly writes: WriteChannel,
  ) {
    this.stmts = prepare(db);
  }

  async pendingOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return (this.stmts.pendingOutbox.all(now, limit) as OutboxRow[]).map(toOutboxItem);
  }
  async nextOutboxDue(): Promise<number | null> {
    return (this.stmts.nextOutbox.get() as { at: number | null }).at;
  }
  async markOutboxAttempting(ids: readonly string[], at: number): Promise<void> {
    await this.writes.write(ids.map((id) => ({ s: 'markAttempting', a: [at, id] })));
  }
  async markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void> {
    await this.markOutboxSentMany([{ id, at, outcome }]);
  }
  async markOutboxSentMany(marks: readonly SentMark[]): Promise<void> {
    await this.writes.write(
      marks.flatMap((m): WriteOp[] => [
        ...(m.outcome.kind === 'message'
          ? [
              {
                s: 'logSentMessage' as const,
                a: [{ ...messageParams(m.outcome.record), outboxId: m.id }],
              },
            ]
          : []),
        { s: 'markSent', a: [m.at, JSON.stringify(storedOutcome(m.outcome)), m.id] },
      ]),
    );
  }
}

function prepare(db: Database.Database) {
  return {
    pendingOutbox: db.prepare(
      'SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?',
    ),
    nextOutbox: db.prepare('SELECT MIN(next_attempt_at) AS at FROM outbox'),
  };
}
