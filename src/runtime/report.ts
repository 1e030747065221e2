// The journey report: counters per version and activity, committed with the state they count.
import type { Waymark } from './app.ts';

export interface ActivityCounts { entered: number; exited: number; errors: number; timeouts: number; discarded: number }
const empty = (): ActivityCounts => ({ entered: 0, exited: 0, errors: 0, timeouts: 0, discarded: 0 });
const field: Record<string, keyof ActivityCounts> = { entered: 'entered', exited: 'exited', error: 'errors', timeout: 'timeouts', discarded: 'discarded' };

export async function buildReport(app: Waymark, sandbox: string, journeyId: string) {
  const journey = await app.journeys.get(sandbox, journeyId);
  const versions = await app.engine.store.getJourneyVersions(sandbox, journeyId);
  const rows = await app.engine.store.counters(sandbox, journeyId);
  const total = empty();
  const byVersion = versions.map((v) => {
    const journeyCounts = empty();
    const nodes = new Map<string, ActivityCounts & { id: string; label: string; kind: string }>(v.definition.nodes.map((n) => [n.id, { id: n.id, label: n.label ?? n.id, kind: n.kind, ...empty() }]));
    for (const r of rows.filter((x) => x.version === v.version)) {
      const key = field[r.metric];
      if (!key) continue;
      if (r.node === null) { journeyCounts[key] += r.value; total[key] += r.value; } else {
        const n = nodes.get(r.node);
        if (n) n[key] += r.value;
      }
    }
    return { version: v.version, status: v.status, journey: journeyCounts, activities: [...nodes.values()] };
  });
  return { journeyId, name: journey.name, total, versions: byVersion };
}
