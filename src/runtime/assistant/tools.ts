// The Assistant's data tools, bound to one asker in one sandbox. Each checks the asker's
// permission as the matching API route does (src/api/route-permissions.ts) and reuses the
// route's own reads (journey list with counts, buildReport, the campaign report, the backlog);
// access labels hide what the asker may not see. They return aggregates only and never write.
import type { Permission } from '../../access/permissions.ts';
import {
  emptyActionLatency,
  finishActionLatency,
  mergeActionLatency,
  type ActionLatency,
} from '../../shared/action-latency.ts';
import type {
  ActionFigures,
  AssistantTools,
  AudienceSize,
  CampaignFigures,
  JourneyFigures,
  JourneyPerformance,
  SystemFigures,
  ToolResult,
} from '../../assistant/types.ts';
import { WaymarkError } from '../../errors.ts';
import type { Waymark } from '../app.ts';
import { buildReport } from '../report.ts';
import { addMessageCounts, emptyMessageCounts } from '../../shared/message-counts.ts';

export interface Asker {
  readonly sandbox: string;
  readonly held: ReadonlySet<Permission>;
  /** Journeys the asker's access labels hide. */
  readonly hiddenJourneys: ReadonlySet<string>;
  /** Whether the asker's access labels let them see an object with these labels. */
  readonly visible: (labels: readonly string[] | undefined) => boolean;
}

/** Counts above this many are read as "at least" (the status page's cap). */
const BACKLOG_CAP = 100_000;

const forbidden = (permission: Permission): ToolResult<never> => ({
  ok: false,
  reason: 'forbidden',
  permission,
});

export function createTools(app: Waymark, asker: Asker): AssistantTools {
  const { sandbox, held } = asker;
  const journeyList = async (): Promise<JourneyFigures[]> =>
    (await app.journeys.listEntries(sandbox, true))
      .filter((j) => !asker.hiddenJourneys.has(j.id))
      .map((j) => ({
        id: j.id,
        name: j.name,
        status: j.liveStatus ?? j.status,
        entered: j.counts?.entered ?? 0,
        active: j.counts?.active ?? 0,
        exited: j.counts?.exited ?? 0,
        errors: j.counts?.errors ?? 0,
        timeouts: j.counts?.timeouts ?? 0,
      }));

  const performance = async (id: string): Promise<ToolResult<JourneyPerformance>> => {
    if (asker.hiddenJourneys.has(id)) return { ok: false, reason: 'not-found', what: 'journey' };
    let report: Awaited<ReturnType<typeof buildReport>>;
    try {
      report = await buildReport(app, sandbox, id);
    } catch (e) {
      if (e instanceof WaymarkError && e.code === 'not_found')
        return { ok: false, reason: 'not-found', what: 'journey' };
      throw e;
    }
    const summary = await app.journeys.get(sandbox, id);
    const activities = new Map<
      string,
      JourneyPerformance['activities'][number] & {
        entered: number;
        errors: number;
        timeouts: number;
        capped: number;
      }
    >();
    const messages = emptyMessageCounts();
    for (const v of report.versions)
      for (const a of v.activities) {
        const prev = activities.get(a.id);
        activities.set(a.id, {
          id: a.id,
          label: a.label,
          kind: a.kind,
          entered: (prev?.entered ?? 0) + a.entered,
          errors: (prev?.errors ?? 0) + a.errors,
          timeouts: (prev?.timeouts ?? 0) + a.timeouts,
          capped: (prev?.capped ?? 0) + a.capped,
        });
        if (a.messages) addMessageCounts(messages, a.messages);
      }
    const acts = [...activities.values()];
    return {
      ok: true,
      value: {
        id,
        name: report.name,
        status: summary.live?.status ?? summary.latest.status,
        entered: report.total.entered,
        exited: report.total.exited,
        errors: report.total.errors + acts.reduce((s, a) => s + a.errors, 0),
        timeouts: report.total.timeouts + acts.reduce((s, a) => s + a.timeouts, 0),
        capped: report.total.capped + acts.reduce((s, a) => s + a.capped, 0),
        activities: acts,
        messages,
      },
    };
  };

  return {
    async journeys() {
      if (!held.has('journeys.view')) return forbidden('journeys.view');
      return { ok: true, value: await journeyList() };
    },
    async journeyPerformance(id) {
      if (!held.has('journeys.view')) return forbidden('journeys.view');
      return performance(id);
    },
    async messageOutcomes() {
      // Journey reports' message counts: counts, not messages (whose bodies need messages.content).
      if (!held.has('journeys.view')) return forbidden('journeys.view');
      const total = emptyMessageCounts();
      for (const j of await journeyList()) {
        const p = await performance(j.id);
        if (!p.ok) continue;
        addMessageCounts(total, p.value.messages);
      }
      return { ok: true, value: total };
    },
    async audienceSizes() {
      // Sizes without the sample of members the size route returns: audiences.view suffices.
      if (!held.has('audiences.view')) return forbidden('audiences.view');
      const out: AudienceSize[] = [];
      for (const o of await app.objects.list(sandbox, 'audience')) {
        const body = o.body as { labels?: string[] } | null;
        if (!asker.visible(body?.labels)) continue;
        const s = await app.audiences.size(sandbox, o.key, 0);
        out.push({ name: o.key, realized: s.realized, exited: s.exited });
      }
      return { ok: true, value: out };
    },
    async campaigns() {
      if (!held.has('campaigns.view')) return forbidden('campaigns.view');
      const out: CampaignFigures[] = [];
      const jobs = await app.campaigns.jobsOf(sandbox);
      for (const { c } of await app.campaigns.all(sandbox)) {
        if (!asker.visible(c.definition.labels)) continue;
        const s = await app.campaigns.statusOf(sandbox, c, jobs);
        const report = await app.campaigns.report(sandbox, c.id);
        const totals: Record<string, number> = {};
        for (const [k, v] of Object.entries(report.totals))
          if (typeof v === 'number') totals[k] = v;
        out.push({
          id: c.id,
          name: c.definition.name,
          status: s.status,
          channel: c.definition.action.channel,
          totals,
        });
      }
      return { ok: true, value: out };
    },
    async actionHealth() {
      // The journey reports' action counters (a report is journeys.view), by the action each
      // activity calls in its version.
      if (!held.has('journeys.view')) return forbidden('journeys.view');
      const byAction = new Map<string, { latency: ActionLatency; journeys: Map<string, string> }>();
      for (const j of await journeyList()) {
        const report = await buildReport(app, sandbox, j.id);
        const versions = await app.reads.getJourneyVersions(sandbox, j.id);
        for (const v of report.versions) {
          const nodes = versions.find((x) => x.version === v.version)?.definition.nodes ?? [];
          for (const a of v.activities) {
            if (!a.action) continue;
            const node = nodes.find((x) => x.id === a.id);
            const name = node?.kind === 'action' ? node.action : a.label;
            const entry = byAction.get(name) ?? {
              latency: emptyActionLatency(),
              journeys: new Map<string, string>(),
            };
            mergeActionLatency(entry.latency, a.action);
            entry.journeys.set(j.id, j.name);
            byAction.set(name, entry);
          }
        }
      }
      const value: ActionFigures[] = [...byAction]
        .map(([name, e]) => {
          const l = finishActionLatency(e.latency);
          return {
            name,
            calls: l.calls,
            errors: l.errors,
            meanMs: l.meanMs,
            p95Ms: l.p95Ms,
            maxMs: l.maxMs,
            overLastBound: l.overLastBound,
            journeys: [...e.journeys].map(([id, jn]) => ({ id, name: jn })),
          };
        })
        .sort((a, b) => b.calls - a.calls);
      return { ok: true, value };
    },
    async status() {
      // GET /v1/status is open to anyone signed in to the sandbox: counts only.
      const b = await app.reads.backlog(sandbox, app.clock.now(), BACKLOG_CAP);
      const value: SystemFigures = {
        timersDue: b.timersDue,
        nextTimerAt: b.nextTimerAt === null ? null : new Date(b.nextTimerAt).toISOString(),
        outboxDue: b.outboxDue,
        outboxRetrying: b.outboxRetrying,
        deadLetters: b.deadLetters,
      };
      return { ok: true, value };
    },
  };
}
