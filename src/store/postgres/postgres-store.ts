// The PostgreSQL store: the same port as the embedded SQLite store, method for method, for when
// one machine is not enough. node-postgres pool; one transaction per commit batch (commit.ts).
// Commits of one store are applied one at a time, as SQLite's single writer applies them (the
// engine was written against that), while reads run on the other connections of the pool.
import type pg from 'pg';
import type { InstanceState } from '../../journey/instance.ts';
import type { JourneyVersion } from '../../model/journey.ts';
import type { IdentityRef, Profile } from '../../model/profile.ts';
import type {
  AuditFilter,
  AuditRow,
  PartitionBacklog,
  PartitionOwnership,
  PartitionScopedStore,
} from '../ports.ts';
import { ErrorCode, WaymarkError } from '../../errors.ts';
import { checkLeases, PartitionResolver } from './partitions.ts';
import type {
  Backlog,
  CommitBatch,
  CounterRow,
  DeadLetter,
  JourneyTotals,
  MembershipRow,
  MessageRecord,
  OutboxItem,
  ProfileEventRow,
  Store,
  StoredObject,
  TestTraceRow,
  TimelineRow,
  TimerRow,
  TranslationProjectRow,
} from '../ports.ts';
import { placeSubtree } from '../attribute-subtrees.ts';
import { foldJourneyTotals } from '../row-mapping.ts';
import type { SentOutcome } from '../records/index.ts';
import { PostgresBlobStore } from './blob-store.ts';
import { compileBatch, ms } from './commit.ts';
import { connect, type PostgresOptions } from './connection.ts';
import { PostgresTranslationProjects } from './translation-projects.ts';
import { PostgresAudit } from './audit.ts';
import {
  toDeadLetter,
  toInstance,
  toJourneyVersion,
  toMember,
  toMembership,
  toMessage,
  toObject,
  toOutboxItem,
  toProfile,
  toTimer,
  type DeadLetterRow,
  type JourneyRow,
  type MembershipDbRow,
  type MessageRow,
  type ObjectRow,
  type OutboxRow,
  type ProfileRow,
  type TimerDbRow,
} from './rows.ts';

export type { PostgresOptions } from './connection.ts';

/** Connects, creates the schema if needed and migrates it, then returns the store. */
export async function openPostgresStore(opts: PostgresOptions): Promise<PostgresStore> {
  return new PostgresStore(await connect(opts));
}

/** The database's clock in epoch milliseconds (leases and heartbeats are in it). */
const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/**
 * How long an outbox item marked by another, live engine is left to it: a send lasts at most 30 s
 * (actions time out), so an item still unrecorded after this was not sent to its end there (its
 * send failed and the retry could not commit once the lease was gone); the owner sends it again.
 */
const MARK_TRUSTED_MS = 60_000;

type Member = MembershipRow & { identities: IdentityRef[] };

export class PostgresStore implements Store, PartitionScopedStore {
  /** The tail of the queue of writes: each transaction starts when the previous one has ended. */
  private writes: Promise<unknown> = Promise.resolve();

  private readonly translations: PostgresTranslationProjects;
  private readonly partitions = new PartitionResolver();
  /** Fleet mode: the partitions this engine holds (timers and outbox claimed from these only; commits fenced). */
  private ownership: PartitionOwnership | null = null;
  /** Fleet mode: outbox items this engine marked as attempted and has not recorded an outcome for (id → partition). */
  private readonly attempting = new Map<string, number>();
  constructor(readonly pool: pg.Pool) {
    this.translations = new PostgresTranslationProjects(pool);
    this.audit = new PostgresAudit(pool, (fn) => this.transaction(fn));
  }

  // Translation projects
  putTranslationProject(row: TranslationProjectRow): Promise<void> {
    return this.translations.putTranslationProject(row);
  }
  getTranslationProject(sandbox: string, id: string): Promise<TranslationProjectRow | null> {
    return this.translations.getTranslationProject(sandbox, id);
  }
  listTranslationProjects(
    sandbox: string,
    opts: { limit: number },
  ): Promise<TranslationProjectRow[]> {
    return this.translations.listTranslationProjects(sandbox, opts);
  }
  translationProjectsWithStatus(status: string): Promise<TranslationProjectRow[]> {
    return this.translations.translationProjectsWithStatus(status);
  }

  /** Asset bytes in the same database (the blob port). */
  blobStore(): PostgresBlobStore {
    return new PostgresBlobStore(this.pool);
  }

  private async rows<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  /** Runs `fn` after the store's earlier writes (the store's writes are applied one at a time). */
  private write<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.writes.then(fn, fn);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Runs `fn` in a transaction, after the store's earlier writes; rolls back on any error. */
  private transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.write(() => this.inTransaction(fn));
  }

  /** Runs `fn` in a transaction now (the caller is already in the write queue). */
  private async inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  // Partitions
  async identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (identities.length === 0) return out;
    const rows = await this.rows<{ namespace: string; value: string; partition: number }>(
      `SELECT i.namespace, i.value, p.partition FROM identities i
      JOIN unnest($2::text[], $3::text[]) AS u(n, v) ON i.sandbox = $1 AND i.namespace = u.n AND i.value = u.v
      JOIN profiles p ON p.sandbox = i.sandbox AND p.id = i.profile_id`,
      [sandbox, identities.map((i) => i.namespace), identities.map((i) => i.value)],
    );
    for (const r of rows) out.set(`${r.namespace}\u0000${r.value}`, r.partition);
    return out;
  }
  /** Grouped by partition over every row (the status page's read); `cap` is not needed: one row per partition. */
  async partitionBacklog(now: number, _cap?: number): Promise<PartitionBacklog[]> {
    const rows = await this.rows<{
      partition: number;
      timers_due: string;
      oldest: number | null;
      outbox: string;
    }>(
      `SELECT partition, SUM(timers_due) AS timers_due, MIN(oldest) AS oldest, SUM(outbox) AS outbox FROM (
        SELECT partition, COUNT(*) AS timers_due, MIN(due_at) AS oldest, 0 AS outbox FROM timers WHERE due_at <= $1 GROUP BY partition
        UNION ALL SELECT partition, 0, NULL, COUNT(*) FROM outbox GROUP BY partition
      ) x GROUP BY partition ORDER BY partition`,
      [Math.floor(now)],
    );
    return rows.map((r) => ({
      partition: r.partition,
      timersDue: Number(r.timers_due),
      oldestDueAt: r.oldest === null ? null : Number(r.oldest),
      outboxPending: Number(r.outbox),
    }));
  }

  /**
   * Fleet mode: outbox items of these partitions marked as being attempted by this engine whose
   * outcome is not recorded yet. A partition is handed over once none is left (leases.ts drains),
   * or the next owner would send them again.
   */
  attemptsInFlight(partitions: ReadonlySet<number>): number {
    let n = 0;
    for (const p of this.attempting.values()) if (partitions.has(p)) n++;
    return n;
  }

  setOwnership(ownership: PartitionOwnership | null): void {
    this.ownership = ownership;
  }

  /** The owned partitions and their epochs as query parameters (fleet mode). */
  private owned(): {
    parts: number[];
    epochs: number[];
    owner: string;
    deadAfterMs: number;
  } | null {
    const o = this.ownership;
    if (!o) return null;
    // Renewal overdue (local fencing by time): claim nothing until the leases are renewed.
    const parts =
      o.inTime && !o.inTime()
        ? []
        : [...o.epochs.keys()].filter((p) => !o.draining?.has(p)).sort((a, b) => a - b);
    return {
      parts,
      epochs: parts.map((p) => o.epochs.get(p)!),
      owner: o.owner,
      deadAfterMs: o.deadAfterMs ?? 15_000,
    };
  }

  commit(batch: CommitBatch): Promise<void> {
    return this.write(async () => {
      // The partition of every row written (what the batch does not say is read, then cached).
      const parts = await this.partitions.resolve(batch, (sql, params) =>
        this.pool.query(sql, params),
      );
      const steps = compileBatch(batch, parts);
      if (steps.length === 0) return;
      const own = this.ownership;
      // One statement is atomic by itself: no BEGIN/COMMIT round trips (unless the leases are checked first).
      if (!own && steps.reduce((n, s) => n + s.statements, 0) === 1) {
        await steps[0]!.run((sql, params) => this.pool.query(sql, params));
        return;
      }
      await this.inTransaction(async (client) => {
        const q = (sql: string, params: unknown[]): Promise<pg.QueryResult> =>
          client.query(sql, params);
        if (own) await checkLeases(q, batch, parts, own);
        for (const step of steps) await step.run(q);
      });
      for (const id of batch.outboxDone ?? []) this.attempting.delete(id);
      for (const r of batch.outboxRetry ?? []) this.attempting.delete(r.id);
    });
  }

  // Objects
  async getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null> {
    const [r] = await this.rows<ObjectRow>(
      'SELECT * FROM objects WHERE sandbox = $1 AND kind = $2 AND key = $3',
      [sandbox, kind, key],
    );
    return r ? toObject<T>(r) : null;
  }
  async listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>> {
    return (
      await this.rows<ObjectRow>(
        'SELECT * FROM objects WHERE sandbox = $1 AND kind = $2 ORDER BY key',
        [sandbox, kind],
      )
    ).map((r) => toObject<T>(r));
  }
  async putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>> {
    const [r] = await this.rows<ObjectRow>(
      `INSERT INTO objects (sandbox, kind, key, body, revision, created_at, updated_at) VALUES ($1, $2, $3, $4::json, 1, $5, $5)
      ON CONFLICT (sandbox, kind, key) DO UPDATE SET body = excluded.body, revision = objects.revision + 1, updated_at = excluded.updated_at RETURNING *`,
      [sandbox, kind, key, JSON.stringify(body), now],
    );
    return toObject<T>(r!);
  }
  async deleteObject(sandbox: string, kind: string, key: string): Promise<boolean> {
    return (
      ((
        await this.pool.query('DELETE FROM objects WHERE sandbox = $1 AND kind = $2 AND key = $3', [
          sandbox,
          kind,
          key,
        ])
      ).rowCount ?? 0) > 0
    );
  }
  async listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>> {
    return (
      await this.rows<ObjectRow>('SELECT * FROM objects WHERE kind = $1 ORDER BY sandbox, key', [
        kind,
      ])
    ).map((r) => toObject<T>(r));
  }
  async replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean> {
    const r = await this.write(() =>
      this.pool.query(
        'UPDATE objects SET body = $1::json, revision = revision + 1, updated_at = $2 WHERE sandbox = $3 AND kind = $4 AND key = $5 AND revision = $6',
        [JSON.stringify(body), now, sandbox, kind, key, revision],
      ),
    );
    return (r.rowCount ?? 0) > 0;
  }

  // Journeys
  async getJourneyVersions(sandbox: string, journeyId: string): Promise<JourneyVersion[]> {
    return (
      await this.rows<JourneyRow>(
        'SELECT * FROM journeys WHERE sandbox = $1 AND journey_id = $2 ORDER BY version',
        [sandbox, journeyId],
      )
    ).map(toJourneyVersion);
  }
  async listJourneys(sandbox: string): Promise<JourneyVersion[]> {
    return (
      await this.rows<JourneyRow>(
        'SELECT * FROM journeys WHERE sandbox = $1 ORDER BY journey_id, version',
        [sandbox],
      )
    ).map(toJourneyVersion);
  }
  async activeJourneyVersions(): Promise<Array<JourneyVersion & { sandbox: string }>> {
    const rows = await this.rows<JourneyRow>(
      "SELECT * FROM journeys WHERE status IN ('live', 'paused', 'closed') ORDER BY sandbox, journey_id, version",
    );
    return rows.map((r) => ({ ...toJourneyVersion(r), sandbox: r.sandbox }));
  }
  async putJourneyVersion(
    sandbox: string,
    v: Parameters<Store['putJourneyVersion']>[1],
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO journeys (sandbox, journey_id, version, status, definition, created_at, updated_at, published_at, closed_at)
      VALUES ($1, $2, $3, $4, $5::json, $6, $7, $8, $9)
      ON CONFLICT (sandbox, journey_id, version) DO UPDATE SET status = excluded.status, definition = excluded.definition,
      updated_at = excluded.updated_at, published_at = excluded.published_at, closed_at = excluded.closed_at, revision = journeys.revision + 1`,
      [
        sandbox,
        v.journeyId,
        v.version,
        v.status,
        JSON.stringify(v.definition),
        v.createdAt,
        v.updatedAt,
        v.publishedAt ?? null,
        v.closedAt ?? null,
      ],
    );
  }
  async deleteJourneyVersion(sandbox: string, journeyId: string, version: number): Promise<void> {
    await this.pool.query(
      'DELETE FROM journeys WHERE sandbox = $1 AND journey_id = $2 AND version = $3',
      [sandbox, journeyId, version],
    );
  }
  async replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<Store['putJourneyVersion']>[1],
    revision: number,
  ): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE journeys SET status = $1, definition = $2::json, updated_at = $3, published_at = $4, closed_at = $5, revision = revision + 1
      WHERE sandbox = $6 AND journey_id = $7 AND version = $8 AND revision = $9`,
      [
        v.status,
        JSON.stringify(v.definition),
        v.updatedAt,
        v.publishedAt ?? null,
        v.closedAt ?? null,
        sandbox,
        v.journeyId,
        v.version,
        revision,
      ],
    );
    return (r.rowCount ?? 0) > 0;
  }
  async journeyTotals(sandbox: string): Promise<JourneyTotals[]> {
    const counters = await this.rows<{ journey_id: string; metric: string; value: number }>(
      `SELECT journey_id, metric, SUM(value)::bigint AS value FROM counters
      WHERE sandbox = $1 AND node = '' AND metric IN ('entered', 'exited', 'error', 'timeout') GROUP BY journey_id, metric`,
      [sandbox],
    );
    const active = await this.rows<{ journey_id: string; n: number }>(
      "SELECT journey_id, COUNT(*) AS n FROM instances WHERE sandbox = $1 AND status = 'active' GROUP BY journey_id",
      [sandbox],
    );
    return foldJourneyTotals(counters, active);
  }
  async purgeVersionRuntime(sandbox: string, journeyId: string, version: number): Promise<number> {
    return this.transaction(async (client) => {
      const args = [sandbox, journeyId, version];
      await client.query(
        'DELETE FROM timers WHERE instance_id IN (SELECT id FROM instances WHERE sandbox = $1 AND journey_id = $2 AND version = $3)',
        args,
      );
      await client.query(
        'DELETE FROM outbox WHERE sandbox = $1 AND journey_id = $2 AND version = $3',
        args,
      );
      await client.query(
        'DELETE FROM counters WHERE sandbox = $1 AND journey_id = $2 AND version = $3',
        args,
      );
      return (
        (
          await client.query(
            'DELETE FROM instances WHERE sandbox = $1 AND journey_id = $2 AND version = $3',
            args,
          )
        ).rowCount ?? 0
      );
    });
  }

  // Profiles
  async getProfile(sandbox: string, id: string): Promise<Profile | null> {
    const [r] = await this.rows<ProfileRow>(
      'SELECT * FROM profiles WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    return r ? toProfile(r) : null;
  }
  async findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null> {
    const [r] = await this.rows<{ profile_id: string }>(
      'SELECT profile_id FROM identities WHERE sandbox = $1 AND namespace = $2 AND value = $3',
      [sandbox, namespace, value],
    );
    return r?.profile_id ?? null;
  }
  async getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]> {
    if (ids.length === 0) return [];
    return (
      await this.rows<ProfileRow>(
        'SELECT * FROM profiles WHERE sandbox = $1 AND id = ANY($2::text[])',
        [sandbox, [...new Set(ids)]],
      )
    ).map(toProfile);
  }
  async findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>> {
    if (identities.length === 0) return new Map();
    const rows = await this.rows<{ namespace: string; value: string; profile_id: string }>(
      'SELECT i.namespace, i.value, i.profile_id FROM identities i JOIN unnest($2::text[], $3::text[]) AS q(namespace, value) ON i.namespace = q.namespace AND i.value = q.value WHERE i.sandbox = $1',
      [sandbox, identities.map((i) => i.namespace), identities.map((i) => i.value)],
    );
    return new Map(rows.map((r) => [`${r.namespace}\u0000${r.value}`, r.profile_id] as const));
  }
  async listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]> {
    return (
      await this.rows<ProfileRow>(
        'SELECT * FROM profiles WHERE sandbox = $1 ORDER BY id LIMIT $2 OFFSET $3',
        [sandbox, opts.limit, opts.offset],
      )
    ).map(toProfile);
  }

  // Runtime
  async hasEvent(sandbox: string, eventId: string): Promise<boolean> {
    return (
      (
        await this.rows('SELECT 1 FROM events WHERE sandbox = $1 AND event_id = $2', [
          sandbox,
          eventId,
        ])
      ).length > 0
    );
  }
  async eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.rows<{ event_id: string; fingerprint: string | null }>(
      'SELECT event_id, fingerprint FROM events WHERE sandbox = $1 AND event_id = ANY($2::text[])',
      [sandbox, [...new Set(eventIds)]],
    );
    return new Map(rows.map((r) => [r.event_id, r.fingerprint]));
  }
  async seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    return new Set(
      (
        await this.rows<{ event_id: string }>(
          'SELECT event_id FROM events WHERE sandbox = $1 AND event_id = ANY($2::text[])',
          [sandbox, [...new Set(eventIds)]],
        )
      ).map((r) => r.event_id),
    );
  }
  async activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]> {
    return (
      await this.rows<{ state: unknown }>(
        "SELECT state FROM instances WHERE sandbox = $1 AND profile_id = $2 AND status = 'active' ORDER BY id",
        [sandbox, profileId],
      )
    ).map(toInstance);
  }
  async activeInstancesOf(
    sandbox: string,
    profileIds: readonly string[],
  ): Promise<InstanceState[]> {
    if (profileIds.length === 0) return [];
    return (
      await this.rows<{ state: unknown }>(
        "SELECT state FROM instances WHERE sandbox = $1 AND profile_id = ANY($2::text[]) AND status = 'active' ORDER BY profile_id, id",
        [sandbox, [...new Set(profileIds)]],
      )
    ).map(toInstance);
  }
  async activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
  ): Promise<InstanceState[]> {
    return (
      await this.rows<{ state: unknown }>(
        "SELECT state FROM instances WHERE sandbox = $1 AND journey_id = $2 AND version = $3 AND status = 'active' ORDER BY id LIMIT $4",
        [sandbox, journeyId, version, limit],
      )
    ).map(toInstance);
  }
  async getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null> {
    const [r] = await this.rows<{ sandbox: string; state: unknown }>(
      'SELECT sandbox, state FROM instances WHERE id = $1',
      [id],
    );
    return r ? { sandbox: r.sandbox, state: toInstance(r) } : null;
  }
  async getInstances(
    ids: readonly string[],
  ): Promise<Array<{ sandbox: string; state: InstanceState }>> {
    if (ids.length === 0) return [];
    return (
      await this.rows<{ sandbox: string; state: unknown }>(
        'SELECT sandbox, state FROM instances WHERE id = ANY($1::text[])',
        [[...new Set(ids)]],
      )
    ).map((r) => ({ sandbox: r.sandbox, state: toInstance(r) }));
  }
  async lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null> {
    const [r] = await this.rows<{ at: number | null }>(
      'SELECT MAX(exited_at) AS at FROM instances WHERE sandbox = $1 AND journey_id = $2 AND profile_id = $3 AND exited_at IS NOT NULL',
      [sandbox, journeyId, profileId],
    );
    return r?.at ?? null;
  }
  async dueTimers(now: number, limit: number): Promise<TimerRow[]> {
    const own = this.owned();
    if (own) {
      if (own.parts.length === 0) return [];
      return (
        await this.rows<TimerDbRow>(
          'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE partition = ANY($3::smallint[]) AND due_at <= $1 ORDER BY due_at, id LIMIT $2',
          [Math.floor(now), limit, own.parts],
        )
      ).map(toTimer);
    }
    return (
      await this.rows<TimerDbRow>(
        'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE due_at <= $1 ORDER BY due_at, id LIMIT $2',
        [Math.floor(now), limit],
      )
    ).map(toTimer);
  }
  async nextTimerDue(): Promise<number | null> {
    const own = this.owned();
    if (own) {
      if (own.parts.length === 0) return null;
      return (
        (
          await this.rows<{ at: number | null }>(
            'SELECT MIN(due_at) AS at FROM timers WHERE partition = ANY($1::smallint[])',
            [own.parts],
          )
        )[0]?.at ?? null
      );
    }
    return (
      (await this.rows<{ at: number | null }>('SELECT MIN(due_at) AS at FROM timers'))[0]?.at ??
      null
    );
  }
  async backlog(sandbox: string, now: number, cap: number): Promise<Backlog> {
    const [r] = await this.rows<{
      timers_due: string;
      next_timer_at: number | null;
      outbox_due: string;
      outbox_retrying: string;
      dead_letters: string;
    }>(
      `SELECT
      (SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE due_at <= $2 AND sandbox = $1 LIMIT $3) t) AS timers_due,
      (SELECT MIN(due_at) FROM timers WHERE sandbox = $1) AS next_timer_at,
      (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE next_attempt_at <= $2 AND sandbox = $1 LIMIT $3) o) AS outbox_due,
      (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE sandbox = $1 AND attempts > 0 LIMIT $3) r) AS outbox_retrying,
      (SELECT COUNT(*) FROM (SELECT 1 FROM dead_letters WHERE sandbox = $1 AND replayed_at IS NULL LIMIT $3) d) AS dead_letters`,
      [sandbox, Math.floor(now), cap],
    );
    return {
      timersDue: Number(r!.timers_due),
      nextTimerAt: r!.next_timer_at,
      outboxDue: Number(r!.outbox_due),
      outboxRetrying: Number(r!.outbox_retrying),
      deadLetters: Number(r!.dead_letters),
    };
  }
  async pendingOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    const own = this.owned();
    if (own) {
      if (own.parts.length === 0) return [];
      // Not an item another engine marked and has not recorded while that engine still heartbeats:
      // it lost the lease while sending, and records the send when done (then this owner finishes it
      // from the record). Sent again, under its idempotency key, only once that engine is dead.
      return (
        await this.rows<OutboxRow>(
          `SELECT * FROM outbox o WHERE o.partition = ANY($3::smallint[]) AND o.next_attempt_at <= $1
        AND (o.attempt_started_at IS NULL OR o.sent_at IS NOT NULL OR o.attempt_by IS NULL OR o.attempt_by = $4
          OR NOT EXISTS (SELECT 1 FROM engines e WHERE e.id = o.attempt_by AND e.heartbeat_at > ${DB_NOW} - $5)
          OR o.attempt_started_at < $1::bigint - ${MARK_TRUSTED_MS})
        ORDER BY o.next_attempt_at, o.id LIMIT $2`,
          [Math.floor(now), limit, own.parts, own.owner, own.deadAfterMs],
        )
      ).map(toOutboxItem);
    }
    return (
      await this.rows<OutboxRow>(
        'SELECT * FROM outbox WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2',
        [Math.floor(now), limit],
      )
    ).map(toOutboxItem);
  }
  async nextOutboxDue(): Promise<number | null> {
    const own = this.owned();
    if (own) {
      if (own.parts.length === 0) return null;
      return (
        (
          await this.rows<{ at: number | null }>(
            'SELECT MIN(next_attempt_at) AS at FROM outbox WHERE partition = ANY($1::smallint[])',
            [own.parts],
          )
        )[0]?.at ?? null
      );
    }
    return (
      (await this.rows<{ at: number | null }>('SELECT MIN(next_attempt_at) AS at FROM outbox'))[0]
        ?.at ?? null
    );
  }
  /** Fleet mode: only rows of partitions whose lease this engine still holds (same epoch). */
  private static readonly LEASED = `AND partition IN (SELECT l.partition FROM partition_leases l JOIN unnest($3::smallint[], $4::bigint[]) AS u(p, e)
    ON l.partition = u.p AND l.epoch = u.e WHERE l.owner = $5 AND l.expires_at > ${DB_NOW})`;
  async markOutboxAttempting(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    // Not queued behind the store's writes: the send waits for this mark, and it commutes with them.
    const own = this.owned();
    if (!own) {
      await this.pool.query(
        'UPDATE outbox SET attempt_started_at = $2 WHERE id = ANY($1::text[])',
        [[...ids].sort(), Math.floor(at)],
      );
      return;
    }
    // A fleet engine marks only items of partitions it still holds (same epoch, unexpired, renewal
    // not overdue), all or none, with its id: the next owner leaves them to it while it lives.
    const unique = [...new Set(ids)].sort();
    const r =
      own.parts.length === 0
        ? { rows: [], rowCount: 0 }
        : await this.pool.query<{ id: string; partition: number }>(
            `WITH ok AS (SELECT id FROM outbox WHERE id = ANY($1::text[]) ${PostgresStore.LEASED})
      UPDATE outbox SET attempt_started_at = $2, attempt_by = $5 WHERE id IN (SELECT id FROM ok) AND (SELECT COUNT(*) FROM ok) = $6 RETURNING id, partition`,
            [unique, Math.floor(at), own.parts, own.epochs, own.owner, unique.length],
          );
    for (const row of r.rows) this.attempting.set(row.id, row.partition);
    if ((r.rowCount ?? 0) < unique.length) {
      throw new WaymarkError(
        ErrorCode.Conflict,
        "this engine no longer holds the lease of some of these outbox items' partitions: nothing is sent (the new owner sends them)",
        { retryable: false, details: { engine: own.owner } },
      );
    }
  }
  async markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void> {
    // Not queued either: every millisecond before this commit is a window in which a crash resends.
    // In a fleet too, whoever owns the partition now: the send happened, and the record keeps the new owner from sending again.
    this.attempting.delete(id);
    await this.pool.query('UPDATE outbox SET sent_at = $2, sent_outcome = $3::json WHERE id = $1', [
      id,
      Math.floor(at),
      JSON.stringify(outcome),
    ]);
  }
  async getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null> {
    const [r] = await this.rows<DeadLetterRow>(
      'SELECT * FROM dead_letters WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    return r ? toDeadLetter(r) : null;
  }
  async listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]> {
    return (
      await this.rows<DeadLetterRow>(
        'SELECT * FROM dead_letters WHERE sandbox = $1 ORDER BY id DESC LIMIT $2',
        [sandbox, opts.limit],
      )
    ).map(toDeadLetter);
  }

  // Reports
  async messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null> {
    const [r] = await this.rows<MessageRow>(
      `SELECT * FROM messages WHERE sandbox = $1 AND channel = $2 AND ${safe('payload')} ->> 'providerMessageId' = $3 LIMIT 1`,
      [sandbox, channel, providerMessageId],
    );
    return r ? toMessage(r) : null;
  }
  async timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]> {
    // $1 sandbox, $2 journey, $3 since, $4 bucket width; the same series as the embedded store's query.
    return this.rows<TimelineRow>(
      `SELECT bucket, series, value FROM (
      SELECT (entered_at / $4::bigint) * $4::bigint AS bucket, 'entered' AS series, COUNT(*) AS value FROM instances
        WHERE sandbox = $1 AND journey_id = $2 AND entered_at >= $3 GROUP BY 1
      UNION ALL
      SELECT (exited_at / $4::bigint) * $4::bigint, CASE WHEN ${safe('state')} ->> 'exitReason' = 'error' THEN 'errors' ELSE 'exited' END, COUNT(*) FROM instances
        WHERE sandbox = $1 AND journey_id = $2 AND exited_at >= $3 AND ${safe('state')} ->> 'exitReason' <> 'instance_timeout' GROUP BY 1, 2
      UNION ALL
      SELECT (trunc((p ->> 'left')::numeric)::bigint / $4::bigint) * $4::bigint, 'timeouts', COUNT(*) FROM instances, json_array_elements(${safe('instances.state')} -> 'path') AS p
        WHERE sandbox = $1 AND journey_id = $2 AND entered_at >= $3::bigint - 7776000000 AND p ->> 'outcome' = 'timeout'
          AND (p ->> 'left')::numeric >= $3 GROUP BY 1
      UNION ALL
      SELECT (created_at / $4::bigint) * $4::bigint, 'message.' || status, COUNT(*) FROM messages
        WHERE sandbox = $1 AND journey_id = $2 AND created_at >= $3 GROUP BY 1, 2
      UNION ALL
      SELECT (received_at / $4::bigint) * $4::bigint, type, COUNT(*) FROM events
        WHERE sandbox = $1 AND type IN ('message.opened', 'message.clicked', 'message.unsubscribed') AND received_at >= $3
          AND ${safe('payload')} ->> 'journeyId' = $2 GROUP BY 1, 2
      ) AS t ORDER BY bucket, series COLLATE "C"`,
      [sandbox, journeyId, ms(opts.since), opts.bucketMs],
    );
  }
  async counters(sandbox: string, journeyId: string): Promise<CounterRow[]> {
    const rows = await this.rows<{ version: number; node: string; metric: string; value: number }>(
      'SELECT version, node, metric, value FROM counters WHERE sandbox = $1 AND journey_id = $2 ORDER BY version, node, metric',
      [sandbox, journeyId],
    );
    return rows.map((r) => ({
      version: r.version,
      node: r.node === '' ? null : r.node,
      metric: r.metric,
      value: r.value,
    }));
  }
  async instances(
    sandbox: string,
    f: { journeyId?: string; profileId?: string; limit: number },
  ): Promise<InstanceState[]> {
    const where = ['sandbox = $1'];
    const args: unknown[] = [sandbox];
    if (f.journeyId) {
      args.push(f.journeyId);
      where.push(`journey_id = $${args.length}`);
    }
    if (f.profileId) {
      args.push(f.profileId);
      where.push(`profile_id = $${args.length}`);
    }
    args.push(f.limit);
    return (
      await this.rows<{ state: unknown }>(
        `SELECT state FROM instances WHERE ${where.join(' AND ')} ORDER BY entered_at DESC, id LIMIT $${args.length}`,
        args,
      )
    ).map(toInstance);
  }
  async messages(
    sandbox: string,
    f: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]> {
    const where = ['sandbox = $1'];
    const args: unknown[] = [sandbox];
    if (f.profileId) {
      args.push(f.profileId);
      where.push(`profile_id = $${args.length}`);
    }
    if (f.journeyId) {
      args.push(f.journeyId);
      where.push(`journey_id = $${args.length}`);
    }
    if (f.channel) {
      args.push(f.channel);
      where.push(`channel = $${args.length}`);
    }
    args.push(f.limit);
    return (
      await this.rows<MessageRow>(
        `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $${args.length}`,
        args,
      )
    ).map(toMessage);
  }

  // Test runs
  async testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]> {
    return (
      await this.rows<TestTraceDbRow>(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = $1 AND journey_id = $2 AND version = $3 ORDER BY seq',
        [sandbox, journeyId, version],
      )
    ).map(toTestTrace);
  }
  async testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]> {
    return (
      await this.rows<TestTraceDbRow>(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = $1 AND run_id = $2 ORDER BY seq',
        [sandbox, runId],
      )
    ).map(toTestTrace);
  }

  // Audiences
  async profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]> {
    return (
      await this.rows<MembershipDbRow>(
        'SELECT profile_id, audience, status, realized_at, exited_at FROM memberships WHERE sandbox = $1 AND profile_id = $2 ORDER BY audience',
        [sandbox, profileId],
      )
    ).map((r) => toMembership(sandbox, r));
  }
  async audienceMembers(
    sandbox: string,
    audience: string,
    o: {
      status?: 'realized' | 'exited';
      afterProfileId?: string;
      realizedAfter?: number;
      limit: number;
    },
  ): Promise<Member[]> {
    const rows = await this.rows<MembershipDbRow & { identities: IdentityRef[] | null }>(
      `SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM memberships m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id
      WHERE m.sandbox = $1 AND m.audience = $2 AND m.profile_id > $3 AND ($4::text IS NULL OR m.status = $4) AND ($5::bigint IS NULL OR m.realized_at > $5)
      ORDER BY m.profile_id LIMIT $6`,
      [
        sandbox,
        audience,
        o.afterProfileId ?? '',
        o.status ?? null,
        o.realizedAfter === undefined ? null : Math.floor(o.realizedAfter),
        o.limit,
      ],
    );
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSample(sandbox: string, audience: string, limit: number): Promise<Member[]> {
    // A uniform sample: the `limit` rows with the smallest random keys among the audience's realized rows.
    const rows = await this.rows<MembershipDbRow & { identities: IdentityRef[] | null }>(
      `SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM
      (SELECT * FROM memberships WHERE sandbox = $1 AND audience = $2 AND status = 'realized' ORDER BY random() LIMIT $3) m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id ORDER BY m.profile_id`,
      [sandbox, audience, limit],
    );
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSize(
    sandbox: string,
    audience: string,
  ): Promise<{ realized: number; exited: number }> {
    const rows = await this.rows<{ status: string; n: number }>(
      'SELECT status, COUNT(*) AS n FROM memberships WHERE sandbox = $1 AND audience = $2 GROUP BY status',
      [sandbox, audience],
    );
    return {
      realized: rows.find((r) => r.status === 'realized')?.n ?? 0,
      exited: rows.find((r) => r.status === 'exited')?.n ?? 0,
    };
  }
  async profileEvents(
    sandbox: string,
    profileId: string,
    o: { types: readonly string[] | null; since: number | null },
  ): Promise<ProfileEventRow[]> {
    const rows = await this.rows<{ type: string; received_at: number; payload: unknown }>(
      `SELECT type, received_at, payload FROM events
      WHERE sandbox = $1 AND profile_id = $2 AND ($3::bigint IS NULL OR received_at >= $3) AND ($4::text[] IS NULL OR type = ANY($4))
      ORDER BY received_at, event_id`,
      [
        sandbox,
        profileId,
        o.since === null ? null : ms(o.since),
        o.types === null ? null : [...o.types],
      ],
    );
    return rows.map((r) => ({ type: r.type, at: r.received_at, payload: r.payload }));
  }
  async eventsOfProfiles(
    sandbox: string,
    o: {
      afterProfileId: string;
      toProfileId: string;
      types: readonly string[];
      since: number | null;
    },
  ): Promise<Array<ProfileEventRow & { profileId: string }>> {
    const rows = await this.rows<{
      profile_id: string;
      type: string;
      received_at: number;
      payload: unknown;
    }>(
      `SELECT profile_id, type, received_at, payload FROM events
      WHERE sandbox = $1 AND profile_id > $2 AND profile_id <= $3 AND ($4::bigint IS NULL OR received_at >= $4) AND type = ANY($5::text[])
      ORDER BY profile_id, received_at, event_id`,
      [
        sandbox,
        o.afterProfileId,
        o.toProfileId,
        o.since === null ? null : ms(o.since),
        [...o.types],
      ],
    );
    return rows.map((r) => ({
      profileId: r.profile_id,
      type: r.type,
      at: r.received_at,
      payload: r.payload,
    }));
  }
  async scanAttributes(
    sandbox: string,
    o: { afterId?: string; limit: number; paths?: ReadonlyArray<readonly string[]> },
  ): Promise<Array<{ id: string; attributes: Readonly<Record<string, unknown>> }>> {
    const paths = o.paths;
    if (paths === undefined || paths.some((p) => p.length === 0)) {
      return this.rows<{ id: string; attributes: Record<string, unknown> }>(
        'SELECT id, attributes FROM profiles WHERE sandbox = $1 AND id > $2 ORDER BY id LIMIT $3',
        [sandbox, o.afterId ?? '', o.limit],
      );
    }
    // PostgreSQL extracts the subtrees as JSON text (NULL when absent, 'null' for a stored null), so JavaScript parses a few bytes a profile, not the profile.
    const columns = paths.map((p, i) => `, ${subtree(p, 4 + i)} AS s${i}`).join('');
    let result: pg.QueryResult<Array<string | null>>;
    try {
      result = await this.pool.query<Array<string | null>>({
        text: `SELECT id${columns} FROM profiles WHERE sandbox = $1 AND id > $2 ORDER BY id LIMIT $3`,
        values: [sandbox, o.afterId ?? '', o.limit, ...paths.map((p) => [...p])],
        rowMode: 'array',
      });
    } catch (error) {
      // A page holding a \u0000 escape cannot go through PostgreSQL's JSON operators: that page is read whole.
      if ((error as { code?: unknown }).code !== UNTRANSLATABLE_CHARACTER) throw error;
      const whole = await this.scanAttributes(sandbox, {
        ...(o.afterId === undefined ? {} : { afterId: o.afterId }),
        limit: o.limit,
      });
      return whole.map((r) => ({ id: r.id, attributes: pickSubtrees(r.attributes, paths) }));
    }
    return result.rows.map((r) => {
      const attributes: Record<string, unknown> = {};
      for (let i = 0; i < paths.length; i++) {
        const text = r[i + 1];
        if (text !== null && text !== undefined)
          placeSubtree(attributes, paths[i]!, JSON.parse(text));
      }
      return { id: r[0] as string, attributes };
    });
  }
  async audienceStatuses(
    sandbox: string,
    audience: string,
    o: { afterProfileId: string; toProfileId: string },
  ): Promise<
    Array<{ profileId: string; status: 'realized' | 'exited'; realizedAt: number | null }>
  > {
    const rows = await this.rows<{
      profile_id: string;
      status: 'realized' | 'exited';
      realized_at: number | null;
    }>(
      'SELECT profile_id, status, realized_at FROM memberships WHERE sandbox = $1 AND audience = $2 AND profile_id > $3 AND profile_id <= $4 ORDER BY profile_id',
      [sandbox, audience, o.afterProfileId, o.toProfileId],
    );
    return rows.map((r) => ({
      profileId: r.profile_id,
      status: r.status,
      realizedAt: r.realized_at,
    }));
  }
  async audienceJobs(
    sandbox?: string,
  ): Promise<Array<{ sandbox: string; id: string; state: unknown }>> {
    return sandbox === undefined
      ? this.rows('SELECT sandbox, id, state FROM audience_jobs ORDER BY sandbox, id')
      : this.rows('SELECT sandbox, id, state FROM audience_jobs WHERE sandbox = $1 ORDER BY id', [
          sandbox,
        ]);
  }
  async getSetting(sandbox: string, key: string): Promise<unknown> {
    const [r] = await this.rows<{ value: unknown }>(
      'SELECT value FROM sandbox_settings WHERE sandbox = $1 AND key = $2',
      [sandbox, key],
    );
    return r === undefined ? undefined : r.value;
  }
  async putSetting(sandbox: string, key: string, value: unknown): Promise<void> {
    await this.pool.query(
      'INSERT INTO sandbox_settings (sandbox, key, value) VALUES ($1, $2, $3::json) ON CONFLICT (sandbox, key) DO UPDATE SET value = excluded.value',
      [sandbox, key, JSON.stringify(value)],
    );
  }
  async purgeEvents(sandbox: string, before: number): Promise<number> {
    return (
      (
        await this.pool.query('DELETE FROM events WHERE sandbox = $1 AND received_at < $2', [
          sandbox,
          ms(before),
        ])
      ).rowCount ?? 0
    );
  }

  // Whole sandboxes and the audit log (audit.ts).
  private readonly audit: PostgresAudit;
  sandboxesWithData(): Promise<string[]> {
    return this.audit.sandboxesWithData();
  }
  eraseSandbox(sandbox: string): Promise<void> {
    return this.audit.eraseSandbox(sandbox);
  }
  appendAudit(row: AuditRow): Promise<void> {
    return this.audit.appendAudit(row);
  }
  queryAudit(filter: AuditFilter): Promise<AuditRow[]> {
    return this.audit.queryAudit(filter);
  }
  purgeAudit(before: number): Promise<number> {
    return this.audit.purgeAudit(before);
  }

  async close(): Promise<void> {
    await this.writes;
    await this.pool.end();
  }
}

/** SQLSTATE 22P05: a \u0000 escape met by a JSON operator. */
const UNTRANSLATABLE_CHARACTER = '22P05';

/** The subtrees at `paths`, as the query of scanAttributes extracts them: each key names an own member of an object. */
function pickSubtrees(
  source: Readonly<Record<string, unknown>>,
  paths: ReadonlyArray<readonly string[]>,
): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const path of paths) {
    let cur: unknown = source;
    for (const key of path) {
      cur =
        cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, key)
          ? (cur as Record<string, unknown>)[key]
          : undefined;
      if (cur === undefined) break;
    }
    placeSubtree(attributes, path, cur);
  }
  return attributes;
}

/**
 * A json column that PostgreSQL's JSON operators can read: they refuse a document holding a
 * \u0000 escape anywhere (it has no text form), which a stored payload may hold. Replacing the
 * escape does not change the members these queries read (engine-written fields).
 */
function safe(column: string): string {
  return `replace(${column}::text, '\\u0000', '\\ufffd')::json`;
}

/**
 * The JSON text at `path` (parameter $n, a text[]), as SQLite's `attributes -> '$."a"."b"'` gives it:
 * keys name object members only. `#>` would also index arrays with a step such as "0", so such a
 * step applies only where an object stands.
 */
function subtree(path: readonly string[], n: number): string {
  const guards: string[] = [];
  for (let i = 1; i < path.length; i++) {
    if (/^-?\d+$/.test(path[i]!))
      guards.push(`json_typeof(attributes #> ($${n}::text[])[1:${i}]) = 'object'`);
  }
  const value = `(attributes #> $${n}::text[])::text`;
  return guards.length === 0 ? value : `CASE WHEN ${guards.join(' AND ')} THEN ${value} END`;
}

interface TestTraceDbRow {
  sandbox: string;
  run_id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  at: number;
  entry: unknown;
}
const toTestTrace = (r: TestTraceDbRow): TestTraceRow => ({
  sandbox: r.sandbox,
  runId: r.run_id,
  journeyId: r.journey_id,
  version: r.version,
  profileId: r.profile_id,
  at: r.at,
  entry: r.entry,
});
