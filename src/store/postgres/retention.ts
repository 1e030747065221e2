// Retention on PostgreSQL: one small DELETE per call on a pool connection of its own, outside the
// store's commit queue (context.ts), so the engine's commits never wait behind a purge.
import type pg from 'pg';
import type { RetentionRepository, RetentionTarget } from '../ports.ts';

const SQL: Record<RetentionTarget, string> = {
  events:
    'DELETE FROM events WHERE sandbox = $1 AND event_id IN (SELECT event_id FROM events WHERE sandbox = $1 AND received_at < $2 ORDER BY received_at LIMIT $3)',
  messages:
    'DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE sandbox = $1 AND created_at < $2 ORDER BY created_at LIMIT $3)',
  deadLetters:
    'DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE sandbox = $1 AND received_at < $2 ORDER BY id LIMIT $3)',
  audit:
    'DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE sandbox = $1 AND at < $2 ORDER BY at LIMIT $3)',
};
const AUDIT_ALL =
  'DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY at LIMIT $2)';

export class PostgresRetention implements RetentionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async purgeBatch(
    target: RetentionTarget,
    sandbox: string | null,
    before: number,
    limit: number,
  ): Promise<number> {
    if (sandbox === null) {
      if (target !== 'audit') return 0;
      return (await this.pool.query(AUDIT_ALL, [before, limit])).rowCount ?? 0;
    }
    return (await this.pool.query(SQL[target], [sandbox, before, limit])).rowCount ?? 0;
  }
}
