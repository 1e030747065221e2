// The embedded store's executor of a commit batch's plan (../batch/plan.ts holds the semantics,
// shared with the PostgreSQL store): one prepared statement per row, in the plan's order, in one
// transaction. The plan is not grouped: SQLite applies rows one at a time, so a row written twice
// ends as the plan's folding rules say by the statements' own upserts. The partition column is
// derived in SQL (a row takes its profile's or its instance's, see each statement).
import type Database from 'better-sqlite3';
import { planBatch } from '../batch/plan.ts';
import type { BatchRepository, CommitBatch } from '../ports.ts';
import { partitionOfProfile } from '../../shared/partition.ts';
import { encodeOutboxPayload, encodeTimer } from '../records/index.ts';

/** Commits batches on `db`, each in one transaction. */
export class SqliteBatch implements BatchRepository {
  readonly #s: ReturnType<typeof prepareWrites>;
  readonly #commitTx: (batch: CommitBatch) => void;

  constructor(db: Database.Database) {
    this.#s = prepareWrites(db);
    this.#commitTx = db.transaction((batch: CommitBatch) => this.#apply(batch));
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.#commitTx(batch);
  }

  /** better-sqlite3 commits on the calling thread: nothing to prepare meanwhile. */
  asyncCommits(): boolean {
    return false;
  }

  #apply(b: CommitBatch): void {
    const s = this.#s;
    for (const w of planBatch(b, { grouped: false })) {
      switch (w.kind) {
        case 'events':
          for (const e of w.rows)
            s.putEvent.run(
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
            s.putDeadLetter.run(
              d.sandbox,
              d.eventId,
              d.eventType,
              JSON.stringify(d.body),
              JSON.stringify(d.errors),
              d.receivedAt,
            );
          break;
        case 'deadLettersReplayed':
          for (const d of w.rows) s.replayedDeadLetter.run(d.at, d.id);
          break;
        case 'profiles':
          for (const p of w.rows)
            s.putProfile.run(
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
          for (const i of w.rows) s.putIdentity.run(i.sandbox, i.namespace, i.value, i.profileId);
          break;
        case 'instances':
          for (const { sandbox, last: i } of w.rows)
            s.putInstance.run(
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
          for (const id of w.ids) s.removeTimer.run(id);
          break;
        case 'timersAdd':
          for (const t of w.rows) {
            const e = encodeTimer(t);
            s.addTimer.run(
              t.id,
              t.sandbox,
              e.instanceId,
              t.dueAt,
              JSON.stringify(e.record),
              e.instanceId,
              e.instanceId,
              t.sandbox,
              e.instanceId,
              e.instanceId,
            );
          }
          break;
        case 'outboxAdd':
          for (const o of w.rows)
            s.addOutbox.run(
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
          for (const id of w.ids) s.doneOutbox.run(id);
          break;
        case 'outboxRetry':
          for (const r of w.rows) s.retryOutbox.run(r.tries, r.nextAttemptAt, r.error, r.id);
          break;
        case 'counters':
          for (const c of w.rows)
            s.counter.run(c.sandbox, c.journeyId, c.version, c.node, c.metric, c.delta);
          break;
        case 'messages':
          for (const m of w.rows) s.putMessage.run({ ...m, payload: JSON.stringify(m.payload) });
          break;
        case 'testTrace':
          for (const t of w.rows)
            s.putTestTrace.run(
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
          for (const [st, args] of s.merge) st.run(...args(m.into, m.sandbox, m.from));
          break;
        }
        case 'profileDeletes':
          for (const d of w.rows)
            for (const [st, args] of s.erase) st.run(...args(d.sandbox, d.profileId));
          break;
        case 'membershipsRemove':
          for (const r of w.rows)
            r.profileId === undefined
              ? s.removeAudience.run(r.sandbox, r.audience)
              : s.removeMembership.run(r.sandbox, r.audience, r.profileId);
          break;
        case 'memberships':
          for (const m of w.rows)
            s.putMembership.run(
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
              ? s.deleteJob.run(j.sandbox, j.id)
              : s.putJob.run(j.sandbox, j.id, JSON.stringify(j.state));
          break;
        case 'suppressions':
          for (const r of w.rows)
            r.entry === null
              ? s.deleteSuppression.run(r.sandbox, r.channel, r.address)
              : s.putSuppression.run(
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
            s.putWebhookDelivery.run(
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
            s.landingPageCounter.run(c.sandbox, c.slug, c.subPage, c.metric, c.delta);
          break;
        case 'inApp':
          for (const op of w.rows) {
            if (op.kind === 'put') {
              const r = op.row;
              s.inAppExpired.run(r.sandbox, r.profileId, r.createdAt);
              if (r.channel === 'code' && r.surface !== null)
                s.inAppReplace.run(r.sandbox, r.profileId, r.surface, r.journeyId, r.messageId);
              s.inAppPut.run(
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
            } else if (op.kind === 'withdraw') s.inAppWithdraw.run(op.sandbox, op.instanceId);
            else s.inAppDisplayed.run(op.sandbox, op.profileId, op.messageId);
          }
          break;
        default: {
          const unknown: never = w;
          throw new Error(`unknown batch write ${JSON.stringify(unknown)}`);
        }
      }
    }
  }
}

/** The statements of the batch's writes, and of profile stitching and erasure. */
function prepareWrites(db: Database.Database) {
  type Args3 = (into: string, sandbox: string, from: string) => unknown[];
  type Args2 = (sandbox: string, profileId: string) => unknown[];
  const move: Args3 = (into, sandbox, from) => [into, sandbox, from];
  const gone: Args3 = (_into, sandbox, from) => [sandbox, from];
  const ofProfile = (table: string): [Database.Statement, Args3] => [
    db.prepare(`UPDATE ${table} SET profile_id = ? WHERE sandbox = ? AND profile_id = ?`),
    move,
  ];
  const sp: Args2 = (sandbox, profileId) => [sandbox, profileId];
  const erase = (sql: string): [Database.Statement, Args2] => [db.prepare(sql), sp];
  return {
    putEvent: db.prepare(
      'INSERT INTO events (sandbox, event_id, type, profile_id, payload, received_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    putDeadLetter: db.prepare(
      'INSERT INTO dead_letters (sandbox, event_id, event_type, body, errors, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    replayedDeadLetter: db.prepare('UPDATE dead_letters SET replayed_at = ? WHERE id = ?'),
    putProfile:
      db.prepare(`INSERT INTO profiles (sandbox, id, attributes, identities, test, created_at, updated_at, partition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (sandbox, id) DO UPDATE SET attributes = excluded.attributes, identities = excluded.identities, test = excluded.test, updated_at = excluded.updated_at`),
    putIdentity: db.prepare(
      'INSERT INTO identities (sandbox, namespace, value, profile_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET profile_id = excluded.profile_id',
    ),
    putInstance:
      db.prepare(`INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at, exited_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, exited_at = excluded.exited_at`),
    removeTimer: db.prepare('DELETE FROM timers WHERE id = ?'),
    addTimer:
      db.prepare(`INSERT OR REPLACE INTO timers (id, sandbox, instance_id, due_at, record, partition) VALUES (?, ?, ?, ?, ?, COALESCE(
      (SELECT partition FROM instances WHERE id = ?),
      (SELECT partition FROM profiles WHERE ? LIKE 'audience:%' AND sandbox = ? AND id = substr(?, 10)),
      waymark_partition(?)))`),
    addOutbox:
      db.prepare(`INSERT OR IGNORE INTO outbox (id, sandbox, kind, instance_id, journey_id, version, payload, attempts, next_attempt_at, created_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM instances WHERE id = ?), 0))`),
    doneOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
    retryOutbox: db.prepare(
      'UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?, attempt_started_at = NULL WHERE id = ?',
    ),
    landingPageCounter: db.prepare(
      `INSERT INTO landing_page_counters (sandbox, slug, sub_page, metric, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, slug, sub_page, metric) DO UPDATE SET count = count + excluded.count`,
    ),
    inAppExpired: db.prepare(
      'DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
    ),
    inAppReplace: db.prepare(
      "DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ? AND channel = 'code' AND surface = ? AND journey_id IS ? AND message_id <> ?",
    ),
    inAppPut: db.prepare(
      `INSERT OR IGNORE INTO in_app_inbox (sandbox, profile_id, message_id, channel, surface, instance_id, journey_id, version, node,
       withdraw_on_exit, content, displays, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    inAppWithdraw: db.prepare(
      'DELETE FROM in_app_inbox WHERE sandbox = ? AND instance_id = ? AND withdraw_on_exit = 1',
    ),
    inAppDisplayed: db.prepare(
      'UPDATE in_app_inbox SET displays = displays + 1 WHERE sandbox = ? AND profile_id = ? AND message_id = ?',
    ),
    counter:
      db.prepare(`INSERT INTO counters (sandbox, journey_id, version, node, metric, value) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sandbox, journey_id, version, node, metric) DO UPDATE SET value = value + excluded.value`),
    putMessage:
      db.prepare(`INSERT INTO messages (id, sandbox, journey_id, version, node, label, instance_id, profile_id, channel, recipient, status, reason, subject, body, text, payload, created_at, updated_at)
      VALUES (@id, @sandbox, @journeyId, @version, @node, @label, @instanceId, @profileId, @channel, @recipient, @status, @reason, @subject, @body, @text, @payload, @createdAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, recipient = excluded.recipient, subject = excluded.subject,
      body = excluded.body, text = excluded.text, payload = excluded.payload, updated_at = excluded.updated_at`),
    putTestTrace: db.prepare(
      'INSERT INTO test_trace (sandbox, run_id, journey_id, version, profile_id, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    putMembership:
      db.prepare(`INSERT INTO memberships (sandbox, audience, profile_id, status, realized_at, exited_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
      ON CONFLICT (sandbox, audience, profile_id) DO UPDATE SET status = excluded.status, realized_at = excluded.realized_at, exited_at = excluded.exited_at`),
    removeMembership: db.prepare(
      'DELETE FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id = ?',
    ),
    removeAudience: db.prepare('DELETE FROM memberships WHERE sandbox = ? AND audience = ?'),
    putJob: db.prepare(
      'INSERT INTO audience_jobs (sandbox, id, state) VALUES (?, ?, ?) ON CONFLICT (sandbox, id) DO UPDATE SET state = excluded.state',
    ),
    deleteJob: db.prepare('DELETE FROM audience_jobs WHERE sandbox = ? AND id = ?'),
    putSuppression: db.prepare(
      `INSERT INTO suppressions (sandbox, channel, address, reason, source, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, channel, address) DO UPDATE SET reason = excluded.reason, source = excluded.source, detail = excluded.detail, created_at = excluded.created_at`,
    ),
    deleteSuppression: db.prepare(
      'DELETE FROM suppressions WHERE sandbox = ? AND channel = ? AND address = ?',
    ),
    putWebhookDelivery: db.prepare(
      `INSERT INTO webhook_deliveries (sandbox, id, subscription, event_type, body, status, attempts, next_attempt_at, last_status, last_error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at,
         last_status = excluded.last_status, last_error = excluded.last_error, created_at = excluded.created_at, updated_at = excluded.updated_at`,
    ),
    // Stitching: the absorbed profile's history and instances move to the surviving one; its memberships go (re-evaluated on the survivor).
    merge: [
      ofProfile('events'),
      ofProfile('messages'),
      ofProfile('identities'),
      ofProfile('test_trace'),
      ofProfile('in_app_inbox'),
      ofProfile('short_links'),
      // The absorbed profile's instances, with their timers and outbox items, move to the survivor's partition.
      [
        db.prepare(
          'UPDATE timers SET partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
        ),
        (into, sandbox, from) => [sandbox, into, sandbox, from],
      ],
      [
        db.prepare(
          'UPDATE outbox SET partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
        ),
        (into, sandbox, from) => [sandbox, into, sandbox, from],
      ],
      [
        db.prepare(
          "UPDATE instances SET profile_id = ?, state = json_set(state, '$.profileId', ?), partition = (SELECT partition FROM profiles WHERE sandbox = ? AND id = ?) WHERE sandbox = ? AND profile_id = ?",
        ),
        (into, sandbox, from) => [into, into, sandbox, into, sandbox, from],
      ],
      [
        db.prepare(
          'DELETE FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
        ),
        gone,
      ],
      [db.prepare("DELETE FROM timers WHERE sandbox = ? AND id = 'audience:' || ?"), gone],
      [db.prepare('DELETE FROM profiles WHERE sandbox = ? AND id = ?'), gone],
    ] as Array<[Database.Statement, Args3]>,
    // Erasure on request: everything keyed by the profile, including its instances' timers and pending effects.
    erase: [
      erase(
        'DELETE FROM timers WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
      ),
      erase("DELETE FROM timers WHERE sandbox = ? AND id = 'audience:' || ?"),
      erase(
        'DELETE FROM outbox WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = ? AND profile_id = ?)',
      ),
      erase('DELETE FROM instances WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM events WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM messages WHERE sandbox = ? AND profile_id = ?'),
      erase(
        'DELETE FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
      ),
      erase('DELETE FROM identities WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM test_trace WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM in_app_inbox WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM short_links WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM offer_propositions WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM offer_counters WHERE sandbox = ? AND profile_id = ?'),
      erase('DELETE FROM profiles WHERE sandbox = ? AND id = ?'),
    ],
  };
}
