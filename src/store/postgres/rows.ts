// Row shapes of the PostgreSQL store and their mapping to domain values. `json` columns arrive
// parsed (node-postgres runs JSON.parse, which keeps a "__proto__" key as data); bigint columns
// arrive as numbers (see `pgTypes` in connection.ts).
import * as shared from '../row-mapping.ts';
import type { StoredObject, TimerRow } from '../ports.ts';

export interface ObjectRow { sandbox: string; kind: string; key: string; body: unknown; revision: number; created_at: string; updated_at: string }
export const toObject = <T>(r: ObjectRow): StoredObject<T> => ({
  sandbox: r.sandbox, kind: r.kind, key: r.key, body: r.body as T, revision: r.revision, createdAt: r.created_at, updatedAt: r.updated_at,
});

export interface TimerDbRow { id: string; sandbox: string; instance_id: string; due_at: number }
export const toTimer = (r: TimerDbRow): TimerRow => ({ id: r.id, sandbox: r.sandbox, instanceId: r.instance_id, dueAt: r.due_at });

export type JourneyRow = shared.JourneyRow<unknown>;
export type ProfileRow = shared.ProfileRow<unknown>;
export type OutboxRow = shared.OutboxRow<unknown>;
export type MessageRow = shared.MessageRow<unknown>;
export type DeadLetterRow = shared.DeadLetterRow<unknown>;
export type { MembershipDbRow } from '../row-mapping.ts';
export { toMembership } from '../row-mapping.ts';

export const { toJourneyVersion, toProfile, toInstance, toOutboxItem, toMessage, toDeadLetter, toMember } = shared.rowMapping<unknown>((value) => value);
