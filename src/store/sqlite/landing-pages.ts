// Landing pages' report counters on the embedded store (table landing_page_counters).
import type Database from 'better-sqlite3';
import type { LandingPageCount, LandingPageMetric, LandingPageRepository } from '../ports.ts';

export class SqliteLandingPages implements LandingPageRepository {
  private readonly bump: Database.Statement;
  private readonly list: Database.Statement;

  constructor(db: Database.Database) {
    this.bump = db.prepare(
      `INSERT INTO landing_page_counters (sandbox, slug, sub_page, metric, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (sandbox, slug, sub_page, metric) DO UPDATE SET count = count + 1`,
    );
    this.list = db.prepare(
      'SELECT sub_page, metric, count FROM landing_page_counters WHERE sandbox = ? AND slug = ? ORDER BY sub_page, metric',
    );
  }

  async countLandingPage(
    sandbox: string,
    slug: string,
    subPage: string,
    metric: LandingPageMetric,
  ): Promise<void> {
    this.bump.run(sandbox, slug, subPage, metric);
  }

  async landingPageCounts(sandbox: string, slug: string): Promise<LandingPageCount[]> {
    return (
      this.list.all(sandbox, slug) as Array<{ sub_page: string; metric: string; count: number }>
    ).map((r) => ({
      subPage: r.sub_page,
      metric: r.metric as LandingPageMetric,
      count: Number(r.count),
    }));
  }
}
