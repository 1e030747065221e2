// The journey report: totals, counts per activity (chart and table), messages over time by status,
// exclusions by reason. Built from GET /report, GET /report/timeline and GET /messages?journey=.
import { useState } from 'react';
import type { JourneyReport, Message, MessageList } from '../api/types.ts';
import { usePageTitle } from '../app/page-title.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';
import { BarChart } from './charts.tsx';
import { MessageOutcomes } from './message-outcomes.tsx';
import { TimelineCharts } from './timeline.tsx';

const COLORS = {
  entered: '#2680eb',
  exited: '#2d9d78',
  errors: '#e34850',
  timeouts: '#e68619',
  sent: '#2680eb',
  delivered: '#2d9d78',
  opened: '#9256d9',
  clicked: '#e68619',
  excluded: '#6e6e6e',
  failed: '#e34850',
};

const KPI_LABEL = {
  entered: 'Entered',
  exited: 'Exited',
  errors: 'Errors',
  timeouts: 'Timeouts',
  discarded: 'Discarded',
} as const;

export function bucketByHour(
  messages: readonly Message[],
  statuses: readonly string[],
): { labels: string[]; values: Record<string, number[]> } {
  if (!messages.length) return { labels: [], values: {} };
  const hour = 3_600_000;
  const first = Math.floor(Math.min(...messages.map((m) => m.createdAt)) / hour);
  const last = Math.floor(Math.max(...messages.map((m) => m.createdAt)) / hour);
  const n = Math.min(168, last - first + 1);
  const labels = Array.from({ length: n }, (_, i) =>
    new Date((first + i) * hour).toLocaleString([], {
      hour: '2-digit',
      day: '2-digit',
      month: 'short',
    }),
  );
  const values: Record<string, number[]> = Object.fromEntries(
    statuses.map((s) => [s, Array<number>(n).fill(0)]),
  );
  for (const m of messages) {
    const i = Math.floor(m.createdAt / hour) - first;
    const row = values[m.status];
    if (row && i >= 0 && i < n) row[i]! += 1;
  }
  return { labels, values };
}

export function ReportPage(p: { id: string }) {
  const api = useApi();
  const [version, setVersion] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const r = useLoad(async () => {
    const [report, messages] = await Promise.all([
      api.get<JourneyReport>(`/v1/journeys/${encodeURIComponent(p.id)}/report`),
      api.get<MessageList>(`/v1/messages?journey=${encodeURIComponent(p.id)}&limit=1000`).then(
        (x) => x.items,
        () => [] as Message[],
      ),
    ]);
    return { report, messages };
  }, [api, p.id]);
  usePageTitle(r.data ? `${r.data.report.name} report` : 'Report', 'Reports');
  if (r.error)
    return (
      <section className="page">
        <h1>Report</h1>
        <p className="error" role="alert">
          {r.error}
        </p>
      </section>
    );
  if (!r.data)
    return (
      <section className="page">
        <h1>Report</h1>
        <p className="muted">Loading…</p>
      </section>
    );
  const { report, messages } = r.data;
  const v = report.versions.find((x) => x.version === version) ?? report.versions[0];
  const acts = v?.activities ?? [];
  return (
    <section className="page report">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to="/reports">Reports</Link> › {report.name}
      </nav>
      <div className="page-head">
        <h1>Report: {report.name}</h1>
        <label className="inline">
          Version{' '}
          <select value={v?.version ?? ''} onChange={(e) => setVersion(Number(e.target.value))}>
            {report.versions.map((x) => (
              <option key={x.version} value={x.version}>
                v{x.version} ({x.status})
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            r.reload();
            setTick((t) => t + 1);
          }}
        >
          Refresh
        </button>
        <Link to={`/journeys/${encodeURIComponent(p.id)}`} className="button">
          Open the canvas
        </Link>
      </div>
      <div className="kpis" aria-label="Totals">
        {(['entered', 'exited', 'errors', 'timeouts', 'discarded'] as const).map((k) => (
          <div key={k} className="kpi">
            <span>{KPI_LABEL[k]}</span>
            <strong data-testid={`kpi-${k}`}>{report.total[k]}</strong>
          </div>
        ))}
        <div className="kpi">
          <span>Messages</span>
          <strong>{messages.length}</strong>
        </div>
      </div>
      <BarChart
        title="Profiles per activity"
        categories={acts.map((a) => a.label ?? a.id)}
        series={(['entered', 'exited', 'errors', 'timeouts'] as const).map((k) => ({
          name: k,
          color: COLORS[k],
          values: acts.map((a) => a[k]),
        }))}
      />
      <TimelineCharts journeyId={p.id} tick={tick} />
      <h2>Activities</h2>
      <table className="grid" aria-label="Activities">
        <thead>
          <tr>
            <th>Activity</th>
            <th>Kind</th>
            <th>Entered</th>
            <th>Exited</th>
            <th>Errors</th>
            <th>Timeouts</th>
            <th>Discarded</th>
          </tr>
        </thead>
        <tbody>
          {acts.map((a) => (
            <tr key={a.id}>
              <td>{a.label ?? a.id}</td>
              <td>{a.kind}</td>
              <td>{a.entered}</td>
              <td>{a.exited}</td>
              <td>{a.errors}</td>
              <td>{a.timeouts}</td>
              <td>{a.discarded}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <MessageOutcomes
        journeyId={p.id}
        activities={acts}
        links={(report.links ?? []).filter((l) => l.version === v?.version)}
      />
      <h2>Latest messages</h2>
      <table className="grid" aria-label="Latest messages">
        <thead>
          <tr>
            <th>Activity</th>
            <th>Channel</th>
            <th>Recipient</th>
            <th>Status</th>
            <th>Reason</th>
            <th>Time</th>
          </tr>
        </thead>
        <tbody>
          {messages.slice(0, 20).map((m) => (
            <tr key={m.id}>
              <td>{m.label ?? m.node}</td>
              <td>{m.channel}</td>
              <td>{m.recipient}</td>
              <td>{m.status}</td>
              <td>{m.reason ?? ''}</td>
              <td>{new Date(m.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
