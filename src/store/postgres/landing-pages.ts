// Landing pages' report counters on PostgreSQL (table landing_page_counters): one upsert per count.
import type { LandingPageCount, LandingPageMetric, LandingPageRepository } from '../ports.ts';
import type { PostgresContext } from './context.ts';

export class PostgresLandingPages implements LandingPageRepository {
  constructor(private readonly db: PostgresContext) {}

  async countLandingPage(
    sandbox: string,
    slug: string,
    subPage: string,
    metric: LandingPageMetric,
  ): Promise<void> {
    await this.db.rows(
      `INSERT INTO landing_page_counters (sandbox, slug, sub_page, metric, count) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (sandbox, slug, sub_page, metric) DO UPDATE SET count = landing_page_counters.count + 1`,
      [sandbox, slug, subPage, metric],
    );
  }

  async landingPageCounts(sandbox: string, slug: string): Promise<LandingPageCount[]> {
    const rows = await this.db.rows<{ sub_page: string; metric: string; count: string }>(
      'SELECT sub_page, metric, count FROM landing_page_counters WHERE sandbox = $1 AND slug = $2 ORDER BY sub_page, metric',
      [sandbox, slug],
    );
    return rows.map((r) => ({
      subPage: r.sub_page,
      metric: r.metric as LandingPageMetric,
      count: Number(r.count),
    }));
  }
}
