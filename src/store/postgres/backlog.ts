// What waits on PostgreSQL, by sandbox and by partition (status pages).
import type { Backlog, BacklogRepository, PartitionBacklog } from '../ports.ts';
import type { PostgresContext } from './context.ts';

export class PostgresBacklog implements BacklogRepository {
  constructor(private readonly db: PostgresContext) {}

  async backlog(sandbox: string, now: number, cap: number): Promise<Backlog> {
    const [r] = await this.db.rows<{
      timers_due: string;
      next_timer_at: number | null;
      outbox_due: string;
      outbox_retrying: string;
      dead_letters: string;
    }>(
      `SELECT
      (SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE due_at <= $2 AND sandbox = $1 LIMIT $3) t) AS timers_due,
      (SELECT MIN(due_at) FROM timers WHERE sandbox = $1) AS next_timer_at,
      (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE next_attempt_at <= $2 AND sandbox = $1 LIMIT $3) o) AS outbox_due,
      (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE sandbox = $1 AND attempts > 0 LIMIT $3) r) AS outbox_retrying,
      (SELECT COUNT(*) FROM (SELECT 1 FROM dead_letters WHERE sandbox = $1 AND replayed_at IS NULL LIMIT $3) d) AS dead_letters`,
      [sandbox, Math.floor(now), cap],
    );
    return {
      timersDue: Number(r!.timers_due),
      nextTimerAt: r!.next_timer_at,
      outboxDue: Number(r!.outbox_due),
      outboxRetrying: Number(r!.outbox_retrying),
      deadLetters: Number(r!.dead_letters),
    };
  }
  /** Grouped by partition over every row (the status page's read); `cap` is not needed: one row per partition. */
  async partitionBacklog(now: number, _cap?: number): Promise<PartitionBacklog[]> {
    const rows = await this.db.rows<{
      partition: number;
      timers_due: string;
      oldest: number | null;
      outbox: string;
    }>(
      `SELECT partition, SUM(timers_due) AS timers_due, MIN(oldest) AS oldest, SUM(outbox) AS outbox FROM (
        SELECT partition, COUNT(*) AS timers_due, MIN(due_at) AS oldest, 0 AS outbox FROM timers WHERE due_at <= $1 GROUP BY partition
        UNION ALL SELECT partition, 0, NULL, COUNT(*) FROM outbox GROUP BY partition
      ) x GROUP BY partition ORDER BY partition`,
      [Math.floor(now)],
    );
    return rows.map((r) => ({
      partition: r.partition,
      timersDue: Number(r.timers_due),
      oldestDueAt: r.oldest === null ? null : Number(r.oldest),
      outboxPending: Number(r.outbox),
    }));
  }
}
