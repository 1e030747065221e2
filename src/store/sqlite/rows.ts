// Row shapes of the embedded store and their mapping to domain values.
import type { InstanceState } from '../../journey/instance.ts';
import type { JourneyVersion, JourneyStatus } from '../../model/journey.ts';
import type { Profile } from '../../model/profile.ts';
import type { DeadLetter, MessageRecord, OutboxItem } from '../ports.ts';

export interface JourneyRow { sandbox: string; journey_id: string; version: number; status: string; definition: string; created_at: string; updated_at: string; published_at: string | null; closed_at: string | null }
export const toJourneyVersion = (r: JourneyRow): JourneyVersion => ({
  journeyId: r.journey_id,
  version: r.version,
  status: r.status as JourneyStatus,
  definition: JSON.parse(r.definition),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(r.published_at ? { publishedAt: r.published_at } : {}),
  ...(r.closed_at ? { closedAt: r.closed_at } : {}),
});

export interface ProfileRow { id: string; attributes: string; identities: string; test: number; created_at: string; updated_at: string }
export const toProfile = (r: ProfileRow): Profile => ({
  id: r.id,
  attributes: JSON.parse(r.attributes),
  identities: JSON.parse(r.identities),
  testProfile: r.test === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toInstance = (r: { state: string }): InstanceState => JSON.parse(r.state);

export interface OutboxRow { id: string; sandbox: string; kind: string; instance_id: string; journey_id: string; version: number; payload: string; attempts: number; next_attempt_at: number; created_at: number }
export const toOutboxItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  sandbox: r.sandbox,
  kind: r.kind as OutboxItem['kind'],
  instanceId: r.instance_id,
  journeyId: r.journey_id,
  version: r.version,
  payload: JSON.parse(r.payload),
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
});

export interface MessageRow { id: string; sandbox: string; journey_id: string | null; version: number | null; node: string | null; label: string; instance_id: string | null; profile_id: string; channel: string; recipient: string | null; status: string; reason: string | null; subject: string | null; body: string | null; text: string | null; payload: string; created_at: number; updated_at: number }
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
  payload: JSON.parse(r.payload),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface DeadLetterRow { id: number; sandbox: string; event_id: string | null; event_type: string | null; body: string; errors: string; received_at: number; replayed_at: number | null }
export const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  sandbox: r.sandbox,
  eventId: r.event_id,
  eventType: r.event_type,
  body: JSON.parse(r.body),
  errors: JSON.parse(r.errors),
  receivedAt: r.received_at,
  replayedAt: r.replayed_at,
});
