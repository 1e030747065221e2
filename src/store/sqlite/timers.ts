// Timers on the embedded store (table timers): one engine fires them all.
import type Database from 'better-sqlite3';
import type { TimerRepository, TimerRow } from '../ports.ts';
import { toTimer, type TimerDbRow } from './rows.ts';

export class SqliteTimers implements TimerRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(db: Database.Database) {
    this.stmts = prepare(db);
  }

  async dueTimers(now: number, limit: number): Promise<TimerRow[]> {
    return (this.stmts.dueTimers.all(now, limit) as TimerDbRow[]).map(toTimer);
  }
  async nextTimerDue(): Promise<number | null> {
    return (this.stmts.nextTimer.get() as { at: number | null }).at;
  }
}

function prepare(db: Database.Database) {
  return {
    dueTimers: db.prepare(
      'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE due_at <= ? ORDER BY due_at LIMIT ?',
    ),
    nextTimer: db.prepare('SELECT MIN(due_at) AS at FROM timers'),
  };
}
