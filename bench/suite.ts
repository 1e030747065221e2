// The benchmark suite: every figure, each with the baseline measured in the same run. Sizes come
// from options; `smoke` runs everything at tiny sizes (CI checks the suite works, never a speed).
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { figure, type Figure, type PlainFigure } from './figures.ts';
export type { Figure } from './figures.ts';
import { benchAudienceStore } from './audience-store.ts';
import { benchCrashSafety } from './crash.ts';
import { benchDesigner } from './designer.ts';
import { benchSearch } from './search.ts';
import { benchThroughput } from './journey.ts';
import { benchLatency } from './latency.ts';
import { benchPostgres } from './postgres.ts';
import { benchScaleout } from './scaleout.ts';
import { benchState } from './state.ts';
import { benchTimers } from './timers.ts';
import type { SuiteOptions, Section } from './options.ts';
export {
  defaultOptions,
  sections,
  smokeOptions,
  type Section,
  type SuiteOptions,
} from './options.ts';

export interface SuiteReport {
  readonly startedAt: string;
  readonly seconds: number;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
    readonly loadAverage: readonly number[];
  };
  readonly options: Omit<SuiteOptions, 'log'>;
  readonly figures: readonly Figure[];
  readonly skipped: ReadonlyArray<{ readonly section: string; readonly reason: string }>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Targets of the issue for the figures the other bench files report. */
const partTargets: Record<string, number> = {
  'expr.eval.condition.inAudience': 1_000_000,
  'expr.eval.param.email': 1_000_000,
  'expr.eval.param.priceTotal': 1_000_000,
  'content.render.orderConfirmation': 5_000,
  'offers.decide.throughput': 20_000,
};

function fromPart(f: PlainFigure): Figure {
  const target = partTargets[f.name];
  return figure({
    name: f.name,
    value: f.value,
    unit: f.unit,
    ...(target !== undefined ? { targets: [{ op: '>=', value: target, of: 'value' }] } : {}),
    ...(f.baseline ? { note: f.baseline } : {}),
  });
}

/** Runs bench/<file>.ts's exported function when that file exists (others write them). */
async function part(file: string, exportName: string, arg: unknown): Promise<Figure[] | string> {
  if (!existsSync(join(here, `${file}.ts`))) return `bench/${file}.ts is not there yet`;
  const mod = (await import(`./${file}.ts`)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') return `bench/${file}.ts does not export ${exportName}()`;
  const figures = await (fn as (a: unknown) => Promise<PlainFigure[]>)(arg);
  return figures.map(fromPart);
}

export async function runSuite(opts: SuiteOptions): Promise<SuiteReport> {
  const log = opts.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadAverage = loadavg().map((l) => Math.round(l * 100) / 100);
  const figures: Figure[] = [];
  const skipped: Array<{ section: string; reason: string }> = [];
  const want = (s: Section): boolean => opts.only.length === 0 || opts.only.includes(s);
  const section = async (name: Section, run: () => Promise<Figure[] | string>): Promise<void> => {
    if (!want(name)) return;
    const s0 = performance.now();
    log(`${name}…`);
    const r = await run();
    if (typeof r === 'string') {
      skipped.push({ section: name, reason: r });
      log(`${name}: skipped (${r})`);
      return;
    }
    figures.push(...r);
    log(`${name}: ${((performance.now() - s0) / 1000).toFixed(1)} s`);
  };
  await section('throughput', () =>
    benchThroughput({ profiles: opts.profiles, batch: opts.batch, loyalty: opts.loyalty }),
  );
  await section('latency', () =>
    benchLatency({ rate: opts.latencyRate, seconds: opts.latencySeconds, loyalty: opts.loyalty }),
  );
  await section('timers', () =>
    benchTimers({ timers: opts.timers, rate: opts.timerRate, noBaseline: !opts.bullmq }),
  );
  await section('state', () =>
    benchState({
      profiles: opts.inFlight,
      ...(opts.stateSettleSeconds !== undefined ? { settleSeconds: opts.stateSettleSeconds } : {}),
      ...(opts.stateServeHoldSeconds !== undefined
        ? { serveHoldSeconds: opts.stateServeHoldSeconds }
        : {}),
    }),
  );
  await section('expr', () =>
    part('expr', 'benchExpressions', { iterations: opts.exprIterations }),
  );
  await section('render', () =>
    part('render', 'benchRender', { iterations: opts.renderIterations }),
  );
  await section('offers', () => part('offers', 'benchOffers', { decisions: opts.offerDecisions }));
  await section('audience', async () => {
    const core = await part('audience', 'benchAudiences', { profiles: opts.audienceProfiles });
    const store = await benchAudienceStore({
      profiles: opts.audienceStoreProfiles,
      rate: opts.audienceRate,
      seconds: opts.audienceSeconds,
    });
    return typeof core === 'string' ? store : [...core, ...store];
  });
  const crash = (store: 'sqlite' | 'postgres'): Promise<Figure[] | string> =>
    benchCrashSafety({
      shoppers: opts.crashShoppers,
      kills: opts.crashKills,
      timeoutSeconds: opts.crashTimeoutSeconds,
      store,
      log: (line) => log(`crash (${store}): ${line}`),
    });
  await section('postgres', async () => {
    const engine = await benchPostgres({ profiles: opts.postgresProfiles, batch: opts.batch });
    if (typeof engine === 'string') return engine;
    const crashed = await crash('postgres');
    return typeof crashed === 'string' ? engine : [...engine, ...crashed];
  });
  await section('scaleout', () =>
    benchScaleout({
      events: opts.scaleoutEvents,
      ...(opts.scaleoutLeaseMs !== undefined ? { leaseMs: opts.scaleoutLeaseMs } : {}),
      ...(opts.scaleoutHeartbeatMs !== undefined ? { heartbeatMs: opts.scaleoutHeartbeatMs } : {}),
      ...(opts.scaleoutSettleSeconds !== undefined
        ? { settleSeconds: opts.scaleoutSettleSeconds }
        : {}),
      log: (line) => log(`scaleout: ${line}`),
    }),
  );
  await section('crash', () => crash('sqlite'));
  await section('designer', () =>
    benchDesigner({
      opens: opts.designerOpens,
      previews: opts.designerPreviews,
      log: (line) => log(line),
    }),
  );
  await section('search', () =>
    benchSearch({
      objects: opts.searchObjects,
      queries: opts.searchQueries,
      log: (line) => log(line),
    }),
  );
  await section('campaign', async () => {
    const { benchCampaigns } = await import('./campaign.ts');
    return benchCampaigns({
      profiles: opts.campaignProfiles,
      rate: opts.campaignRate,
      rateProfiles: opts.campaignRateProfiles,
      rates: opts.campaignRates,
      rateSeconds: opts.campaignRateSeconds,
      log: (line) => log(`campaign: ${line}`),
    });
  });
  await section('startup', async () => {
    const { benchStartup } = await import('./startup.ts');
    return benchStartup({ runs: opts.startupRuns, log: (line) => log(`startup: ${line}`) });
  });
  const { log: _log, ...options } = opts;
  return {
    startedAt,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAverage,
    },
    options,
    figures,
    skipped,
  };
}
