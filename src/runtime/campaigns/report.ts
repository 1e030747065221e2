// A campaign's report: per run and per treatment (the version a message was sent from names both,
// src/campaign/as-journey.ts), from the counters committed with the entries (targeted) and the
// feedback (opens, clicks, unsubscriptions), and the delivery log (sent, delivered, bounced,
// errors, and the excluded by reason).
import {
  campaignJourneyId,
  runOfVersion,
  versionOf,
  WINNER_ARM,
} from '../../campaign/as-journey.ts';
import {
  EXCLUSION_REASONS,
  type CampaignDefinition,
  type ExclusionReason,
} from '../../model/campaign.ts';
import type {
  CampaignCounts,
  CampaignReport,
  CampaignRunReport,
} from '../../isomorphic/api/campaigns.ts';
import type { CounterRow, MessageRecord } from '../../store/ports.ts';
import { versionReadProgress, type ReadJobState } from '../audiences/read-audience.ts';
import type { StoredCampaign } from './stored.ts';

/** The delivery log's exclusion reasons as the report names them. */
export function exclusionReason(reason: string | null): ExclusionReason {
  // The suppression list's exclusions name their reason: `suppressed: hard_bounce`.
  if (reason?.startsWith('suppressed: ')) return 'suppression';
  switch (reason) {
    case 'no_consent':
      return 'consent';
    case 'capped':
      return 'capping';
    case 'invalid_address':
      return 'suppression';
    case 'no_address':
    case 'no_push_token':
    case 'no_profile':
      return 'missingAddress';
    default:
      return 'renderError';
  }
}

export const emptyCounts = (): CampaignCounts => ({
  targeted: 0,
  excluded: 0,
  excludedBy: Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<
    ExclusionReason,
    number
  >,
  sent: 0,
  delivered: 0,
  bounced: 0,
  opened: 0,
  clicked: 0,
  unsubscribed: 0,
  errors: 0,
});

function addMessage(c: CampaignCounts, m: MessageRecord): void {
  switch (m.status) {
    case 'queued':
      return;
    case 'sent':
      c.sent++;
      return;
    case 'delivered':
      c.sent++;
      c.delivered++;
      return;
    case 'bounced':
      c.sent++;
      c.bounced++;
      return;
    case 'failed':
      c.errors++;
      return;
    case 'excluded': {
      const r = exclusionReason(m.reason);
      c.excluded++;
      c.excludedBy[r]++;
      return;
    }
    default: {
      const never: never = m.status;
      throw new Error(`unhandled message status ${String(never)}`);
    }
  }
}

function addCounter(c: CampaignCounts, row: CounterRow): void {
  if (row.node === null && row.metric === 'entered') c.targeted += row.value;
  else if (row.metric === 'opened') c.opened += row.value;
  else if (row.metric === 'clicked') c.clicked += row.value;
  else if (row.metric === 'unsubscribed') c.unsubscribed += row.value;
}

function sum(into: CampaignCounts, c: CampaignCounts): void {
  for (const k of [
    'targeted',
    'excluded',
    'sent',
    'delivered',
    'bounced',
    'opened',
    'clicked',
    'unsubscribed',
    'errors',
  ] as const)
    into[k] += c[k];
  for (const r of EXCLUSION_REASONS) into.excludedBy[r] += c.excludedBy[r];
}

/** The arm's name in the report: a treatment id, "winner" for the rest after the test, or "" without an experiment. */
export function armName(c: StoredCampaign, arm: number): string {
  if (arm === 0) return '';
  if (arm === WINNER_ARM) return 'winner';
  return c.definition.experiment?.treatments[arm - 1]?.id ?? `arm-${arm}`;
}

/**
 * The arms whose reads make a run: the campaign's own, or each treatment's, and with
 * sendWinnerToRest the winner's send to the rest (a run is not done before the rest is sent).
 */
export function readArms(def: CampaignDefinition): number[] {
  const e = def.experiment;
  if (!e) return [0];
  const arms = e.treatments.map((_, k) => k + 1);
  return e.winner.kind === 'sendWinnerToRest' && def.type === 'scheduled'
    ? [...arms, WINNER_ARM]
    : arms;
}

export interface ReportInputs {
  readonly campaign: StoredCampaign;
  readonly status: CampaignReport['status'];
  readonly messages: readonly MessageRecord[];
  readonly counters: readonly CounterRow[];
  readonly jobs: ReadonlyMap<string, ReadJobState>;
  readonly now: number;
}

export function buildCampaignReport(
  inputs: ReportInputs,
): Omit<CampaignReport, 'experiment'> & { perArm: Map<string, CampaignCounts> } {
  const { campaign: c, messages, counters, jobs, now } = inputs;
  const journeyId = campaignJourneyId(c.id);
  const byVersion = new Map<number, CampaignCounts>();
  const of = (version: number): CampaignCounts => {
    let v = byVersion.get(version);
    if (!v) byVersion.set(version, (v = emptyCounts()));
    return v;
  };
  const lastAt = new Map<number, number>();
  for (const m of messages) {
    if (m.version === null) continue;
    addMessage(of(m.version), m);
    const run = runOfVersion(m.version).run;
    lastAt.set(run, Math.max(lastAt.get(run) ?? 0, m.createdAt));
  }
  for (const row of counters) addCounter(of(row.version), row);
  const iso = (ms: number): string => new Date(ms).toISOString();
  const triggered = c.definition.type === 'api-triggered';
  const runStarts = triggered ? [c.activatedAt ? Date.parse(c.activatedAt) : now] : c.runs;
  const runs: CampaignRunReport[] = [];
  const perArm = new Map<string, CampaignCounts>();
  const totals = emptyCounts();
  for (const [i, at] of runStarts.entries()) {
    const run = i + 1;
    const counts = emptyCounts();
    const treatments: Record<string, CampaignCounts> = {};
    let started = false;
    let finished = true;
    let startedAt: number | null = null;
    for (const [version, v] of byVersion) {
      const r = runOfVersion(version);
      if (r.run !== run) continue;
      sum(counts, v);
      const name = armName(c, r.arm);
      if (name !== '') {
        treatments[name] = v;
        const total = perArm.get(name) ?? emptyCounts();
        sum(total, v);
        perArm.set(name, total);
      }
    }
    for (const arm of readArms(c.definition)) {
      // The read's job, or in fleet mode its partitions' shares summed.
      const read = versionReadProgress(jobs, journeyId, versionOf(run, arm));
      if (read.startedAt !== null) {
        started = true;
        startedAt = Math.min(startedAt ?? Infinity, read.startedAt);
      }
      if (!read.done) finished = false;
    }
    const status: CampaignRunReport['status'] = triggered
      ? inputs.status === 'stopped'
        ? 'stopped'
        : inputs.status === 'completed'
          ? 'completed'
          : 'sending'
      : finished && started
        ? 'completed'
        : inputs.status === 'stopped'
          ? 'stopped'
          : started || at <= now
            ? 'sending'
            : 'pending';
    sum(totals, counts);
    runs.push({
      runId: `${c.id}-${run}`,
      scheduledAt: iso(at),
      startedAt: triggered ? iso(at) : startedAt === null ? null : iso(startedAt),
      finishedAt: status === 'completed' && !triggered ? iso(lastAt.get(run) ?? at) : null,
      status,
      counts,
      treatments,
    });
  }
  const hours = new Map<string, number>();
  for (const m of messages) {
    if (m.status !== 'sent' && m.status !== 'delivered' && m.status !== 'bounced') continue;
    const hour = `${iso(m.createdAt).slice(0, 13)}:00:00.000Z`;
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  return {
    campaignId: c.id,
    status: inputs.status,
    totals,
    runs,
    overTime: [...hours]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([hour, sent]) => ({ hour, sent })),
    perArm,
  };
}
