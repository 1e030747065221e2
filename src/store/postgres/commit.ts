// The PostgreSQL executor of a commit batch's plan (../batch/plan.ts holds the semantics, shared
// with the embedded store). A networked store pays per round trip, so each write of the plan is one
// multi-row statement over unnest() arrays, and the writes the plan leaves unordered are sent as
// ONE statement of data-modifying CTEs: a usual batch (events, profiles, instances, timers,
// effects, counters) is one statement, atomic by itself, with no BEGIN/COMMIT round trips. Ordered
// writes (a timer removed and added again, stitching, erasure, an audience emptied and refilled)
// follow as statements of their own, in the plan's order, inside a transaction. The plan is
// grouped: rows a group writes twice are already folded into what SQLite's sequence of statements
// leaves (one PostgreSQL statement may not upsert a row twice), in key order.
import type pg from 'pg';
import type { BatchRepository, CommitBatch, MessageRecord } from '../ports.ts';
import { planBatch, type BatchWrite } from '../batch/plan.ts';
import { encodeOutboxPayload, encodeTimer } from '../records/index.ts';
import type { PostgresContext } from './context.ts';
import {
  checkLeases,
  fenceRefusal,
  fenceStatement,
  PartitionResolver,
  type BatchPartitions,
} from './partitions.ts';

export type Query = (sql: string, params: unknown[]) => Promise<pg.QueryResult>;

/** A write: `statements` round trips when run. */
export interface Step {
  readonly statements: number;
  run(q: Query): Promise<void>;
}

interface Sql {
  readonly sql: string;
  readonly params: unknown[];
}
const sql = (text: string, params: unknown[]): Sql => ({ sql: text, params });

const json = (v: unknown): string => JSON.stringify(v);
/**
 * Epoch milliseconds for a bigint column. The engine may compute a fractional instant (retry
 * backoff with jitter); SQLite would keep the fraction, here it is rounded up, so that nothing
 * becomes due before the instant asked for.
 */
export function ms<T extends number | null>(t: T): T {
  return (t === null || Number.isInteger(t) ? t : Math.ceil(t)) as T;
}
const col = <T, V>(rows: readonly T[], f: (r: T) => V): V[] => rows.map(f);
/**
 * A column of JSON values sent as one `json` parameter (`jsonCol`) and unnested in order in the
 * statement (`jsonArray(n)`, a json[] for unnest). The driver writes a text[] parameter as an array
 * literal, escaping each quote and backslash of each element: with a batch's payloads and states
 * as JSON text that was the costliest part of a commit on the engine's thread. One JSON text of
 * the whole column needs no escaping.
 */
const jsonCol = <T>(rows: readonly T[], f: (r: T) => unknown): string =>
  JSON.stringify(rows.map(f));
const jsonArray = (n: number): string =>
  `ARRAY(SELECT v FROM json_array_elements($${n}::json) WITH ORDINALITY AS e(v, k) ORDER BY k)`;
/** The same for a column of long texts (a message's rendered body): a text[] of the JSON strings (null for JSON null). */
const textArray = (n: number): string =>
  `ARRAY(SELECT v FROM json_array_elements_text($${n}::json) WITH ORDINALITY AS e(v, k) ORDER BY k)`;

/**
 * Commits batches: one at a time (the store's queue of writes), each all or nothing. The partition of
 * every row written is resolved first (partitions.ts); in fleet mode each commit is fenced by this
 * engine's leases (partitions.ts: inside the one statement, or checked first in a transaction).
 */
export class PostgresBatch implements BatchRepository {
  readonly #partitions = new PartitionResolver();
  constructor(private readonly db: PostgresContext) {}

  asyncCommits(): boolean {
    return true;
  }

  /**
   * One: the writer waits for each commit before sending the next. Two measured no faster
   * (postgres.ingest.throughput 5,610 / 6,349 against 5,850 / 6,357 events/s, BENCHMARKS.md).
   */
  commitsInFlight(): number {
    return 1;
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.db.write(async () => {
      // The partition of every row written (what the batch does not say is read, then cached).
      const parts = await this.#partitions.resolve(batch, (sql, params) =>
        this.db.pool.query(sql, params),
      );
      const own = this.db.ownership;
      const pool: Query = (sql, params) => this.db.pool.query(sql, params);
      const { together, ordered } = compileWrites(batch, parts);
      if (together.length === 0 && ordered.length === 0) return;
      if (ordered.length === 0) {
        // One statement is atomic by itself: no BEGIN/COMMIT round trips. In fleet mode the lease
        // check is its main query (fenceStatement), which rolls the statement back on a lost lease.
        const one = combine(own ? [...together, fenceStatement(batch, parts, own)] : together);
        await retryTransient(
          () => one.run(pool),
          (e) => (own ? fenceRefusal(e, own) : null),
        );
        this.#sent(batch);
        return;
      }
      // Ordered writes follow the unordered ones in the plan's order, in one transaction (after the
      // lease check in fleet mode).
      const steps = together.length > 0 ? [combine(together), ...ordered] : ordered;
      await retryTransient(() =>
        this.db.inTransaction(async (client) => {
          const q = (sql: string, params: unknown[]): Promise<pg.QueryResult> =>
            client.query(sql, params);
          if (own) await checkLeases(q, batch, parts, own);
          for (const step of steps) await step.run(q);
        }),
      );
      this.#sent(batch);
    });
  }

  /** Outbox items whose outcome the batch recorded are no longer in flight here. */
  #sent(batch: CommitBatch): void {
    for (const id of batch.outboxDone ?? []) this.db.attempting.delete(id);
    for (const r of batch.outboxRetry ?? []) this.db.attempting.delete(r.id);
  }
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be run again. */
function isTransient(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs a write, again (up to three attempts) when a deadlock or serialization failure rolled it
 * back; `refusal` turns an error into the one to throw at once (a lost lease), or null.
 */
async function retryTransient(
  run: () => Promise<void>,
  refusal: (e: unknown) => Error | null = () => null,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (e) {
      const refused = refusal(e);
      if (refused) throw refused;
      if (attempt >= 3 || !isTransient(e)) throw e;
    }
  }
}

/**
 * A batch's writes: those the plan leaves unordered (sent together, as one statement's CTEs) and
 * the ordered ones, each a step to run after them in a transaction, in the plan's order.
 */
export function compileWrites(
  b: CommitBatch,
  parts: BatchPartitions,
): { together: Sql[]; ordered: Step[] } {
  const together: Sql[] = [];
  const ordered: Step[] = [];
  for (const w of planBatch(b, { grouped: true })) {
    const written = statementsOf(w, parts);
    if (!Array.isArray(written)) ordered.push(written);
    else if (w.ordered) for (const st of written) ordered.push(single(st));
    else together.push(...written);
  }
  return { together, ordered };
}

const single = (st: Sql): Step => ({
  statements: 1,
  run: async (q) => {
    await q(st.sql, st.params);
  },
});

/**
 * Delivery log records written (an upsert on their id). With `whileInOutbox` (an outbox item's id
 * a record), a record is written only while that item is still in the outbox: a sent message's
 * mark, which must not bring back a record that erasure removed with the item; a record marked
 * twice is written once (a statement may not upsert a row twice).
 */
export function messagesUpsert(
  m: readonly MessageRecord[],
  whileInOutbox?: readonly string[],
): Sql {
  const gated = whileInOutbox !== undefined;
  return sql(
    `INSERT INTO messages (id, sandbox, journey_id, version, node, label, instance_id, profile_id, channel, recipient, status, reason, subject, body, text, payload, created_at, updated_at)
    SELECT ${gated ? 'DISTINCT ON (id) ' : ''}id, s, j, v, node, label, i, p, ch, rcpt, st, reason, subject, body, txt, payload, c, u FROM unnest(
      $1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::text[], $13::text[], ${textArray(14)}, ${textArray(15)}, ${jsonArray(16)}, $17::bigint[], $18::bigint[]${gated ? ', $19::text[]' : ''}
    ) AS x(id, s, j, v, node, label, i, p, ch, rcpt, st, reason, subject, body, txt, payload, c, u${gated ? ', outbox_id' : ''})
    ${gated ? 'WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.id = x.outbox_id) ORDER BY id' : ''}
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, recipient = excluded.recipient, subject = excluded.subject,
      body = excluded.body, text = excluded.text, payload = excluded.payload, updated_at = excluded.updated_at`,
    [
      col(m, (x) => x.id),
      col(m, (x) => x.sandbox),
      col(m, (x) => x.journeyId),
      col(m, (x) => x.version),
      col(m, (x) => x.node),
      col(m, (x) => x.label),
      col(m, (x) => x.instanceId),
      col(m, (x) => x.profileId),
      col(m, (x) => x.channel),
      col(m, (x) => x.recipient),
      col(m, (x) => x.status),
      col(m, (x) => x.reason),
      col(m, (x) => x.subject),
      jsonCol(m, (x) => x.body),
      jsonCol(m, (x) => x.text ?? null),
      jsonCol(m, (x) => x.payload),
      col(m, (x) => ms(x.createdAt)),
      col(m, (x) => ms(x.updatedAt)),
      ...(gated ? [[...whileInOutbox]] : []),
    ],
  );
}

/** One write of the plan as statements (a merge: a step of its own, with JavaScript between its two statements). */
function statementsOf(w: BatchWrite, parts: BatchPartitions): Sql[] | Step {
  switch (w.kind) {
    case 'events': {
      const e = w.rows;
      return [
        sql(
          `INSERT INTO events (sandbox, event_id, type, profile_id, payload, received_at, fingerprint)
          SELECT s, id, t, p, j, r, f FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], ${jsonArray(5)}, $6::bigint[], $7::text[]) AS u(s, id, t, p, j, r, f)`,
          [
            col(e, (x) => x.sandbox),
            col(e, (x) => x.eventId),
            col(e, (x) => x.type),
            col(e, (x) => x.profileId),
            jsonCol(e, (x) => x.payload),
            col(e, (x) => ms(x.receivedAt)),
            col(e, (x) => x.fingerprint ?? null),
          ],
        ),
      ];
    }
    case 'deadLetters': {
      // Ids are assigned in the batch's order.
      const d = w.rows;
      return [
        sql(
          `INSERT INTO dead_letters (sandbox, event_id, event_type, body, errors, received_at)
          SELECT s, id, t, body::json, errors::json, r FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) WITH ORDINALITY AS u(s, id, t, body, errors, r, n) ORDER BY n`,
          [
            col(d, (x) => x.sandbox),
            col(d, (x) => x.eventId),
            col(d, (x) => x.eventType),
            col(d, (x) => json(x.body)),
            col(d, (x) => json(x.errors)),
            col(d, (x) => ms(x.receivedAt)),
          ],
        ),
      ];
    }
    case 'deadLettersReplayed': {
      const d = w.rows;
      return [
        sql(
          'UPDATE dead_letters d SET replayed_at = u.at FROM unnest($1::bigint[], $2::bigint[]) AS u(id, at) WHERE d.id = u.id',
          [col(d, (x) => x.id), col(d, (x) => ms(x.at))],
        ),
      ];
    }
    case 'profiles': {
      const p = w.rows;
      return [
        sql(
          `INSERT INTO profiles (sandbox, id, attributes, identities, test, created_at, updated_at, partition)
          SELECT s, id, a, i, t, c, u, pt FROM unnest($1::text[], $2::text[], ${jsonArray(3)}, ${jsonArray(4)}, $5::boolean[], $6::text[], $7::text[], $8::smallint[]) AS x(s, id, a, i, t, c, u, pt)
          ON CONFLICT (sandbox, id) DO UPDATE SET attributes = excluded.attributes, identities = excluded.identities, test = excluded.test, updated_at = excluded.updated_at`,
          [
            col(p, (x) => x.sandbox),
            col(p, (x) => x.id),
            jsonCol(p, (x) => x.attributes),
            jsonCol(p, (x) => x.identities),
            col(p, (x) => x.testProfile),
            col(p, (x) => x.createdAt),
            col(p, (x) => x.updatedAt),
            col(p, (x) => parts.profile(x.sandbox, x.id)),
          ],
        ),
      ];
    }
    case 'identities': {
      const ids = w.rows;
      return [
        sql(
          `INSERT INTO identities (sandbox, namespace, value, profile_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
          ON CONFLICT (sandbox, namespace, value) DO UPDATE SET profile_id = excluded.profile_id`,
          [
            col(ids, (x) => x.sandbox),
            col(ids, (x) => x.namespace),
            col(ids, (x) => x.value),
            col(ids, (x) => x.profileId),
          ],
        ),
      ];
    }
    case 'instances': {
      const rows = w.rows;
      return [
        sql(
          `INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at, exited_at, partition)
          SELECT id, s, j, v, p, st, state, e, x, pt FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::text[], ${jsonArray(7)}, $8::bigint[], $9::bigint[], $10::smallint[]) AS u(id, s, j, v, p, st, state, e, x, pt)
          ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, exited_at = excluded.exited_at`,
          [
            col(rows, (x) => x.last.id),
            col(rows, (x) => x.sandbox),
            col(rows, (x) => x.first.journeyId),
            col(rows, (x) => x.first.version),
            col(rows, (x) => x.first.profileId),
            col(rows, (x) => x.last.status),
            jsonCol(rows, (x) => x.last),
            col(rows, (x) => ms(x.first.enteredAt)),
            col(rows, (x) => ms(x.last.exitedAt ?? null)),
            col(rows, (x) => parts.instance(x.last.id)),
          ],
        ),
      ];
    }
    case 'timersRemove':
      return [sql('DELETE FROM timers WHERE id = ANY($1::text[])', [w.ids])];
    case 'timersAdd': {
      const t = w.rows;
      const e = t.map(encodeTimer);
      return [
        sql(
          `INSERT INTO timers (id, sandbox, instance_id, due_at, record, partition) SELECT id, s, i, d, r, pt FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], ${jsonArray(5)}, $6::smallint[]) AS u(id, s, i, d, r, pt)
          ON CONFLICT (id) DO UPDATE SET sandbox = excluded.sandbox, instance_id = excluded.instance_id, due_at = excluded.due_at, record = excluded.record, partition = excluded.partition`,
          [
            col(t, (x) => x.id),
            col(t, (x) => x.sandbox),
            col(e, (x) => x.instanceId),
            col(t, (x) => ms(x.dueAt)),
            jsonCol(e, (x) => x.record),
            col(t, (x) => parts.timer(x)),
          ],
        ),
      ];
    }
    case 'outboxAdd': {
      const o = w.rows;
      return [
        sql(
          `INSERT INTO outbox (id, sandbox, kind, instance_id, journey_id, version, payload, attempts, next_attempt_at, created_at, partition)
          SELECT id, s, kind, i, j, v, p, a, n, c, pt FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], ${jsonArray(7)}, $8::integer[], $9::bigint[], $10::bigint[], $11::smallint[]) AS u(id, s, kind, i, j, v, p, a, n, c, pt)
          ON CONFLICT (id) DO NOTHING`,
          [
            col(o, (x) => x.id),
            col(o, (x) => x.sandbox),
            col(o, (x) => x.kind),
            col(o, (x) => x.instanceId),
            col(o, (x) => x.journeyId),
            col(o, (x) => x.version),
            jsonCol(o, (x) => encodeOutboxPayload(x)),
            col(o, (x) => x.attempts),
            col(o, (x) => ms(x.nextAttemptAt)),
            col(o, (x) => ms(x.createdAt)),
            col(o, (x) => parts.instance(x.instanceId)),
          ],
        ),
      ];
    }
    case 'outboxDone':
      return [sql('DELETE FROM outbox WHERE id = ANY($1::text[])', [w.ids])];
    case 'outboxRetry': {
      const r = w.rows;
      return [
        sql(
          `UPDATE outbox o SET attempts = o.attempts + u.tries, next_attempt_at = u.at, last_error = u.err, attempt_started_at = NULL
          FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::text[]) AS u(id, tries, at, err) WHERE o.id = u.id`,
          [
            col(r, (x) => x.id),
            col(r, (x) => x.tries),
            col(r, (x) => ms(x.nextAttemptAt)),
            col(r, (x) => x.error),
          ],
        ),
      ];
    }
    case 'counters': {
      const c = w.rows;
      return [
        sql(
          `INSERT INTO counters (sandbox, journey_id, version, node, metric, value) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::bigint[])
          ON CONFLICT (sandbox, journey_id, version, node, metric) DO UPDATE SET value = counters.value + excluded.value`,
          [
            col(c, (x) => x.sandbox),
            col(c, (x) => x.journeyId),
            col(c, (x) => x.version),
            col(c, (x) => x.node),
            col(c, (x) => x.metric),
            col(c, (x) => x.delta),
          ],
        ),
      ];
    }
    case 'messages':
      return [messagesUpsert(w.rows)];
    case 'testTrace': {
      // Appended in the batch's order: seq follows the ordinality.
      const t = w.rows;
      return [
        sql(
          `INSERT INTO test_trace (sandbox, run_id, journey_id, version, profile_id, at, entry)
          SELECT s, r, j, v, p, a, e::json FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], $6::bigint[], $7::text[]) WITH ORDINALITY AS u(s, r, j, v, p, a, e, n) ORDER BY n`,
          [
            col(t, (x) => x.sandbox),
            col(t, (x) => x.runId),
            col(t, (x) => x.journeyId),
            col(t, (x) => x.version),
            col(t, (x) => x.profileId),
            col(t, (x) => ms(x.at)),
            col(t, (x) => json(x.entry)),
          ],
        ),
      ];
    }
    case 'profileMerge':
      return mergeStep(w.merge, parts);
    case 'profileDeletes': {
      const d = w.rows;
      return [
        sql(
          `WITH d AS (SELECT * FROM unnest($1::text[], $2::text[]) AS d(sandbox, profile_id)),
          inst AS (SELECT i.id FROM instances i JOIN d ON i.sandbox = d.sandbox AND i.profile_id = d.profile_id),
          tim AS (DELETE FROM timers t WHERE t.instance_id IN (SELECT id FROM inst) OR EXISTS (SELECT 1 FROM d WHERE t.sandbox = d.sandbox AND t.id = 'audience:' || d.profile_id)),
          obx AS (DELETE FROM outbox WHERE instance_id IN (SELECT id FROM inst)),
          ins AS (DELETE FROM instances WHERE id IN (SELECT id FROM inst)),
          ev AS (DELETE FROM events e USING d WHERE e.sandbox = d.sandbox AND e.profile_id = d.profile_id),
          msg AS (DELETE FROM messages m USING d WHERE m.sandbox = d.sandbox AND m.profile_id = d.profile_id),
          mem AS (DELETE FROM memberships m USING d WHERE m.sandbox = d.sandbox AND m.profile_id = d.profile_id),
          idn AS (DELETE FROM identities i USING d WHERE i.sandbox = d.sandbox AND i.profile_id = d.profile_id),
          trc AS (DELETE FROM test_trace x USING d WHERE x.sandbox = d.sandbox AND x.profile_id = d.profile_id),
          iai AS (DELETE FROM in_app_inbox x USING d WHERE x.sandbox = d.sandbox AND x.profile_id = d.profile_id),
          shl AS (DELETE FROM short_links x USING d WHERE x.sandbox = d.sandbox AND x.profile_id = d.profile_id),
          ofp AS (DELETE FROM offer_propositions x USING d WHERE x.sandbox = d.sandbox AND x.profile_id = d.profile_id),
          ofc AS (DELETE FROM offer_counters x USING d WHERE x.sandbox = d.sandbox AND x.profile_id = d.profile_id)
          DELETE FROM profiles p USING d WHERE p.sandbox = d.sandbox AND p.id = d.profile_id`,
          [col(d, (x) => x.sandbox), col(d, (x) => x.profileId)],
        ),
      ];
    }
    case 'membershipsRemove': {
      const r = w.rows;
      return [
        sql(
          `DELETE FROM memberships m USING unnest($1::text[], $2::text[], $3::text[]) AS u(sandbox, audience, profile_id)
          WHERE m.sandbox = u.sandbox AND m.audience = u.audience AND (u.profile_id IS NULL OR m.profile_id = u.profile_id)`,
          [col(r, (x) => x.sandbox), col(r, (x) => x.audience), col(r, (x) => x.profileId ?? null)],
        ),
      ];
    }
    case 'memberships': {
      const m = w.rows;
      return [
        sql(
          `INSERT INTO memberships (sandbox, audience, profile_id, status, realized_at, exited_at, partition)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::smallint[])
          ON CONFLICT (sandbox, audience, profile_id) DO UPDATE SET status = excluded.status, realized_at = excluded.realized_at, exited_at = excluded.exited_at`,
          [
            col(m, (x) => x.sandbox),
            col(m, (x) => x.audience),
            col(m, (x) => x.profileId),
            col(m, (x) => x.status),
            col(m, (x) => ms(x.realizedAt)),
            col(m, (x) => ms(x.exitedAt)),
            col(m, (x) => parts.profile(x.sandbox, x.profileId)),
          ],
        ),
      ];
    }
    case 'audienceJobs': {
      // A state stores the job, null deletes it.
      const gone = w.rows.filter((j) => j.state === null);
      const kept = w.rows.filter((j) => j.state !== null);
      const out: Sql[] = [];
      if (gone.length > 0)
        out.push(
          sql(
            'DELETE FROM audience_jobs a USING unnest($1::text[], $2::text[]) AS u(sandbox, id) WHERE a.sandbox = u.sandbox AND a.id = u.id',
            [col(gone, (x) => x.sandbox), col(gone, (x) => x.id)],
          ),
        );
      if (kept.length > 0)
        out.push(
          sql(
            `INSERT INTO audience_jobs (sandbox, id, state) SELECT s, id, st::json FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, id, st)
          ON CONFLICT (sandbox, id) DO UPDATE SET state = excluded.state`,
            [col(kept, (x) => x.sandbox), col(kept, (x) => x.id), col(kept, (x) => json(x.state))],
          ),
        );
      return out;
    }
    case 'landingPageCounters': {
      const c = w.rows;
      return [
        sql(
          `INSERT INTO landing_page_counters (sandbox, slug, sub_page, metric, count)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
          ON CONFLICT (sandbox, slug, sub_page, metric) DO UPDATE SET count = landing_page_counters.count + excluded.count`,
          [
            col(c, (x) => x.sandbox),
            col(c, (x) => x.slug),
            col(c, (x) => x.subPage),
            col(c, (x) => x.metric),
            col(c, (x) => x.delta),
          ],
        ),
      ];
    }
    case 'inApp':
      // In order, one statement per write (a put, then a withdrawal of the same instance).
      return w.rows.flatMap((op): Sql[] => {
        if (op.kind === 'withdraw')
          return [
            sql(
              'DELETE FROM in_app_inbox WHERE sandbox = $1 AND instance_id = $2 AND withdraw_on_exit',
              [op.sandbox, op.instanceId],
            ),
          ];
        if (op.kind === 'displayed')
          return [
            sql(
              'UPDATE in_app_inbox SET displays = displays + 1 WHERE sandbox = $1 AND profile_id = $2 AND message_id = $3',
              [op.sandbox, op.profileId, op.messageId],
            ),
          ];
        const r = op.row;
        return [
          sql(
            'DELETE FROM in_app_inbox WHERE sandbox = $1 AND profile_id = $2 AND expires_at IS NOT NULL AND expires_at <= $3',
            [r.sandbox, r.profileId, r.createdAt],
          ),
          ...(r.channel === 'code' && r.surface !== null
            ? [
                sql(
                  "DELETE FROM in_app_inbox WHERE sandbox = $1 AND profile_id = $2 AND channel = 'code' AND surface = $3 AND journey_id IS NOT DISTINCT FROM $4 AND message_id <> $5",
                  [r.sandbox, r.profileId, r.surface, r.journeyId, r.messageId],
                ),
              ]
            : []),
          sql(
            `INSERT INTO in_app_inbox (sandbox, profile_id, message_id, channel, surface, instance_id, journey_id, version, node,
            withdraw_on_exit, content, displays, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            ON CONFLICT (sandbox, profile_id, message_id) DO NOTHING`,
            [
              r.sandbox,
              r.profileId,
              r.messageId,
              r.channel,
              r.surface,
              r.instanceId,
              r.journeyId,
              r.version,
              r.node,
              r.withdrawOnExit,
              json(r.content),
              r.displays,
              r.createdAt,
              r.expiresAt,
            ],
          ),
        ];
      });
    case 'suppressions': {
      // An entry stores the address, null removes it.
      const gone = w.rows.filter((r) => r.entry === null);
      const kept = w.rows.flatMap((r) => (r.entry === null ? [] : [{ ...r, entry: r.entry }]));
      const out: Sql[] = [];
      if (gone.length > 0)
        out.push(
          sql(
            `DELETE FROM suppressions x USING unnest($1::text[], $2::text[], $3::text[]) AS u(sandbox, channel, address)
          WHERE x.sandbox = u.sandbox AND x.channel = u.channel AND x.address = u.address`,
            [col(gone, (x) => x.sandbox), col(gone, (x) => x.channel), col(gone, (x) => x.address)],
          ),
        );
      if (kept.length > 0)
        out.push(
          sql(
            `INSERT INTO suppressions (sandbox, channel, address, reason, source, detail, created_at)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
          ON CONFLICT (sandbox, channel, address) DO UPDATE SET reason = excluded.reason, source = excluded.source,
            detail = excluded.detail, created_at = excluded.created_at`,
            [
              col(kept, (x) => x.sandbox),
              col(kept, (x) => x.channel),
              col(kept, (x) => x.address),
              col(kept, (x) => x.entry.reason),
              col(kept, (x) => x.entry.source),
              col(kept, (x) => x.entry.detail),
              col(kept, (x) => x.entry.createdAt),
            ],
          ),
        );
      return out;
    }
    case 'webhookDeliveries': {
      // A delivery takes its last write (queued, then each attempt's outcome).
      const r = w.rows;
      return [
        sql(
          `INSERT INTO webhook_deliveries (sandbox, id, subscription, event_type, body, status, attempts, next_attempt_at, last_status, last_error, created_at, updated_at)
          SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[], $9::int[], $10::text[], $11::bigint[], $12::bigint[])
          ON CONFLICT (sandbox, id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
            next_attempt_at = excluded.next_attempt_at, last_status = excluded.last_status,
            last_error = excluded.last_error, created_at = excluded.created_at, updated_at = excluded.updated_at`,
          [
            col(r, (x) => x.sandbox),
            col(r, (x) => x.id),
            col(r, (x) => x.subscription),
            col(r, (x) => x.eventType),
            col(r, (x) => x.body),
            col(r, (x) => x.status),
            col(r, (x) => x.attempts),
            col(r, (x) => x.nextAttemptAt),
            col(r, (x) => x.lastStatus),
            col(r, (x) => x.lastError),
            col(r, (x) => x.createdAt),
            col(r, (x) => x.updatedAt),
          ],
        ),
      ];
    }
  }
}

/**
 * Stitching (one merge): the absorbed profile's history, identities and instances move to the
 * survivor; its memberships, audience timer and row go.
 */
function mergeStep(
  m: { sandbox: string; from: string; into: string },
  parts: BatchPartitions,
): Step {
  return {
    statements: 2,
    run: async (run) => {
      const moved = await run(
        `WITH
      ev AS (UPDATE events SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      msg AS (UPDATE messages SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      trc AS (UPDATE test_trace SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      iai AS (UPDATE in_app_inbox SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      shl AS (UPDATE short_links SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      idn AS (UPDATE identities SET profile_id = $1 WHERE sandbox = $2 AND profile_id = $3),
      mem AS (DELETE FROM memberships WHERE sandbox = $2 AND profile_id = $3),
      tim AS (DELETE FROM timers WHERE sandbox = $2 AND id = 'audience:' || $3),
      pro AS (DELETE FROM profiles WHERE sandbox = $2 AND id = $3),
      -- The absorbed profile's instances, with their timers and outbox items, move to the survivor's partition.
      tpt AS (UPDATE timers SET partition = $4 WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = $2 AND profile_id = $3)),
      opt AS (UPDATE outbox SET partition = $4 WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = $2 AND profile_id = $3))
      UPDATE instances SET profile_id = $1, partition = $4 WHERE sandbox = $2 AND profile_id = $3 RETURNING id, state::text AS state`,
        [m.into, m.sandbox, m.from, parts.profile(m.sandbox, m.into)],
      );
      // The states name the survivor too. Rewritten here rather than by jsonb_set, which would reorder
      // their keys and refuse a state holding a \u0000 escape (SQLite's json_set does neither).
      const rows = moved.rows as Array<{ id: string; state: string }>;
      if (rows.length > 0) {
        const states = rows.map((r) =>
          json({ ...(JSON.parse(r.state) as Record<string, unknown>), profileId: m.into }),
        );
        await run(
          'UPDATE instances i SET state = u.state::json FROM unnest($1::text[], $2::text[]) AS u(id, state) WHERE i.id = u.id',
          [rows.map((r) => r.id), states],
        );
      }
    },
  };
}

/** Independent writes as one statement: all but the last as data-modifying CTEs (each runs once, to completion), parameters renumbered. */
function combine(parts: ReadonlyArray<{ sql: string; params: unknown[] }>): Step {
  const params: unknown[] = [];
  const texts = parts.map((part) => {
    const offset = params.length;
    params.push(...part.params);
    return part.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
  });
  const sql =
    texts.length === 1
      ? texts[0]!
      : `WITH ${texts
          .slice(0, -1)
          .map((t, i) => `w${i} AS (${t})`)
          .join(',\n')}\n${texts[texts.length - 1]!}`;
  return {
    statements: 1,
    run: async (q) => {
      await q(sql, params);
    },
  };
}
