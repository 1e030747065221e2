// Row shapes both stores share (the same tables and columns) and their mapping to domain values.
// They differ only in how a JSON column arrives: SQLite hands over its text, node-postgres has
// already parsed it; `J` is that column's type and `json` turns it into the value.
import type { InstanceState } from '../journey/instance.ts';
import type { JourneyStatus, JourneyVersion } from '../model/journey.ts';
import type { IdentityRef, Profile } from '../model/profile.ts';
import type {
  DeadLetter,
  JourneyTotals,
  MembershipRow,
  MessageRecord,
  OutboxItem,
  StoredObject,
  TimerRow,
} from './ports.ts';
import {
  decodeInstanceState,
  decodeOutboxRecord,
  decodeSentOutcome,
  decodeTimer,
} from './records/index.ts';

export interface JourneyRow<J> {
  sandbox: string;
  journey_id: string;
  version: number;
  status: string;
  definition: J;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  closed_at: string | null;
  revision?: number;
}
/** `test` is SQLite's 0/1 or PostgreSQL's boolean. */
export interface ProfileRow<J> {
  id: string;
  attributes: J;
  identities: J;
  test: number | boolean;
  created_at: string;
  updated_at: string;
}
export interface OutboxRow<J> {
  id: string;
  sandbox: string;
  kind: string;
  instance_id: string;
  journey_id: string;
  version: number;
  payload: J;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  attempt_started_at?: number | null;
  sent_at?: number | null;
  sent_outcome?: J | null;
}
export interface MessageRow<J> {
  id: string;
  sandbox: string;
  journey_id: string | null;
  version: number | null;
  node: string | null;
  label: string;
  instance_id: string | null;
  profile_id: string;
  channel: string;
  recipient: string | null;
  status: string;
  reason: string | null;
  subject: string | null;
  body: string | null;
  text: string | null;
  payload: J;
  created_at: number;
  updated_at: number;
}
export interface DeadLetterRow<J> {
  id: number;
  sandbox: string;
  event_id: string | null;
  event_type: string | null;
  body: J;
  errors: J;
  received_at: number;
  replayed_at: number | null;
}
export interface ObjectRow<J> {
  sandbox: string;
  kind: string;
  key: string;
  body: J;
  revision: number;
  created_at: string;
  updated_at: string;
}
/** `record`: the timer's kind-specific part (records/timer-record.ts); null in rows written before it was kept. */
export interface TimerDbRow<J> {
  id: string;
  sandbox: string;
  instance_id: string;
  due_at: number;
  record: J | null;
}
export interface MembershipDbRow {
  profile_id: string;
  audience: string;
  status: string;
  realized_at: number | null;
  exited_at: number | null;
}

export const toMembership = (sandbox: string, r: MembershipDbRow): MembershipRow => ({
  sandbox,
  profileId: r.profile_id,
  audience: r.audience,
  status: r.status as MembershipRow['status'],
  realizedAt: r.realized_at,
  exitedAt: r.exited_at,
});

export function rowMapping<J>(json: (value: J) => unknown) {
  return {
    toObject: <T>(r: ObjectRow<J>): StoredObject<T> => ({
      sandbox: r.sandbox,
      kind: r.kind,
      key: r.key,
      body: json(r.body) as T,
      revision: r.revision,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
    toJourneyVersion: (r: JourneyRow<J>): JourneyVersion => ({
      journeyId: r.journey_id,
      version: r.version,
      status: r.status as JourneyStatus,
      definition: json(r.definition) as JourneyVersion['definition'],
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      revision: r.revision ?? 1,
      ...(r.published_at ? { publishedAt: r.published_at } : {}),
      ...(r.closed_at ? { closedAt: r.closed_at } : {}),
    }),
    toProfile: (r: ProfileRow<J>): Profile => ({
      id: r.id,
      attributes: json(r.attributes) as Profile['attributes'],
      identities: json(r.identities) as IdentityRef[],
      testProfile: r.test === 1 || r.test === true,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
    /** A stored state, upgraded to the current format (throws when it cannot be read). */
    toInstance: (r: { state: J }): InstanceState => decodeInstanceState(json(r.state)),
    /** A stored timer by kind (throws when it cannot be read). */
    toTimer: (r: TimerDbRow<J>): TimerRow =>
      decodeTimer({
        id: r.id,
        sandbox: r.sandbox,
        instanceId: r.instance_id,
        dueAt: r.due_at,
        record: r.record === null || r.record === undefined ? null : json(r.record),
      }),
    /** A stored outbox item by kind, its effect and recorded outcome decoded (throws when it cannot be read). */
    toOutboxItem: (r: OutboxRow<J>): OutboxItem =>
      Object.assign(
        {
          id: r.id,
          sandbox: r.sandbox,
          instanceId: r.instance_id,
          journeyId: r.journey_id,
          version: r.version,
          attempts: r.attempts,
          nextAttemptAt: r.next_attempt_at,
          createdAt: r.created_at,
          attemptStartedAt: r.attempt_started_at ?? null,
          sent:
            r.sent_at === null || r.sent_at === undefined
              ? null
              : {
                  at: r.sent_at,
                  outcome: decodeSentOutcome<MessageRecord>(
                    r.id,
                    r.sent_outcome === null || r.sent_outcome === undefined
                      ? null
                      : json(r.sent_outcome),
                  ),
                },
        },
        decodeOutboxRecord(r.id, r.kind, json(r.payload)),
      ),
    toMessage: (r: MessageRow<J>): MessageRecord => ({
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
      payload: json(r.payload),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
    toDeadLetter: (r: DeadLetterRow<J>): DeadLetter => ({
      id: r.id,
      sandbox: r.sandbox,
      eventId: r.event_id,
      eventType: r.event_type,
      body: json(r.body),
      errors: json(r.errors),
      receivedAt: r.received_at,
      replayedAt: r.replayed_at,
    }),
    /** A member with the identities of its profile (none when the profile is gone). */
    toMember: (
      sandbox: string,
      r: MembershipDbRow & { identities: J | null },
    ): MembershipRow & { identities: IdentityRef[] } => ({
      ...toMembership(sandbox, r),
      identities: r.identities === null ? [] : (json(r.identities) as IdentityRef[]),
    }),
  };
}

/** Journey totals from grouped counter sums (journey-level metrics) and active-instance counts, in journey id order. */
export function foldJourneyTotals(
  counters: ReadonlyArray<{ journey_id: string; metric: string; value: number | string }>,
  active: ReadonlyArray<{ journey_id: string; n: number | string }>,
): JourneyTotals[] {
  const byId = new Map<
    string,
    {
      journeyId: string;
      entered: number;
      exited: number;
      errors: number;
      timeouts: number;
      active: number;
    }
  >();
  const of = (id: string) => {
    let t = byId.get(id);
    if (!t) {
      t = { journeyId: id, entered: 0, exited: 0, errors: 0, timeouts: 0, active: 0 };
      byId.set(id, t);
    }
    return t;
  };
  const field = {
    entered: 'entered',
    exited: 'exited',
    error: 'errors',
    timeout: 'timeouts',
  } as const;
  for (const r of counters) {
    const key = field[r.metric as keyof typeof field];
    if (key) of(r.journey_id)[key] += Number(r.value);
  }
  for (const r of active) of(r.journey_id).active += Number(r.n);
  return [...byId.values()].sort((a, b) =>
    a.journeyId < b.journeyId ? -1 : a.journeyId > b.journeyId ? 1 : 0,
  );
}
