// Journey versions on the embedded store (table journeys), their totals, and the removal of a version's runtime.
import type Database from 'better-sqlite3';
import type { JourneyVersion } from '../../model/journey.ts';
import type { JourneyRepository, JourneyTotals, VersionSetting } from '../ports.ts';
import { foldJourneyTotals } from '../row-mapping.ts';
import { toJourneyVersion, type JourneyRow } from './rows.ts';
import { PUT_SETTING_SQL } from './audiences.ts';

export class SqliteJourneys implements JourneyRepository {
  private readonly stmts: ReturnType<typeof prepare>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepare(db);
  }

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
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
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
    return this.db
      .transaction(() => {
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
      })
      .immediate();
  }
  async deleteJourneyVersion(sandbox: string, journeyId: string, version: number): Promise<void> {
    this.stmts.deleteJourney.run(sandbox, journeyId, version);
  }
  async replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
    revision: number,
    setting?: VersionSetting,
  ): Promise<boolean> {
    return this.db
      .transaction(() => {
        const replaced =
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
          }).changes > 0;
        if (replaced && setting)
          this.stmts.putSetting.run(sandbox, setting.key, JSON.stringify(setting.value));
        return replaced;
      })
      .immediate();
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
}

function prepare(db: Database.Database) {
  return {
    journeyVersions: db.prepare(
      'SELECT * FROM journeys WHERE sandbox = ? AND journey_id = ? ORDER BY version',
    ),
    listJourneys: db.prepare(
      'SELECT * FROM journeys WHERE sandbox = ? ORDER BY journey_id, version',
    ),
    activeJourneys: db.prepare(
      "SELECT * FROM journeys WHERE status IN ('live', 'paused', 'closed', 'dryRun')",
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
    putSetting: db.prepare(PUT_SETTING_SQL),
    deleteJourney: db.prepare(
      'DELETE FROM journeys WHERE sandbox = ? AND journey_id = ? AND version = ?',
    ),
  };
}
