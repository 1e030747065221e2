// What waits on the embedded store, by sandbox and by partition (status pages).
import type Database from 'better-sqlite3';
import type { Backlog, BacklogRepository, PartitionBacklog } from '../ports.ts';

export class SqliteBacklog implements BacklogRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepare(db);
  }

  async backlog(sandbox: string, now: number, cap: number): Promise<Backlog> {
    const r = this.stmts.backlog.get({ sandbox, now, cap }) as {
      timers_due: number;
      next_timer_at: number | null;
      outbox_due: number;
      outbox_retrying: number;
      dead_letters: number;
    };
    return {
      timersDue: r.timers_due,
      nextTimerAt: r.next_timer_at,
      outboxDue: r.outbox_due,
      outboxRetrying: r.outbox_retrying,
      deadLetters: r.dead_letters,
    };
  }
  /** Grouped by partition over every row (the status page's read); `cap` is not needed: one row per partition. */
  async partitionBacklog(now: number, _cap?: number): Promise<PartitionBacklog[]> {
    const rows = this.db
      .prepare(
        `SELECT partition, SUM(timers_due) AS timers_due, MIN(oldest) AS oldest, SUM(outbox) AS outbox FROM (
        SELECT partition, COUNT(*) AS timers_due, MIN(due_at) AS oldest, 0 AS outbox FROM timers WHERE due_at <= ? GROUP BY partition
        UNION ALL SELECT partition, 0, NULL, COUNT(*) FROM outbox GROUP BY partition
      ) GROUP BY partition ORDER BY partition`,
      )
      .all(now) as Array<{
      partition: number;
      timers_due: number;
      oldest: number | null;
      outbox: number;
    }>;
    return rows.map((r) => ({
      partition: r.partition,
      timersDue: r.timers_due,
      oldestDueAt: r.oldest,
      outboxPending: r.outbox,
    }));
  }
}

function prepare(db: Database.Database) {
  return {
    backlog: db.prepare(`SELECT
        (SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE due_at <= @now AND sandbox = @sandbox LIMIT @cap)) AS timers_due,
        (SELECT due_at FROM timers WHERE sandbox = @sandbox ORDER BY due_at LIMIT 1) AS next_timer_at,
        (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE next_attempt_at <= @now AND sandbox = @sandbox LIMIT @cap)) AS outbox_due,
        (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE sandbox = @sandbox AND attempts > 0 LIMIT @cap)) AS outbox_retrying,
        (SELECT COUNT(*) FROM (SELECT 1 FROM dead_letters WHERE sandbox = @sandbox AND replayed_at IS NULL LIMIT @cap)) AS dead_letters`),
  };
}
