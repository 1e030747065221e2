// The embedded store: SQLite through better-sqlite3 (WAL, prepared statements, one transaction per
// commit batch). Synchronous underneath; the port is async so that networked adapters fit too.
// The store is the composition of one repository per file of this folder (the same files as
// ../postgres/), all on one connection; the batch semantics are ../batch/plan.ts (commit.ts runs them).
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Composition } from '../compose.ts';
import { migrateSqlite } from '../migrations/sqlite-migrator.ts';
import type { MigrationOutcome } from '../migrations/plan.ts';
import type {
  AudienceRepository,
  AssistantRepository,
  AuditRepository,
  BacklogRepository,
  BatchRepository,
  EventRepository,
  InstanceRepository,
  JourneyRepository,
  ObjectRepository,
  OutboxRepository,
  PartitionRepository,
  ProfileRepository,
  ReportRepository,
  SandboxDataRepository,
  Store,
  TestRunRepository,
  TimerRepository,
  TranslationProjectRepository,
  RetentionRepository,
  OfferRepository,
  InAppRepository,
  ShortLinkRepository,
  LandingPageRepository,
  SuppressionRepository,
  WebhookDeliveryRepository,
  ExportRepository,
} from '../ports.ts';
import { SqliteAudiences } from './audiences.ts';
import { SqliteAssistant } from './assistant.ts';
import { SqliteAudit } from './audit.ts';
import { SqliteBacklog } from './backlog.ts';
import { BackgroundCheckpointer } from './checkpointer.ts';
import { SqliteBatch } from './commit.ts';
import { SqliteEvents } from './events.ts';
import { registerSqliteFunctions } from './functions.ts';
import { SqliteInstances } from './instances.ts';
import { SqliteJourneys } from './journeys.ts';
import { SqliteObjects } from './objects.ts';
import { SqliteOutbox } from './outbox.ts';
import { SqlitePartitions } from './partitions.ts';
import { sqlitePragmas } from './pragmas.ts';
import { SqliteProfiles } from './profiles.ts';
import { SqliteRetention } from './retention.ts';
import { SqliteOffers } from './offers.ts';
import { SqliteLandingPages } from './landing-pages.ts';
import { SqliteInApp } from './in-app.ts';
import { SqliteShortLinks } from './short-links.ts';
import { SqliteReports } from './reports.ts';
import { SqliteSuppressions } from './suppressions.ts';
import { SqliteWebhookDeliveries } from './webhooks.ts';
import { SqliteExports } from './exports.ts';
import { SqliteTestRuns } from './test-runs.ts';
import { SqliteTimers } from './timers.ts';
import { SqliteTranslationProjects } from './translation-projects.ts';
import { InProcessWrites, ThreadWrites, type WriteChannel } from './write-channel.ts';

type Repositories = [
  ObjectRepository,
  JourneyRepository,
  ProfileRepository,
  EventRepository,
  InstanceRepository,
  TimerRepository,
  OutboxRepository,
  BacklogRepository,
  BatchRepository,
  ReportRepository,
  AudienceRepository,
  TestRunRepository,
  TranslationProjectRepository,
  AuditRepository & SandboxDataRepository,
  PartitionRepository,
  RetentionRepository,
  AssistantRepository,
  OfferRepository,
  LandingPageRepository,
  InAppRepository,
  ShortLinkRepository,
  SuppressionRepository,
  WebhookDeliveryRepository,
  ExportRepository,
];

export class SqliteStore extends Composition<Repositories>() implements Store {
  private readonly db: Database.Database;
  private readonly checkpointer: BackgroundCheckpointer | null;
  private readonly writes: WriteChannel;
  /** What opening the file migrated (schema, record formats, the Waymark version recorded). */
  readonly migration: MigrationOutcome;

  /**
   * `path` is a file, or ':memory:' for tests. A file's WAL is checkpointed by a background thread
   * every `checkpointIntervalMs` (null: only by SQLite, inside the commit that fills it).
   * `commitThread`: a file's commits run on a thread of their own (write-channel.ts), those of at
   * least `minStatements` statements (default THREAD_MIN_STATEMENTS) when given.
   */
  constructor(
    path: string,
    opts: {
      checkpointIntervalMs?: number | null;
      commitThread?: boolean | { readonly minStatements: number };
    } = {},
  ) {
    const db = new Database(path);
    for (const p of sqlitePragmas) db.pragma(p);
    registerSqliteFunctions(db);
    let migration: MigrationOutcome;
    try {
      migration = migrateSqlite(db, path === ':memory:' ? path : dirname(path));
    } catch (error) {
      db.close();
      throw error;
    }
    const inProcess = new InProcessWrites(db);
    const writes: WriteChannel =
      opts.commitThread && !db.memory
        ? new ThreadWrites(
            path,
            sqlitePragmas,
            inProcess,
            warnStore,
            opts.commitThread === true ? undefined : opts.commitThread.minStatements,
          )
        : inProcess;
    const interval = opts.checkpointIntervalMs === undefined ? 250 : opts.checkpointIntervalMs;
    const checkpointer =
      interval !== null && !db.memory
        ? new BackgroundCheckpointer(path, {
            intervalMs: interval,
            onFailure: (error) =>
              warnStore(`SQLite checkpoints are back on the writer: ${error.message}`),
          })
        : null;
    super([
      new SqliteObjects(db),
      new SqliteJourneys(db),
      new SqliteProfiles(db),
      new SqliteEvents(db),
      new SqliteInstances(db),
      new SqliteTimers(db),
      new SqliteOutbox(db, writes),
      new SqliteBacklog(db),
      new SqliteBatch(writes, (statements) => checkpointer?.sawCommit(statements)),
      new SqliteReports(db),
      new SqliteAudiences(db),
      new SqliteTestRuns(db),
      new SqliteTranslationProjects(db),
      new SqliteAudit(db),
      new SqlitePartitions(db),
      new SqliteRetention(db),
      new SqliteAssistant(db),
      new SqliteOffers(db),
      new SqliteLandingPages(db),
      new SqliteInApp(db),
      new SqliteShortLinks(db),
      new SqliteSuppressions(db),
      new SqliteWebhookDeliveries(db),
      new SqliteExports(db),
    ]);
    this.db = db;
    this.writes = writes;
    this.migration = migration;
    this.checkpointer = checkpointer;
  }

  async close(): Promise<void> {
    await this.writes.close();
    await this.checkpointer?.stop();
    this.db.close();
  }
}

function warnStore(message: string): void {
  process.emitWarning(message, 'WaymarkStoreWarning');
}
