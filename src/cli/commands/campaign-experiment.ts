// `waymark campaigns experiment <id>`: shows a campaign's content experiment (treatments and
// split, holdout, success metric, minimum sample, winner send) and, with options, changes it on
// the draft (docs/experiments.md).
import type { Command } from 'commander';
import type { CampaignView } from '../../isomorphic/api/campaigns.ts';
import type { Experiment, ExperimentMetric } from '../../model/campaign.ts';
import { addClientOptions, call, clientOptions, CliError } from '../client.ts';

type Opts = { url: string; key?: string; data: string; sandbox: string };
type Out = (text: string) => void;

interface ExperimentOpts extends Opts {
  metric?: string;
  event?: string;
  window?: string;
  holdout?: string;
  minSample?: string;
  sendWinnerAfter?: string;
  winnerSend?: boolean;
}

const METRICS = ['opens', 'clicks', 'uniqueClicks', 'conversion'] as const;

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new CliError(`${flag} takes a number, not "${value}"`);
  return n;
}

function metricOf(current: ExperimentMetric, o: ExperimentOpts): ExperimentMetric {
  const kind = o.metric ?? current.kind;
  if (!(METRICS as readonly string[]).includes(kind))
    throw new CliError(`--metric is one of ${METRICS.join(', ')}, not "${kind}"`);
  if (kind !== 'conversion') {
    if (o.event !== undefined || o.window !== undefined)
      throw new CliError('--event and --window go with --metric conversion');
    return { kind } as ExperimentMetric;
  }
  const was = current.kind === 'conversion' ? current : undefined;
  const eventType = o.event ?? was?.eventType;
  if (!eventType) throw new CliError('a conversion metric needs --event <event type>');
  return {
    kind: 'conversion',
    eventType,
    windowHours: number(o.window, '--window') ?? was?.windowHours ?? 168,
  };
}

/** The experiment with the options applied (the server validates the result). */
export function changedExperiment(e: Experiment, o: ExperimentOpts): Experiment {
  const afterHours = number(o.sendWinnerAfter, '--send-winner-after');
  if (afterHours !== undefined && o.winnerSend === false)
    throw new CliError('--send-winner-after and --no-winner-send contradict each other');
  return {
    ...e,
    metric: metricOf(e.metric, o),
    holdoutPercent: number(o.holdout, '--holdout') ?? e.holdoutPercent,
    minSamplePerArm: number(o.minSample, '--min-sample') ?? e.minSamplePerArm,
    winner:
      afterHours !== undefined
        ? { kind: 'sendWinnerToRest', afterHours }
        : o.winnerSend === false
          ? { kind: 'none' }
          : e.winner,
  };
}

export function describeExperiment(e: Experiment): string {
  const m = e.metric;
  return [
    `treatments: ${e.treatments.map((t, i) => `${t.id} "${t.name}" ${t.percent}%${i === 0 ? ' (control)' : ''}`).join(', ')}`,
    `holdout: ${e.holdoutPercent}%`,
    `metric: ${m.kind === 'conversion' ? `conversion ${m.eventType} within ${m.windowHours} h` : m.kind}`,
    `minimum sample per treatment: ${e.minSamplePerArm}`,
    `winner: ${e.winner.kind === 'sendWinnerToRest' ? `sent to the rest ${e.winner.afterHours} h after each run's start` : 'not sent (the report names it)'}`,
  ]
    .map((l) => `  ${l}\n`)
    .join('');
}

export function registerExperimentCommand(campaigns: Command, out: Out): void {
  addClientOptions(
    campaigns
      .command('experiment <id>')
      .description("show a campaign's content experiment; with options, change it on the draft")
      .option('--metric <m>', 'success metric: opens, clicks, uniqueClicks or conversion')
      .option('--event <type>', 'with --metric conversion: the event type that converts')
      .option('--window <hours>', 'with --metric conversion: hours after the send (1-168)')
      .option('--holdout <percent>', 'percent of the audience held out of the test (0-90)')
      .option('--min-sample <n>', 'exposures every treatment needs before a winner is called')
      .option(
        '--send-winner-after <hours>',
        "send the winner to the rest this long after the run's start",
      )
      .option('--no-winner-send', 'do not send the winner to the rest'),
  ).action(async (id: string, o: ExperimentOpts) => {
    const c = clientOptions(o);
    const path = `/v1/campaigns/${encodeURIComponent(id)}`;
    const v = (await call(c, 'GET', path)) as CampaignView;
    const e = v.definition.experiment;
    if (!e)
      throw new CliError(`campaign "${id}" has no experiment: add treatments to its definition`);
    const changing =
      [o.metric, o.event, o.window, o.holdout, o.minSample, o.sendWinnerAfter].some(
        (x) => x !== undefined,
      ) || o.winnerSend === false;
    if (!changing) {
      out(`${v.id} experiment\n${describeExperiment(e)}`);
      return;
    }
    const next = changedExperiment(e, o);
    const saved = (await call(c, 'PUT', path, {
      ...v.definition,
      experiment: next,
    })) as CampaignView;
    out(`${saved.id} experiment changed\n${describeExperiment(saved.definition.experiment!)}`);
    for (const p of saved.problems) out(`  to fix before activation: ${p.path}: ${p.message}\n`);
  });
}
