// The embedded store: SQLite through better-sqlite3 (WAL, prepared statements, one transaction per
// commit batch). Synchronous underneath; the port is async so that networked adapters fit too.
import Database from 'better-sqlite3';
import type { InstanceState } from '../../journey/instance.ts';
import type { JourneyVersion } from '../../model/journey.ts';
import type { Profile } from '../../model/profile.ts';
import type { AuditFilter, AuditRow } from '../ports.ts';
import type {
  Backlog,
  PartitionBacklog,
  TimelineRow,
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
  TimerRow,
  TranslationProjectRow,
} from '../ports.ts';
import type { IdentityRef } from '../../model/profile.ts';
import { jsonPathOf, placeSubtree } from '../attribute-subtrees.ts';
import { foldJourneyTotals } from '../row-mapping.ts';
import { encodeOutboxPayload, encodeTimer, type SentOutcome } from '../records/index.ts';
import { BackgroundCheckpointer } from './checkpointer.ts';
import { sqlitePragmas } from './pragmas.ts';
import { migrations } from './schema.ts';
import { partitionOfProfile } from '../../shared/partition.ts';
import { registerSqliteFunctions } from './functions.ts';
import { SqliteTranslationProjects } from './translation-projects.ts';
import { SqliteAudit } from './audit.ts';
import { SqliteBatch } from './commit.ts';
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

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmts: ReturnType<SqliteStore['prepare']>;
  private readonly aud: ReturnType<typeof prepareAudience>;
  private readonly batch: SqliteBatch;

  private readonly checkpointer: BackgroundCheckpointer | null = null;

  /**
   * `path` is a file, or ':memory:' for tests. A file's WAL is checkpointed by a background thread
   * every `checkpointIntervalMs` (null: only by SQLite, inside the commit that fills it).
   */
  constructor(path: string, opts: { checkpointIntervalMs?: number | null } = {}) {
    this.db = new Database(path);
    for (const p of sqlitePragmas) this.db.pragma(p);
    registerSqliteFunctions(this.db);
    this.migrate();
    const interval = opts.checkpointIntervalMs === undefined ? 250 : opts.checkpointIntervalMs;
    if (interval !== null && !this.db.memory) {
      this.checkpointer = new BackgroundCheckpointer(path, {
        intervalMs: interval,
        onFailure: (error) =>
          process.emitWarning(
            `SQLite checkpoints are back on the writer: ${error.message}`,
            'WaymarkStoreWarning',
          ),
      });
    }
    this.stmts = this.prepare();
    this.aud = prepareAudience(this.db);
    this.batch = new SqliteBatch(this.db);
    this.translations = new SqliteTranslationProjects(this.db);
    this.audit = new SqliteAudit(this.db);
  }

  private readonly translations: SqliteTranslationProjects;
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

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = current; v < migrations.length; v++) {
      this.db.transaction(() => {
        this.db.exec(migrations[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      getObject: db.prepare('SELECT * FROM objects WHERE sandbox = ? AND kind = ? AND key = ?'),
      listObjects: db.prepare('SELECT * FROM objects WHERE sandbox = ? AND kind = ? ORDER BY key'),
      putObject:
        db.prepare(`INSERT INTO objects (sandbox, kind, key, body, revision, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)
        ON CONFLICT (sandbox, kind, key) DO UPDATE SET body = excluded.body, revision = revision + 1, updated_at = excluded.updated_at`),
      deleteObject: db.prepare('DELETE FROM objects WHERE sandbox = ? AND kind = ? AND key = ?'),
      listObjectsOfKind: db.prepare('SELECT * FROM objects WHERE kind = ? ORDER BY sandbox, key'),
      replaceObjectIfRevision: db.prepare(
        'UPDATE objects SET body = ?, revision = revision + 1, updated_at = ? WHERE sandbox = ? AND kind = ? AND key = ? AND revision = ?',
      ),
      journeyVersions: db.prepare(
        'SELECT * FROM journeys WHERE sandbox = ? AND journey_id = ? ORDER BY version',
      ),
      listJourneys: db.prepare(
        'SELECT * FROM journeys WHERE sandbox = ? ORDER BY journey_id, version',
      ),
      activeJourneys: db.prepare(
        "SELECT * FROM journeys WHERE status IN ('live', 'paused', 'closed')",
      ),
      putJourney:
        db.prepare(`INSERT INTO journeys (sandbox, journey_id, version, status, definition, created_at, updated_at, published_at, closed_at)
        VALUES (@sandbox, @journeyId, @version, @status, @definition, @createdAt, @updatedAt, @publishedAt, @closedAt)
        ON CONFLICT (sandbox, journey_id, version) DO UPDATE SET status = excluded.status, definition = excluded.definition,
        updated_at = excluded.updated_at, published_at = excluded.published_at, closed_at = excluded.closed_at, revision = revision + 1`),
      replaceJourneyIfRevision:
        db.prepare(`UPDATE journeys SET status = @status, definition = @definition, updated_at = @updatedAt, published_at = @publishedAt,
        closed_at = @closedAt, revision = revision + 1 WHERE sandbox = @sandbox AND journey_id = @journeyId AND version = @version AND revision = @revision`),
      journeyCounterTotals:
        db.prepare(`SELECT journey_id, metric, SUM(value) AS value FROM counters WHERE sandbox = ? AND node = ''
        AND metric IN ('entered', 'exited', 'error', 'timeout') GROUP BY journey_id, metric`),
      journeyActiveTotals: db.prepare(
        "SELECT journey_id, COUNT(*) AS n FROM instances WHERE sandbox = ? AND status = 'active' GROUP BY journey_id",
      ),
      deleteJourney: db.prepare(
        'DELETE FROM journeys WHERE sandbox = ? AND journey_id = ? AND version = ?',
      ),
      getProfile: db.prepare('SELECT * FROM profiles WHERE sandbox = ? AND id = ?'),
      listProfiles: db.prepare(
        'SELECT * FROM profiles WHERE sandbox = ? ORDER BY id LIMIT ? OFFSET ?',
      ),
      findIdentity: db
        .prepare(
          'SELECT profile_id FROM identities WHERE sandbox = ? AND namespace = ? AND value = ?',
        )
        .pluck(),
      putProfile:
        db.prepare(`INSERT INTO profiles (sandbox, id, attributes, identities, test, created_at, updated_at, partition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (sandbox, id) DO UPDATE SET attributes = excluded.attributes, identities = excluded.identities, test = excluded.test, updated_at = excluded.updated_at`),
      putIdentity: db.prepare(
        'INSERT INTO identities (sandbox, namespace, value, profile_id) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET profile_id = excluded.profile_id',
      ),
      hasEvent: db.prepare('SELECT 1 FROM events WHERE sandbox = ? AND event_id = ?').pluck(),
      putEvent: db.prepare(
        'INSERT INTO events (sandbox, event_id, type, profile_id, payload, received_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      eventFingerprint: db.prepare(
        'SELECT fingerprint FROM events WHERE sandbox = ? AND event_id = ?',
      ),
      putDeadLetter: db.prepare(
        'INSERT INTO dead_letters (sandbox, event_id, event_type, body, errors, received_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      replayedDeadLetter: db.prepare('UPDATE dead_letters SET replayed_at = ? WHERE id = ?'),
      getDeadLetter: db.prepare('SELECT * FROM dead_letters WHERE sandbox = ? AND id = ?'),
      listDeadLetters: db.prepare(
        'SELECT * FROM dead_letters WHERE sandbox = ? ORDER BY id DESC LIMIT ?',
      ),
      activeInstances: db
        .prepare(
          "SELECT state FROM instances WHERE sandbox = ? AND profile_id = ? AND status = 'active'",
        )
        .pluck(),
      activeOfVersion: db.prepare(
        "SELECT state FROM instances WHERE sandbox = ? AND journey_id = ? AND version = ? AND status = 'active' LIMIT ?",
      ),
      getInstance: db.prepare('SELECT sandbox, state FROM instances WHERE id = ?'),
      lastExit: db
        .prepare(
          'SELECT MAX(exited_at) AS at FROM instances WHERE sandbox = ? AND journey_id = ? AND profile_id = ? AND exited_at IS NOT NULL',
        )
        .pluck(),
      putInstance:
        db.prepare(`INSERT INTO instances (id, sandbox, journey_id, version, profile_id, status, state, entered_at, exited_at, partition)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, exited_at = excluded.exited_at`),
      dueTimers: db.prepare(
        'SELECT id, sandbox, instance_id, due_at, record FROM timers WHERE due_at <= ? ORDER BY due_at LIMIT ?',
      ),
      nextTimer: db.prepare('SELECT MIN(due_at) AS at FROM timers'),
      backlog: db.prepare(`SELECT
        (SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE due_at <= @now AND sandbox = @sandbox LIMIT @cap)) AS timers_due,
        (SELECT due_at FROM timers WHERE sandbox = @sandbox ORDER BY due_at LIMIT 1) AS next_timer_at,
        (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE next_attempt_at <= @now AND sandbox = @sandbox LIMIT @cap)) AS outbox_due,
        (SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE sandbox = @sandbox AND attempts > 0 LIMIT @cap)) AS outbox_retrying,
        (SELECT COUNT(*) FROM (SELECT 1 FROM dead_letters WHERE sandbox = @sandbox AND replayed_at IS NULL LIMIT @cap)) AS dead_letters`),
      addTimer:
        db.prepare(`INSERT OR REPLACE INTO timers (id, sandbox, instance_id, due_at, record, partition) VALUES (?, ?, ?, ?, ?, COALESCE(
        (SELECT partition FROM instances WHERE id = ?),
        (SELECT partition FROM profiles WHERE ? LIKE 'audience:%' AND sandbox = ? AND id = substr(?, 10)),
        waymark_partition(?)))`),
      removeTimer: db.prepare('DELETE FROM timers WHERE id = ?'),
      pendingOutbox: db.prepare(
        'SELECT * FROM outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?',
      ),
      nextOutbox: db.prepare('SELECT MIN(next_attempt_at) AS at FROM outbox'),
      addOutbox:
        db.prepare(`INSERT OR IGNORE INTO outbox (id, sandbox, kind, instance_id, journey_id, version, payload, attempts, next_attempt_at, created_at, partition)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM instances WHERE id = ?), 0))`),
      doneOutbox: db.prepare('DELETE FROM outbox WHERE id = ?'),
      retryOutbox: db.prepare(
        'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, attempt_started_at = NULL WHERE id = ?',
      ),
      attemptingOutbox: db.prepare('UPDATE outbox SET attempt_started_at = ? WHERE id = ?'),
      sentOutbox: db.prepare('UPDATE outbox SET sent_at = ?, sent_outcome = ? WHERE id = ?'),
      counter:
        db.prepare(`INSERT INTO counters (sandbox, journey_id, version, node, metric, value) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (sandbox, journey_id, version, node, metric) DO UPDATE SET value = value + excluded.value`),
      counters: db.prepare(
        'SELECT version, node, metric, value FROM counters WHERE sandbox = ? AND journey_id = ? ORDER BY version, node, metric',
      ),
      putTestTrace: db.prepare(
        'INSERT INTO test_trace (sandbox, run_id, journey_id, version, profile_id, at, entry) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      testTrace: db.prepare(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = ? AND journey_id = ? AND version = ? ORDER BY seq',
      ),
      testRunTrace: db.prepare(
        'SELECT sandbox, run_id, journey_id, version, profile_id, at, entry FROM test_trace WHERE sandbox = ? AND run_id = ? ORDER BY seq',
      ),
      putMessage:
        db.prepare(`INSERT INTO messages (id, sandbox, journey_id, version, node, label, instance_id, profile_id, channel, recipient, status, reason, subject, body, text, payload, created_at, updated_at)
        VALUES (@id, @sandbox, @journeyId, @version, @node, @label, @instanceId, @profileId, @channel, @recipient, @status, @reason, @subject, @body, @text, @payload, @createdAt, @updatedAt)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason, recipient = excluded.recipient, subject = excluded.subject,
        body = excluded.body, text = excluded.text, payload = excluded.payload, updated_at = excluded.updated_at`),
    };
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.batch.commit(batch);
  }

  // Partitions (one engine owns them all here; the columns keep both stores' rows alike)
  async identityPartitions(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const st = this.db
      .prepare(
        'SELECT p.partition FROM identities i JOIN profiles p ON p.sandbox = i.sandbox AND p.id = i.profile_id WHERE i.sandbox = ? AND i.namespace = ? AND i.value = ?',
      )
      .pluck();
    for (const i of identities) {
      const part = st.get(sandbox, i.namespace, i.value) as number | undefined;
      if (part !== undefined) out.set(`${i.namespace}\u0000${i.value}`, part);
    }
    return out;
  }
  /** Grouped by partition over every row (the status page's read); `cap` is not needed: one row per partition. */
  async partitionBacklog(now: number, _cap?: number): Promise<PartitionBacklog[]> {
    const rows = this.db
      .prepare(
        `SELECT partition, SUM(timers_due) AS timers_due, MIN(oldest) AS oldest, SUM(outbox) AS outbox FROM (
        SELECT partition, COUNT(*) AS timers_due, MIN(due_at) AS oldest, 0 AS outbox FROM timers WHERE due_at <= ? GROUP BY partition
        UNION ALL SELECT partition, 0, NULL, COUNT(*) FROM outbox GROUP BY partition
      ) GROUP BY partition ORDER BY partition`,
      )
      .all(now) as Array<{
      partition: number;
      timers_due: number;
      oldest: number | null;
      outbox: number;
    }>;
    return rows.map((r) => ({
      partition: r.partition,
      timersDue: r.timers_due,
      oldestDueAt: r.oldest,
      outboxPending: r.outbox,
    }));
  }

  // Test runs
  async testTrace(sandbox: string, journeyId: string, version: number): Promise<TestTraceRow[]> {
    return (this.stmts.testTrace.all(sandbox, journeyId, version) as TestTraceDbRow[]).map(
      toTestTrace,
    );
  }
  async testRunTrace(sandbox: string, runId: string): Promise<TestTraceRow[]> {
    return (this.stmts.testRunTrace.all(sandbox, runId) as TestTraceDbRow[]).map(toTestTrace);
  }

  // Objects
  async getObject<T>(sandbox: string, kind: string, key: string): Promise<StoredObject<T> | null> {
    const r = this.stmts.getObject.get(sandbox, kind, key) as ObjectRow | undefined;
    return r ? toObject<T>(r) : null;
  }
  async listObjects<T>(sandbox: string, kind: string): Promise<Array<StoredObject<T>>> {
    return (this.stmts.listObjects.all(sandbox, kind) as ObjectRow[]).map((r) => toObject<T>(r));
  }
  async putObject<T>(
    sandbox: string,
    kind: string,
    key: string,
    body: T,
    now: string,
  ): Promise<StoredObject<T>> {
    this.stmts.putObject.run(sandbox, kind, key, JSON.stringify(body), now, now);
    return (await this.getObject<T>(sandbox, kind, key))!;
  }
  async deleteObject(sandbox: string, kind: string, key: string): Promise<boolean> {
    return this.stmts.deleteObject.run(sandbox, kind, key).changes > 0;
  }
  async listObjectsOfKind<T>(kind: string): Promise<Array<StoredObject<T>>> {
    return (this.stmts.listObjectsOfKind.all(kind) as ObjectRow[]).map((r) => toObject<T>(r));
  }
  async replaceObjectIfRevision<T>(
    sandbox: string,
    kind: string,
    key: string,
    revision: number,
    body: T,
    now: string,
  ): Promise<boolean> {
    return (
      this.stmts.replaceObjectIfRevision.run(
        JSON.stringify(body),
        now,
        sandbox,
        kind,
        key,
        revision,
      ).changes > 0
    );
  }

  // Journeys
  async getJourneyVersions(sandbox: string, journeyId: string): Promise<JourneyVersion[]> {
    return (this.stmts.journeyVersions.all(sandbox, journeyId) as JourneyRow[]).map(
      toJourneyVersion,
    );
  }
  async listJourneys(sandbox: string): Promise<JourneyVersion[]> {
    return (this.stmts.listJourneys.all(sandbox) as JourneyRow[]).map(toJourneyVersion);
  }
  async activeJourneyVersions(): Promise<Array<JourneyVersion & { sandbox: string }>> {
    return (this.stmts.activeJourneys.all() as JourneyRow[]).map((r) => ({
      ...toJourneyVersion(r),
      sandbox: r.sandbox,
    }));
  }
  async putJourneyVersion(
    sandbox: string,
    v: Parameters<Store['putJourneyVersion']>[1],
  ): Promise<void> {
    this.stmts.putJourney.run({
      sandbox,
      journeyId: v.journeyId,
      version: v.version,
      status: v.status,
      definition: JSON.stringify(v.definition),
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
      publishedAt: v.publishedAt ?? null,
      closedAt: v.closedAt ?? null,
    });
  }
  async purgeVersionRuntime(sandbox: string, journeyId: string, version: number): Promise<number> {
    return this.db.transaction(() => {
      const inVersion =
        'SELECT id FROM instances WHERE sandbox = ? AND journey_id = ? AND version = ?';
      this.db
        .prepare(`DELETE FROM timers WHERE instance_id IN (${inVersion})`)
        .run(sandbox, journeyId, version);
      this.db
        .prepare('DELETE FROM outbox WHERE sandbox = ? AND journey_id = ? AND version = ?')
        .run(sandbox, journeyId, version);
      this.db
        .prepare('DELETE FROM counters WHERE sandbox = ? AND journey_id = ? AND version = ?')
        .run(sandbox, journeyId, version);
      return this.db
        .prepare('DELETE FROM instances WHERE sandbox = ? AND journey_id = ? AND version = ?')
        .run(sandbox, journeyId, version).changes;
    })();
  }

  async deleteJourneyVersion(sandbox: string, journeyId: string, version: number): Promise<void> {
    this.stmts.deleteJourney.run(sandbox, journeyId, version);
  }
  async replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<Store['putJourneyVersion']>[1],
    revision: number,
  ): Promise<boolean> {
    return (
      this.stmts.replaceJourneyIfRevision.run({
        sandbox,
        journeyId: v.journeyId,
        version: v.version,
        status: v.status,
        definition: JSON.stringify(v.definition),
        updatedAt: v.updatedAt,
        publishedAt: v.publishedAt ?? null,
        closedAt: v.closedAt ?? null,
        revision,
      }).changes > 0
    );
  }
  async journeyTotals(sandbox: string): Promise<JourneyTotals[]> {
    return foldJourneyTotals(
      this.stmts.journeyCounterTotals.all(sandbox) as Array<{
        journey_id: string;
        metric: string;
        value: number;
      }>,
      this.stmts.journeyActiveTotals.all(sandbox) as Array<{ journey_id: string; n: number }>,
    );
  }

  // Profiles
  async getProfile(sandbox: string, id: string): Promise<Profile | null> {
    const r = this.stmts.getProfile.get(sandbox, id) as ProfileRow | undefined;
    return r ? toProfile(r) : null;
  }
  async findProfileId(sandbox: string, namespace: string, value: string): Promise<string | null> {
    return (this.stmts.findIdentity.get(sandbox, namespace, value) as string | undefined) ?? null;
  }
  // The batch reads are loops over the prepared statements: in process, a statement costs no round
  // trip, and an IN list would be a new statement to prepare for each size.
  async getProfiles(sandbox: string, ids: readonly string[]): Promise<Profile[]> {
    const out: Profile[] = [];
    for (const id of new Set(ids)) {
      const r = this.stmts.getProfile.get(sandbox, id) as ProfileRow | undefined;
      if (r) out.push(toProfile(r));
    }
    return out;
  }
  async findProfileIds(
    sandbox: string,
    identities: ReadonlyArray<{ readonly namespace: string; readonly value: string }>,
  ): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const i of identities) {
      const id = this.stmts.findIdentity.get(sandbox, i.namespace, i.value) as string | undefined;
      if (id !== undefined) out.set(`${i.namespace}\u0000${i.value}`, id);
    }
    return out;
  }
  async listProfiles(sandbox: string, opts: { limit: number; offset: number }): Promise<Profile[]> {
    return (this.stmts.listProfiles.all(sandbox, opts.limit, opts.offset) as ProfileRow[]).map(
      toProfile,
    );
  }

  // Runtime
  async hasEvent(sandbox: string, eventId: string): Promise<boolean> {
    return this.stmts.hasEvent.get(sandbox, eventId) !== undefined;
  }
  async eventFingerprints(
    sandbox: string,
    eventIds: readonly string[],
  ): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const id of eventIds) {
      const row = this.stmts.eventFingerprint.get(sandbox, id) as
        { fingerprint: string | null } | undefined;
      if (row) out.set(id, row.fingerprint);
    }
    return out;
  }
  async seenEvents(sandbox: string, eventIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const id of eventIds) if (this.stmts.hasEvent.get(sandbox, id) !== undefined) out.add(id);
    return out;
  }
  async activeInstances(sandbox: string, profileId: string): Promise<InstanceState[]> {
    return (this.stmts.activeInstances.all(sandbox, profileId) as string[]).map((state) =>
      toInstance({ state }),
    );
  }
  async activeInstancesOf(
    sandbox: string,
    profileIds: readonly string[],
  ): Promise<InstanceState[]> {
    const out: InstanceState[] = [];
    for (const profileId of new Set(profileIds))
      for (const state of this.stmts.activeInstances.all(sandbox, profileId) as string[])
        out.push(toInstance({ state }));
    return out;
  }
  async activeInstancesOfVersion(
    sandbox: string,
    journeyId: string,
    version: number,
    limit: number,
  ): Promise<InstanceState[]> {
    return (
      this.stmts.activeOfVersion.all(sandbox, journeyId, version, limit) as Array<{ state: string }>
    ).map(toInstance);
  }
  async getInstance(id: string): Promise<{ sandbox: string; state: InstanceState } | null> {
    const r = this.stmts.getInstance.get(id) as { sandbox: string; state: string } | undefined;
    return r ? { sandbox: r.sandbox, state: toInstance(r) } : null;
  }
  async getInstances(
    ids: readonly string[],
  ): Promise<Array<{ sandbox: string; state: InstanceState }>> {
    const out: Array<{ sandbox: string; state: InstanceState }> = [];
    for (const id of new Set(ids)) {
      const r = this.stmts.getInstance.get(id) as { sandbox: string; state: string } | undefined;
      if (r) out.push({ sandbox: r.sandbox, state: toInstance(r) });
    }
    return out;
  }
  async lastExit(sandbox: string, journeyId: string, profileId: string): Promise<number | null> {
    return (
      (this.stmts.lastExit.get(sandbox, journeyId, profileId) as number | null | undefined) ?? null
    );
  }
  async dueTimers(now: number, limit: number): Promise<TimerRow[]> {
    return (this.stmts.dueTimers.all(now, limit) as TimerDbRow[]).map(toTimer);
  }
  async nextTimerDue(): Promise<number | null> {
    return (this.stmts.nextTimer.get() as { at: number | null }).at;
  }
  async backlog(sandbox: string, now: number, cap: number): Promise<Backlog> {
    const r = this.stmts.backlog.get({ sandbox, now, cap }) as {
      timers_due: number;
      next_timer_at: number | null;
      outbox_due: number;
      outbox_retrying: number;
      dead_letters: number;
    };
    return {
      timersDue: r.timers_due,
      nextTimerAt: r.next_timer_at,
      outboxDue: r.outbox_due,
      outboxRetrying: r.outbox_retrying,
      deadLetters: r.dead_letters,
    };
  }
  async pendingOutbox(now: number, limit: number): Promise<OutboxItem[]> {
    return (this.stmts.pendingOutbox.all(now, limit) as OutboxRow[]).map(toOutboxItem);
  }
  async nextOutboxDue(): Promise<number | null> {
    return (this.stmts.nextOutbox.get() as { at: number | null }).at;
  }
  async markOutboxAttempting(ids: readonly string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    this.db.transaction(() => {
      for (const id of ids) this.stmts.attemptingOutbox.run(at, id);
    })();
  }
  async markOutboxSent(id: string, at: number, outcome: SentOutcome<MessageRecord>): Promise<void> {
    this.stmts.sentOutbox.run(at, JSON.stringify(outcome), id);
  }
  async getDeadLetter(sandbox: string, id: number): Promise<DeadLetter | null> {
    const r = this.stmts.getDeadLetter.get(sandbox, id) as DeadLetterRow | undefined;
    return r ? toDeadLetter(r) : null;
  }
  async listDeadLetters(sandbox: string, opts: { limit: number }): Promise<DeadLetter[]> {
    return (this.stmts.listDeadLetters.all(sandbox, opts.limit) as DeadLetterRow[]).map(
      toDeadLetter,
    );
  }

  // Reports
  async messageByProviderId(
    sandbox: string,
    channel: 'email' | 'push' | 'sms',
    providerMessageId: string,
  ): Promise<MessageRecord | null> {
    const r = this.db
      .prepare(
        "SELECT * FROM messages WHERE sandbox = ? AND channel = ? AND json_extract(payload, '$.providerMessageId') = ? LIMIT 1",
      )
      .get(sandbox, channel, providerMessageId) as MessageRow | undefined;
    return r ? toMessage(r) : null;
  }

  async timeline(
    sandbox: string,
    journeyId: string,
    opts: { bucketMs: number; since: number },
  ): Promise<TimelineRow[]> {
    // better-sqlite3 binds a JS number as REAL: the width is cast so that the division rounds down to a bucket.
    const b = opts.bucketMs;
    return this.db
      .prepare(
        `
      SELECT (entered_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER) AS bucket, 'entered' AS series, COUNT(*) AS value FROM instances
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND entered_at >= @since GROUP BY 1
      UNION ALL
      SELECT (exited_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), CASE WHEN json_extract(state, '$.exitReason') = 'error' THEN 'errors' ELSE 'exited' END, COUNT(*) FROM instances
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND exited_at >= @since AND json_extract(state, '$.exitReason') <> 'instance_timeout' GROUP BY 1, 2
      UNION ALL
      SELECT (CAST(json_extract(p.value, '$.left') AS INTEGER) / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), 'timeouts', COUNT(*) FROM instances, json_each(instances.state, '$.path') AS p
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND entered_at >= @since - 7776000000 AND json_extract(p.value, '$.outcome') = 'timeout'
          AND json_extract(p.value, '$.left') >= @since GROUP BY 1
      UNION ALL
      SELECT (created_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), 'message.' || status, COUNT(*) FROM messages
        WHERE sandbox = @sandbox AND journey_id = @journeyId AND created_at >= @since GROUP BY 1, 2
      UNION ALL
      SELECT (received_at / CAST(@b AS INTEGER)) * CAST(@b AS INTEGER), type, COUNT(*) FROM events
        WHERE sandbox = @sandbox AND type IN ('message.opened', 'message.clicked', 'message.unsubscribed') AND received_at >= @since
          AND json_extract(payload, '$.journeyId') = @journeyId GROUP BY 1, 2
      ORDER BY 1, 2`,
      )
      .all({ b, sandbox, journeyId, since: opts.since }) as TimelineRow[];
  }

  async counters(sandbox: string, journeyId: string): Promise<CounterRow[]> {
    return (
      this.stmts.counters.all(sandbox, journeyId) as Array<{
        version: number;
        node: string;
        metric: string;
        value: number;
      }>
    ).map((r) => ({
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
    const where = ['sandbox = ?'];
    const args: unknown[] = [sandbox];
    if (f.journeyId) {
      where.push('journey_id = ?');
      args.push(f.journeyId);
    }
    if (f.profileId) {
      where.push('profile_id = ?');
      args.push(f.profileId);
    }
    const sql = `SELECT state FROM instances WHERE ${where.join(' AND ')} ORDER BY entered_at DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as Array<{ state: string }>).map(toInstance);
  }
  async messages(
    sandbox: string,
    f: { profileId?: string; journeyId?: string; channel?: string; limit: number },
  ): Promise<MessageRecord[]> {
    const where = ['sandbox = ?'];
    const args: unknown[] = [sandbox];
    if (f.profileId) {
      where.push('profile_id = ?');
      args.push(f.profileId);
    }
    if (f.journeyId) {
      where.push('journey_id = ?');
      args.push(f.journeyId);
    }
    if (f.channel) {
      where.push('channel = ?');
      args.push(f.channel);
    }
    const sql = `SELECT * FROM messages WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as MessageRow[]).map(toMessage);
  }

  // Audiences
  async profileMemberships(sandbox: string, profileId: string): Promise<MembershipRow[]> {
    return (this.aud.profileMemberships.all(sandbox, profileId) as MembershipDbRow[]).map((r) =>
      toMembership(sandbox, r),
    );
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
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>> {
    const rows = this.aud.members.all(
      sandbox,
      audience,
      o.afterProfileId ?? '',
      o.status ?? null,
      o.status ?? null,
      o.realizedAfter ?? null,
      o.realizedAfter ?? null,
      o.limit,
    ) as Array<MembershipDbRow & { identities: string | null }>;
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSample(
    sandbox: string,
    audience: string,
    limit: number,
  ): Promise<Array<MembershipRow & { identities: IdentityRef[] }>> {
    const rows = this.aud.sample.all(sandbox, audience, limit) as Array<
      MembershipDbRow & { identities: string | null }
    >;
    return rows.map((r) => toMember(sandbox, r));
  }
  async audienceSize(
    sandbox: string,
    audience: string,
  ): Promise<{ realized: number; exited: number }> {
    const rows = this.aud.size.all(sandbox, audience) as Array<{ status: string; n: number }>;
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
    const rows = this.aud.events.all(
      sandbox,
      profileId,
      o.since ?? Number.MIN_SAFE_INTEGER,
    ) as Array<{ type: string; received_at: number; payload: string }>;
    const types = o.types === null ? null : new Set(o.types);
    const out: ProfileEventRow[] = [];
    for (const r of rows)
      if (types === null || types.has(r.type))
        out.push({ type: r.type, at: r.received_at, payload: JSON.parse(r.payload) as unknown });
    return out;
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
    const rows = this.aud.eventsOfProfiles.all(
      sandbox,
      o.afterProfileId,
      o.toProfileId,
      o.since ?? Number.MIN_SAFE_INTEGER,
    ) as Array<{ profile_id: string; type: string; received_at: number; payload: string }>;
    const types = new Set(o.types);
    const out: Array<ProfileEventRow & { profileId: string }> = [];
    for (const r of rows)
      if (types.has(r.type))
        out.push({
          profileId: r.profile_id,
          type: r.type,
          at: r.received_at,
          payload: JSON.parse(r.payload) as unknown,
        });
    return out;
  }
  async scanAttributes(
    sandbox: string,
    o: { afterId?: string; limit: number; paths?: ReadonlyArray<readonly string[]> },
  ): Promise<Array<{ id: string; attributes: Readonly<Record<string, unknown>> }>> {
    const paths = o.paths;
    if (paths === undefined || paths.some((p) => p.length === 0)) {
      return (
        this.aud.scanAttributes.all(sandbox, o.afterId ?? '', o.limit) as Array<{
          id: string;
          attributes: string;
        }>
      ).map((r) => ({ id: r.id, attributes: JSON.parse(r.attributes) as Record<string, unknown> }));
    }
    // SQLite extracts the subtrees (`->` gives JSON text, NULL when absent), so JavaScript parses a few bytes a profile, not the profile.
    const rows = this.subtreeScan(paths.length)
      .raw()
      .all(...paths.map(jsonPathOf), sandbox, o.afterId ?? '', o.limit) as Array<
      Array<string | null>
    >;
    return rows.map((r) => {
      const attributes: Record<string, unknown> = {};
      for (let i = 0; i < paths.length; i++) {
        const text = r[i + 1];
        if (text !== null && text !== undefined)
          placeSubtree(attributes, paths[i]!, JSON.parse(text));
      }
      return { id: r[0] as string, attributes };
    });
  }

  private readonly subtreeScans = new Map<number, Database.Statement>();
  private subtreeScan(n: number): Database.Statement {
    let st = this.subtreeScans.get(n);
    if (!st) {
      const columns = Array.from({ length: n }, () => ', attributes -> ?').join('');
      st = this.db.prepare(
        `SELECT id${columns} FROM profiles WHERE sandbox = ? AND id > ? ORDER BY id LIMIT ?`,
      );
      this.subtreeScans.set(n, st);
    }
    return st;
  }
  async audienceStatuses(
    sandbox: string,
    audience: string,
    o: { afterProfileId: string; toProfileId: string },
  ): Promise<
    Array<{ profileId: string; status: 'realized' | 'exited'; realizedAt: number | null }>
  > {
    return (
      this.aud.statuses.all(sandbox, audience, o.afterProfileId, o.toProfileId) as Array<{
        profile_id: string;
        status: 'realized' | 'exited';
        realized_at: number | null;
      }>
    ).map((r) => ({ profileId: r.profile_id, status: r.status, realizedAt: r.realized_at }));
  }
  async audienceJobs(
    sandbox?: string,
  ): Promise<Array<{ sandbox: string; id: string; state: unknown }>> {
    const rows = (
      sandbox === undefined ? this.aud.allJobs.all() : this.aud.jobs.all(sandbox)
    ) as Array<{ sandbox: string; id: string; state: string }>;
    return rows.map((r) => ({
      sandbox: r.sandbox,
      id: r.id,
      state: JSON.parse(r.state) as unknown,
    }));
  }
  async getSetting(sandbox: string, key: string): Promise<unknown> {
    const v = this.aud.getSetting.get(sandbox, key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as unknown);
  }
  async putSetting(sandbox: string, key: string, value: unknown): Promise<void> {
    this.aud.putSetting.run(sandbox, key, JSON.stringify(value));
  }
  async purgeEvents(sandbox: string, before: number): Promise<number> {
    return this.aud.purgeEvents.run(sandbox, before).changes;
  }

  // Whole sandboxes and the audit log (audit.ts).
  private readonly audit: SqliteAudit;
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
    await this.checkpointer?.stop();
    this.db.close();
  }
}

/** Statements of the audience tables, and of profile stitching and erasure. */
function prepareAudience(db: Database.Database) {
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
    // INDEXED BY: without statistics SQLite prefers the primary key's (sandbox) prefix here, a scan
    // of every membership in the sandbox on each event (quadratic under load: bench/journey.ts).
    profileMemberships: db.prepare(
      'SELECT profile_id, audience, status, realized_at, exited_at FROM memberships INDEXED BY memberships_profile WHERE sandbox = ? AND profile_id = ?',
    ),
    members:
      db.prepare(`SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM memberships m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id
      WHERE m.sandbox = ? AND m.audience = ? AND m.profile_id > ? AND (? IS NULL OR m.status = ?) AND (? IS NULL OR m.realized_at > ?)
      ORDER BY m.profile_id LIMIT ?`),
    // A uniform sample: SQLite keeps the `limit` smallest random keys while it reads the audience's rows once.
    sample:
      db.prepare(`SELECT m.profile_id, m.audience, m.status, m.realized_at, m.exited_at, p.identities FROM
      (SELECT * FROM memberships WHERE sandbox = ? AND audience = ? AND status = 'realized' ORDER BY random() LIMIT ?) m
      LEFT JOIN profiles p ON p.sandbox = m.sandbox AND p.id = m.profile_id ORDER BY m.profile_id`),
    size: db.prepare(
      'SELECT status, COUNT(*) AS n FROM memberships WHERE sandbox = ? AND audience = ? GROUP BY status',
    ),
    events: db.prepare(
      'SELECT type, received_at, payload FROM events WHERE sandbox = ? AND profile_id = ? AND received_at >= ? ORDER BY received_at',
    ),
    eventsOfProfiles:
      db.prepare(`SELECT profile_id, type, received_at, payload FROM events INDEXED BY events_profile
      WHERE sandbox = ? AND profile_id > ? AND profile_id <= ? AND received_at >= ? ORDER BY profile_id, received_at`),
    scanAttributes: db.prepare(
      'SELECT id, attributes FROM profiles WHERE sandbox = ? AND id > ? ORDER BY id LIMIT ?',
    ),
    statuses: db.prepare(
      'SELECT profile_id, status, realized_at FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id > ? AND profile_id <= ? ORDER BY profile_id',
    ),
    putMembership:
      db.prepare(`INSERT INTO memberships (sandbox, audience, profile_id, status, realized_at, exited_at, partition)
      VALUES (?, ?, ?, ?, ?, ?, COALESCE((SELECT partition FROM profiles WHERE sandbox = ? AND id = ?), 0))
      ON CONFLICT (sandbox, audience, profile_id) DO UPDATE SET status = excluded.status, realized_at = excluded.realized_at, exited_at = excluded.exited_at`),
    removeMembership: db.prepare(
      'DELETE FROM memberships WHERE sandbox = ? AND audience = ? AND profile_id = ?',
    ),
    removeAudience: db.prepare('DELETE FROM memberships WHERE sandbox = ? AND audience = ?'),
    jobs: db.prepare('SELECT sandbox, id, state FROM audience_jobs WHERE sandbox = ? ORDER BY id'),
    allJobs: db.prepare('SELECT sandbox, id, state FROM audience_jobs ORDER BY sandbox, id'),
    putJob: db.prepare(
      'INSERT INTO audience_jobs (sandbox, id, state) VALUES (?, ?, ?) ON CONFLICT (sandbox, id) DO UPDATE SET state = excluded.state',
    ),
    deleteJob: db.prepare('DELETE FROM audience_jobs WHERE sandbox = ? AND id = ?'),
    getSetting: db
      .prepare('SELECT value FROM sandbox_settings WHERE sandbox = ? AND key = ?')
      .pluck(),
    putSetting: db.prepare(
      'INSERT INTO sandbox_settings (sandbox, key, value) VALUES (?, ?, ?) ON CONFLICT (sandbox, key) DO UPDATE SET value = excluded.value',
    ),
    purgeEvents: db.prepare('DELETE FROM events WHERE sandbox = ? AND received_at < ?'),
    // Stitching: the absorbed profile's history and instances move to the surviving one; its memberships go (re-evaluated on the survivor).
    merge: [
      ofProfile('events'),
      ofProfile('messages'),
      ofProfile('identities'),
      ofProfile('test_trace'),
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
      erase('DELETE FROM profiles WHERE sandbox = ? AND id = ?'),
    ],
  };
}

interface TestTraceDbRow {
  sandbox: string;
  run_id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  at: number;
  entry: string;
}
const toTestTrace = (r: TestTraceDbRow): TestTraceRow => ({
  sandbox: r.sandbox,
  runId: r.run_id,
  journeyId: r.journey_id,
  version: r.version,
  profileId: r.profile_id,
  at: r.at,
  entry: JSON.parse(r.entry) as unknown,
});
