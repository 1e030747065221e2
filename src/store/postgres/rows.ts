// Row shapes of the PostgreSQL store and their mapping to domain values. `json` columns arrive
// parsed (node-postgres runs JSON.parse, which keeps a "__proto__" key as data); bigint columns
// arrive as numbers (see `pgTypes` in connection.ts).
import type { InstanceState } from '../../journey/instance.ts';
import type { JourneyStatus, JourneyVersion } from '../../model/journey.ts';
import type { IdentityRef, Profile } from '../../model/profile.ts';
import type { DeadLetter, MembershipRow, MessageRecord, OutboxItem, StoredObject, TimerRow } from '../ports.ts';

export interface ObjectRow { sandbox: string; kind: string; key: string; body: unknown; revision: number; created_at: string; updated_at: string }
export const toObject = <T>(r: ObjectRow): StoredObject<T> => ({
  sandbox: r.sandbox, kind: r.kind, key: r.key, body: r.body as T, revision: r.revision, createdAt: r.created_at, updatedAt: r.updated_at,
});

export interface JourneyRow { sandbox: string; journey_id: string; version: number; status: string; definition: unknown; created_at: string; updated_at: string; published_at: string | null; closed_at: string | null }
export const toJourneyVersion = (r: JourneyRow): JourneyVersion => ({
  journeyId: r.journey_id,
  version: r.version,
  status: r.status as JourneyStatus,
  definition: r.definition as JourneyVersion['definition'],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(r.published_at ? { publishedAt: r.published_at } : {}),
  ...(r.closed_at ? { closedAt: r.closed_at } : {}),
});

export interface ProfileRow { id: string; attributes: Record<string, unknown>; identities: IdentityRef[]; test: boolean; created_at: string; updated_at: string }
export const toProfile = (r: ProfileRow): Profile => ({
  id: r.id, attributes: r.attributes, identities: r.identities, testProfile: r.test, createdAt: r.created_at, updatedAt: r.updated_at,
});

export const toInstance = (r: { state: unknown }): InstanceState => r.state as InstanceState;

export interface TimerDbRow { id: string; sandbox: string; instance_id: string; due_at: number }
export const toTimer = (r: TimerDbRow): TimerRow => ({ id: r.id, sandbox: r.sandbox, instanceId: r.instance_id, dueAt: r.due_at });

export interface OutboxRow { id: string; sandbox: string; kind: string; instance_id: string; journey_id: string; version: number; payload: unknown; attempts: number; next_attempt_at: number; created_at: number }
export const toOutboxItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  sandbox: r.sandbox,
  kind: r.kind as OutboxItem['kind'],
  instanceId: r.instance_id,
  journeyId: r.journey_id,
  version: r.version,
  payload: r.payload,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
});

export interface MessageRow { id: string; sandbox: string; journey_id: string | null; version: number | null; node: string | null; label: string; instance_id: string | null; profile_id: string; channel: string; recipient: string | null; status: string; reason: string | null; subject: string | null; body: string | null; text: string | null; payload: unknown; created_at: number; updated_at: number }
export const toMessage = (r: MessageRow): MessageRecord => ({
  id: r.id,
  sandbox: r.sandbox,
  journeyId: r.journey_id,
  version: r.version,
  node: r.node,
  label: r.label,
  instanceId: r.instance_id,
  profileId: r.profile_id,
  channel: r.channel as MessageRecord['channel'],
  recipient: r.recipient,
  status: r.status as MessageRecord['status'],
  reason: r.reason,
  subject: r.subject,
  body: r.body,
  text: r.text,
  payload: r.payload,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DeadLetterRow { id: number; sandbox: string; event_id: string | null; event_type: string | null; body: unknown; errors: unknown; received_at: number; replayed_at: number | null }
export const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  sandbox: r.sandbox,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  errors: r.errors,
  receivedAt: r.received_at,
  replayedAt: r.replayed_at,
});

export interface MembershipDbRow { profile_id: string; audience: string; status: string; realized_at: number | null; exited_at: number | null }
export const toMembership = (sandbox: string, r: MembershipDbRow): MembershipRow => ({
  sandbox, profileId: r.profile_id, audience: r.audience, status: r.status as MembershipRow['status'], realizedAt: r.realized_at, exitedAt: r.exited_at,
});

/** A member with the identities of its profile (none when the profile is gone). */
export const toMember = (sandbox: string, r: MembershipDbRow & { identities: IdentityRef[] | null }): MembershipRow & { identities: IdentityRef[] } => ({
  ...toMembership(sandbox, r), identities: r.identities ?? [],
});
