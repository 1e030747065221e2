// The outbox: effects waiting to be carried out (custom actions, messages), with their attempts.
import type { OutboxRecord, RecordedOutcome, SentOutcome } from '../records/outbox-record.ts';
import type { MessageRecord } from './reports.ts';

/** An outbox item's bookkeeping; what it carries (kind, format, effect) is its OutboxRecord (../records/outbox-record.ts). */
interface OutboxBookkeeping {
  readonly id: string;
  readonly sandbox: string;
  readonly instanceId: string;
  readonly journeyId: string;
  readonly version: number;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly createdAt: number;
  /** When the current attempt started (marked durably before anything goes on the wire); null when none is under way. */
  readonly attemptStartedAt?: number | null;
  /** The outcome of a send that completed, recorded right after it and before the journey takes it; null until then. */
  readonly sent?: { readonly at: number; readonly outcome: RecordedOutcome<MessageRecord> } | null;
}

/** An effect waiting to be carried out: `kind` says which, `payload` is the effect (typed by kind), `v` its format. */
export type OutboxItem = OutboxBookkeeping & OutboxRecord;

export interface OutboxRepository {
  pendingOutbox(now: number, limit: number): Promise<OutboxItem[]>;
  nextOutboxDue(): Promise<number | null>;
  /**
   * Marks items as being attempted, durably, before their network calls: an item a restart finds
   * still marked was cut by a crash (and may have reached the provider). A retry clears the mark.
   */
  markOutboxAttempting(ids: readonly string[], at: number): Promise<void>;
  /**
   * Records an item's outcome as soon as its send completed, before the journey takes it: a restart
   * finishes the item from this record instead of sending again. A message's record goes into the
   * delivery log in the same transaction, and the item keeps its id (`messageStored`): the journey
   * taking the outcome then need not write it again. No-op for an item already done (the delivery
   * log included).
   */
  markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void>;
  /** The same for several items at once (one transaction, one round trip): the writer gathers the sends that completed together. */
  markOutboxSentMany(marks: readonly SentMark[]): Promise<void>;
}

/** A completed send to record on its outbox item. */
export interface SentMark {
  readonly id: string;
  readonly at: number;
  readonly outcome: SentOutcome<MessageRecord>;
}
