// A campaign's content experiment wired to src/experiment: the assignment every read and trigger
// call uses (MurmurHash3 of the identity and the salt into 10,000 buckets; the split laid out once
// per campaign revision), and the report's analysis (docs/experiments.md states the method).
import {
  analyzeExperiment,
  bucketOf,
  planSplit,
  treatmentForBucket,
  type SplitPlan,
} from '../../experiment/index.ts';
import type { CampaignCounts, ExperimentAnalysisView } from '../../isomorphic/api/campaigns.ts';
import type { Experiment } from '../../model/campaign.ts';
import type { Assign } from './catalog-entries.ts';
import type { StoredCampaign } from './stored.ts';

export const saltOf = (c: StoredCampaign): string => c.definition.experiment?.salt ?? c.id;

export function splitOf(e: Experiment): SplitPlan {
  return planSplit(
    e.treatments.map((t) => ({ id: t.id, percent: t.percent })),
    e.holdoutPercent,
  );
}

/** The assignment function, with each campaign's split planned once per stored version. */
export function createAssign(): Assign {
  const plans = new Map<string, { stamp: string; plan: SplitPlan }>();
  return (c, identity) => {
    const e = c.definition.experiment;
    if (!e) return null;
    const stamp = `${c.updatedAt}\u0000${saltOf(c)}`;
    let p = plans.get(c.id);
    if (p?.stamp !== stamp) {
      p = { stamp, plan: splitOf(e) };
      plans.set(c.id, p);
      if (plans.size > 10_000) plans.delete(plans.keys().next().value!);
    }
    return treatmentForBucket(p.plan, bucketOf(identity, saltOf(c)));
  };
}

const metricName = (e: Experiment): string =>
  e.metric.kind === 'conversion' ? `conversion:${e.metric.eventType}` : e.metric.kind;

/** Successes of an arm for the metric (at most its exposures: a profile that opened twice counts once at most). */
function successes(e: Experiment, c: CampaignCounts): number {
  switch (e.metric.kind) {
    case 'opens':
      return Math.min(c.opened, c.sent);
    case 'clicks':
    case 'uniqueClicks':
      return Math.min(c.clicked, c.sent);
    case 'conversion':
      // Conversions are not counted yet (docs/campaigns.md): the analysis stays collecting.
      return 0;
    default: {
      const never: never = e.metric;
      throw new Error(`unhandled metric ${JSON.stringify(never)}`);
    }
  }
}

/** The report's experiment section: per treatment (the first is the control), from the sends and feedback counted. */
export function experimentAnalysis(
  c: StoredCampaign,
  perArm: ReadonlyMap<string, CampaignCounts>,
): ExperimentAnalysisView | null {
  const e = c.definition.experiment;
  if (!e) return null;
  const counts = (id: string): CampaignCounts | undefined => perArm.get(id);
  const a = analyzeExperiment({
    arms: e.treatments.map((t, i) => {
      const n = counts(t.id);
      return {
        id: t.id,
        control: i === 0,
        exposures: n?.sent ?? 0,
        successes: n ? successes(e, n) : 0,
      };
    }),
    minSamplePerArm: e.minSamplePerArm,
  });
  const winnerSend = c.winnerSend
    ? {
        at: new Date(c.winnerSend.at).toISOString(),
        done: c.winnerSend.decided,
        treatment: c.winnerSend.treatment,
      }
    : null;
  return {
    metric: metricName(e),
    method:
      'rate = successes / exposures; lift vs the control with a 95% interval (delta method on the log rate ratio); probability to be best from Beta(1 + s, 1 + n - s) posteriors; a winner needs every arm at the minimum sample and a probability to be best of at least 95%',
    status: a.status,
    winner: a.winner,
    arms: a.arms.map((x) => ({
      id: x.id,
      name: e.treatments.find((t) => t.id === x.id)?.name ?? x.id,
      control: x.control,
      exposures: x.exposures,
      successes: x.successes,
      rate: x.rate ?? 0,
      lift: x.lift,
      liftLow: x.liftInterval?.lower ?? null,
      liftHigh: x.liftInterval?.upper ?? null,
      probabilityBest: x.probabilityToBeBest,
    })),
    holdout: perArm.get('winner')?.targeted ?? 0,
    winnerSend,
  };
}
