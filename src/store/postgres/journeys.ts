// Journey versions on PostgreSQL (table journeys), their totals, and the removal of a version's runtime.
import type { JourneyVersion } from '../../model/journey.ts';
import type { JourneyRepository, JourneyTotals, VersionSetting } from '../ports.ts';
import { foldJourneyTotals } from '../row-mapping.ts';
import type { PostgresContext } from './context.ts';
import { toJourneyVersion, type JourneyRow } from './rows.ts';
import { PUT_SETTING_SQL } from './audiences.ts';

export class PostgresJourneys implements JourneyRepository {
  constructor(private readonly db: PostgresContext) {}

  async getJourneyVersions(sandbox: string, journeyId: string): Promise<JourneyVersion[]> {
    return (
      await this.db.rows<JourneyRow>(
        'SELECT * FROM journeys WHERE sandbox = $1 AND journey_id = $2 ORDER BY version',
        [sandbox, journeyId],
      )
    ).map(toJourneyVersion);
  }
  async listJourneys(sandbox: string): Promise<JourneyVersion[]> {
    return (
      await this.db.rows<JourneyRow>(
        'SELECT * FROM journeys WHERE sandbox = $1 ORDER BY journey_id, version',
        [sandbox],
      )
    ).map(toJourneyVersion);
  }
  async activeJourneyVersions(): Promise<Array<JourneyVersion & { sandbox: string }>> {
    const rows = await this.db.rows<JourneyRow>(
      "SELECT * FROM journeys WHERE status IN ('live', 'paused', 'closed', 'dryRun') ORDER BY sandbox, journey_id, version",
    );
    return rows.map((r) => ({ ...toJourneyVersion(r), sandbox: r.sandbox }));
  }
  async putJourneyVersion(
    sandbox: string,
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
  ): Promise<void> {
    await this.db.pool.query(
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
    await this.db.pool.query(
      'DELETE FROM journeys WHERE sandbox = $1 AND journey_id = $2 AND version = $3',
      [sandbox, journeyId, version],
    );
  }
  async replaceJourneyVersionIfRevision(
    sandbox: string,
    v: Parameters<JourneyRepository['putJourneyVersion']>[1],
    revision: number,
    setting?: VersionSetting,
  ): Promise<boolean> {
    return this.db.transaction(async (client) => {
      const r = await client.query(
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
      const replaced = (r.rowCount ?? 0) > 0;
      if (replaced && setting)
        await client.query(PUT_SETTING_SQL, [sandbox, setting.key, JSON.stringify(setting.value)]);
      return replaced;
    });
  }
  async journeyTotals(sandbox: string): Promise<JourneyTotals[]> {
    const counters = await this.db.rows<{ journey_id: string; metric: string; value: number }>(
      `SELECT journey_id, metric, SUM(value)::bigint AS value FROM counters
      WHERE sandbox = $1 AND node = '' AND metric IN ('entered', 'exited', 'error', 'timeout') GROUP BY journey_id, metric`,
      [sandbox],
    );
    const active = await this.db.rows<{ journey_id: string; n: number }>(
      "SELECT journey_id, COUNT(*) AS n FROM instances WHERE sandbox = $1 AND status = 'active' GROUP BY journey_id",
      [sandbox],
    );
    return foldJourneyTotals(counters, active);
  }
  async purgeVersionRuntime(sandbox: string, journeyId: string, version: number): Promise<number> {
    return this.db.transaction(async (client) => {
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
}
