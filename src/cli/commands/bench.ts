// `waymark bench`: runs the benchmark suite (bench/suite.ts), prints a table and writes the figures
// as JSON. The default run takes about 160 s on 2 cores (crash safety about 65 s of it); sizes are flags.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { RUNS_BUILT } from '../../package-files.ts';
import { CliError } from '../client.ts';
// The benches themselves load when the command runs (every `waymark` command registers this one).
import {
  defaultOptions,
  sections,
  smokeOptions,
  type Section,
  type SuiteOptions,
} from '../../../bench/options.ts';

const count = (v: string): number => {
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
};

interface BenchFlags {
  profiles?: number;
  inFlight?: number;
  memoryProfiles?: number;
  timers?: number;
  timerRate?: number;
  latencyRate?: number;
  latencySeconds?: number;
  batch?: number;
  audienceProfiles?: number;
  audienceRate?: number;
  postgresProfiles?: number;
  crashShoppers?: number;
  crashKills?: number;
  scaleoutEvents?: number;
  campaignProfiles?: number;
  campaignRate?: number;
  campaignRates?: number[];
  campaignRateSeconds?: number;
  loyalty?: string;
  bullmq: boolean;
  only?: string;
  smoke: boolean;
  out: string;
  json: boolean;
}

/** Where the command writes: the table or JSON, and progress lines. */
export interface BenchOutput {
  readonly out: (text: string) => void;
  readonly progress: (line: string) => void;
}

const processOutput: BenchOutput = {
  out: (text) => {
    process.stdout.write(text);
  },
  progress: (line) => {
    process.stderr.write(`bench: ${line}\n`);
  },
};

export function registerBenchCommand(program: Command, output: BenchOutput = processOutput): void {
  program
    .command('bench')
    .description(
      'run the benchmark suite: journey throughput, latency, timers, memory, start-up, expressions, rendering, audiences, PostgreSQL, crash safety',
    )
    .option(
      '--profiles <n>',
      `profiles through the Luma journey in the throughput run (default ${defaultOptions.profiles})`,
      count,
    )
    .option(
      '--in-flight <n>',
      `profiles waiting in the journey for the memory and start-up figures (default ${defaultOptions.inFlight})`,
      count,
    )
    .option(
      '--memory-profiles <n>',
      'the same as --in-flight: profiles in flight for memory.rss.inFlight (the target is for 1,000,000)',
      count,
    )
    .option(
      '--timers <n>',
      `timeouts scheduled in each timer run (default ${defaultOptions.timers})`,
      count,
    )
    .option(
      '--timer-rate <n>',
      `due rate of the spread timer run, per second (default ${defaultOptions.timerRate})`,
      count,
    )
    .option(
      '--latency-rate <n>',
      `offered load of the latency run, events per second (default ${defaultOptions.latencyRate})`,
      count,
    )
    .option(
      '--latency-seconds <n>',
      `length of the latency run (default ${defaultOptions.latencySeconds})`,
      count,
    )
    .option(
      '--batch <n>',
      `events per ingest call in the throughput run (default ${defaultOptions.batch})`,
      count,
    )
    .option(
      '--audience-profiles <n>',
      `profiles in the end-to-end batch audience run (default ${defaultOptions.audienceStoreProfiles})`,
      count,
    )
    .option(
      '--audience-rate <n>',
      `offered load of the streaming qualification run, events per second (default ${defaultOptions.audienceRate})`,
      count,
    )
    .option(
      '--postgres-profiles <n>',
      `shoppers in the PostgreSQL run, at WAYMARK_BENCH_POSTGRES_URL or 127.0.0.1:5432 (default ${defaultOptions.postgresProfiles})`,
      count,
    )
    .option(
      '--crash-shoppers <n>',
      `shoppers in the crash-safety run (SQLite in section crash, PostgreSQL in section postgres; at most 500) (default ${defaultOptions.crashShoppers})`,
      count,
    )
    .option(
      '--crash-kills <n>',
      `SIGKILLs and restarts of the server in the crash-safety run (default ${defaultOptions.crashKills})`,
      count,
    )
    .option(
      '--scaleout-events <n>',
      `events offered to the fleet in the scale-out run (default ${defaultOptions.scaleoutEvents})`,
      count,
    )
    .option(
      '--campaign-profiles <n>',
      `profiles in the campaign send run (default ${defaultOptions.campaignProfiles})`,
      count,
    )
    .option(
      '--campaign-rate <n>',
      `configured throttle of the campaign rate run, messages per second (default ${defaultOptions.campaignRate})`,
      count,
    )
    .option(
      '--campaign-rates <list>',
      `comma-separated throttles of the campaign rate runs at scale, messages per second (default ${defaultOptions.campaignRates.join(',')})`,
      (v: string) => v.split(',').map((x) => count(x.trim())),
    )
    .option(
      '--campaign-rate-seconds <s>',
      `length of each of those runs, seconds (default ${defaultOptions.campaignRateSeconds})`,
      count,
    )
    .option(
      '--loyalty <mode>',
      'LoyaltyService: in-process (an ActionInvoker, measures the engine) or http (the demo server)',
      'in-process',
    )
    .option('--no-bullmq', 'skip the BullMQ timer baseline')
    .option('--only <sections>', `comma-separated sections: ${sections.join(', ')}`)
    .option(
      '--smoke',
      'tiny sizes: checks the suite works (CI), measures nothing meaningful',
      false,
    )
    .option('--out <file>', 'where to write the JSON report', 'bench-results.json')
    .option('--json', 'print the JSON report instead of the table', false)
    .action(async (o: BenchFlags) => {
      const base = o.smoke ? smokeOptions : defaultOptions;
      if (o.loyalty !== 'in-process' && o.loyalty !== 'http')
        throw new InvalidArgumentError('--loyalty must be in-process or http');
      const only = (o.only ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = only.filter((s) => !(sections as readonly string[]).includes(s));
      if (unknown.length > 0)
        throw new InvalidArgumentError(
          `unknown section ${unknown.join(', ')} (one of ${sections.join(', ')})`,
        );
      const opts: SuiteOptions = {
        ...base,
        ...(o.profiles ? { profiles: o.profiles } : {}),
        ...(o.inFlight ? { inFlight: o.inFlight } : {}),
        ...(o.memoryProfiles ? { inFlight: o.memoryProfiles } : {}),
        ...(o.timers ? { timers: o.timers } : {}),
        ...(o.timerRate ? { timerRate: o.timerRate } : {}),
        ...(o.latencyRate ? { latencyRate: o.latencyRate } : {}),
        ...(o.latencySeconds ? { latencySeconds: o.latencySeconds } : {}),
        ...(o.batch ? { batch: o.batch } : {}),
        ...(o.audienceProfiles ? { audienceStoreProfiles: o.audienceProfiles } : {}),
        ...(o.audienceRate ? { audienceRate: o.audienceRate } : {}),
        ...(o.postgresProfiles ? { postgresProfiles: o.postgresProfiles } : {}),
        ...(o.crashShoppers ? { crashShoppers: o.crashShoppers } : {}),
        ...(o.crashKills ? { crashKills: o.crashKills } : {}),
        ...(o.scaleoutEvents ? { scaleoutEvents: o.scaleoutEvents } : {}),
        ...(o.campaignProfiles ? { campaignProfiles: o.campaignProfiles } : {}),
        ...(o.campaignRate ? { campaignRate: o.campaignRate } : {}),
        ...(o.campaignRates ? { campaignRates: o.campaignRates } : {}),
        ...(o.campaignRateSeconds ? { campaignRateSeconds: o.campaignRateSeconds } : {}),
        loyalty: o.loyalty,
        bullmq: o.bullmq,
        only: only as Section[],
        log: output.progress,
      };
      if (
        opts.crashShoppers < 3 ||
        opts.crashShoppers > 500 ||
        !Number.isInteger(opts.crashShoppers)
      )
        throw new InvalidArgumentError(
          `--crash-shoppers must be a whole number from 3 to 500 (the delivery log is read in one page), not ${opts.crashShoppers}`,
        );
      if (!Number.isInteger(opts.crashKills))
        throw new InvalidArgumentError(
          `--crash-kills must be a whole number, not ${opts.crashKills}`,
        );
      if (RUNS_BUILT)
        throw new CliError(
          'the benchmarks run from a clone of the repository (npm run bench), not from the installed package',
        );
      const { runSuite } = await import('../../../bench/suite.ts');
      const { formatTable } = await import('../../../bench/table.ts');
      const report = await runSuite(opts);
      const out = resolve(o.out);
      writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
      output.out(
        o.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatTable(report)}\nJSON: ${out}\n`,
      );
    });
}
