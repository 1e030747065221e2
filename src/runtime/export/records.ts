// One line of an export: a message or journey event, flat (the same columns in JSON lines and
// Parquet). Message log records are `message.<status>` at their creation; feedback events keep
// their type; instances give `journey.entered` and `journey.exited`.
import type { ExportRow } from '../../store/ports.ts';

export interface ExportRecord {
  /** `message.sent`, `message.opened`, `journey.entered`, … */
  readonly type: string;
  /** ISO-8601. */
  readonly occurredAt: string;
  readonly sandbox: string;
  readonly profileId: string;
  readonly journeyId: string | null;
  readonly journeyVersion: number | null;
  readonly activityId: string | null;
  readonly instanceId: string | null;
  readonly messageId: string | null;
  readonly eventId: string | null;
  readonly channel: string | null;
  /** A message's status, an instance's status. */
  readonly status: string | null;
  readonly reason: string | null;
  /** The feedback event's payload, as JSON text. */
  readonly payload: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function exportRecord(sandbox: string, r: ExportRow): ExportRecord {
  const base = {
    occurredAt: new Date(r.at).toISOString(),
    sandbox,
    profileId: r.profileId,
    journeyId: r.journeyId,
    journeyVersion: r.version,
    activityId: r.node,
    instanceId: r.instanceId,
    messageId: null,
    eventId: null,
    channel: r.channel,
    status: null,
    reason: r.reason,
    payload: null,
  };
  switch (r.source) {
    case 'event': {
      let p: Record<string, unknown> = {};
      try {
        p = JSON.parse(r.payload ?? '{}') as Record<string, unknown>;
      } catch {
        p = {};
      }
      return {
        ...base,
        type: r.type,
        journeyId: text(p.journeyId),
        journeyVersion: typeof p.journeyVersion === 'number' ? p.journeyVersion : null,
        activityId: text(p.activityId),
        messageId: text(p.messageId),
        eventId: r.id,
        channel: text(p.channel),
        reason: text(p.reason),
        payload: r.payload,
      };
    }
    case 'message':
      return { ...base, type: `message.${r.type}`, messageId: r.id, status: r.type };
    case 'entered':
      return { ...base, type: 'journey.entered', status: r.type };
    case 'exited':
      return { ...base, type: 'journey.exited', status: r.type };
  }
}

/** The columns, in order (Parquet's schema and the documentation follow it). */
export const EXPORT_COLUMNS = [
  'type',
  'occurredAt',
  'sandbox',
  'profileId',
  'journeyId',
  'journeyVersion',
  'activityId',
  'instanceId',
  'messageId',
  'eventId',
  'channel',
  'status',
  'reason',
  'payload',
] as const satisfies ReadonlyArray<keyof ExportRecord>;
