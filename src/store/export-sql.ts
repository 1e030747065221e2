// The export scan (ports/exports.ts) as SQL both adapters run, with their placeholders: a union of
// the four sources in the range, then the page after the cursor in (at, source, id) order.
import type { ExportRow, ExportSource } from './ports.ts';

export interface ExportSqlRow {
  source: string;
  at: number | string;
  id: string;
  type: string;
  profile_id: string;
  journey_id: string | null;
  version: number | string | null;
  node: string | null;
  instance_id: string | null;
  channel: string | null;
  reason: string | null;
  payload: string | null;
}

/** `p(i)`: the dialect's i-th placeholder (1-based); typed NULLs for the union; the payload as text. */
export function exportSql(
  p: (i: number) => string,
  nullText: string,
  nullInt: string,
  payloadText = 'payload',
): string {
  // Parameters: 1 sandbox, 2 from, 3 to, 4 cursor at, 5 cursor source, 6 cursor id, 7 limit.
  return `SELECT * FROM (
    SELECT 'event' AS source, received_at AS at, event_id AS id, type, profile_id, ${nullText} AS journey_id,
      ${nullInt} AS version, ${nullText} AS node, ${nullText} AS instance_id, ${nullText} AS channel, ${nullText} AS reason, ${payloadText} AS payload
    FROM events WHERE sandbox = ${p(1)} AND received_at >= ${p(2)} AND received_at < ${p(3)} AND type LIKE 'message.%'
    UNION ALL
    SELECT 'message', created_at, id, status, profile_id, journey_id, version, node, instance_id, channel, reason, ${nullText}
    FROM messages WHERE sandbox = ${p(1)} AND created_at >= ${p(2)} AND created_at < ${p(3)}
    UNION ALL
    SELECT 'entered', entered_at, id, status, profile_id, journey_id, version, ${nullText}, id, ${nullText}, ${nullText}, ${nullText}
    FROM instances WHERE sandbox = ${p(1)} AND entered_at >= ${p(2)} AND entered_at < ${p(3)}
    UNION ALL
    SELECT 'exited', exited_at, id, status, profile_id, journey_id, version, ${nullText}, id, ${nullText}, ${nullText}, ${nullText}
    FROM instances WHERE sandbox = ${p(1)} AND exited_at >= ${p(2)} AND exited_at < ${p(3)}
  ) u
  WHERE u.at > ${p(4)} OR (u.at = ${p(4)} AND (u.source > ${p(5)} OR (u.source = ${p(5)} AND u.id > ${p(6)})))
  ORDER BY u.at, u.source, u.id LIMIT ${p(7)}`;
}

export const exportParams = (
  sandbox: string,
  range: { from: number; to: number },
  after: { at: number; source: string; id: string } | null,
  limit: number,
): unknown[] => [
  sandbox,
  range.from,
  range.to,
  after?.at ?? -1,
  after?.source ?? '',
  after?.id ?? '',
  limit,
];

export const exportRowOf = (r: ExportSqlRow): ExportRow => ({
  source: r.source as ExportSource,
  at: Number(r.at),
  id: r.id,
  type: r.type,
  profileId: r.profile_id,
  journeyId: r.journey_id,
  version: r.version === null ? null : Number(r.version),
  node: r.node,
  instanceId: r.instance_id,
  channel: r.channel,
  reason: r.reason,
  payload:
    r.payload === null
      ? null
      : typeof r.payload === 'string'
        ? r.payload
        : JSON.stringify(r.payload),
});
