// The PostgreSQL store: the same port as the embedded SQLite store, method for method, for when
// one machine is not enough. node-postgres pool; one transaction per commit batch (commit.ts runs
// the plan of ../batch/plan.ts). The store is the composition of one repository per file of this
// folder (the same files as ../sqlite/), sharing one context (context.ts): commits of one store are
// applied one at a time, as SQLite's single writer applies them (the engine was written against
// that), while reads run on the other connections of the pool.
import type pg from 'pg';
import { Composition } from '../compose.ts';
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
  PartitionOwnership,
  PartitionRepository,
  PartitionScopedStore,
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
import { PostgresAudiences } from './audiences.ts';
import { PostgresAssistant } from './assistant.ts';
import { PostgresAudit } from './audit.ts';
import { PostgresBacklog } from './backlog.ts';
import { PostgresBlobStore } from './blob-store.ts';
import { PostgresBatch } from './commit.ts';
import type { MigrationOutcome } from '../migrations/plan.ts';
import { connectAndMigrate, type PostgresOptions } from './connection.ts';
import { PostgresContext } from './context.ts';
import { PostgresEvents } from './events.ts';
import { PostgresInstances } from './instances.ts';
import { PostgresJourneys } from './journeys.ts';
import { PostgresObjects } from './objects.ts';
import { PostgresOutbox } from './outbox.ts';
import { PostgresPartitions } from './partitions.ts';
import { PostgresProfiles } from './profiles.ts';
import { PostgresRetention } from './retention.ts';
import { PostgresOffers } from './offers.ts';
import { PostgresLandingPages } from './landing-pages.ts';
import { PostgresInApp } from './in-app.ts';
import { PostgresShortLinks } from './short-links.ts';
import { PostgresSuppressions } from './suppressions.ts';
import { PostgresWebhookDeliveries } from './webhooks.ts';
import { PostgresExports } from './exports.ts';
import { PostgresReports } from './reports.ts';
import { PostgresTestRuns } from './test-runs.ts';
import { PostgresTimers } from './timers.ts';
import { PostgresTranslationProjects } from './translation-projects.ts';

export type { PostgresOptions } from './connection.ts';

/** Connects, creates the schema if needed and migrates it, then returns the store. */
export async function openPostgresStore(opts: PostgresOptions): Promise<PostgresStore> {
  const { pool, migration } = await connectAndMigrate(opts);
  const store = new PostgresStore(pool);
  store.migration = migration;
  return store;
}

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

export class PostgresStore
  extends Composition<Repositories>()
  implements Store, PartitionScopedStore
{
  private readonly db: PostgresContext;
  /** What opening the schema migrated (null when the pool came from elsewhere). */
  migration: MigrationOutcome | null = null;

  constructor(readonly pool: pg.Pool) {
    const db = new PostgresContext(pool);
    super([
      new PostgresObjects(db),
      new PostgresJourneys(db),
      new PostgresProfiles(db),
      new PostgresEvents(db),
      new PostgresInstances(db),
      new PostgresTimers(db),
      new PostgresOutbox(db),
      new PostgresBacklog(db),
      new PostgresBatch(db),
      new PostgresReports(db),
      new PostgresAudiences(db),
      new PostgresTestRuns(db),
      new PostgresTranslationProjects(pool),
      new PostgresAudit(pool, (fn) => db.transaction(fn)),
      new PostgresPartitions(db),
      new PostgresRetention(pool),
      new PostgresAssistant(pool),
      new PostgresOffers(db),
      new PostgresLandingPages(db),
      new PostgresInApp(db),
      new PostgresShortLinks(db),
      new PostgresSuppressions(db),
      new PostgresWebhookDeliveries(db),
      new PostgresExports(db),
    ]);
    this.db = db;
  }

  /** Asset bytes in the same database (the blob port). */
  blobStore(): PostgresBlobStore {
    return new PostgresBlobStore(this.pool);
  }

  /**
   * Fleet mode: outbox items of these partitions marked as being attempted by this engine whose
   * outcome is not recorded yet. A partition is handed over once none is left (leases.ts drains),
   * or the next owner would send them again.
   */
  attemptsInFlight(partitions: ReadonlySet<number>): number {
    let n = 0;
    for (const p of this.db.attempting.values()) if (partitions.has(p)) n++;
    return n;
  }

  setOwnership(ownership: PartitionOwnership | null): void {
    this.db.ownership = ownership;
  }

  async close(): Promise<void> {
    await this.db.drained();
    await this.pool.end();
  }
}
