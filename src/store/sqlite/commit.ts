// The embedded store's commit of a batch (../batch/plan.ts holds the semantics, shared with the
// PostgreSQL store): the plan turned into statements, one per row in the plan's order, run in one
// transaction where the channel runs them (write-channel.ts: this thread, or the commit thread).
// The plan is not grouped: SQLite applies rows one at a time, so a row written twice ends as the
// plan's folding rules say by the statements' own upserts. The partition column is derived in SQL
// (a row takes its profile's or its instance's, see each statement in write-sql.ts).
import { planBatch } from '../batch/plan.ts';
import type { BatchRepository, CommitBatch, CommitOptions, MessageRecord } from '../ports.ts';
import { partitionOfKey, partitionOfProfile } from '../../shared/partition.ts';
import { encodeOutboxPayload, encodeTimer } from '../records/index.ts';
import type { WriteChannel } from './write-channel.ts';
import { ERASE_STEPS, MERGE_STEPS, type WriteKey, type WriteOp } from './write-sql.ts';

/**
 * Commits sent to the commit thread before the oldest is answered. With one, the writer waits for
 * each commit before sending the next, and a client with a few calls in flight sees them split
 * unevenly (3 calls committing, 1 prepared, then waiting): the writer's thread idled a quarter of
 * the time. Four is the bench's calls in flight; eight measured no better.
 */
export const THREAD_COMMITS_IN_FLIGHT = 4;

/** Commits batches through `writes`, each in one transaction. */
export class SqliteBatch implements BatchRepository {
  constructor(
    private readonly writes: WriteChannel,
    /** Told how many statements each commit has (the checkpointer paces itself by it). */
    private readonly sawCommit: (statements: number) => void = () => undefined,
  ) {}

  commit(batch: CommitBatch, opts?: CommitOptions): Promise<void> {
    const ops = batchWrites(batch);
    this.sawCommit(ops.length);
    return this.writes.write(ops, opts?.waited === true);
  }

  /** On the commit thread the writer may prepare its next group while a commit runs. */
  asyncCommits(): boolean {
    return this.writes.threaded();
  }

  /**
   * The commit thread takes the next commits while one runs, and applies them in the order sent:
   * the writer prepares a group behind several (BENCHMARKS.md, 2026-12-06 20:00).
   */
  commitsInFlight(): number {
    return this.writes.threaded() ? THREAD_COMMITS_IN_FLIGHT : 1;
  }
}

/** A delivery log record as the named parameters of `putMessage` and `logSentMessage`. */
export const messageParams = (m: MessageRecord): Record<string, unknown> => ({
  ...m,
  payload: JSON.stringify(m.payload),
});

/** The statements that commit a batch, in order. */
export function batchWrites(b: CommitBatch): WriteOp[] {
  const ops: WriteOp[] = [];
  const put = (s: WriteKey, ...a: unknown[]): void => {
    ops.push({ s, a });
  };
  for (const w of planBatch(b, { grouped: false })) {
    switch (w.kind) {
      case 'events':
        for (const e of w.rows)
          put(
            'putEvent',
            e.sandbox,
            e.eventId,
            e.type,
            e.profileId,
            JSON.stringify(e.payload),
            e.receivedAt,
            e.fingerprint ?? null,
          );
        break;
      case 'deadLetters':
        for (const d of w.rows)
          put(
            'putDeadLetter',
            d.sandbox,
            d.eventId,
            d.eventType,
            JSON.stringify(d.body),
            JSON.stringify(d.errors),
            d.receivedAt,
          );
        break;
      case 'deadLettersReplayed':
        for (const d of w.rows) put('replayedDeadLetter', d.at, d.id);
        break;
      case 'profiles':
        for (const p of w.rows)
          put(
            'putProfile',
            p.sandbox,
            p.id,
            JSON.stringify(p.attributes),
            JSON.stringify(p.identities),
            p.testProfile ? 1 : 0,
            p.createdAt,
            p.updatedAt,
            partitionOfProfile(p),
          );
        break;
      case 'identities':
        for (const i of w.rows) put('putIdentity', i.sandbox, i.namespace, i.value, i.profileId);
        break;
      case 'instances':
        for (const { sandbox, last: i } of w.rows)
          put(
            'putInstance',
            i.id,
            sandbox,
            i.journeyId,
            i.version,
            i.profileId,
            i.status,
            JSON.stringify(i),
            i.enteredAt,
            i.exitedAt ?? null,
            sandbox,
            i.profileId,
          );
        break;
      case 'timersRemove':
        for (const id of w.ids) put('removeTimer', id);
        break;
      case 'timersAdd':
        for (const t of w.rows) {
          const e = encodeTimer(t);
          put(
            'addTimer',
            t.id,
            t.sandbox,
            e.instanceId,
            t.dueAt,
            JSON.stringify(e.record),
            e.instanceId,
            e.instanceId,
            t.sandbox,
            e.instanceId,
            partitionOfKey(e.instanceId),
          );
        }
        break;
      case 'outboxAdd':
        for (const o of w.rows)
          put(
            'addOutbox',
            o.id,
            o.sandbox,
            o.kind,
            o.instanceId,
            o.journeyId,
            o.version,
            JSON.stringify(encodeOutboxPayload(o)),
            o.attempts,
            o.nextAttemptAt,
            o.createdAt,
            o.instanceId,
          );
        break;
      case 'outboxDone':
        for (const id of w.ids) put('doneOutbox', id);
        break;
      case 'outboxRetry':
        for (const r of w.rows) put('retryOutbox', r.tries, r.nextAttemptAt, r.error, r.id);
        break;
      case 'counters':
        for (const c of w.rows)
          put('counter', c.sandbox, c.journeyId, c.version, c.node, c.metric, c.delta);
        break;
      case 'messages':
        for (const m of w.rows) put('putMessage', messageParams(m));
        break;
      case 'testTrace':
        for (const t of w.rows)
          put(
            'putTestTrace',
            t.sandbox,
            t.runId,
            t.journeyId,
            t.version,
            t.profileId,
            t.at,
            JSON.stringify(t.entry),
          );
        break;
      case 'profileMerge': {
        const m = w.merge;
        for (const [key, args] of MERGE_STEPS) put(key, ...args(m.into, m.sandbox, m.from));
        break;
      }
      case 'profileDeletes':
        for (const d of w.rows) for (const key of ERASE_STEPS) put(key, d.sandbox, d.profileId);
        break;
      case 'membershipsRemove':
        for (const r of w.rows)
          r.profileId === undefined
            ? put('removeAudience', r.sandbox, r.audience)
            : put('removeMembership', r.sandbox, r.audience, r.profileId);
        break;
      case 'memberships':
        for (const m of w.rows)
          put(
            'putMembership',
            m.sandbox,
            m.audience,
            m.profileId,
            m.status,
            m.realizedAt,
            m.exitedAt,
            m.sandbox,
            m.profileId,
          );
        break;
      case 'audienceJobs':
        for (const j of w.rows)
          j.state === null
            ? put('deleteJob', j.sandbox, j.id)
            : put('putJob', j.sandbox, j.id, JSON.stringify(j.state));
        break;
      case 'suppressions':
        for (const r of w.rows)
          r.entry === null
            ? put('deleteSuppression', r.sandbox, r.channel, r.address)
            : put(
                'putSuppression',
                r.sandbox,
                r.channel,
                r.address,
                r.entry.reason,
                r.entry.source,
                r.entry.detail,
                r.entry.createdAt,
              );
        break;
      case 'webhookDeliveries':
        for (const r of w.rows)
          put(
            'putWebhookDelivery',
            r.sandbox,
            r.id,
            r.subscription,
            r.eventType,
            r.body,
            r.status,
            r.attempts,
            r.nextAttemptAt,
            r.lastStatus,
            r.lastError,
            r.createdAt,
            r.updatedAt,
          );
        break;
      case 'landingPageCounters':
        for (const c of w.rows)
          put('landingPageCounter', c.sandbox, c.slug, c.subPage, c.metric, c.delta);
        break;
      case 'inApp':
        for (const op of w.rows) {
          if (op.kind === 'put') {
            const r = op.row;
            put('inAppExpired', r.sandbox, r.profileId, r.createdAt);
            if (r.channel === 'code' && r.surface !== null)
              put('inAppReplace', r.sandbox, r.profileId, r.surface, r.journeyId, r.messageId);
            put(
              'inAppPut',
              r.sandbox,
              r.profileId,
              r.messageId,
              r.channel,
              r.surface,
              r.instanceId,
              r.journeyId,
              r.version,
              r.node,
              r.withdrawOnExit ? 1 : 0,
              JSON.stringify(r.content),
              r.displays,
              r.createdAt,
              r.expiresAt,
            );
          } else if (op.kind === 'withdraw') put('inAppWithdraw', op.sandbox, op.instanceId);
          else put('inAppDisplayed', op.sandbox, op.profileId, op.messageId);
        }
        break;
      default: {
        const unknown: never = w;
        throw new Error(`unknown batch write ${JSON.stringify(unknown)}`);
      }
    }
  }
  return ops;
}
