// Landing pages' report counters: views, submissions, refusals and conversions per page and sub-page.

export const LANDING_PAGE_METRICS = ['views', 'submissions', 'refused', 'conversions'] as const;
export type LandingPageMetric = (typeof LANDING_PAGE_METRICS)[number];

export interface LandingPageCount {
  /** '' for the primary page. */
  readonly subPage: string;
  readonly metric: LandingPageMetric;
  readonly count: number;
}

export interface LandingPageRepository {
  /** Adds one to a counter of a page (one upsert). */
  countLandingPage(
    sandbox: string,
    slug: string,
    subPage: string,
    metric: LandingPageMetric,
  ): Promise<void>;
  /** Every counter of a page. */
  landingPageCounts(sandbox: string, slug: string): Promise<LandingPageCount[]>;
}
