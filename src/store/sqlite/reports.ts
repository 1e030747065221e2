// Reports on the embedded store: counters, the delivery log, instance lists and timelines.
import type Database from 'better-sqlite3';
import type { InstanceState } from '../../journey/instance.ts';
import type { CounterRow, MessageRecord, ReportRepository, TimelineRow } from '../ports.ts';
import { toInstance, toMessage, type MessageRow } from './rows.ts';

export class SqliteReports implements ReportRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepare(db);
  }

  async messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null> {
    const r = this.db
      .prepare(
        "SELECT * FROM messages WHERE sandbox = ? AND channel = ? AND json_extract(payload, '$.providerMessageId') = ? LIMIT 1",
      )
      .get(sandbox, channel, providerMessageId) as MessageRow | undefined;
    return r ? toMessage(r) : null;
  }
  async messageById(sandbox: string, id: string): Promise<MessageRecord | null> {
    const r = this.db
      .prepare('SELECT * FROM messages WHERE sandbox = ? AND id = ?')
      .get(sandbox, id) as MessageRow | undefined;
    return r ? toMessage(r) : null;
  }
  async timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]> {
    // better-sqlite3 binds a JS number as REAL: the width is cast so that the division rounds down to a bucket.
    const b = opts.bucketMs;
    return this.db
      .prepare(
        `
      SELECT (entered_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER) AS bucket, 'entered' AS series, COUNT(*) AS value FROM instances
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND entered_at >= @since GROUP BY 1
      UNION ALL
      SELECT (exited_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), CASE WHEN json_extract(state, '$.exitReason') = 'error' THEN 'errors' ELSE 'exited' END, COUNT(*) FROM instances
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND exited_at >= @since AND json_extract(state, '$.exitReason') <> 'instance_timeout' GROUP BY 1, 2
      UNION ALL
      SELECT (CAST(json_extract(p.value, '$.left') AS INTEGER) / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), 'timeouts', COUNT(*) FROM instances, json_each(instances.state, '$.path') AS p
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND entered_at >= @since - 7776000000 AND json_extract(p.value, '$.outcome') = 'timeout'
          AND json_extract(p.value, '$.left') >= @since GROUP BY 1
      UNION ALL
      SELECT (created_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), 'message.' || status, COUNT(*) FROM messages
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND created_at >= @since GROUP BY 1, 2
      UNION ALL
      SELECT (received_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), type, COUNT(*) FROM events
        WHERE sandbox = @sandbox AND type IN ('message.opened', 'message.clicked', 'message.unsubscribed') AND received_at >= @since
          AND json_extract(payload, '$.journeyId') = @journeyId GROUP BY 1, 2
      ORDER BY 1, 2`,
      )
      .all({ b, sandbox, journeyId, since: opts.since }) as TimelineRow[];
  }
  async counters(sandbox: string, journeyId: string): Promise<CounterRow[]> {
    return (
      this.stmts.counters.all(sandbox, journeyId) as Array<{
        version: number;
        node: string;
        metric: string;
        value: number;
      }>
    ).map((r) => ({
      version: r.version,
      node: r.node === '' ? null : r.node,
      metric: r.metric,
      value: r.value,
    }));
  }
  async instances(
    sandbox: string,
    f: { journeyId?: string; profileId?: string; limit: number },
  ): Promise<InstanceState[]> {
    const where = ['sandbox = ?'];
    const args: unknown[] = [sandbox];
    if (f.journeyId) {
      where.push('journey_id = ?');
      args.push(f.journeyId);
    }
    if (f.profileId) {
      where.push('profile_id = ?');
      args.push(f.profileId);
    }
    const sql = `SELECT state FROM instances WHERE ${where.join(' AND ')} ORDER BY entered_at DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as Array<{ state: string }>).map(toInstance);
  }
  async messages(
    sandbox: string,
    f: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]> {
    const where = ['sandbox = ?'];
    const args: unknown[] = [sandbox];
    if (f.profileId) {
      where.push('profile_id = ?');
      args.push(f.profileId);
    }
    if (f.journeyId) {
      where.push('journey_id = ?');
      args.push(f.journeyId);
    }
    if (f.channel) {
      where.push('channel = ?');
      args.push(f.channel);
    }
    const sql = `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as MessageRow[]).map(toMessage);
  }
}

function prepare(db: Database.Database) {
  return {
    counters: db.prepare(
      'SELECT version, node, metric, value FROM counters WHERE sandbox = ? AND journey_id = ? ORDER BY version, node, metric',
    ),
  };
}
