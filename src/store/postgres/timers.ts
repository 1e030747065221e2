// Timers on PostgreSQL (table timers): in fleet mode, those of the partitions this engine holds.
import type { TimerRepository, TimerRow } from '../ports.ts';
import type { PostgresContext } from './context.ts';
import { toTimer, type TimerDbRow } from './rows.ts';

export class PostgresTimers implements TimerRepository {
  constructor(private readonly db: PostgresContext) {}

  async dueTimers(now: number, limit: number): Promise<TimerRow[]> {
    const own = this.db.owned();
    if (own) {
      if (own.parts.length === 0) return [];
      return (
        await this.db.rows<TimerDbRow>(
          'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE partition = ANY($3::smallint[]) AND due_at <= $1 ORDER BY due_at, id LIMIT $2',
          [Math.floor(now), limit, own.parts],
        )
      ).map(toTimer);
    }
    return (
      await this.db.rows<TimerDbRow>(
        'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2',
        [Math.floor(now), limit],
      )
    ).map(toTimer);
  }
  async nextTimerDue(): Promise<number | null> {
    const own = this.db.owned();
    if (own) {
      if (own.parts.length === 0) return null;
      return (
        (
          await this.db.rows<{ at: number | null }>(
            'SELECT MIN(due_at) AS at FROM timers WHERE partition = ANY($1::smallint[])',
            [own.parts],
          )
        )[0]?.at ?? null
      );
    }
    return (
      (await this.db.rows<{ at: number | null }>('SELECT MIN(due_at) AS at FROM timers'))[0]?.at ??
      null
    );
  }
}
