// The outbox on PostgreSQL (table outbox): effects waiting, and the marks of their attempts (in fleet mode, fenced by the leases).
import { ErrorCode, WaymarkError } from '../../errors.ts';
import type { MessageRecord, OutboxItem, OutboxRepository, SentMark } from '../ports.ts';
import { storedOutcome, type SentOutcome } from '../records/index.ts';
import { messagesUpsert } from './commit.ts';
import { DB_NOW, type PostgresContext } from './context.ts';
import { toOutboxItem, type OutboxRow } from './rows.ts';

export class PostgresOutbox implements OutboxRepository {
  constructor(private readonly db: PostgresContext) {}

  async pendingOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    const own = this.db.owned();
    if (own) {
      if (own.parts.length === 0) return [];
      // Not an item another engine marked and has not recorded while that engine still heartbeats:
      // it lost the lease while sending, and records the send when done (then this owner finishes it
      // from the record). Sent again, under its idempotency key, only once that engine is dead.
      return (
        await this.db.rows<OutboxRow>(
          `SELECT * FROM outbox o WHERE o.partition = ANY($3::smallint[]) AND o.next_attempt_at <= $1
        AND (o.attempt_started_at IS NULL OR o.sent_at IS NOT NULL OR o.attempt_by IS NULL OR o.attempt_by = $4
          OR NOT EXISTS (SELECT 1 FROM engines e WHERE e.id = o.attempt_by AND e.heartbeat_at > ${DB_NOW} - $5)
          OR o.attempt_started_at < $1::bigint - ${MARK_TRUSTED_MS})
        ORDER BY o.next_attempt_at, o.id LIMIT $2`,
          [Math.floor(now), limit, own.parts, own.owner, own.deadAfterMs],
        )
      ).map(toOutboxItem);
    }
    return (
      await this.db.rows<OutboxRow>(
        'SELECT * FROM outbox WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2',
        [Math.floor(now), limit],
      )
    ).map(toOutboxItem);
  }
  async nextOutboxDue(): Promise<number | null> {
    const own = this.db.owned();
    if (own) {
      if (own.parts.length === 0) return null;
      return (
        (
          await this.db.rows<{ at: number | null }>(
            'SELECT MIN(next_attempt_at) AS at FROM outbox WHERE partition = ANY($1::smallint[])',
            [own.parts],
          )
        )[0]?.at ?? null
      );
    }
    return (
      (
        await this.db.rows<{ at: number | null }>('SELECT MIN(next_attempt_at) AS at FROM outbox')
      )[0]?.at ?? null
    );
  }
  async markOutboxAttempting(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    // Not queued behind the store's writes: the send waits for this mark, and it commutes with them.
    const own = this.db.owned();
    if (!own) {
      await this.db.pool.query(
        'UPDATE outbox SET attempt_started_at = $2 WHERE id = ANY($1::text[])',
        [[...ids].sort(), Math.floor(at)],
      );
      return;
    }
    // A fleet engine marks only items of partitions it still holds (same epoch, unexpired, renewal
    // not overdue), all or none, with its id: the next owner leaves them to it while it lives.
    const unique = [...new Set(ids)].sort();
    const r =
      own.parts.length === 0
        ? { rows: [], rowCount: 0 }
        : await this.db.pool.query<{ id: string; partition: number }>(
            `WITH ok AS (SELECT id FROM outbox WHERE id = ANY($1::text[]) ${LEASED})
      UPDATE outbox SET attempt_started_at = $2, attempt_by = $5 WHERE id IN (SELECT id FROM ok) AND (SELECT COUNT(*) FROM ok) = $6 RETURNING id, partition`,
            [unique, Math.floor(at), own.parts, own.epochs, own.owner, unique.length],
          );
    for (const row of r.rows) this.db.attempting.set(row.id, row.partition);
    if ((r.rowCount ?? 0) < unique.length) {
      throw new WaymarkError(
        ErrorCode.Conflict,
        "this engine no longer holds the lease of some of these outbox items' partitions: nothing is sent (the new owner sends them)",
        { retryable: false, details: { engine: own.owner } },
      );
    }
  }
  async markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void> {
    await this.markOutboxSentMany([{ id, at, outcome }]);
  }
  async markOutboxSentMany(marks: readonly SentMark[]): Promise<void> {
    // Not queued either: every millisecond before this commit is a window in which a crash resends.
    // In a fleet too, whoever owns the partition now: the send happened, and the record keeps the new owner from sending again.
    if (marks.length === 0) return;
    for (const m of marks) this.db.attempting.delete(m.id);
    // Sorted by id: two engines marking overlapping sets lock rows in the same order.
    const sorted = [...marks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // A message's record goes to the delivery log in the same statement (the outcome names it).
    const sent = sorted.flatMap((m) =>
      m.outcome.kind === 'message' ? [{ id: m.id, record: m.outcome.record }] : [],
    );
    const logged =
      sent.length === 0
        ? null
        : messagesUpsert(
            sent.map((m) => m.record),
            sent.map((m) => m.id),
          );
    const first = (logged?.params.length ?? 0) + 1;
    await this.db.pool.query(
      `${logged ? `WITH logged AS (${logged.sql}) ` : ''}UPDATE outbox o SET sent_at = u.at, sent_outcome = u.outcome::json
       FROM unnest($${first}::text[], $${first + 1}::bigint[], $${first + 2}::text[]) AS u(id, at, outcome) WHERE o.id = u.id`,
      [
        ...(logged?.params ?? []),
        sorted.map((m) => m.id),
        sorted.map((m) => Math.floor(m.at)),
        sorted.map((m) => JSON.stringify(storedOutcome(m.outcome))),
      ],
    );
  }
}

/**
 * How long an outbox item marked by another, live engine is left to it: a send lasts at most 30 s
 * (actions time out), so an item still unrecorded after this was not sent to its end there (its
 * send failed and the retry could not commit once the lease was gone); the owner sends it again.
 */
const MARK_TRUSTED_MS = 60_000;

/** Fleet mode: only rows of partitions whose lease this engine still holds (same epoch). */
const LEASED = `AND partition IN (SELECT l.partition FROM partition_leases l JOIN unnest($3::smallint[], $4::bigint[]) AS u(p, e)
  ON l.partition = u.p AND l.epoch = u.e WHERE l.owner = $5 AND l.expires_at > ${DB_NOW})`;
