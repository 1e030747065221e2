// Landing pages' report counters: views, submissions, refusals and conversions per page and sub-page.

import type { LandingPageMetric } from '../../model/landing-page.ts';

export type { LandingPageMetric };

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
