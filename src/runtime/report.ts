// The journey report: counters per version and activity (committed with the state they count),
// message outcomes per activity from the delivery log, and clicks per link.
import type { Waymark } from './app.ts';
import {
  ACTION_METRIC_PREFIX,
  addActionCounter,
  emptyActionLatency,
  finishActionLatency,
  type ActionLatency,
} from '../shared/action-latency.ts';
import { LINK_METRIC_PREFIX } from './feedback.ts';
import { dryRunEndsAt, endedDryRun } from './dry-run.ts';
import { emptyMessageCounts, type MessageCounts } from '../shared/message-counts.ts';
import { DISCARD_REASON_PREFIX, DRY_PATH_PREFIX, Metric } from '../journey/effects.ts';
import { isMessageNode, JourneyStatus } from '../model/journey.ts';

export interface ActivityCounts {
  entered: number;
  exited: number;
  errors: number;
  timeouts: number;
  discarded: number;
  capped: number;
}
export type { MessageCounts };

const empty = (): ActivityCounts => ({
  entered: 0,
  exited: 0,
  errors: 0,
  timeouts: 0,
  discarded: 0,
  capped: 0,
});
const field: Record<string, keyof ActivityCounts> = {
  entered: 'entered',
  exited: 'exited',
  error: 'errors',
  timeout: 'timeouts',
  discarded: 'discarded',
  capped: 'capped',
};
const feedbackField: Record<string, 'opened' | 'clicked' | 'unsubscribed'> = {
  opened: 'opened',
  clicked: 'clicked',
  unsubscribed: 'unsubscribed',
};

/** How many log records the report reads; beyond it the message figures are marked partial. */
const MESSAGE_SCAN_LIMIT = 200_000;

export async function buildReport(app: Waymark, sandbox: string, journeyId: string) {
  const journey = await app.journeys.get(sandbox, journeyId);
  const versions = await app.reads.getJourneyVersions(sandbox, journeyId);
  const rows = await app.reads.counters(sandbox, journeyId);
  const messages = await app.reads.messages(sandbox, { journeyId, limit: MESSAGE_SCAN_LIMIT });
  const total = empty();
  const links: Array<{ version: number; activity: string; url: string; clicks: number }> = [];
  const byVersion = versions.map((v) => {
    const journeyCounts = empty();
    const discardedBy: Record<string, number> = {};
    type Row = ActivityCounts & {
      id: string;
      label: string;
      kind: string;
      messages?: MessageCounts;
      action?: ActionLatency;
    };
    const nodes = new Map<string, Row>(
      v.definition.nodes.map((n) => [
        n.id,
        {
          id: n.id,
          label: n.label ?? n.id,
          kind: n.kind,
          ...empty(),
          ...(isMessageNode(n) ? { messages: emptyMessageCounts() } : {}),
        },
      ]),
    );
    for (const r of rows.filter((x) => x.version === v.version)) {
      const n = r.node === null ? null : nodes.get(r.node);
      if (r.metric.startsWith(LINK_METRIC_PREFIX)) {
        if (r.node)
          links.push({
            version: v.version,
            activity: r.node,
            url: r.metric.slice(LINK_METRIC_PREFIX.length),
            clicks: r.value,
          });
        continue;
      }
      if (r.metric.startsWith(ACTION_METRIC_PREFIX)) {
        if (n) addActionCounter((n.action ??= emptyActionLatency()), r.metric, r.value);
        continue;
      }
      if (r.metric.startsWith(DISCARD_REASON_PREFIX)) {
        const reason = r.metric.slice(DISCARD_REASON_PREFIX.length);
        discardedBy[reason] = (discardedBy[reason] ?? 0) + r.value;
        continue;
      }
      const fb = feedbackField[r.metric];
      if (fb) {
        if (n?.messages) n.messages[fb] += r.value;
        continue;
      }
      const key = field[r.metric];
      if (!key) continue;
      if (r.node === null) {
        journeyCounts[key] += r.value;
        // A draft in dry run has its own report (buildDryRunReport): its version is listed, but
        // what it counted stays out of the journey's totals.
        if (v.status !== JourneyStatus.DryRun) total[key] += r.value;
      } else if (n) n[key] += r.value;
    }
    for (const m of messages.filter((x) => x.version === v.version)) {
      const c = m.node ? nodes.get(m.node)?.messages : undefined;
      if (!c) continue;
      c.targeted++;
      if (m.status === 'queued') continue;
      c[m.status]++;
      if (m.status === 'delivered') c.sent++;
      if (m.status === 'excluded')
        c.excludedBy[m.reason ?? 'unknown'] = (c.excludedBy[m.reason ?? 'unknown'] ?? 0) + 1;
    }
    return {
      version: v.version,
      // As lists show it: "finished" for a closed version no profile is left in.
      status: journey.versions.find((x) => x.version === v.version)?.status ?? v.status,
      journey: journeyCounts,
      discardedBy,
      activities: [...nodes.values()].map((n) =>
        n.action ? { ...n, action: finishActionLatency(n.action) } : n,
      ),
    };
  });
  return {
    journeyId,
    name: journey.name,
    total,
    versions: byVersion,
    links: links.sort((a, b) => b.clicks - a.clicks),
    partial: messages.length >= MESSAGE_SCAN_LIMIT,
  };
}

/**
 * The dry run's own report: the draft version in dry run (none: an empty report), its entries,
 * the paths profiles took at each activity and what it would have sent, called, updated or entered.
 * Kept apart from the live report; cleared when the dry run is stopped by hand. A dry run that
 * ended by itself (14 days after it started) keeps its report, which says so and when.
 */
export async function buildDryRunReport(app: Waymark, sandbox: string, journeyId: string) {
  const journey = await app.journeys.get(sandbox, journeyId);
  const versions = await app.reads.getJourneyVersions(sandbox, journeyId);
  const running = versions.find((x) => x.status === JourneyStatus.DryRun) ?? null;
  const ended = running ? null : await endedDryRun(app.reads, sandbox, journeyId);
  const v =
    running ??
    (ended
      ? (versions.find((x) => x.version === ended.version && x.status === JourneyStatus.Draft) ??
        null)
      : null);
  const rows = v
    ? (await app.reads.counters(sandbox, journeyId)).filter((r) => r.version === v.version)
    : [];
  const journeyCounts = empty();
  const discardedBy: Record<string, number> = {};
  const wouldSend: Record<string, number> = {};
  const activities = new Map(
    (v?.definition.nodes ?? []).map((n) => [
      n.id,
      {
        id: n.id,
        label: n.label ?? n.id,
        kind: n.kind,
        entered: 0,
        exited: 0,
        errors: 0,
        paths: {} as Record<string, number>,
        wouldSend: 0,
        wouldCall: 0,
        wouldUpdate: 0,
        wouldJump: 0,
      },
    ]),
  );
  const would: Record<string, 'wouldSend' | 'wouldCall' | 'wouldUpdate' | 'wouldJump'> = {
    [Metric.WouldSend]: 'wouldSend',
    [Metric.WouldCall]: 'wouldCall',
    [Metric.WouldUpdate]: 'wouldUpdate',
    [Metric.WouldJump]: 'wouldJump',
  };
  for (const r of rows) {
    if (r.node === null) {
      if (r.metric.startsWith(DISCARD_REASON_PREFIX)) {
        const reason = r.metric.slice(DISCARD_REASON_PREFIX.length);
        discardedBy[reason] = (discardedBy[reason] ?? 0) + r.value;
        continue;
      }
      const key = field[r.metric];
      if (key) journeyCounts[key] += r.value;
      continue;
    }
    const a = activities.get(r.node);
    if (!a) continue;
    if (r.metric.startsWith(DRY_PATH_PREFIX)) {
      const path = r.metric.slice(DRY_PATH_PREFIX.length);
      a.paths[path] = (a.paths[path] ?? 0) + r.value;
    } else if (would[r.metric]) {
      a[would[r.metric]!] += r.value;
      if (r.metric === Metric.WouldSend) wouldSend[a.kind] = (wouldSend[a.kind] ?? 0) + r.value;
    } else if (r.metric === 'entered') a.entered += r.value;
    else if (r.metric === 'exited') a.exited += r.value;
    else if (r.metric === 'error') a.errors += r.value;
  }
  return {
    journeyId,
    name: journey.name,
    version: v?.version ?? null,
    running: running !== null,
    startedAt: running ? running.updatedAt : v && ended ? ended.startedAt : null,
    /** When it ends by itself (running), or ended (kept). */
    endsAt: running
      ? new Date(dryRunEndsAt(running)).toISOString()
      : v && ended
        ? ended.endedAt
        : null,
    ended: !running && v && ended ? { at: ended.endedAt, automatically: true } : null,
    journey: journeyCounts,
    discardedBy,
    wouldSend,
    activities: [...activities.values()],
  };
}
