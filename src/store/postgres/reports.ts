// Reports on PostgreSQL: counters, the delivery log, instance lists and timelines.
import type { InstanceState } from '../../journey/instance.ts';
import type { CounterRow, MessageRecord, ReportRepository, TimelineRow } from '../ports.ts';
import { ms } from './commit.ts';
import type { PostgresContext } from './context.ts';
import { toInstance, toMessage, type MessageRow } from './rows.ts';

export class PostgresReports implements ReportRepository {
  constructor(private readonly db: PostgresContext) {}

  async messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null> {
    const [r] = await this.db.rows<MessageRow>(
      `SELECT * FROM messages WHERE sandbox = $1 AND channel = $2 AND ${safe('payload')} ->> 'providerMessageId' = $3 LIMIT 1`,
      [sandbox, channel, providerMessageId],
    );
    return r ? toMessage(r) : null;
  }
  async messageById(sandbox: string, id: string): Promise<MessageRecord | null> {
    const [r] = await this.db.rows<MessageRow>(
      'SELECT * FROM messages WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    return r ? toMessage(r) : null;
  }
  async timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]> {
    // $1 sandbox, $2 journey, $3 since, $4 bucket width; the same series as the embedded store's query.
    return this.db.rows<TimelineRow>(
      `SELECT bucket, series, value FROM (
      SELECT (entered_at / $4::bigint) * $4::bigint AS bucket, 'entered' AS series, COUNT(*) AS value FROM instances
        WHERE sandbox = $1 AND journey_id = $2 AND entered_at >= $3 GROUP BY 1
      UNION ALL
      SELECT (exited_at / $4::bigint) * $4::bigint, CASE WHEN ${safe('state')} ->> 'exitReason' = 'error' THEN 'errors' ELSE 'exited' END, COUNT(*) FROM instances
        WHERE sandbox = $1 AND journey_id = $2 AND exited_at >= $3 AND ${safe('state')} ->> 'exitReason' <> 'instance_timeout' GROUP BY 1, 2
      UNION ALL
      SELECT (trunc((p ->> 'left')::numeric)::bigint / $4::bigint) * $4::bigint, 'timeouts', COUNT(*) FROM instances, json_array_elements(${safe('instances.state')} -> 'path') AS p
        WHERE sandbox = $1 AND journey_id = $2 AND entered_at >= $3::bigint - 7776000000 AND p ->> 'outcome' = 'timeout'
          AND (p ->> 'left')::numeric >= $3 GROUP BY 1
      UNION ALL
      SELECT (created_at / $4::bigint) * $4::bigint, 'message.' || status, COUNT(*) FROM messages
        WHERE sandbox = $1 AND journey_id = $2 AND created_at >= $3 GROUP BY 1, 2
      UNION ALL
      SELECT (received_at / $4::bigint) * $4::bigint, type, COUNT(*) FROM events
        WHERE sandbox = $1 AND type IN ('message.opened', 'message.clicked', 'message.unsubscribed') AND received_at >= $3
          AND ${safe('payload')} ->> 'journeyId' = $2 GROUP BY 1, 2
      ) AS t ORDER BY bucket, series COLLATE "C"`,
      [sandbox, journeyId, ms(opts.since), opts.bucketMs],
    );
  }
  async counters(sandbox: string, journeyId: string): Promise<CounterRow[]> {
    const rows = await this.db.rows<{
      version: number;
      node: string;
      metric: string;
      value: number;
    }>(
      'SELECT version, node, metric, value FROM counters WHERE sandbox = $1 AND journey_id = $2 ORDER BY version, node, metric',
      [sandbox, journeyId],
    );
    return rows.map((r) => ({
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
    const where = ['sandbox = $1'];
    const args: unknown[] = [sandbox];
    if (f.journeyId) {
      args.push(f.journeyId);
      where.push(`journey_id = $${args.length}`);
    }
    if (f.profileId) {
      args.push(f.profileId);
      where.push(`profile_id = $${args.length}`);
    }
    args.push(f.limit);
    return (
      await this.db.rows<{ state: unknown }>(
        `SELECT state FROM instances WHERE ${where.join(' AND ')} ORDER BY entered_at DESC, id LIMIT $${args.length}`,
        args,
      )
    ).map(toInstance);
  }
  async messages(
    sandbox: string,
    f: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]> {
    const where = ['sandbox = $1'];
    const args: unknown[] = [sandbox];
    if (f.profileId) {
      args.push(f.profileId);
      where.push(`profile_id = $${args.length}`);
    }
    if (f.journeyId) {
      args.push(f.journeyId);
      where.push(`journey_id = $${args.length}`);
    }
    if (f.channel) {
      args.push(f.channel);
      where.push(`channel = $${args.length}`);
    }
    args.push(f.limit);
    return (
      await this.db.rows<MessageRow>(
        `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${args.length}`,
        args,
      )
    ).map(toMessage);
  }
}

/**
 * A json column that PostgreSQL's JSON operators can read: they refuse a document holding a
 * \u0000 escape anywhere (it has no text form), which a stored payload may hold. Replacing the
 * escape does not change the members these queries read (engine-written fields).
 */
function safe(column: string): string {
  return `replace(${column}::text, '\\u0000', '\\ufffd')::json`;
}
