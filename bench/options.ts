// The options of the benchmark suite: sections, sizes, and the sizes of the smoke run. Kept apart
// from bench/suite.ts so that the CLI (loaded by every `waymark` command, `serve` too) can describe
// its flags without loading the benches; `waymark bench` loads those when it runs.
import type { LoyaltyMode } from './world.ts';

export interface SuiteOptions {
  /** Profiles in the throughput run (checkout for all, purchase for half). */
  readonly profiles: number;
  /** Profiles in flight for the memory and start-up figures. */
  readonly inFlight: number;
  /** The longest the memory figure's process is given to settle once filled (30 s when absent). */
  readonly stateSettleSeconds?: number;
  /** When `memory.rss.serve` is read after the server's /healthz answers (1 s when absent). */
  readonly stateServeHoldSeconds?: number;
  readonly timers: number;
  /** Due rate of the spread timer run. */
  readonly timerRate: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  readonly batch: number;
  readonly loyalty: LoyaltyMode;
  readonly exprIterations: number;
  readonly renderIterations: number;
  /** Pure decisions measured by the offers section (1,000 offers with eligibility rules). */
  readonly offerDecisions: number;
  readonly audienceProfiles: number;
  /** Profiles in the SQLite file of the end-to-end batch audience run. */
  readonly audienceStoreProfiles: number;
  /** Offered load of the streaming qualification run, events a second. */
  readonly audienceRate: number;
  readonly audienceSeconds: number;
  /** Shoppers in the PostgreSQL run. */
  readonly postgresProfiles: number;
  /** The crash-safety run (section `crash` on SQLite; in section `postgres` on PostgreSQL): shoppers, SIGKILLs, abandoned-cart timeout. */
  readonly crashShoppers: number;
  readonly crashKills: number;
  readonly crashTimeoutSeconds: number;
  readonly bullmq: boolean;
  /** The email designer in Chromium: opens of the Order Confirmation email, and preview round trips. */
  readonly designerOpens: number;
  readonly designerPreviews: number;
  /** Quick search: objects in the sandbox, and searches measured. */
  readonly searchObjects: number;
  readonly searchQueries: number;
  /** Checkout events per run of the scale-out section (one engine, two, a failover). */
  readonly scaleoutEvents: number;
  /** Scale-out: each engine's lease and heartbeat (3,000 and 500 ms when absent; the failover waits for the lease), and the pause after a fleet started (4 s when absent). */
  readonly scaleoutLeaseMs?: number;
  readonly scaleoutHeartbeatMs?: number;
  readonly scaleoutSettleSeconds?: number;
  /** Campaigns: members of the throughput run, and the throttled run's rate and members. */
  readonly campaignProfiles: number;
  readonly campaignRate: number;
  readonly campaignRateProfiles: number;
  /** Campaigns: the throttled runs at AJO-scale rates (`campaign.send.rate.<r>`), each this many seconds long. */
  readonly campaignRates: readonly number[];
  readonly campaignRateSeconds: number;
  /** Start-up: measured restarts of the server (the median is reported). */
  readonly startupRuns: number;
  /** Only these sections (all when empty). */
  readonly only: readonly Section[];
  readonly log?: (line: string) => void;
}

export const sections = [
  'throughput',
  'latency',
  'timers',
  'state',
  'expr',
  'render',
  'offers',
  'audience',
  'postgres',
  'scaleout',
  'crash',
  'designer',
  'search',
  'campaign',
  'startup',
] as const;
export type Section = (typeof sections)[number];

export const defaultOptions: SuiteOptions = {
  profiles: 10_000,
  inFlight: 50_000,
  timers: 10_000,
  timerRate: 5_000,
  latencyRate: 5_000,
  latencySeconds: 5,
  batch: 100,
  loyalty: 'in-process',
  exprIterations: 1_000_000,
  renderIterations: 10_000,
  offerDecisions: 200_000,
  audienceProfiles: 100_000,
  audienceStoreProfiles: 200_000,
  audienceRate: 1_000,
  audienceSeconds: 5,
  postgresProfiles: 5_000,
  crashShoppers: 300,
  crashKills: 5,
  crashTimeoutSeconds: 5,
  bullmq: true,
  designerOpens: 10,
  designerPreviews: 200,
  searchObjects: 10_000,
  searchQueries: 500,
  scaleoutEvents: 10_000,
  campaignProfiles: 100_000,
  campaignRate: 20,
  campaignRateProfiles: 200,
  campaignRates: [200, 1000],
  campaignRateSeconds: 5,
  startupRuns: 5,
  only: [],
};

export const smokeOptions: SuiteOptions = {
  ...defaultOptions,
  profiles: 40,
  inFlight: 50,
  // The waits, shorter: the smoke run checks that each section works, not what it measures.
  stateSettleSeconds: 2,
  stateServeHoldSeconds: 0.2,
  timers: 40,
  timerRate: 2_000,
  latencyRate: 200,
  latencySeconds: 0.25,
  batch: 10,
  exprIterations: 2_000,
  renderIterations: 20,
  offerDecisions: 5_000,
  audienceProfiles: 200,
  audienceStoreProfiles: 500,
  audienceRate: 200,
  audienceSeconds: 0.25,
  postgresProfiles: 40,
  crashShoppers: 6,
  crashKills: 1,
  crashTimeoutSeconds: 2,
  designerOpens: 1,
  designerPreviews: 5,
  searchObjects: 300,
  searchQueries: 20,
  scaleoutEvents: 200,
  // The full-size lease (3 s): with test/fleet/engine-process.ts's 1.5 s, a loaded CI machine's
  // late heartbeats lost leases and the two-engine run never stored every event.
  scaleoutSettleSeconds: 1,
  campaignProfiles: 200,
  campaignRate: 20,
  campaignRateProfiles: 20,
  campaignRates: [200],
  campaignRateSeconds: 0.5,
  startupRuns: 1,
};
