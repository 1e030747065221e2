// Reports: every journey with its totals, linking to its report.
import type { JourneyReport, JourneySummary } from '../api/types.ts';
import { useApi } from '../app/session.tsx';
import { Link } from '../app/shell.tsx';
import { useLoad } from '../app/use-load.ts';

export function ReportsIndex() {
  const api = useApi();
  const r = useLoad(async () => {
    const js = await api.get<{ items: JourneySummary[] }>('/v1/journeys');
    return Promise.all(js.items.map((j) => api.get<JourneyReport>(`/v1/journeys/${encodeURIComponent(j.id)}/report`).catch(() => null).then((rep) => ({ j, rep }))));
  }, [api]);
  return (
    <section className="page">
      <h1>Reports</h1>
      {r.error && <p className="error" role="alert">{r.error}</p>}
      <table className="grid">
        <thead><tr><th>Journey</th><th>Entered</th><th>Exited</th><th>Errors</th><th>Timeouts</th></tr></thead>
        <tbody>{(r.data ?? []).map(({ j, rep }) => (
          <tr key={j.id}><td><Link to={`/journeys/${encodeURIComponent(j.id)}/report`}>{j.name}</Link></td><td>{rep?.total.entered ?? '–'}</td><td>{rep?.total.exited ?? '–'}</td><td>{rep?.total.errors ?? '–'}</td><td>{rep?.total.timeouts ?? '–'}</td></tr>
        ))}</tbody>
      </table>
    </section>
  );
}
