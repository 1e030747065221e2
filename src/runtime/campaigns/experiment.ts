// A campaign's content experiment wired to src/experiment: the assignment every read and trigger
// call uses (MurmurHash3 of the identity and the salt into 10,000 buckets; the split laid out once
// per campaign revision), the records its metric is counted from (the campaign's sends, the
// profiles' feedback or conversion events, the audience's held-out members), and the report's
// analysis (docs/experiments.md states the method).
import { runOfVersion, WINNER_ARM } from '../../campaign/as-journey.ts';
import {
  analyzeExperiment,
  bucketOf,
  computeMetrics,
  HOUR_MS,
  metricEventTypes,
  planSplit,
  treatmentForBucket,
  type HoldoutMember,
  type MetricResult,
  type ProfileEvent,
  type SentMessage,
  type SplitPlan,
} from '../../experiment/index.ts';
import type { ExperimentAnalysisView, WinnerSendView } from '../../isomorphic/api/campaigns.ts';
import type { Experiment } from '../../model/campaign.ts';
import type { MessageRecord } from '../../store/ports.ts';
import type { RuntimeParts } from '../runtime-parts.ts';
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

/** When the rest of a run is sent (sendWinnerToRest): the run's start + afterHours. */
export function winnerAt(e: Experiment, runAt: number): number | null {
  return e.winner.kind === 'sendWinnerToRest' ? runAt + e.winner.afterHours * HOUR_MS : null;
}

/** Profiles per range read of their events. */
const CHUNK = 1000;
const MEMBERS_PAGE = 1000;

/** The audience's realized members the split holds out, by profile id. */
async function heldOut(
  rt: Pick<RuntimeParts, 'store'>,
  assign: Assign,
  sandbox: string,
  c: StoredCampaign,
): Promise<string[]> {
  const a = c.definition.audience;
  if (!a || (c.definition.experiment?.holdoutPercent ?? 0) === 0) return [];
  const out: string[] = [];
  let cursor = '';
  for (;;) {
    const page = await rt.store.audienceMembers(sandbox, a.audience, {
      status: 'realized',
      afterProfileId: cursor,
      limit: MEMBERS_PAGE,
    });
    for (const m of page) {
      cursor = m.profileId;
      const identity = m.identities.find((i) => i.namespace === a.namespace)?.id;
      if (identity !== undefined && assign(c, identity) === null) out.push(m.profileId);
    }
    if (page.length < MEMBERS_PAGE) return out;
  }
}

/** The events of the types given of these profiles, received at or after `since`. */
async function eventsOf(
  rt: Pick<RuntimeParts, 'store'>,
  sandbox: string,
  profiles: Iterable<string>,
  types: readonly string[],
  since: number,
): Promise<ProfileEvent[]> {
  const sorted = [...new Set(profiles)].sort();
  const out: ProfileEvent[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const rows = await rt.store.eventsOfProfiles(sandbox, {
      afterProfileId: i === 0 ? '' : sorted[i - 1]!,
      toProfileId: sorted[Math.min(i + CHUNK, sorted.length) - 1]!,
      types,
      since,
    });
    for (const r of rows) {
      const p = (typeof r.payload === 'object' && r.payload !== null ? r.payload : {}) as Record<
        string,
        unknown
      >;
      const messageId = typeof p['messageId'] === 'string' ? p['messageId'] : undefined;
      out.push({
        profileId: r.profileId,
        type: r.type,
        at: r.at,
        ...(messageId !== undefined ? { messageId } : {}),
      });
    }
  }
  return out;
}

/**
 * The experiment's metric per treatment and for the holdout, over every run started by `now` (or
 * one run): the test phase's sends (the rest's send is not a treatment), the events the metric
 * reads, and the held-out members from each run's start up to the rest's send.
 */
export async function experimentMetrics(
  rt: Pick<RuntimeParts, 'store'>,
  assign: Assign,
  sandbox: string,
  c: StoredCampaign,
  messages: readonly MessageRecord[],
  opts: { readonly now: number; readonly run?: number },
): Promise<MetricResult | null> {
  const e = c.definition.experiment;
  if (!e) return null;
  const arms = e.treatments.map((t) => t.id);
  const sent: SentMessage[] = [];
  for (const m of messages) {
    if (m.version === null || !['sent', 'delivered', 'bounced'].includes(m.status)) continue;
    const { run, arm } = runOfVersion(m.version);
    if (arm === 0 || arm === WINNER_ARM || (opts.run !== undefined && run !== opts.run)) continue;
    const id = arms[arm - 1];
    if (id !== undefined)
      sent.push({ id: m.id, profileId: m.profileId, arm: id, sentAt: m.createdAt });
  }
  const starts = (c.definition.type === 'scheduled' ? c.runs : [])
    .map((at, i) => ({ run: i + 1, at }))
    .filter((r) => r.at <= opts.now && (opts.run === undefined || r.run === opts.run));
  const held = starts.length === 0 ? [] : await heldOut(rt, assign, sandbox, c);
  const holdout: HoldoutMember[] = [];
  for (const s of starts) {
    const until = c.winners.find((w) => w.run === s.run)?.at ?? winnerAt(e, s.at);
    for (const profileId of held)
      holdout.push({ profileId, from: s.at, ...(until !== null ? { until } : {}) });
  }
  const since = Math.min(...sent.map((m) => m.sentAt), ...starts.map((s) => s.at));
  const events = Number.isFinite(since)
    ? await eventsOf(
        rt,
        sandbox,
        [...sent.map((m) => m.profileId), ...holdout.map((h) => h.profileId)],
        metricEventTypes(e.metric),
        since,
      )
    : [];
  return computeMetrics({ metric: e.metric, arms, messages: sent, events, holdout });
}

/** Each run's winner send (sendWinnerToRest): decided (stored on the campaign) or pending. */
export function winnerSends(c: StoredCampaign): WinnerSendView[] {
  const e = c.definition.experiment;
  if (!e || e.winner.kind !== 'sendWinnerToRest' || c.definition.type !== 'scheduled') return [];
  const iso = (ms: number): string => new Date(ms).toISOString();
  return c.runs.map((runAt, i) => {
    const d = c.winners.find((w) => w.run === i + 1);
    return d
      ? {
          run: d.run,
          at: iso(d.at),
          state: 'decided',
          treatment: d.treatment,
          basis: d.basis,
          decidedAt: iso(d.decidedAt),
        }
      : {
          run: i + 1,
          at: iso(winnerAt(e, runAt)!),
          state: 'pending',
          treatment: null,
          basis: null,
          decidedAt: null,
        };
  });
}

/** The report's experiment section: per treatment (the first is the control), the holdout's baseline, the winner sends. */
export function experimentAnalysis(
  c: StoredCampaign,
  metrics: MetricResult,
): ExperimentAnalysisView | null {
  const e = c.definition.experiment;
  if (!e) return null;
  const a = analyzeExperiment({
    arms: metrics.arms.map((m, i) => ({
      id: m.id,
      control: i === 0,
      exposures: m.exposures,
      successes: m.successes,
    })),
    minSamplePerArm: e.minSamplePerArm,
  });
  const pct = Math.round(a.confidence * 100);
  const h = metrics.holdout;
  return {
    metric: metricName(e),
    windowHours: e.metric.kind === 'conversion' ? e.metric.windowHours : null,
    method: `Bayesian beta-binomial: rate = successes / exposures; lift vs the control with a ${pct}% interval (delta method on the log rate ratio); probability to be best from Beta(1 + s, 1 + n - s) posteriors; a winner needs every treatment at the minimum sample (${a.minSamplePerArm}) and a probability to be best of at least ${pct}%`,
    status: a.status,
    winner: a.winner,
    leader: a.leader,
    confidence: a.confidence,
    minSamplePerArm: a.minSamplePerArm,
    arms: a.arms.map((x, i) => ({
      id: x.id,
      name: e.treatments.find((t) => t.id === x.id)?.name ?? x.id,
      control: x.control,
      exposures: x.exposures,
      successes: x.successes,
      events: metrics.arms[i]?.events ?? 0,
      rate: x.rate ?? 0,
      lift: x.lift,
      liftLow: x.liftInterval?.lower ?? null,
      liftHigh: x.liftInterval?.upper ?? null,
      probabilityBest: x.probabilityToBeBest,
      hasMinimumSample: x.hasMinimumSample,
    })),
    holdout: {
      percent: e.holdoutPercent,
      size: h.size,
      successes: h.successes,
      rate: h.successes === null || h.size === 0 ? null : h.successes / h.size,
    },
    winnerSends: winnerSends(c),
  };
}
